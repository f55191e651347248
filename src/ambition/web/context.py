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
# so that web imports no app and the links follow the apps' urls.py. The top line holds
# what a resident may read; the staff pages are grouped on "Your work" (WORK), so that the
# line fits at 1280 px whatever the person's roles.
NAVIGATION = [
    ("Home", "home", None),
    ("Authorities", "authority-list", None),
    ("Indicators", "indicator-list", None),
    ("Assessment", "assessment-dashboard", None),
    ("Fund", "fund", None),
    ("Open data", "reports-catalogue", None),
    ("Search", "search", None),
]
WORK_LABEL = "Your work"


@dataclass(frozen=True)
class WorkLink:
    """A staff page on the "Your work" page: its label, URL name, who sees it (as in
    NAVIGATION) and what a person does there."""

    label: str
    name: str
    needs: str
    purpose: str


WORK = [
    WorkLink(
        "Support",
        "support",
        "support.view_supportrequest",
        "Ask for and offer help, match requests to offers, peer reviews, secondments and "
        "the ledger of what each council gave and took.",
    ),
    WorkLink(
        "Case studies",
        "knowledge-case-studies",
        "knowledge.add_casestudy",
        "Write your council's case studies of what worked; the office rates the strength of "
        "their evidence and publishes them, and the ledger counts them as given.",
    ),
    WorkLink(
        "Efficiency",
        "efficiency-overview",
        "efficiency.view_savingsreturn",
        "Savings returns against the 3% target, the office's flags and local area agreements.",
    ),
    WorkLink(
        "Import",
        "import",
        "indicators.add_observation",
        "Load indicator values from a file, with every row checked before anything is kept.",
    ),
    WorkLink(
        "Spending files",
        "spend-files",
        "spend.add_spendfile",
        "Upload councils' spending files, answer questions about their columns, and see "
        "the months each council has.",
    ),
    WorkLink(
        "Suppliers",
        "spend-suppliers",
        "spend.view_suppliercluster",
        "Suppliers matched across councils' spending: confirm, split or merge the matches.",
    ),
    WorkLink(
        "Categories",
        "spend-categories",
        "spend.view_opportunity",
        "Councils' spending by procurement category: what is categorised, how, and what is "
        "left; label the combinations the rules cannot place.",
    ),
    WorkLink(
        "Buying together",
        "spend-opportunities",
        "spend.view_opportunity",
        "Where councils buy the same things from the same suppliers: combined spend, each "
        "council's share, what they pay, and the saving from buying together.",
    ),
    WorkLink("Audit", "audit-log", "accounts.view_auditentry", "Who changed what, and when."),
    WorkLink("Admin", "admin:index", "staff", "Django's administration of the stored records."),
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


def work_links(user: Any) -> list[tuple[WorkLink, str]]:
    """The staff pages this person may open, each with its address."""
    return [(link, reverse(link.name)) for link in WORK if may_see(user, link.needs)]


def navigation(path: str, user: Any = None) -> list[NavigationItem]:
    hrefs = ((label, reverse(name), needs) for label, name, needs in NAVIGATION)
    items = [
        NavigationItem(label, href, is_current(path, href))
        for label, href, needs in hrefs
        if may_see(user, needs)
    ]
    if getattr(user, "is_authenticated", False):
        # Every signed-in person has work to see: at least their review pack, if any.
        sections = [reverse("work"), *(href for _, href in work_links(user)), "/reports/"]
        here = any(is_current(path, href) for href in sections)
        items.append(NavigationItem(WORK_LABEL, reverse("work"), here))
    return items


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": SERVICE_NAME,
        "partnership_name": getattr(settings, "PARTNERSHIP_DISPLAY_NAME", DEFAULT_PARTNERSHIP_NAME)
        or DEFAULT_PARTNERSHIP_NAME,
        "navigation": navigation(request.path, getattr(request, "user", None)),
    }
