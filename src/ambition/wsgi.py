import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambition.settings")
application = get_wsgi_application()
# Every view module is imported as the server starts, not by whoever asks first: otherwise
# each worker's first request waits seconds for the imports (and a benchmark times them).
get_resolver().url_patterns  # noqa: B018
