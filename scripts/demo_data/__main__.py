"""`python -m scripts.demo_data --shared ../shared/data`, from the repository root."""

import sys

from .build import main

sys.exit(main())
