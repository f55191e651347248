"""An award's page: public for its figures (awards are open data); its milestones'
evidence, tranches paid, variations and returns for the partnership; the impact on each
target indicator, as the engine found it, in words. The office's and the council's forms
post to award_steps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ambition.web.tables import Column, Table, respond

from .. import awards
from ..forms import EvidenceForm, PaymentForm, ReturnForm, ReviewForm, VariationForm
from ..impacts import award_impacts
from ..models import Award
from .impact_words import sentence

PARTNERSHIP = "fund.view_application"
MILESTONE_COLUMNS = [
    Column("id", "Milestone"),
    Column("title", "Title"),
    Column("due", "Due"),
    Column("amount", "Tranche (GBP)"),
    Column("evidence", "Evidence"),
    Column("paid_on", "Paid on"),
    Column("paid", "Paid (GBP)"),
    Column("illustrative", "Illustrative"),
]
IMPACT_COLUMNS = [
    Column("indicator", "Indicator"),
    Column("change", "Target change"),
    Column("status", "Status"),
    Column("treated_before", "Before"),
    Column("treated_after", "After"),
    Column("comparators", "Comparators"),
    Column("estimate", "Difference in differences (positive is better)"),
    Column("lower", "Lower"),
    Column("upper", "Upper"),
    Column("direction", "Direction"),
]


def url_of(award: Award) -> str:
    return reverse("fund-award", args=[award.pk])


def milestone_rows(award: Award) -> list[dict[str, Any]]:
    milestones = award.application.milestones.prefetch_related("evidence").select_related("payment")
    rows = []
    for m in milestones:
        payment = getattr(m, "payment", None)
        latest = next(iter(m.evidence.all()), None)
        rows.append(
            {
                "id": m.pk,
                "title": m.title,
                "due": m.due,
                "amount": m.amount,
                "evidence": latest.get_state_display() if latest else "None yet",
                "paid_on": payment.paid_on if payment else None,
                "paid": payment.amount if payment else None,
                "illustrative": m.illustrative or bool(payment and payment.illustrative),
                "all_evidence": list(m.evidence.all()),
            }
        )
    return rows


def impact_rows(award: Award) -> list[dict[str, Any]]:
    made_up = set(
        award.application.targets.filter(illustrative=True).values_list("indicator_id", flat=True)
    )
    return [
        {
            "illustrative": f.indicator.pk in made_up,
            "indicator": f.indicator.name,
            "code": f.indicator.code,
            "url": f.indicator.get_absolute_url(),
            "change": f.change,
            "words": sentence(f),
            **{k: getattr(f.impact, k) for k in ("status", "comparators", "direction")},
            **{
                k: getattr(f.impact, k)
                for k in ("treated_before", "treated_after", "estimate", "lower", "upper")
            },
        }
        for f in award_impacts(award)
    ]


def award_context(request: HttpRequest, award: Award, **bound: Any) -> dict[str, Any]:
    user = request.user
    forms = {
        "evidence_form": EvidenceForm(award=award),
        "review_form": ReviewForm(award=award),
        "payment_form": PaymentForm(award=award),
        "variation_form": VariationForm(initial={"amount": award.amount}),
        "return_form": ReturnForm(),
        **bound,
    }
    milestones, impacts = milestone_rows(award), impact_rows(award)
    paid, returned = awards.paid(award.pk), awards.returned(award.pk)
    return {
        "award": award,
        "application": award.application,
        "milestones": milestones,
        "impacts": impacts,
        "paid": paid,
        "returned": returned,
        "unpaid": award.amount - paid,
        "partnership": user.has_perm(PARTNERSHIP),
        "payments": award.payments.select_related("milestone"),
        "variations": award.variations.select_related("by"),
        "returns": award.returns.select_related("by"),
        "illustrative": award.application.illustrative
        or any(row["illustrative"] for row in (*milestones, *impacts)),
        "may_evidence": user.has_perm("fund.add_evidence", award),
        "may_review": user.has_perm("fund.change_award", award),
        "may_pay": user.has_perm("fund.add_payment", award),
        **forms,
        "form": next(iter(bound.values()), None),  # the one with errors, for the summary
    }


def award_page(request: HttpRequest, award: Award, **bound: Any) -> HttpResponse:
    return render(request, "fund/award_detail.html", award_context(request, award, **bound))


def found(pk: int) -> Award:
    related = ("application__lead", "application__service_area", "budget")
    return get_object_or_404(Award.objects.select_related(*related), pk=pk)


@require_safe
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    award = found(pk)
    if request.GET.get("table") == "impact":
        rows = impact_rows(award)
        build = lambda: Table(f"fund-award-{award.pk}-impact", IMPACT_COLUMNS, rows)  # noqa: E731
    else:
        rows = milestone_rows(award)
        build = lambda: Table(f"fund-award-{award.pk}-milestones", MILESTONE_COLUMNS, rows)  # noqa: E731
    if download := respond(request, build):
        return download
    return award_page(request, award)
