"""Every key page, signed out and as each kind of person, passes axe-core's WCAG 2.2 AA
rules, with its charts drawn (the charts' own controls are part of the page)."""

from __future__ import annotations

import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_pages import sign_in

pytestmark = pytest.mark.e2e

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAMBETH = "E09000022"

PUBLIC = [
    "/",
    "/authorities/",
    f"/authorities/{LAMBETH}/",
    "/indicators/",
    "/search/?q=lambeth",
    "/about/data/",
    "/assessment/",
    f"/assessment/authorities/{LAMBETH}/",
    "/assessment/methods/",
    "/assessment/methods/cpa-2005/try/?judgement=corporate_assessment:2&score=level-1:2&score=level-2:2&score=children-and-young-people:1",
    "/account/login/",
    "/fund/",
    "/knowledge/case-studies/",
    "/knowledge/networks/",
    "/knowledge/networks/illustrative-recycling-officers/",
    "/search/?q=recycling",
    f"/councils/{LAMBETH}/",
    f"/knowledge/improved/?indicator=ons-employment-rate&authority={LAMBETH}",
    f"/knowledge/improved/?area=economy&authority={LAMBETH}",
    "/data/",
    "/reports/annual/2025/",
    "/reports/annual/2001/",
]
# Pages reached by following the first link a list page shows (their ids are the demo's).
FIRST_LINK = {
    "/fund/": "main table tbody a[href*='/fund/awards/']",
    "/indicators/": "main table tbody a",
    "/assessment/methods/": "main table tbody a",
    "/knowledge/case-studies/": "main table tbody a[href*='/knowledge/case-studies/']",
}
ANALYST = [
    "/work/",
    "/import/",
    "/assessment/runs/",
    "/assessment/runs/new/",
    "/assessment/judgements/",
    "/assessment/warnings/backtest/",
    "/audit/",
    "/account/",
    "/support/",
    "/support/broker/",
    "/support/reviews/",
    "/support/secondments/",
    "/fund/budgets/",
    "/fund/reconcile/",
    "/fund/applications/",
    "/efficiency/",
    "/efficiency/flags/",
    "/efficiency/laa/",
    "/efficiency/laa/new/",
    "/efficiency/budgets/import/",
    "/spend/files/",
    "/spend/files/upload/",
    "/spend/suppliers/",
    "/spend/opportunities/",
    "/spend/opportunities/transactions/?category=facilities",
    "/spend/categories/",
    "/spend/categories/labels/",
    "/support/ledger/",
    "/reports/meetings/",
    "/reports/review-pack/",
    "/knowledge/case-studies/new/",
]
ANALYST_FIRST_LINK = {
    "/assessment/runs/": "main table tbody a[href*='/assessment/runs/']",
    f"/efficiency/{LAMBETH}/": "main a[href*='/efficiency/returns/']",
    "/fund/applications/": "main table tbody a[href*='/fund/applications/']",
    "/efficiency/laa/": "main table tbody a[href*='/efficiency/laa/']",
    "/spend/opportunities/": "main table[data-table='categories'] tbody a",
    "/spend/opportunities/?year=": "main table[data-table='suppliers'] tbody a",
    "/spend/suppliers/": "main table tbody a[href*='/spend/suppliers/']",
    "/spend/categories/": "main a[href*='/spend/categories/label/']",
    # The office sees drafts too (the demo's Greenwich one), and the evidence form of each.
    "/knowledge/case-studies/": "main table tbody a[href*='/knowledge/case-studies/']",
    "/knowledge/case-studies/?level=": "main table tbody a[href$='/evidence/']",
}
OFFICER = [
    "/support/requests/new/",
    "/support/offers/new/",
    f"/support/ledger/{LAMBETH}/",
    f"/reports/review-pack/{LAMBETH}/",
    f"/efficiency/{LAMBETH}/",
    "/efficiency/returns/new/",
    "/fund/applications/new/",
    "/knowledge/case-studies/new/",
]


def wait_for_all_charts(page: object, seconds: float = 60) -> None:
    """Until every chart on the page has drawn (or failed to, which the page tests catch)."""
    pending = page.locator("[data-chart]:not([data-chart-drawn])")  # type: ignore[attr-defined]
    deadline = time.monotonic() + seconds
    while pending.count():
        assert time.monotonic() < deadline, f"{pending.count()} chart(s) never drew"
        page.wait_for_timeout(100)  # type: ignore[attr-defined]


def violations(page: object, url: str) -> list[str]:
    response = page.goto(url)  # type: ignore[attr-defined]
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    wait_for_all_charts(page)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{url}: {v['id']} ({v['impact']}) at {node['target']}: {v['help']}"
        for v in result.response["violations"]
        for node in v["nodes"]
    ]


def first_links(page: object, demo_url: str, wanted: dict[str, str]) -> list[str]:
    found = []
    for path, selector in wanted.items():
        page.goto(demo_url + path)  # type: ignore[attr-defined]
        found.append(page.locator(selector).first.get_attribute("href"))  # type: ignore[attr-defined]
    return found


def check(page: object, demo_url: str, paths: list[str]) -> None:
    problems = [p for path in paths for p in violations(page, demo_url + path)]
    assert problems == [], "\n".join(problems)


def test_public_pages_pass_wcag_22_aa(page: object, demo_url: str) -> None:
    check(page, demo_url, PUBLIC + first_links(page, demo_url, FIRST_LINK))


def test_analyst_pages_pass_wcag_22_aa(page: object, demo_url: str) -> None:
    sign_in(page, demo_url, "analyst", "ambition-demo-analyst")
    check(page, demo_url, ANALYST + first_links(page, demo_url, ANALYST_FIRST_LINK))


def test_officer_pages_pass_wcag_22_aa(page: object, demo_url: str) -> None:
    sign_in(page, demo_url, "officer", "ambition-demo-officer")
    check(page, demo_url, OFFICER)
