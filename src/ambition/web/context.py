"""What every page's template knows: the service's and the partnership's names, and the
service navigation with the current section marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest

SERVICE_NAME = "Ambition"
DEFAULT_PARTNERSHIP_NAME = "Capital Ambition"


@dataclass(frozen=True)
class NavigationItem:
    label: str
    href: str
    current: bool = False


NAVIGATION = [
    ("Home", "/"),
    ("Authorities", "/authorities/"),
    ("Indicators", "/indicators/"),
    ("Import", "/import/"),
    ("API", "/api/docs"),
    ("Admin", "/admin/"),
]


def is_current(path: str, href: str) -> bool:
    """Home is current only on the home page; a section on any page beneath it."""
    if href == "/":
        return path == "/"
    return path == href or path.startswith(href.rstrip("/") + "/")


def navigation(path: str) -> list[NavigationItem]:
    return [NavigationItem(label, href, is_current(path, href)) for label, href in NAVIGATION]


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": SERVICE_NAME,
        "partnership_name": getattr(settings, "PARTNERSHIP_DISPLAY_NAME", DEFAULT_PARTNERSHIP_NAME)
        or DEFAULT_PARTNERSHIP_NAME,
        "navigation": navigation(request.path),
    }
