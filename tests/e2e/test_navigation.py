"""The service navigation fits one line at 1280 px for every role: measured in the browser,
every item's box starts on the same line as the first, and none runs past the viewport."""

from __future__ import annotations

import pytest

from .test_pages import sign_in

pytestmark = pytest.mark.e2e

WIDTH = 1280
# (username, password) of the demo's people (accounts.people.DEMO_PEOPLE); None: signed out.
ROLES = [
    None,
    ("officer", "ambition-demo-officer"),
    ("board", "ambition-demo-board"),
    ("analyst", "ambition-demo-analyst"),
    ("admin", "ambition-demo-admin"),
]


def boxes(page: object) -> list[dict[str, float]]:
    items = page.locator(".govuk-service-navigation__item")  # type: ignore[attr-defined]
    return [items.nth(i).bounding_box() for i in range(items.count())]


@pytest.mark.parametrize("who", ROLES, ids=lambda w: w[0] if w else "anonymous")
def test_the_navigation_fits_one_line_at_1280_px(
    page: object, demo_url: str, who: tuple[str, str] | None
) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 900})  # type: ignore[attr-defined]
    if who is not None:
        sign_in(page, demo_url, *who)
    page.goto(demo_url + "/")  # type: ignore[attr-defined]
    found = boxes(page)
    assert len(found) >= 6
    tops = {round(b["y"]) for b in found}
    assert len(tops) == 1, f"the navigation wraps onto {len(tops)} lines: {found}"
    assert max(b["x"] + b["width"] for b in found) <= WIDTH
    if who is not None:  # signed in: the staff pages are grouped on one item
        labels = page.locator(".govuk-service-navigation__item").all_inner_texts()  # type: ignore[attr-defined]
        assert any("Your work" in label for label in labels)
