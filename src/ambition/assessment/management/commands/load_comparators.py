"""ambition load-comparators: the published comparator groups, and the profile figures
computed nearest neighbours need."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ambition.assessment.groups import load_published
from ambition.registry.loading import load_comparator_profiles
from ambition.web.terminal import console_for, done, status


class Command(BaseCommand):
    help = (
        "Load the DfE's statistical neighbours and Oflog's nearest neighbours as named "
        "comparator groups, and the population and deprivation figures of every English "
        "council that computed neighbours use. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        data = settings.DATA_DIR
        with status(console, "Profile figures for nearest neighbours"):
            councils = load_comparator_profiles(data)
        console.print(done(f"Profile figures for nearest neighbours: {councils} councils"))
        with status(console, "Published comparator groups"):
            counts = load_published(data)
        for key, count in counts.items():
            console.print(done(f"{key}: {count:,} comparators"))
