"""ambition label-categories FILE.csv [--user USERNAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ambition.accounts.people import named_person
from ambition.spend.categories.labels import FILE_COLUMNS, LabelFileError, label_file

LABEL_CATEGORIES = "spend.add_categorylabel"


class Command(BaseCommand):
    help = (
        "Label combinations of expense type, account, service and purpose with a procurement "
        f"category from a CSV file (columns {', '.join(FILE_COLUMNS)}; category a code of the "
        "rules). Each label overrides the rules for its combination in every authority and "
        "replaces the combination's standing label, which is kept. All the file's labels are "
        "stored, or, where any row has a problem, none: every problem is listed by row and "
        "column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, metavar="FILE.csv")
        parser.add_argument("--user", default="", help="Record the labels as this user's")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        user = _user(options["user"])
        try:
            stored = label_file(path.read_bytes(), user)
        except LabelFileError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            problems = len(error.problems)
            raise CommandError(f"{path.name}: {problems} problem(s); nothing stored") from None
        self.stdout.write(f"Stored {len(stored)} label(s) from {path.name}.")


def _user(name: str) -> Any:
    user = named_person(name)
    if user is None:
        return None
    if not user.has_perm(LABEL_CATEGORIES):
        raise CommandError(f"{name} may not label categories")
    return user
