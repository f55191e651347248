"""Indicator benchmarking: where each member stands on one indicator in an assessment run
(value, rank, percentile, quartile, robust z), ranked; and for a rate or a percentage a
funnel plot of value against the size of the population it is measured on, with control
limits around the members' average.

Our observations carry no denominators, so the sizes are profile figures: the population
for a rate per head of it, the population aged 0-15 for rates per child, households for
rates per dwelling, and for a percentage the population it most likely counts (children for
the children's and education service areas), standing in for a denominator assumed to be in
proportion to it. The page says which figure was used and that it is an approximation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ambition.indicators.models import Indicator
from ambition.registry.models import Authority, ProfileFigure
from ambition.web import charts
from ambition.web.charts import PERCENT_UNITS
from ambition.web.parameters import object_id
from ambition.web.tables import Column, Table, respond

from ..engine.funnel import Funnel, Kind, funnel
from ..engine.run import current_periods
from ..frames import observation_frame
from ..making import member_codes
from ..methodology import DEFAULT_METHOD, used_polarity
from ..models import AssessmentRun, RunIndicator

POPULATION, CHILD_SHARE, HOUSEHOLDS = (
    "population-2020",
    "proportion-of-population-aged-0-15",
    "gla-household-estimate",
)
CHILD_AREAS = frozenset({"childrens-services", "education"})
PER = re.compile(r"^per ([\d,]+) (.+)$")
SIZE_OF = {
    "population": "population",
    "children": "children",
    "aged 0-14": "children",
    "dwellings": "households",
    "stock": "households",
}
LIMIT_CHOICES = {"chance": "Chance alone", "spread": "The usual spread between authorities"}
VALUE_COLUMNS = [
    Column("rank", "Rank"),
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("period", "Period"),
    Column("value", "Value"),
    Column("n", "Compared"),
    Column("percentile", "Percentile"),
    Column("quartile", "Quartile"),
    Column("robust_z", "Robust z"),
    Column("size", "Size"),
    Column("lower998", "Lower 99.8% limit"),
    Column("lower95", "Lower 95% limit"),
    Column("upper95", "Upper 95% limit"),
    Column("upper998", "Upper 99.8% limit"),
    Column("flag", "Against the limits"),
    Column("reading", "Outside the limits: better or worse"),
]
LIMIT_COLUMNS = [
    Column("size", "Size"),
    Column("lower998", "Lower 99.8% limit"),
    Column("lower95", "Lower 95% limit"),
    Column("upper95", "Upper 95% limit"),
    Column("upper998", "Upper 99.8% limit"),
]


@dataclass(frozen=True)
class Basis:
    """How an indicator's funnel is drawn (`kind`, `per`, which `size`), or `why` not."""

    kind: Kind | None
    per: float = 0.0
    size: str = ""
    of: str = ""
    why: str = ""


def basis_for(indicator: Indicator) -> Basis:
    unit = indicator.unit.strip().lower()
    if unit in PERCENT_UNITS:
        size = "children" if indicator.service_area.code in CHILD_AREAS else "population"
        return Basis("proportion", 100.0, size, "the people it is a percentage of")
    match = PER.match(unit)
    if match is None:
        return Basis(
            None,
            why=f"its unit ({indicator.unit or 'none'}) is neither a rate per head of a "
            "population nor a percentage, so there is no size to set limits by.",
        )
    per, of = float(match[1].replace(",", "")), match[2]
    if of not in SIZE_OF:
        return Basis(
            None,
            why=f"it is a rate per {match[1]} {of}, and the data hold no count of the "
            f"population {of} for each authority to measure it on.",
        )
    return Basis("rate", per, SIZE_OF[of], f"{match[1]} {of}")


@dataclass
class Size:
    """Each authority's size, and exactly which figures it was made from."""

    label: str
    values: dict[str, float] = field(default_factory=dict)
    made_from: str = ""


def figures(key: str, codes: list[str]) -> tuple[dict[str, float], ProfileFigure | None]:
    qs = ProfileFigure.objects.filter(key=key, authority__code__in=codes, value__isnull=False)
    rows = list(qs.select_related("authority"))
    return {f.authority.code: float(f.value or 0) for f in rows}, rows[0] if rows else None


def described(figure: ProfileFigure | None) -> str:
    if figure is None:
        return "no figures"
    return f"{figure.label.lower()} ({figure.period}, {figure.source})"


def size_for(kind: str, codes: list[str]) -> Size:
    population, about = figures(POPULATION, codes)
    if kind == "population":
        return Size("Population", population, f"each member's {described(about)}")
    if kind == "households":
        households, about = figures(HOUSEHOLDS, codes)
        made = f"each member's {described(about)}, standing in for its dwellings"
        return Size("Households", households, made)
    share, share_about = figures(CHILD_SHARE, codes)
    children = {c: population[c] * share[c] / 100 for c in population.keys() & share.keys()}
    made = (
        f"each member's children aged 0-15, estimated as its {described(about)} times its "
        f"{described(share_about)}"
    )
    return Size("Children aged 0-15", children, made)


def chosen_run(request: HttpRequest) -> AssessmentRun | None:
    """The run `?run=` names, else the one the dashboard and scorecards show by default."""
    runs = AssessmentRun.objects.defer("method_text")
    wanted = request.GET.get("run", "")
    if not wanted:
        return runs.shown(DEFAULT_METHOD)
    return get_object_or_404(runs, pk=object_id(wanted) or 0)


def run_rows(run: AssessmentRun, indicator: Indicator, members: list[str]) -> list[dict[str, Any]]:
    qs = RunIndicator.objects.filter(run=run, indicator=indicator, authority__code__in=members)
    fields = ("period", "value", "n", "rank", "percentile", "quartile", "robust_z")
    return [
        {"code": r.authority.code, "name": r.authority.name, **{f: getattr(r, f) for f in fields}}
        for r in qs.select_related("authority")
        if r.value is not None
    ]


def unranked_rows(
    run: AssessmentRun, indicator: Indicator, members: list[str]
) -> list[dict[str, Any]]:
    """The members' values in the indicator's current period as of the run, for an indicator
    the run does not rank (no polarity from its source or its method)."""
    obs = observation_frame([indicator.code], members, until=run.as_of)
    current = current_periods(obs)
    if current.is_empty():
        return []
    now = obs.join(current.select("indicator", "period"), on=["indicator", "period"])
    names = dict(Authority.objects.filter(code__in=members).values_list("code", "name"))
    return [
        {"code": r["authority"], "name": names[r["authority"]], "period": r["period"]}
        | {"value": r["value"]}
        for r in now.filter(pl.col("value").is_not_null()).iter_rows(named=True)
    ]


def ordered(rows: list[dict[str, Any]], polarity: str) -> list[dict[str, Any]]:
    sign = 1 if polarity == "lower" else -1
    return sorted(
        rows,
        key=lambda r: (r.get("rank") is None, r.get("rank") or sign * r["value"], r["name"]),
    )


def reading(flag: str | None, polarity: str) -> str:
    """Whether a point outside the limits is better or worse, by the indicator's polarity."""
    if not flag or flag == "within" or not polarity:
        return ""
    high = flag.startswith("above")
    return "better" if high == (polarity == "higher") else "worse"


@dataclass
class FunnelView:
    basis: Basis
    size: Size | None = None
    funnel: Funnel | None = None
    widened: bool = False
    unsized: list[str] = field(default_factory=list)
    curve: list[dict[str, Any]] = field(default_factory=list)


def funnel_view(
    indicator: Indicator, rows: list[dict[str, Any]], members: list[str], widen: bool, polarity: str
) -> FunnelView:
    """The funnel for the rows, adding each row's size, limits and flag to it."""
    basis = basis_for(indicator)
    if basis.kind is None:
        return FunnelView(basis)
    size = size_for(basis.size, members)
    widened = basis.kind == "proportion" or widen
    points = pl.DataFrame(
        [
            {"authority": r["code"], "value": r["value"], "size": size.values.get(r["code"])}
            for r in rows
        ],
        schema={"authority": pl.String, "value": pl.Float64, "size": pl.Float64},
    )
    made = funnel(points, basis.kind, basis.per, overdispersed=widened)
    limits = made.limits(made.points["size"]).drop("size")
    at = pl.concat([made.points.select("authority", "size", "flag"), limits], how="horizontal")
    placed = {p.pop("authority"): p for p in at.iter_rows(named=True)}
    for r in rows:
        r.update(placed.get(r["code"], {}))
        r["reading"] = reading(r.get("flag"), polarity)
    unsized = [r["name"] for r in rows if r["code"] not in placed]
    curve = list(made.curve().iter_rows(named=True))
    return FunnelView(basis, size, made, widened, unsized, curve)


def chart_specs(
    indicator: Indicator, rows: list[dict[str, Any]], view: FunnelView, polarity: str
) -> dict[str, Any]:
    unit, places = indicator.unit, indicator.decimal_places
    # A long unit (per 10,000 aged 0-14) written on every bar would overrun the chart.
    short = unit if unit.strip().lower() in PERCENT_UNITS or unit.startswith("£") else ""
    specs: dict[str, Any] = {
        "ranked_spec": charts.ranked_bar(
            rows, unit=short, polarity=polarity, title="Ranked", decimals=places
        )
    }
    if view.funnel is not None and view.size is not None:
        specs["funnel_spec"] = charts.funnel_plot(
            [r for r in rows if r.get("size")],
            view.curve,
            centre=view.funnel.centre,
            unit=unit,
            size_label=view.size.label,
            title="Funnel plot",
            decimals=places,
        )
    return specs


def download(
    request: HttpRequest,
    indicator: Indicator,
    run: AssessmentRun | None,
    rows: list[dict[str, Any]],
    view: FunnelView,
) -> Table:
    """The table `?table=` names: values (the default), or the funnel's limits."""
    wanted = request.GET.get("table", "values")
    meta: dict[str, Any] = {"indicator": indicator.code, "run": run.pk if run else None}
    if wanted == "values":
        return Table(f"{indicator.code}-benchmark", VALUE_COLUMNS, rows, meta=meta)
    if wanted == "limits" and view.funnel is not None and view.size is not None:
        meta |= {"centre": view.funnel.centre, "phi": view.funnel.phi, "size": view.size.label}
        return Table(f"{indicator.code}-funnel-limits", LIMIT_COLUMNS, view.curve, meta=meta)
    raise Http404("No such table: values, or limits for an indicator with a funnel plot")


def ranked_title(indicator: Indicator, ranked: bool) -> str:
    order = "Ranked, best first" if ranked else "Ordered by value, highest first"
    return f"{order} ({indicator.unit})" if indicator.unit else order


@require_safe
def indicator_benchmark(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("service_area"), code=code)
    run, members = chosen_run(request), member_codes()
    rows = run_rows(run, indicator, members) if run else []
    ranked = bool(rows)
    if run and not rows:
        rows = unranked_rows(run, indicator, members)
    # The polarity the run used: the source's, or the one its method stated.
    polarity = used_polarity(run.method_text, code, indicator.polarity) if run else ""
    rows = ordered(rows, polarity)
    widen = request.GET.get("limits") == "spread"
    view = (
        funnel_view(indicator, rows, members, widen, polarity)
        if rows
        else FunnelView(basis_for(indicator))
    )
    if found := respond(request, lambda: download(request, indicator, run, rows, view)):
        return found
    context = {
        "indicator": indicator,
        "run": run,
        "runs": AssessmentRun.objects.defer("method_text").newest_first()[:30],
        "rows": rows,
        "ranked": ranked,
        "period": rows[0]["period"] if rows else None,
        "compared": rows[0].get("n") if rows else None,
        "view": view,
        "limit_choices": LIMIT_CHOICES,
        "limits": "spread" if widen else "chance",
        "ranked_title": ranked_title(indicator, ranked),
        "polarity": polarity,
        **(chart_specs(indicator, rows, view, polarity) if rows else {}),
    }
    return render(request, "assessment/benchmarking.html", context)
