"""What every page's template knows: the service's and the partnership's names, and the
service navigation with the current section marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

SERVICE_NAME = "Ambition"
DEFAULT_PARTNERSHIP_NAME = "Capital Ambition"


@dataclass(frozen=True)
class NavigationItem:
    label: str
    href: str
    current: bool = False


# (label, URL name, who sees it): a permission name, "staff", or None for everyone. Hiding
# a link is a courtesy; every page still checks permission on the server. Names, not paths,
# so that web imports no app and the links follow the apps' urls.py.
NAVIGATION = [
    ("Home", "home", None),
    ("Authorities", "authority-list", None),
    ("Indicators", "indicator-list", None),
    ("Assessment", "assessment-dashboard", None),
    ("Support", "support", "support.view_supportrequest"),
    ("Fund", "fund", None),
    ("Efficiency", "efficiency-overview", "efficiency.view_savingsreturn"),
    ("Import", "import", "indicators.add_observation"),
    ("Audit", "audit-log", "accounts.view_auditentry"),
    ("Search", "search", None),
    ("API", "api:openapi-view", None),
    ("Admin", "admin:index", "staff"),
]


def is_current(path: str, href: str) -> bool:
    """Home is current only on the home page; a section on any page beneath it."""
    if href == "/":
        return path == "/"
    return path == href or path.startswith(href.rstrip("/") + "/")


def may_see(user: Any, needs: str | None) -> bool:
    if needs is None:
        return True
    if needs == "staff":
        return bool(getattr(user, "is_staff", False))
    return bool(user is not None and user.has_perm(needs))


def navigation(path: str, user: Any = None) -> list[NavigationItem]:
    hrefs = ((label, reverse(name), needs) for label, name, needs in NAVIGATION)
    return [
        NavigationItem(label, href, is_current(path, href))
        for label, href, needs in hrefs
        if may_see(user, needs)
    ]


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": SERVICE_NAME,
        "partnership_name": getattr(settings, "PARTNERSHIP_DISPLAY_NAME", DEFAULT_PARTNERSHIP_NAME)
        or DEFAULT_PARTNERSHIP_NAME,
        "navigation": navigation(request.path, getattr(request, "user", None)),
    }
