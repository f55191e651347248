"""A resident's main tasks with the keyboard alone, in the browser: skip to the content,
reach a council's page from the home page, read the annual report, search, and see who
improved on an indicator. Each step moves focus with Tab and follows a link with Enter; a
link that is never reached, or reached without a visible focus indicator, fails the task."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

MOST_TABS = 400  # a page's links and controls, at most, before the one wanted
LAMBETH = "E09000022"
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const shown = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    || style.boxShadow !== 'none' || style.backgroundColor !== 'rgba(0, 0, 0, 0)';
  return {href: el.getAttribute('href') || '', text: (el.innerText || '').trim(),
          tag: el.tagName, id: el.id, shown};
}"""


def tab_to(page: object, wanted: re.Pattern[str], field: str = "href") -> dict[str, object]:
    """Tab until the focused element's `field` matches; it must show that it has focus."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        found = page.evaluate(FOCUSED)  # type: ignore[attr-defined]
        if found and wanted.search(str(found[field])):
            assert found["shown"], f"{found} has focus but shows no focus indicator"
            return found  # type: ignore[no-any-return]
    raise AssertionError(
        f"no element whose {field} matches {wanted.pattern} within {MOST_TABS} tabs"
    )


def follow(page: object) -> None:
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.keyboard.press("Enter")  # type: ignore[attr-defined]


def test_a_resident_reaches_their_council_and_the_annual_report_by_keyboard(
    page: object, demo_url: str
) -> None:
    page.goto(demo_url + "/")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    first = page.evaluate(FOCUSED)  # type: ignore[attr-defined]
    assert first and "Skip to main content" in str(first["text"])
    tab_to(page, re.compile(rf"/councils/{LAMBETH}/$"))
    follow(page)
    assert page.url.endswith(f"/councils/{LAMBETH}/")  # type: ignore[attr-defined]
    assert "Lambeth" in page.locator("h1").inner_text()  # type: ignore[attr-defined]
    page.goto(demo_url + "/")  # type: ignore[attr-defined]
    tab_to(page, re.compile(r"/reports/annual/$"))
    follow(page)
    assert re.search(r"/reports/annual/\d{4}/$", page.url)  # type: ignore[attr-defined]


def test_a_resident_searches_and_finds_who_improved_by_keyboard(
    page: object, demo_url: str
) -> None:
    page.goto(demo_url + "/")  # type: ignore[attr-defined]
    tab_to(page, re.compile(r"^/search/$"))
    follow(page)
    tab_to(page, re.compile(r"^q$"), field="id")
    page.keyboard.type("employment")  # type: ignore[attr-defined]
    follow(page)
    tab_to(page, re.compile(r"^/indicators/ons-employment-rate/$"))
    follow(page)
    tab_to(page, re.compile(r"^/knowledge/improved/\?indicator=ons-employment-rate"))
    follow(page)
    heading = page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert heading.startswith("Who improved on employment rate")
