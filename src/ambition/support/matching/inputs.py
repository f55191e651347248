"""What the broker is given, read from the database: the open requests of the partnership's
members, their offers for this year less what accepted matches already use, what is known
about every candidate pair, and the pairs never to propose (declined, or a supporter weak
in the area). Members are those of the round's day: a council that has left neither asks
nor supports in a round after it left."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from django.conf import settings

from ambition.assessment.groups import computed
from ambition.assessment.models import AssessmentRun, RunArea
from ambition.assessment.profiles import load_method
from ambition.indicators.periods import financial_year, financial_year_dates
from ambition.registry.models import Authority, BoundaryNeighbour, PoliticalControl

from ..engine import broker
from ..engine.suitability import Pair, suitability
from ..experience import experiences
from ..models import Match, SupportKind, SupportOffer, SupportRequest

# How many supporters may share one request: a review team comes from several authorities;
# a secondee or a mentor is one person from one place.
MAX_SUPPORTERS = {
    SupportKind.PEER_REVIEW: 4,
    SupportKind.MENTORING: 1,
    SupportKind.SECONDMENT: 1,
    SupportKind.MEMBER_DEVELOPMENT: 2,
    SupportKind.SPECIALIST_ADVICE: 2,
}


def year_window(year: int) -> broker.Window:
    return broker.Window(*financial_year_dates(year))


@dataclass(frozen=True)
class Inputs:
    """The database's side of one broker run: rows by id, and the engine's problem."""

    requests: dict[int, SupportRequest]
    authorities: dict[str, Authority]  # by code
    pairs: dict[broker.Pair, Pair]  # (request id, supporter code) -> what is known
    problem: broker.Problem
    year: int


def open_requests(on: datetime.date | None = None) -> list[SupportRequest]:
    """The open requests of the members on the day (today unless given)."""
    members = Authority.objects.members(on=on)
    rows = SupportRequest.objects.filter(status=SupportRequest.Status.OPEN, authority__in=members)
    rows = rows.select_related("authority", "service_area").prefetch_related("avoid")
    return list(rows.order_by("id"))


def gather(weights: dict[str, float], today: datetime.date, max_share: float) -> Inputs:
    """Everything the broker needs for the open requests, as of `today`."""
    year = financial_year(today)
    requests = {r.pk: r for r in open_requests(today)}
    accepted = list(Match.objects.accepted().filter(request_id__in=requests))
    offers = list(_offers(year, requests.values(), today))
    used = _used_elsewhere(year, requests)
    engine_offers = tuple(filter(None, (_engine_offer(o, used, year) for o in offers)))
    authorities = {a.code: a for a in Authority.objects.filter(support_offers__year=year)}
    authorities.update({r.authority.code: r.authority for r in requests.values()})
    pairs = _known_pairs(requests.values(), offers)
    problem = broker.Problem(
        requests=tuple(_engine_request(r) for r in requests.values()),
        offers=engine_offers,
        suitability={key: suitability(pair, weights).score for key, pair in pairs.items()},
        max_share=max_share,
        declined=_declined(),
        weak=_weak(),
        accepted=tuple(
            broker.Accepted(str(m.request_id), m.supporter.code, m.days)
            for m in sorted(accepted, key=lambda m: m.pk)
        ),
    )
    return Inputs(requests, authorities, pairs, problem, year)


def _offers(
    year: int, requests: Iterable[SupportRequest], today: datetime.date
) -> Iterable[SupportOffer]:
    wanted = {(r.service_area_id, r.kind) for r in requests}
    rows = SupportOffer.objects.filter(year=year, authority__in=Authority.objects.members(on=today))
    rows = rows.select_related("authority", "service_area")
    return (o for o in rows.order_by("id") if (o.service_area_id, o.kind) in wanted)


def _used_elsewhere(
    year: int, open_ids: dict[int, SupportRequest]
) -> Counter[tuple[int, int, str]]:
    """Days already promised by accepted matches of requests no longer open, this year,
    per (supporter, service area, kind): they use the offer's capacity."""
    window = year_window(year)
    rows = (
        Match.objects.accepted()
        .exclude(request_id__in=open_ids)
        .filter(request__window_end__gte=window.start, request__window_start__lte=window.end)
        .values_list("supporter_id", "request__service_area_id", "request__kind", "days")
    )
    used: Counter[tuple[int, int, str]] = Counter()
    for supporter, area, kind, days in rows:
        used[supporter, area, kind] += days
    return used


def _engine_offer(
    offer: SupportOffer, used: Counter[tuple[int, int, str]], year: int
) -> broker.Offer | None:
    left = offer.staff_days - used[offer.authority_id, offer.service_area_id, offer.kind]
    if left <= 0:
        return None
    area = offer.service_area.code
    return broker.Offer(offer.authority.code, area, offer.kind, left, year_window(year))


def _engine_request(r: SupportRequest) -> broker.Request:
    return broker.Request(
        id=str(r.pk),
        authority=r.authority.code,
        service_area=r.service_area.code,
        kind=r.kind,
        days=r.staff_days,
        window=broker.Window(r.window_start, r.window_end),
        avoid=frozenset(a.code for a in r.avoid.all()),
        preferences=frozenset({r.preference}),
        max_supporters=MAX_SUPPORTERS.get(SupportKind(r.kind)),
    )


def _declined() -> frozenset[broker.Pair]:
    codes = dict(Authority.objects.values_list("id", "code"))
    return frozenset((str(r), codes[s]) for r, s in Match.objects.declined_pairs())


def _weak() -> frozenset[tuple[str, str]]:
    """(authority code, area code) weak in the latest run of the support methodology."""
    latest = AssessmentRun.objects.of(settings.SUPPORT_METHOD, "members").latest_run()
    if latest is None:
        return frozenset()
    rows = RunArea.objects.filter(run=latest)
    weak = rows.filter(weak=True) | rows.filter(score=1)
    return frozenset(weak.values_list("authority__code", "area__code"))


def _known_pairs(
    requests: Iterable[SupportRequest], offers: list[SupportOffer]
) -> dict[broker.Pair, Pair]:
    """What is known about every (request, supporter) the broker could consider."""
    requests = list(requests)
    supporters = {o.authority for o in offers}
    evidence = experiences(supporters, {r.service_area for r in requests})
    borders = set(BoundaryNeighbour.objects.values_list("authority_id", "neighbour_id"))
    control = _control()
    history = Match.objects.relationships()
    distances = _distances(requests, supporters)
    by_area_kind: dict[tuple[int, str], list[SupportOffer]] = defaultdict(list)
    for offer in offers:
        by_area_kind[offer.service_area_id, offer.kind].append(offer)
    pairs: dict[broker.Pair, Pair] = {}
    for r in requests:
        for offer in by_area_kind[r.service_area_id, r.kind]:
            s = offer.authority
            if s.pk == r.authority_id:
                continue
            found = evidence.get((s.pk, r.service_area_id))
            pairs[str(r.pk), s.code] = Pair(
                experience=found.strength if found else 0.0,
                distance=distances.get((r.pk, s.code)),
                neighbour=(r.authority_id, s.pk) in borders,
                same_control=_same(control, r.authority_id, s.pk),
                accepted_before=history[frozenset((r.authority_id, s.pk))],
                preference=r.preference,
            )
    return pairs


def _control() -> dict[int, str]:
    """Each authority's latest political control."""
    latest: dict[int, str] = {}
    for authority, control in PoliticalControl.objects.order_by("year").values_list(
        "authority_id", "control"
    ):
        latest[authority] = control
    return latest


def _same(control: dict[int, str], a: int, b: int) -> bool:
    return a in control and control.get(a) == control.get(b)


def _distances(
    requests: list[SupportRequest], supporters: set[Authority]
) -> dict[tuple[int, str], float]:
    """(request id, supporter code) -> the distance between the two authorities' profiles
    on the variable set the request's service area names (children's services its own),
    among the partnership's members of the requester's tier (so every member pair of a tier
    is compared); absent when not compared."""
    method = load_method()
    codes = [s.code for s in supporters]
    found: dict[tuple[int, str], float] = {}
    for r in requests:
        tier = method.tier_of(r.authority.kind)
        variable_set = method.set_for_area(r.service_area.code)
        if tier is None or not variable_set.applies_to(tier):
            continue
        frame = computed(method, variable_set, tier, "members")
        near = frame.filter(pl.col("focus") == r.authority.code, pl.col("peer").is_in(codes))
        for peer, distance in near.select("peer", "distance").iter_rows():
            found[r.pk, peer] = float(distance)
    return found
