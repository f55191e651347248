"""Local area agreements: the list one may see, an agreement's page (its partners, each
target's progress and expected reward, the reward rule, a chart per target) and the forms
to make one and add its targets and partners: an officer for their own council, the office
for any. Every table downloads as CSV, JSON and XLSX."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from ambition.indicators.periods import year_label
from ambition.web.charts import display_value
from ambition.web.tables import Column, Table, respond

from .. import agreement_charts, agreements
from ..agreements import AgreementProgress, TargetProgress
from ..forms import AgreementForm, PartnerForm, TargetForm
from ..laa import ACHIEVED, AT_RISK, MISSED, ON_TRACK
from ..models import ADD_LAA, VIEW_LAA, AgreementPartner, AgreementTarget, LocalAreaAgreement

AGREEMENT_COLUMNS = [
    Column("id", "Agreement"),
    Column("code", "ONS code"),
    Column("authority", "Authority"),
    Column("start_year", "First year"),
    Column("end_year", "Last year"),
    Column("title", "Title"),
    Column("signed_on", "Signed on"),
    Column("reward_rule", "Reward rule"),
    Column("targets", "Targets"),
    Column("reward_max", "Reward at stretch (GBP)"),
    Column("expected_reward", "Expected reward (GBP)"),
    Column("illustrative", "Illustrative"),
]
TARGET_COLUMNS = [
    Column("id", "Target"),
    Column("indicator", "Indicator code"),
    Column("indicator_name", "Indicator"),
    Column("baseline", "Baseline"),
    Column("baseline_period", "Baseline period"),
    Column("stretch", "Stretch target"),
    Column("target_year", "Target year"),
    Column("latest_value", "Latest value by the target year"),
    Column("latest_period", "Its period"),
    Column("status", "Status"),
    Column("forecast", "Forecast for the target year"),
    Column("lower", "Forecast interval, lower"),
    Column("upper", "Forecast interval, upper"),
    Column("level", "Interval level"),
    Column("p_miss", "Chance of missing"),
    Column("share", "Share of the stretch achieved"),
    Column("reward_max", "Reward at stretch (GBP)"),
    Column("expected_reward", "Expected reward (GBP)"),
]
PARTNER_COLUMNS = [Column("kind", "Kind"), Column("name", "Partner")]
SERIES_COLUMNS = [
    Column("indicator", "Indicator code"),
    Column("period", "Period"),
    Column("value", "Value"),
]
STATUS_TAGS = {
    ACHIEVED: "govuk-tag--green",
    ON_TRACK: "govuk-tag--turquoise",
    AT_RISK: "govuk-tag--orange",
    MISSED: "govuk-tag--red",
}


def agreement_row(p: AgreementProgress) -> dict[str, Any]:
    a = p.agreement
    return {
        "id": a.pk,
        "url": a.get_absolute_url(),
        "code": a.authority.code,
        "authority": a.authority.name,
        "start_year": a.start_year,
        "end_year": a.end_year,
        "period": a.period_label,
        "title": a.title,
        "signed_on": a.signed_on,
        "reward_rule": a.reward_rule,
        "rule_name": p.rule.name,
        "targets": len(p.targets),
        "reward_max": p.reward_max,
        "expected_reward": p.expected_reward,
        "illustrative": a.illustrative,
    }


def trimmed(value: Decimal) -> Decimal:
    """A stored value without the zeros its six decimal places pad it with: 25, not
    25.000000 (and 100, not 1E+2)."""
    plain = value.normalize()
    return plain if plain.as_tuple().exponent <= 0 else plain.quantize(Decimal(1))  # type: ignore[operator]


def shown(row: TargetProgress, value: object) -> str:
    indicator = row.target.indicator
    return display_value(value, indicator.unit, indicator.decimal_places)


def evidence(row: TargetProgress) -> str:
    """The target's status in words, with what decided it."""
    target, year = row.target, year_label(row.target.target_year)
    latest = f"{shown(row, row.latest_value)} ({row.latest_period})"
    stretch = shown(row, target.stretch)
    if row.status == ACHIEVED:
        return f"Achieved: {latest} meets the stretch target of {stretch}."
    if row.status == MISSED:
        return f"Missed: {latest}, the last value by the end of {year}, falls short of {stretch}."
    if row.status in (ON_TRACK, AT_RISK):
        return forecast_words(row)
    if row.latest_value is None:
        return f"Not enough data: no stored value by the end of {year}."
    return f"Not enough data: {latest} is the latest value, too few to forecast {year}."


def forecast_words(row: TargetProgress) -> str:
    year = year_label(row.target.target_year)
    words = "on track" if row.status == ON_TRACK else "at risk"
    interval = (
        f" ({row.level:.0%} interval {shown(row, row.lower)} to {shown(row, row.upper)})"
        if row.lower is not None and row.upper is not None
        else ""
    )
    chance = f"; the chance of missing is {row.p_miss:.0%}" if row.p_miss is not None else ""
    return (
        f"{words.capitalize()}: the {row.method} forecast for the end of {year} is "
        f"{shown(row, row.forecast)}{interval} against a stretch target of "
        f"{shown(row, row.target.stretch)}{chance}."
    )


def target_row(row: TargetProgress) -> dict[str, Any]:
    t = row.target
    return {
        "id": t.pk,
        "indicator": t.indicator.code,
        "indicator_name": t.indicator.name,
        "indicator_url": t.indicator.get_absolute_url(),
        "baseline": trimmed(t.baseline),
        "baseline_shown": shown(row, t.baseline),
        "baseline_period": t.baseline_period,
        "stretch": trimmed(t.stretch),
        "stretch_shown": shown(row, t.stretch),
        "target_year": t.target_year,
        "target_year_label": year_label(t.target_year),
        "latest_value": row.latest_value,
        "latest_shown": None if row.latest_value is None else shown(row, row.latest_value),
        "latest_period": row.latest_period,
        "status": row.status,
        "status_tag": STATUS_TAGS.get(row.status, "govuk-tag--grey"),
        "evidence": evidence(row),
        "forecast": row.forecast,
        "lower": row.lower,
        "upper": row.upper,
        "level": row.level,
        "p_miss": row.p_miss,
        "share": row.share,
        "reward_max": t.reward_max,
        "expected_reward": row.expected_reward,
    }


def series_rows(p: AgreementProgress) -> list[dict[str, Any]]:
    return [
        {"indicator": row.target.indicator.code, "period": point.period, "value": point.value}
        for row in p.targets
        for point in row.series
    ]


@login_required
@require_safe
def laa_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_LAA):
        raise PermissionDenied
    visible = LocalAreaAgreement.objects.visible_to(request.user)
    authority = request.GET.get("authority", "").strip().upper()
    if authority:
        visible = visible.filter(authority__code=authority)
    rows = [agreement_row(p) for p in agreements.judge(agreements.with_targets(visible))]
    if download := respond(
        request, lambda: Table("local-area-agreements", AGREEMENT_COLUMNS, rows)
    ):
        return download
    context = {
        "rows": rows,
        "illustrative": any(r["illustrative"] for r in rows),
        "may_add": request.user.has_perm(ADD_LAA),
        "authority": authority,
    }
    return render(request, "efficiency/laa_list.html", context)


@login_required
@permission_required(ADD_LAA, raise_exception=True)
def laa_new(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not request.user.has_perm(ADD_LAA, form.cleaned_data["authority"]):
            raise PermissionDenied
        form.instance.created_by = request.user
        made = form.save()
        messages.success(request, "Agreement made: now add its partners and targets.")
        return redirect(made.get_absolute_url())
    return render(request, "efficiency/laa_new.html", {"form": form})


def visible_agreement(request: HttpRequest, pk: int, perm: str = VIEW_LAA) -> LocalAreaAgreement:
    found = get_object_or_404(LocalAreaAgreement.objects.select_related("authority"), pk=pk)
    if not request.user.has_perm(perm, found):
        raise PermissionDenied
    return found


def detail_tables(p: AgreementProgress) -> dict[str, Table]:
    name = f"local-area-agreement-{p.agreement.pk}"
    partners = [
        {"kind": partner.get_kind_display(), "name": partner.name}
        for partner in p.agreement.partners.all()
    ]
    return {
        "targets": Table(name, TARGET_COLUMNS, [target_row(r) for r in p.targets]),
        "partners": Table(f"{name}-partners", PARTNER_COLUMNS, partners),
        "series": Table(f"{name}-values", SERIES_COLUMNS, series_rows(p)),
    }


def target_charts(p: AgreementProgress) -> list[dict[str, Any]]:
    return [
        {
            "id": f"laa-target-{r.target.pk}",
            "title": r.target.indicator.name,
            "spec": agreement_charts.target_chart(r, r.target.indicator.name),
        }
        for r in p.targets
    ]


def render_detail(
    request: HttpRequest,
    agreement: LocalAreaAgreement,
    forms: dict[str, ModelForm[Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    one = LocalAreaAgreement.objects.filter(pk=agreement.pk)
    judged = agreements.judge(agreements.with_targets(one))[0]
    tables = detail_tables(judged)
    wanted = tables.get(request.GET.get("table", ""), tables["targets"])
    if download := respond(request, lambda: wanted):
        return download
    may_add = request.user.has_perm(ADD_LAA, agreement)
    context = {
        "agreement": judged.agreement,
        "progress": judged,
        "rule": judged.rule,
        "tables": {key: list(t.rows) for key, t in tables.items()},
        "charts": target_charts(judged),
        "may_add": may_add,
        **(forms or {}),
        "form": next(iter((forms or {}).values()), None),  # the one with errors, for the summary
    }
    if may_add:
        context.setdefault("target_form", TargetForm(prefix="target"))
        context.setdefault("partner_form", PartnerForm(prefix="partner"))
    return render(request, "efficiency/laa_detail.html", context, status=status)


@login_required
@require_safe
def laa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, visible_agreement(request, pk))


@login_required
@require_POST
def laa_add_target(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = visible_agreement(request, pk, ADD_LAA)
    form = TargetForm(request.POST, prefix="target", instance=AgreementTarget(agreement=agreement))
    if not form.is_valid():
        return render_detail(request, agreement, {"target_form": form}, status=400)
    form.save()
    messages.success(request, f"Target added: {form.instance.indicator}.")
    return redirect(agreement.get_absolute_url())


@login_required
@require_POST
def laa_add_partner(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = visible_agreement(request, pk, ADD_LAA)
    form = PartnerForm(
        request.POST, prefix="partner", instance=AgreementPartner(agreement=agreement)
    )
    if not form.is_valid():
        return render_detail(request, agreement, {"partner_form": form}, status=400)
    form.save()
    messages.success(request, f"Partner added: {form.instance.name}.")
    return redirect(agreement.get_absolute_url())
