"""The fund's awards as 360Giving grant records (ambition export-grants).

Every award whose amount is known is published; an award whose amount no source gives
(Waltham Forest's package of August 2006) is left out, since the standard's amount awarded
cannot say "not published" and a zero would be false. The recipient is the lead council
(a joint bid's partners are named in the description); the funder is the partnership; the
amount disbursed is what was paid net of money returned."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Max

from ambition.registry.models import Partnership

from .budgeting import totals_by
from .giving.identifiers import (
    authority_organisation,
    authority_place,
    geo_code_types,
    grant_prefix,
    partnership_organisation,
    registered_identifiers,
)
from .giving.package import Publisher
from .giving.records import GrantRecord, Organisation, Programme
from .models import Award, Payment, Return


def grant_records() -> Iterator[GrantRecord]:
    prefix = grant_prefix()
    funder = funder_of(prefix)
    known, types = registered_identifiers(), geo_code_types()
    net = _net_paid()
    for award in _published():
        yield _record(award, funder, prefix, known, types, net.get(award.pk, Decimal(0)))


def _net_paid() -> dict[int, Decimal]:
    """Paid net of returns, by award: two grouped queries, not one per award."""
    paid = totals_by(Payment.objects.all(), "award_id")
    back = totals_by(Return.objects.all(), "award_id")
    return {
        award: paid.get(award, Decimal(0)) - back.get(award, Decimal(0)) for award in {*paid, *back}
    }


def _published() -> Iterator[Award]:
    awards = (
        Award.objects.filter(amount_published=True)
        .select_related("application__lead", "budget")
        .prefetch_related("application__partners__authority")
        .annotate(last_due=Max("application__milestones__due"))
        .order_by("decided_on", "id")
    )
    yield from awards


def _record(
    award: Award,
    funder: Organisation,
    prefix: str,
    known: dict[str, str],
    types: dict[str, str],
    disbursed: Decimal,
) -> GrantRecord:
    lead = award.application.lead
    end = award.last_due  # type: ignore[attr-defined]
    return GrantRecord(
        reference=str(award.pk),
        title=award.application.title,
        description=_description(award),
        amount_awarded=Decimal(award.amount),
        award_date=award.decided_on,
        recipient=authority_organisation(lead.code, lead.name, prefix, known),
        funder=funder,
        programme=Programme(award.budget.programme, award.budget.get_programme_display()),
        beneficiary=authority_place(lead.code, lead.name, types),
        planned_start=award.decided_on,
        planned_end=end if end is not None and end >= award.decided_on else None,
        amount_disbursed=disbursed,
        date_modified=award.updated_at,
    )


def _description(award: Award) -> str:
    partners = [p.authority.name for p in award.application.partners.all()]
    joint = f" A joint bid with {', '.join(partners)}." if partners else ""
    return f"{award.description or award.application.purpose}{joint}"


def funder_of(prefix: str) -> Organisation:
    """The partnership: the funder of every award."""
    partnership = Partnership.objects.current()
    return partnership_organisation(partnership.slug, partnership.name, prefix)


def publisher(prefix: str) -> Publisher:
    """The partnership publishes the file, as the funder of every award in it."""
    funder = funder_of(prefix)
    return Publisher(name=funder.name, identifier=funder.identifier)
