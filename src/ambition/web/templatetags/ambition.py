"""Template filters and tags for figures: `{% load ambition %}`.

{{ value|number:1 }}                     12,345.7   (None: a dash, read as "no value")
{{ value|number:indicator.decimal_places|with_unit:indicator.unit }}   12.3%, £1,200, 4.1 per 10,000
{{ indicator.polarity|polarity_label }}  Higher is better
{{ indicator.name|mid_sentence }}        employment rate (Great Britain)
{% elided_pages page_obj as pages %}     page numbers with Paginator.ELLIPSIS gaps
{% download_formats as formats %}        ("csv", "CSV"), ... ("parquet", "Parquet")
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ambition.web import charts
from ambition.web.tables import FORMAT_LABELS

register = template.Library()

NO_VALUE = mark_safe(
    '<span aria-hidden="true">\u2013</span><span class="govuk-visually-hidden">no value</span>'
)


def _places(arg: object) -> int:
    try:
        return int(str(arg))
    except ValueError:
        return -1


@register.filter
def number(value: object, places: object = -1) -> str:
    """The value with thousands separators and `places` decimals (a negative number: up to
    that many, only when the value is not whole); a dash for no value."""
    if isinstance(value, str) and value.strip():
        try:
            return number(float(value.replace(",", "")), places)
        except ValueError:
            return conditional_escape(value)
    text = charts.format_number(value, _places(places))
    return NO_VALUE if text is None else text


@register.filter
def with_unit(value: object, unit: object) -> str:
    """A number, or the text `number` made of it, with its unit: 12.3%, £12.3, 12.3 per 10,000.
    No value stays a dash, without a unit."""
    text = value if isinstance(value, str) else number(value)
    if text == NO_VALUE or not str(text).strip():
        return NO_VALUE
    return conditional_escape(charts.format_with_unit(str(text), str(unit or "")))


@register.filter
def change_in(value: object, indicator: Any) -> str:
    """A change of an indicator's value in its unit, a percentage's in percentage points:
    {{ gain|change_in:indicator }} -> "1.9 percentage points"."""
    return charts.display_change(value, indicator.unit, indicator.decimal_places)


@register.simple_tag
def download_formats() -> list[tuple[str, str]]:
    """Each format a table downloads as, with its name on a link: ("csv", "CSV"), ..."""
    return list(FORMAT_LABELS.items())


@register.filter
def mid_sentence(name: object) -> str:
    """A name inside a sentence: "Employment rate (Great Britain)" -> "employment rate (Great
    Britain)", "NEET ..." unchanged."""
    return charts.mid_sentence(str(name))


@register.filter
def polarity_label(polarity: object) -> str:
    """'higher' -> 'Higher is better', 'lower' -> 'Lower is better', else not stated."""
    return charts.polarity_label(str(polarity) if polarity else "")


@register.simple_tag
def elided_pages(page_obj: Page[Any], on_each_side: int = 2, on_ends: int = 1) -> list[Any]:
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )
