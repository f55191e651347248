"""The `ambition` template filters, the site context, the base template and its includes.
No database: anonymous requests from RequestFactory."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings

from ambition.web import charts
from ambition.web.context import site, work_links
from ambition.web.templatetags.ambition import NO_VALUE, number, polarity_label, with_unit


def render(source: str, **context: Any) -> str:
    return Template("{% load ambition %}" + source).render(Context(context))


def get(path: str = "/", **params: str) -> Any:
    request = RequestFactory().get(path, params)
    request.user = AnonymousUser()
    return request


# Filters


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("{{ v|number:2 }}", "12,345.68"),
        ("{{ v|number }}", "12,345.7"),
        ("{{ v|number:0|with_unit:'£' }}", "£12,346"),
        ("{{ v|number:1|with_unit:'%' }}", "12,345.7%"),
        ("{{ v|number:1|with_unit:'per 10,000' }}", "12,345.7 per 10,000"),
        ("{{ v|with_unit:'days' }}", "12,345.7 days"),
    ],
)
def test_number_and_unit(source: str, text: str) -> None:
    assert render(source, v=12345.678) == text


def test_no_value_is_a_dash_read_as_no_value() -> None:
    html = render("{{ v|number:1|with_unit:'%' }}", v=None)
    assert html == NO_VALUE
    assert '<span aria-hidden="true">\u2013</span>' in html
    assert '<span class="govuk-visually-hidden">no value</span>' in html
    assert "%" not in html


def test_number_takes_the_places_from_a_variable() -> None:
    assert render("{{ v|number:places }}", v=2.5, places=0) == "3"
    assert render("{{ v|number:-1 }}", v=40.0) == "40"


def test_number_of_text() -> None:
    assert number("1234.5", 1) == "1,234.5"
    assert number("<b>n/a</b>") == "&lt;b&gt;n/a&lt;/b&gt;"
    assert number("") == NO_VALUE


def test_with_unit_escapes_the_unit() -> None:
    assert with_unit(1.5, "<i>x</i>") == "1.5 &lt;i&gt;x&lt;/i&gt;"


@pytest.mark.parametrize(
    ("polarity", "label"),
    [
        ("higher", "Higher is better"),
        ("lower", "Lower is better"),
        ("", "Not stated by the source"),
        (None, "Not stated by the source"),
    ],
)
def test_polarity_label(polarity: str | None, label: str) -> None:
    assert polarity_label(polarity) == label


def test_a_change_of_a_percentage_is_in_points_and_of_anything_else_in_its_unit() -> None:
    class Rate:
        unit, decimal_places = "%", 1

    class Count:
        unit, decimal_places = "per 10,000", 0

    assert render("{{ v|change_in:i }}", v=1.94, i=Rate()) == "1.9 percentage points"
    assert render("{{ v|change_in:i }}", v=12.4, i=Count()) == "12 per 10,000"


@pytest.mark.parametrize(
    ("name", "inside"),
    [
        ("Employment rate (Great Britain)", "employment rate (Great Britain)"),
        ("NEET young people", "NEET young people"),
        ("ONS life satisfaction", "ONS life satisfaction"),
        ("A", "a"),
        ("", ""),
    ],
)
def test_mid_sentence_lowers_only_the_first_letter_of_an_ordinary_word(
    name: str, inside: str
) -> None:
    assert render("{{ name|mid_sentence }}", name=name) == inside


# Site context


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Home"),
        ("/authorities/", "Authorities"),
        ("/authorities/E09000001/", "Authorities"),
        ("/indicators/recycling/", "Indicators"),
        ("/api/docs", None),
        ("/about/data/", None),
    ],
)
def test_site_marks_the_current_section(path: str, current: str | None) -> None:
    context = site(get(path))
    assert context["service_name"] == "Ambition"
    marked = [item.label for item in context["navigation"] if item.current]
    assert marked == ([current] if current else [])


def test_site_reads_the_partnership_name() -> None:
    assert site(get())["partnership_name"] == "Capital Ambition"
    with override_settings(PARTNERSHIP_DISPLAY_NAME="West London Alliance"):
        assert site(get())["partnership_name"] == "West London Alliance"


# Base template: Content Security Policy ready


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def page(template: str = "web/base.html", **context: Any) -> tuple[str, Tags]:
    html = render_to_string(template, context, request=context.pop("request", None) or get())
    tags = Tags()
    tags.feed(html)
    return html, tags


def test_base_has_no_inline_script_or_handlers() -> None:
    spec = charts.sparkline(
        [{"period": "2020", "start": "2020-04-01", "value": 1.0}], polarity="higher"
    )
    source = (
        '{% extends "web/base.html" %}{% block content %}'
        '{% include "web/includes/chart.html" with spec=spec id="s" title="T" %}{% endblock %}'
    )
    html = Template(source).render(Context({"spec": spec, "request": get()}))
    tags = Tags()
    tags.feed(html)
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    for attrs in scripts:
        assert attrs.get("src") or attrs.get("type") == "application/json", attrs
    assert all(not name.startswith("on") for _, attrs in tags.tags for name in attrs)
    assert "style" not in {name for _, attrs in tags.tags for name in attrs}
    assert "<style" not in html
    assert not re.search(r"javascript:", html)


def test_base_loads_our_styles_and_scripts() -> None:
    _html, tags = page()
    sources = [a.get("src") for t, a in tags.tags if t == "script"]
    assert sources == ["/static/vendor/htmx.min.js", "/static/web/charts.js", "/static/web/app.js"]
    app = next(a for t, a in tags.tags if t == "script" and a.get("src") == "/static/web/app.js")
    assert app["type"] == "module"
    charts_js = next(a for t, a in tags.tags if a.get("src") == "/static/web/charts.js")
    assert charts_js["data-vega-embed"] == "/static/vendor/vega-embed.min.js"
    styles = [a["href"] for t, a in tags.tags if t == "link" and a.get("rel") == "stylesheet"]
    assert styles == ["/static/vendor/app.css"]
    config = next(a for t, a in tags.tags if t == "meta" and a.get("name") == "htmx-config")
    assert json.loads(config["content"] or "")["allowEval"] is False


def test_base_has_the_govuk_page_parts() -> None:
    html, tags = page()
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert "Capital Ambition" in html and "Ambition" in html
    links = [a.get("href") for t, a in tags.tags if t == "a"]
    for href in ["/", "/authorities/", "/indicators/", "/api/docs"]:
        assert href in links
    # A resident is not shown links to what they may not use.
    assert not {"/import/", "/audit/", "/admin/"} & set(links)
    assert "/about/data/" in links
    assert "/account/login/?next=/" in links
    assert "Alpha" in html
    assert (
        "Data: see each source&#x27;s licence" in html or "Data: see each source's licence" in html
    )


def test_base_offers_sign_out_as_a_form() -> None:
    request = get()
    request.user = type(
        "U",
        (),
        {
            "is_authenticated": True,
            "is_staff": True,
            "get_username": lambda self: "ana",
            "has_perm": lambda self, perm: perm == "indicators.add_observation",
        },
    )()
    html, tags = page(request=request)
    form = next(a for t, a in tags.tags if t == "form")
    assert form["method"] == "post" and form["action"] == "/account/logout/"
    assert "Sign out" in html and "Sign in" not in html
    links = [a.get("href") for t, a in tags.tags if t == "a"]
    # The staff pages are on "Your work", which the work page lists by permission.
    assert "/work/" in links and "/import/" not in links and "/admin/" not in links
    offered = [href for _, href in work_links(request.user)]
    assert "/import/" in offered and "/admin/" in offered and "/audit/" not in offered


# Includes


def test_chart_include_points_at_its_spec() -> None:
    spec = charts.ranked_bar(
        [{"code": "A", "name": "A", "value": 1.0}], unit="%", polarity="higher"
    )
    html = render(
        '{% include "web/includes/chart.html" with spec=spec id="rank" title="Ranked" %}',
        spec=spec,
    )
    assert 'id="rank" data-chart="rank-spec"' in html
    found = re.search(r'<script id="rank-spec" type="application/json">(.*?)</script>', html, re.S)
    assert found and json.loads(found.group(1)) == spec
    assert "<figcaption" in html and "Ranked" in html
    assert "<noscript>" in html


def test_chart_include_without_spec_or_title() -> None:
    html = render('{% include "web/includes/chart.html" with spec=None id="m" title="" %}')
    assert "No data to chart." in html and "data-chart=" not in html
    assert "<figcaption" not in html and "app-chart--inline" in html


def test_downloads_keep_the_query_but_not_the_page() -> None:
    request = get("/authorities/", kind="LBO", page="2")
    html = render('{% include "web/includes/downloads.html" %}', request=request)
    assert 'href="?kind=LBO&amp;format=csv">Download CSV' in html
    assert 'href="?kind=LBO&amp;format=json">Download JSON' in html
    assert 'href="?kind=LBO&amp;format=xlsx">Download XLSX' in html
    assert 'href="?kind=LBO&amp;format=parquet">Download Parquet' in html


def test_downloads_name_the_table_on_a_page_of_several() -> None:
    html = render(
        '{% include "web/includes/downloads.html" with table="members" %}',
        request=get("/", year="2025"),
    )
    for fmt, label in (("csv", "CSV"), ("json", "JSON"), ("xlsx", "XLSX"), ("parquet", "Parquet")):
        assert f'href="?year=2025&amp;format={fmt}&amp;table=members">Download {label}' in html


def test_pagination_links_keep_the_query() -> None:
    page_obj = Paginator(list(range(200)), 10).get_page(5)
    html = render(
        '{% include "web/includes/pagination.html" %}',
        page_obj=page_obj,
        request=get("/authorities/", q="bar", page="5"),
    )
    assert 'href="?q=bar&amp;page=4" rel="prev"' in html
    assert 'href="?q=bar&amp;page=6" rel="next"' in html
    assert 'aria-current="page">5</a>' in html
    assert "govuk-pagination__item--ellipses" in html
    assert ">20</a>" in html


def test_pagination_hidden_for_one_page() -> None:
    page_obj = Paginator([1, 2], 10).get_page(1)
    html = render('{% include "web/includes/pagination.html" %}', page_obj=page_obj, request=get())
    assert "govuk-pagination" not in html
