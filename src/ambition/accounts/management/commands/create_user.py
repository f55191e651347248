"""ambition create-user USERNAME --role ROLE[:ONS_CODE] ..."""

from __future__ import annotations

import getpass
import os
import secrets
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ambition.accounts.people import RoleError, RoleSpec, create_person


class Command(BaseCommand):
    help = (
        "Create a person (or update one) with roles: analyst, board, administrator, or "
        "officer:ONS_CODE for a council officer acting for one authority; repeat --role "
        "for several. The password is read from AMBITION_NEW_PASSWORD, asked for, or made "
        "up and printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", action="append", required=True, dest="roles")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            roles = [RoleSpec.parse(text) for text in options["roles"]]
            password, shown = self._password()
            validate_password(password)
            create_person(options["username"], password, roles, email=options["email"])
        except (RoleError, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{options['username']}: {', '.join(r.role.label for r in roles)}")
        if shown:
            self.stdout.write(f"password (shown once): {password}")

    def _password(self) -> tuple[str, bool]:
        if given := os.environ.get("AMBITION_NEW_PASSWORD"):
            return given, False
        if sys.stdin.isatty():
            return getpass.getpass("Password: "), False
        return secrets.token_urlsafe(16), True
