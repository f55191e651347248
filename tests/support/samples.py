"""Sample peer reviews, secondments and claims for the permission matrix: all Lambeth's
(the matrix's sample officer is Lambeth's), made only for the patterns that name them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ambition.fund.models import Budget, Programme, Source
from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority
from ambition.support import lending, money, review_lifecycle

LAMBETH, SOUTHWARK = "E09000022", "E09000028"
KEYS = ("review", "secondment", "budget", "claim")


def review_samples(path: str) -> dict[str, int]:
    if not any(f"{{{k}}}" in path for k in KEYS):
        return {}
    lambeth, southwark = (Authority.objects.get(code=c) for c in (LAMBETH, SOUTHWARK))
    review = review_lifecycle.request_review(
        lambeth,
        ServiceArea.objects.get(code="adult-social-care"),
        "permission matrix",
        10,
        (datetime.date(2026, 5, 1), datetime.date(2026, 9, 30)),
    )
    review.report_text = "permission matrix report"
    review.save()
    terms = lending.Terms(
        "Matrix secondee",
        lambeth,
        southwark,
        "Analyst",
        datetime.date(2026, 5, 1),
        datetime.date(2026, 6, 30),
        Decimal(10),
    )
    lent = lending.record_secondment(terms)
    line = Budget.objects.create(
        name="Matrix back-fill",
        year=2026,
        amount=Decimal(1000),
        programme=Programme.BACKFILL,
        source=Source.SUBSCRIPTION,
    )
    claim = money.claim(lambeth, line, Decimal(10), "permission matrix")
    return {"review": review.pk, "secondment": lent.pk, "budget": line.pk, "claim": claim.pk}
