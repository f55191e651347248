"""The 360Giving package schema as a validator, from the shipped files, with no network.

`data/standards/360giving/SOURCE.md` says where the files come from and why the grant schema
is registered under two addresses.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings  # type: ignore[import-untyped]
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

PACKAGE_SCHEMA = "360-giving-package-schema.json"
GRANT_SCHEMA = "360-giving-schema.json"
# Where the package schema's `grants.items` points: the grant schema of release 1.4.2.
GRANT_SCHEMA_REFERRED = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/"
    "360-giving-schema.json"
)
# RFC 3339 section 5.6: a date, T, a time with optional fraction, and Z or an offset.
DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def standard_folder() -> Path:
    return Path(settings.DATA_DIR) / "standards" / "360giving"


@functools.lru_cache(maxsize=2)
def package_validator(folder: Path | None = None) -> Draft202012Validator:
    where = folder or standard_folder()
    package, grant = (_load(where / name) for name in (PACKAGE_SCHEMA, GRANT_SCHEMA))
    resource = DRAFT202012.create_resource(grant)
    registry: Registry[Any] = Registry().with_resources(
        [(GRANT_SCHEMA_REFERRED, resource), (grant["$id"], resource)]
    )
    return Draft202012Validator(package, registry=registry, format_checker=format_checker())


def problems(document: Any, folder: Path | None = None) -> list[str]:
    """Every way `document` breaks the package schema, as `path: message` lines."""
    errors = package_validator(folder).iter_errors(document)
    return [f"{error.json_path}: {error.message}" for error in errors]


def format_checker() -> FormatChecker:
    """jsonschema's checks, with the `date-time` one its optional packages would add: the
    schema's dates are `oneOf` a date-time or a plain date, and an unchecked format matches
    every string, so each plain date would match both and fail."""
    checker = FormatChecker()
    checker.checks("date-time")(is_date_time)
    return checker


def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats constrain strings only; the type keyword judges the rest
    if not DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:  # 2006-02-30, 25:00: the right shape, no such moment
        return False
    return True


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as file:
        loaded: dict[str, Any] = json.load(file)
    return loaded
