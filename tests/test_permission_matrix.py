"""Every URL pattern and API route, for every role: which methods are allowed and which are
refused. A route missing from the matrix fails the test, so nothing is added unguarded."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ambition.accounts.people import RoleSpec, create_person
from ambition.accounts.tokens import issue_token
from ambition.assessment.jobs import record_job
from ambition.assessment.models import AssessmentRun
from ambition.indicators.models import ImportBatch, ImportJob, Observation, ServiceArea
from ambition.knowledge import sharing
from ambition.knowledge.models import Attachment
from ambition.registry.models import Authority
from ambition.reports.models import Meeting
from ambition.spend.models import SpendFile, SupplierCluster, SupplierMember, SupplierRun
from ambition.support.models import BrokerRun, Match, SupportOffer, SupportRequest
from tests.efficiency.factories import LocalAreaAgreementFactory, SavingsLineFactory
from tests.fund.grants import samples as fund_samples
from tests.indicators.test_leaks import PUBLIC, SECRET, secret_then_public
from tests.knowledge.factories import CaseStudyFactory, NetworkOutputFactory
from tests.support.samples import review_samples
from tests.support.test_leaks import CLAIMED, southwark_lends_to_camden

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "resident", "officer", "analyst", "board", "administrator")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
WRITERS = frozenset({"officer", "analyst", "administrator"})
OFFICE = frozenset({"analyst", "administrator"})
NOBODY: frozenset[str] = frozenset()
READ_ONLY = {"GET": EVERYONE, "POST": NOBODY}
PARTNERS = frozenset({"officer", "analyst", "board", "administrator"})
ASKERS = frozenset({"officer", "analyst", "administrator"})
# Review packs and meetings: the sample officer is Lambeth's, and reads Lambeth's pack and
# meetings, but not the whole partnership's pack; board members and the office write meetings.
PACK_READERS = frozenset({"officer", "analyst", "board", "administrator"})
BOARD_AND_OFFICE = frozenset({"analyst", "board", "administrator"})
# A grant is decided by the board (administrators hold every permission).
DECIDERS = frozenset({"board", "administrator"})

# pattern -> (sample path, {method: roles allowed}); a method not listed is refused to all.
MATRIX: dict[str, tuple[str, dict[str, frozenset[str]]]] = {
    "": ("/", READ_ONLY),
    "authorities/": ("/authorities/", READ_ONLY),
    "authorities/boundaries.topojson": ("/authorities/boundaries.topojson", READ_ONLY),
    "about/data/": ("/about/data/", READ_ONLY),
    "councils/<str:code>/": ("/councils/E09000022/", READ_ONLY),
    "data/": ("/data/", READ_ONLY),
    "reports/annual/": ("/reports/annual/", READ_ONLY),
    "reports/annual/<int:year>/": ("/reports/annual/2025/", READ_ONLY),
    "reports/annual/<int:year>/pdf/": ("/reports/annual/2001/pdf/", READ_ONLY),
    "authorities/<str:code>/": ("/authorities/E09000022/", READ_ONLY),
    "authorities/<str:code>/neighbours/": ("/authorities/E09000022/neighbours/", READ_ONLY),
    "indicators/": ("/indicators/", READ_ONLY),
    "indicators/<slug:code>/": ("/indicators/ons-employment-rate/", READ_ONLY),
    "search/": ("/search/?q=Lambeth+recycling", READ_ONLY),
    "knowledge/improved/": ("/knowledge/improved/?indicator=ons-employment-rate", READ_ONLY),
    "observations/<int:pk>/": ("/observations/{observation}/", READ_ONLY),
    # The sample is a Lambeth observation: only its officer, the office and
    # an administrator may correct it.
    "observations/<int:pk>/revise/": (
        "/observations/{observation}/revise/",
        {"GET": WRITERS, "POST": WRITERS},
    ),
    "import/": ("/import/", {"GET": WRITERS, "POST": WRITERS}),
    "import/<int:pk>/": ("/import/{batch}/", {"GET": WRITERS}),
    "import/jobs/<int:pk>/": ("/import/jobs/{job}/", {"GET": OFFICE}),  # another's job
    # Run again by whoever may see the job (its owner, the office); another's answers 404.
    "import/jobs/<int:pk>/again/": ("/import/jobs/{job}/again/", {"POST": OFFICE}),
    "api/openapi.json": ("/api/openapi.json", {"GET": EVERYONE}),
    "api/docs": ("/api/docs", {"GET": EVERYONE}),
    "api/v1/authorities": ("/api/v1/authorities", {"GET": EVERYONE}),
    "api/v1/authorities/<code>": ("/api/v1/authorities/E09000022", {"GET": EVERYONE}),
    "api/v1/authorities/<code>/nearest-neighbours": (
        "/api/v1/authorities/E09000022/nearest-neighbours",
        {"GET": EVERYONE},
    ),
    "api/v1/indicators": ("/api/v1/indicators", {"GET": EVERYONE}),
    "api/v1/indicators/<code>": ("/api/v1/indicators/recycling-rate", {"GET": EVERYONE}),
    "api/v1/observations": ("/api/v1/observations?indicator=recycling-rate", {"GET": EVERYONE}),
    "api/v1/observations/<id>": ("/api/v1/observations/{observation}", {"GET": EVERYONE}),
    "api/v1/observations/<id>/revisions": (
        "/api/v1/observations/{observation}/revisions",
        {"POST": WRITERS},
    ),
    "work/": ("/work/", {"GET": SIGNED_IN}),
    "account/login/": ("/account/login/", {"GET": EVERYONE, "POST": EVERYONE}),
    "account/logout/": ("/account/logout/", {"POST": EVERYONE}),
    "account/password_change/": (
        "/account/password_change/",
        {"GET": SIGNED_IN, "POST": SIGNED_IN},
    ),
    "account/password_change/done/": ("/account/password_change/done/", {"GET": SIGNED_IN}),
    "account/password_reset/": ("/account/password_reset/", {"GET": EVERYONE, "POST": EVERYONE}),
    "account/password_reset/done/": ("/account/password_reset/done/", {"GET": EVERYONE}),
    "account/reset/<uidb64>/<token>/": (
        "/account/reset/MQ/bad-token/",
        {"GET": EVERYONE, "POST": EVERYONE},
    ),
    "account/reset/done/": ("/account/reset/done/", {"GET": EVERYONE}),
    "favicon.ico": ("/favicon.ico", {"GET": EVERYONE}),
    "audit/": ("/audit/", {"GET": OFFICE}),
    "account/": ("/account/", {"GET": SIGNED_IN, "POST": SIGNED_IN}),
    "account/tokens/<int:pk>/revoke/": (
        "/account/tokens/{token}/revoke/",
        {"POST": frozenset({"analyst"})},  # its owner only
    ),
    "admin/": ("/admin/", {"GET": OFFICE, "POST": OFFICE}),
    # The assessment's public pages: residents may read every rating and why.
    "assessment/": ("/assessment/", READ_ONLY),
    "assessment/authorities/<str:code>/": ("/assessment/authorities/E09000022/", READ_ONLY),
    "assessment/methods/": ("/assessment/methods/", READ_ONLY),
    "assessment/methods/<slug:name>/": ("/assessment/methods/cpa-2005/", READ_ONLY),
    "assessment/runs/": ("/assessment/runs/", READ_ONLY),
    "assessment/runs/<int:pk>/": ("/assessment/runs/{run}/", READ_ONLY),
    "assessment/runs/<int:a>/compare/<int:b>/": (
        "/assessment/runs/{run}/compare/{run}/",
        READ_ONLY,
    ),
    # The performance office's own pages; a run's job is seen by any of the office.
    "assessment/runs/new/": ("/assessment/runs/new/", {"GET": OFFICE, "POST": OFFICE}),
    "assessment/runs/jobs/<str:job_id>/": ("/assessment/runs/jobs/{run_job}/", {"GET": OFFICE}),
    "assessment/judgements/": ("/assessment/judgements/", {"GET": OFFICE, "POST": OFFICE}),
    "assessment/indicators/<slug:code>/": (
        "/assessment/indicators/lait-care-leavers-eet/",
        READ_ONLY,
    ),
    # A what-if rating reads no council's data: anyone may try one, by page or API.
    "assessment/methods/<slug:name>/try/": (
        "/assessment/methods/cpa-2005/try/?judgement=corporate_assessment:2&score=level-1:2",
        READ_ONLY,
    ),
    "api/v1/methods/<name>/rate": ("/api/v1/methods/cpa-2005/rate", {"POST": EVERYONE}),
    # The early-warning backtest is the performance office's evidence for its method.
    "assessment/warnings/backtest/": ("/assessment/warnings/backtest/", {"GET": OFFICE}),
    "api/v1/assessment-runs": ("/api/v1/assessment-runs", {"GET": EVERYONE}),
    "api/v1/assessment-runs/<id>": ("/api/v1/assessment-runs/{run}", {"GET": EVERYONE}),
    "api/v1/assessment-runs/<id>/ratings": (
        "/api/v1/assessment-runs/{run}/ratings",
        {"GET": EVERYONE},
    ),
    # Peer support: the partnership's own business, read by its members' officers, the
    # board and the office; asked and offered for one's own authority (the samples are
    # Lambeth's); a proposal is decided by either party (Lambeth asks, Southwark helps).
    "support/": ("/support/", {"GET": PARTNERS}),
    "support/requests/new/": ("/support/requests/new/", {"GET": ASKERS, "POST": ASKERS}),
    "support/requests/<int:pk>/": ("/support/requests/{support_request}/", {"GET": PARTNERS}),
    "support/offers/new/": ("/support/offers/new/", {"GET": ASKERS, "POST": ASKERS}),
    "support/offers/<int:pk>/": (
        "/support/offers/{support_offer}/",
        {"GET": PARTNERS, "POST": ASKERS},
    ),
    "support/broker/": ("/support/broker/", {"GET": PARTNERS, "POST": OFFICE}),
    "support/broker/<int:pk>/": ("/support/broker/{broker_run}/", {"GET": PARTNERS}),
    "support/matches/<int:pk>/decide/": ("/support/matches/{match}/decide/", {"POST": ASKERS}),
    "api/v1/support/matches": ("/api/v1/support/matches", {"GET": PARTNERS}),
    "reports/review-pack/": ("/reports/review-pack/", {"GET": BOARD_AND_OFFICE}),
    "reports/review-pack/pdf/": ("/reports/review-pack/pdf/", {"GET": BOARD_AND_OFFICE}),
    "reports/review-pack/<str:code>/": ("/reports/review-pack/E09000022/", {"GET": PACK_READERS}),
    "reports/review-pack/<str:code>/pdf/": (
        "/reports/review-pack/E09000022/pdf/",
        {"GET": PACK_READERS},
    ),
    "reports/meetings/": ("/reports/meetings/", {"GET": PACK_READERS}),
    "reports/meetings/new/": (
        "/reports/meetings/new/",
        {"GET": BOARD_AND_OFFICE, "POST": BOARD_AND_OFFICE},
    ),
    "reports/meetings/<int:pk>/": ("/reports/meetings/{meeting}/", {"GET": PACK_READERS}),
    "reports/meetings/<int:pk>/edit/": (
        "/reports/meetings/{meeting}/edit/",
        {"GET": BOARD_AND_OFFICE, "POST": BOARD_AND_OFFICE},
    ),
    # Peer reviews, secondments and the ledger are read by anyone, without names (the
    # samples are Lambeth's, the sample officer's own); budgets and claims by the
    # partnership; the office moves stages, decides claims and records what was shared.
    "support/reviews/": ("/support/reviews/", {"GET": PARTNERS}),
    "support/reviews/new/": ("/support/reviews/new/", {"GET": WRITERS, "POST": WRITERS}),
    "support/reviews/<int:pk>/": ("/support/reviews/{review}/", {"GET": PARTNERS}),
    "support/reviews/<int:pk>/stage/": ("/support/reviews/{review}/stage/", {"POST": OFFICE}),
    "support/reviews/<int:pk>/details/": ("/support/reviews/{review}/details/", {"POST": OFFICE}),
    "support/reviews/<int:pk>/team/": ("/support/reviews/{review}/team/", {"POST": WRITERS}),
    "support/reviews/<int:pk>/actions/": (
        "/support/reviews/{review}/actions/",
        {"POST": WRITERS},
    ),
    "support/reviews/<int:pk>/documents/<slug:kind>/": (
        "/support/reviews/{review}/documents/report/",
        {"GET": frozenset({"officer", "analyst", "board", "administrator"})},
    ),
    "support/secondments/": ("/support/secondments/", {"GET": PARTNERS}),
    "support/secondments/new/": ("/support/secondments/new/", {"GET": WRITERS, "POST": WRITERS}),
    "support/secondments/<int:pk>/": ("/support/secondments/{secondment}/", {"GET": PARTNERS}),
    "support/secondments/<int:pk>/delivered/": (
        "/support/secondments/{secondment}/delivered/",
        {"POST": WRITERS},
    ),
    "fund/budgets/": (
        "/fund/budgets/",
        {"GET": frozenset({"officer", "analyst", "board", "administrator"}), "POST": OFFICE},
    ),
    "fund/budgets/<int:pk>/": (
        "/fund/budgets/{budget}/",
        {"GET": frozenset({"officer", "analyst", "board", "administrator"})},
    ),
    "support/claims/new/": ("/support/claims/new/", {"GET": WRITERS, "POST": WRITERS}),
    "support/claims/<int:pk>/": (
        "/support/claims/{claim}/",
        {"GET": frozenset({"officer", "analyst", "board", "administrator"})},
    ),
    "support/claims/<int:pk>/decide/": ("/support/claims/{claim}/decide/", {"POST": OFFICE}),
    "support/ledger/": ("/support/ledger/", {"GET": PARTNERS}),
    "support/ledger/record/": ("/support/ledger/record/", {"GET": OFFICE, "POST": OFFICE}),
    "support/ledger/<str:code>/": ("/support/ledger/E09000022/", {"GET": PARTNERS}),
    "api/v1/support/ledger": ("/api/v1/support/ledger?year=2025", {"GET": PARTNERS}),
    # The efficiency programme: the partnership reads; an officer returns savings for their
    # own council (the sample return is Lambeth's) and may withdraw it; the office imports
    # budgets and decides flags.
    "efficiency/": ("/efficiency/", {"GET": PARTNERS}),
    "efficiency/<str:code>/": ("/efficiency/E09000022/", {"GET": PARTNERS}),
    "efficiency/returns/new/": ("/efficiency/returns/new/", {"GET": WRITERS, "POST": WRITERS}),
    "efficiency/returns/<int:pk>/": ("/efficiency/returns/{savings_return}/", {"GET": PARTNERS}),
    "efficiency/returns/<int:pk>/decide/": (
        "/efficiency/returns/{savings_return}/decide/",
        {"POST": WRITERS},
    ),
    "efficiency/flags/": ("/efficiency/flags/", {"GET": OFFICE, "POST": OFFICE}),
    # Local area agreements: the sample is Lambeth's; its officer, the office and the board
    # read it, and the council's officer or the office write.
    "efficiency/laa/": ("/efficiency/laa/", {"GET": PARTNERS}),
    "efficiency/laa/new/": ("/efficiency/laa/new/", {"GET": WRITERS, "POST": WRITERS}),
    "efficiency/laa/<int:pk>/": ("/efficiency/laa/{agreement}/", {"GET": PARTNERS}),
    "efficiency/laa/<int:pk>/targets/": (
        "/efficiency/laa/{agreement}/targets/",
        {"POST": WRITERS},
    ),
    "efficiency/laa/<int:pk>/partners/": (
        "/efficiency/laa/{agreement}/partners/",
        {"POST": WRITERS},
    ),
    "api/v1/efficiency/laa": ("/api/v1/efficiency/laa", {"GET": PARTNERS, "POST": WRITERS}),
    "api/v1/efficiency/laa/<agreement_id>": (
        "/api/v1/efficiency/laa/{agreement}",
        {"GET": PARTNERS},
    ),
    "efficiency/budgets/import/": (
        "/efficiency/budgets/import/",
        {"GET": OFFICE, "POST": OFFICE},
    ),
    "api/v1/efficiency/progress": ("/api/v1/efficiency/progress", {"GET": PARTNERS}),
    "api/v1/efficiency/returns": (
        "/api/v1/efficiency/returns",
        {"GET": PARTNERS, "POST": WRITERS},
    ),
    # The fund: awards are open data, read by anyone; applications are the partnership's
    # business; an officer applies and evidences for their own council (the samples are a
    # Lambeth bid with Southwark and an award to Lambeth); the office appraises, confirms for
    # a partner, pays, varies, takes returns and reconciles; the board decides.
    "fund/": ("/fund/", READ_ONLY),
    "fund/grants/": ("/fund/grants/?format=csv", READ_ONLY),
    "fund/applications/": ("/fund/applications/", {"GET": PARTNERS}),
    "fund/applications/new/": ("/fund/applications/new/", {"GET": WRITERS, "POST": WRITERS}),
    "fund/applications/<int:pk>/": ("/fund/applications/{application}/", {"GET": PARTNERS}),
    **{
        f"fund/applications/<int:pk>/{step}/": (
            f"/fund/applications/{{application}}/{step}/",
            {"POST": allowed},
        )
        for step, allowed in (
            ("targets", WRITERS),
            ("milestones", WRITERS),
            ("submit", WRITERS),
            ("withdraw", WRITERS),
            ("appraise", OFFICE),
            ("decide", DECIDERS),
        )
    },
    "fund/applications/<int:pk>/partners/<int:partner>/confirm/": (
        "/fund/applications/{application}/partners/{partner}/confirm/",
        {"POST": OFFICE},
    ),
    "fund/awards/<int:pk>/": ("/fund/awards/{award}/", READ_ONLY),
    "fund/awards/<int:pk>/evidence/": ("/fund/awards/{award}/evidence/", {"POST": WRITERS}),
    **{
        f"fund/awards/<int:pk>/{step}/": (f"/fund/awards/{{award}}/{step}/", {"POST": OFFICE})
        for step in ("review", "pay", "vary", "return")
    },
    "fund/reconcile/": ("/fund/reconcile/", {"GET": OFFICE}),
    "api/v1/fund/budgets": ("/api/v1/fund/budgets", {"GET": PARTNERS}),
    "api/v1/fund/applications": (
        "/api/v1/fund/applications",
        {"GET": PARTNERS, "POST": WRITERS},
    ),
    "api/v1/fund/awards": ("/api/v1/fund/awards", {"GET": EVERYONE}),
    "api/v1/fund/awards/<award_id>/impact": (
        "/api/v1/fund/awards/{award}/impact",
        {"GET": EVERYONE},
    ),
    "api/v1/fund/awards/<award_id>/milestones/<milestone_id>/evidence": (
        "/api/v1/fund/awards/{award}/milestones/{milestone}/evidence",
        {"POST": WRITERS},
    ),
    # Spending files may hold personal data: only the office and councils' officers (the
    # sample file is Lambeth's, the sample officer's own). An upload held for its questions
    # or refused rows is its owner's alone; the sample is nobody's, so it is refused to all
    # (an owner's own are tested in tests/spend/test_upload_pages.py).
    "spend/files/": ("/spend/files/", {"GET": WRITERS}),
    "spend/files/upload/": ("/spend/files/upload/", {"GET": WRITERS, "POST": WRITERS}),
    "spend/files/<int:pk>/": ("/spend/files/{spend_file}/", {"GET": WRITERS}),
    "spend/files/pending/<str:digest>/": (f"/spend/files/pending/{'0' * 64}/", {}),
    "spend/files/pending/<str:digest>/questions/": (
        f"/spend/files/pending/{'0' * 64}/questions/",
        {},
    ),
    # Suppliers resolved across authorities (names can be people's): the partnership reads,
    # the office decides; never residents or the public.
    "spend/suppliers/": ("/spend/suppliers/", {"GET": PARTNERS}),
    "spend/suppliers/<int:pk>/": (
        "/spend/suppliers/{supplier}/",
        {"GET": PARTNERS, "POST": OFFICE},
    ),
    # Categories and where to buy together: the partnership reads; the office labels
    # categories and sets the assumed saving rates.
    "spend/categories/": ("/spend/categories/", {"GET": PARTNERS}),
    "spend/categories/label/": ("/spend/categories/label/", {"GET": OFFICE, "POST": OFFICE}),
    "spend/categories/labels/": ("/spend/categories/labels/", {"GET": PARTNERS}),
    "spend/opportunities/": ("/spend/opportunities/", {"GET": PARTNERS}),
    "spend/opportunities/categories/<slug:code>/": (
        "/spend/opportunities/categories/ict/",
        {"GET": PARTNERS, "POST": OFFICE},
    ),
    "spend/opportunities/suppliers/<str:key>/": (
        "/spend/opportunities/suppliers/{supplier_key}/",
        {"GET": PARTNERS},
    ),
    "spend/opportunities/transactions/": ("/spend/opportunities/transactions/", {"GET": PARTNERS}),
    # The knowledge hub: residents read published case studies (the sample is Lambeth's,
    # published) and networks; officers write for their own council (the sample officer is
    # Lambeth's); the office alone sets the strength of evidence and publishes.
    "knowledge/case-studies/": ("/knowledge/case-studies/", READ_ONLY),
    "knowledge/case-studies/new/": (
        "/knowledge/case-studies/new/",
        {"GET": WRITERS, "POST": WRITERS},
    ),
    "knowledge/case-studies/<int:pk>/": ("/knowledge/case-studies/{case_study}/", READ_ONLY),
    "knowledge/case-studies/<int:pk>/edit/": (
        "/knowledge/case-studies/{case_study}/edit/",
        {"GET": WRITERS, "POST": WRITERS},
    ),
    "knowledge/case-studies/<int:pk>/evidence/": (
        "/knowledge/case-studies/{case_study}/evidence/",
        {"GET": OFFICE, "POST": OFFICE},
    ),
    "knowledge/case-studies/<int:pk>/publish/": (
        "/knowledge/case-studies/{case_study}/publish/",
        {"POST": OFFICE},
    ),
    "knowledge/case-studies/<int:pk>/attachments/<int:attachment>/": (
        "/knowledge/case-studies/{case_study}/attachments/{attachment}/",
        {"GET": EVERYONE},
    ),
    "knowledge/networks/": ("/knowledge/networks/", READ_ONLY),
    "knowledge/networks/<slug:slug>/": ("/knowledge/networks/{network}/", READ_ONLY),
    "knowledge/networks/<slug:slug>/outputs/<int:pk>/": (
        "/knowledge/networks/{network}/outputs/{network_output}/",
        {"GET": EVERYONE},
    ),
    "api/v1/knowledge/case-studies": ("/api/v1/knowledge/case-studies", {"GET": EVERYONE}),
    "api/v1/knowledge/case-studies/<case_study_id>": (
        "/api/v1/knowledge/case-studies/{case_study}",
        {"GET": EVERYONE},
    ),
    "api/v1/knowledge/networks": ("/api/v1/knowledge/networks", {"GET": EVERYONE}),
}
# Patterns the matrix covers by their prefix: the API's own root, and the Django admin,
# which guards itself (staff only) and is sampled by its index above.
COVERED_BY_PREFIX = ("admin/", "api/")


def patterns(resolvers: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_every_route_is_in_the_matrix() -> None:
    missing = [
        p
        for p in patterns(get_resolver().url_patterns)
        if p not in MATRIX
        and not (
            (p.startswith(COVERED_BY_PREFIX) and p in COVERED_BY_PREFIX) or p.startswith("admin/")
        )
    ]
    assert missing == []


@pytest.fixture
def people() -> dict[str, Any]:
    specs = {
        "resident": [],
        "officer": ["officer:E09000022"],
        "analyst": ["analyst"],
        "board": ["board"],
        "administrator": ["administrator"],
    }
    made = {
        role: create_person(
            f"matrix-{role}", "matrix-password-1", [RoleSpec.parse(s) for s in spec]
        )
        for role, spec in specs.items()
    }
    return {"anonymous": None, **made}


def refused(response: Any) -> bool:
    """Refused: forbidden, unauthorised, not found (another's object), method not
    allowed, or sent to a login page."""
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and "login" in response.get("Location", "")


# A correction the API would accept: a refusal must come from who is asking, not from what.
API_BODY = json.dumps({"value": 12.5, "reason": "permission matrix"})


def post(client: Client, path: str) -> Any:
    if path.startswith("/api/"):
        return client.post(path, API_BODY, content_type="application/json")
    return client.post(path, {})


def sample_run() -> AssessmentRun:
    """A run without results, of a method the dashboard does not show by default (so the
    public pages sampled without a run stay as they are with none)."""
    return AssessmentRun.objects.create(
        method="permission-matrix",
        method_version="1",
        method_sha256="0" * 64,
        method_text="",
        as_of=datetime.date(2024, 3, 31),
        group="members",
        scope="members",
        data_fingerprint="0" * 64,
        results_sha256="0" * 64,
        observations=0,
        code_version="test",
        via="command",
    )


def support_samples(path: str) -> dict[str, int]:
    """A Lambeth request and offer, and a proposal that Southwark helps it, made only for
    the patterns that name them."""
    if not any(
        f"{{{k}}}" in path for k in ("support_request", "support_offer", "broker_run", "match")
    ):
        return {}
    lambeth, southwark = (Authority.objects.get(code=c) for c in ("E09000022", "E09000028"))
    area = ServiceArea.objects.get(code="adult-social-care")
    request = SupportRequest.objects.create(
        authority=lambeth,
        service_area=area,
        kind="peer-review",
        problem="permission matrix",
        staff_days=10,
        window_start=datetime.date(2026, 5, 1),
        window_end=datetime.date(2026, 9, 30),
    )
    offer = SupportOffer.objects.create(
        authority=lambeth, service_area=area, kind="mentoring", staff_days=5, year=2026
    )
    run = BrokerRun.objects.create(via="command", weights={}, objective=1.0, solver_status="x")
    match = Match.objects.create(
        broker_run=run, request=request, supporter=southwark, days=5, score=1.0
    )
    return {
        "support_request": request.pk,
        "support_offer": offer.pk,
        "broker_run": run.pk,
        "match": match.pk,
    }


def money_samples(path: str) -> dict[str, int]:
    """A Lambeth savings return, or a Lambeth bid and award, made only for the patterns
    that name them (the grants export needs an award to publish)."""
    made: dict[str, int] = {}
    if "{savings_return}" in path:
        made["savings_return"] = SavingsLineFactory().savings_return.pk
    if "{agreement}" in path:
        made["agreement"] = LocalAreaAgreementFactory().pk
    if path.startswith(("/fund/applications/", "/fund/awards/", "/fund/grants/", "/api/v1/fund/")):
        made.update(fund_samples())
    return made


def spend_samples(path: str) -> dict[str, int]:
    """A stored Lambeth spending file (its rows need not exist), for the patterns naming one."""
    if "{spend_file}" not in path:
        return {}
    made = SpendFile.objects.create(
        authority=Authority.objects.get(code="E09000022"),
        sha256="0" * 64,
        name="matrix.csv",
        size=0,
        first_month=datetime.date(2024, 4, 1),
        last_month=datetime.date(2024, 4, 1),
        rows_read=0,
        rows_stored=0,
        rows_refused=0,
    )
    return {"spend_file": made.pk}


def supplier_samples(path: str) -> dict[str, int | str]:
    """A supplier run of one Lambeth name in its own cluster, for the patterns naming one
    (by its cluster's id, or its key)."""
    if "{supplier}" not in path and "{supplier_key}" not in path:
        return {}
    run = SupplierRun.objects.create(
        threshold=0.9, records=1, clusters=1, pairs=0, code_version="test", folder=""
    )
    cluster = SupplierCluster.objects.create(
        run=run, key="0" * 20, name="Matrix Supplies Ltd", members_count=1, authorities=1
    )
    SupplierMember.objects.create(
        run=run, cluster=cluster, key="0" * 20, splink_cluster="0", supplier="Matrix Supplies Ltd",
        authority=Authority.objects.get(code="E09000022"),
    )  # fmt: skip
    return {"supplier": cluster.pk, "supplier_key": cluster.key}


def knowledge_samples(path: str) -> dict[str, int | str]:
    """A published Lambeth case study with a stored attachment, and a network with a
    document, for the patterns naming them."""
    if not path.startswith(("/knowledge/", "/api/v1/knowledge/")):
        return {}
    study = sharing.record_publication(CaseStudyFactory(), None, datetime.date(2025, 4, 1))
    attachment = Attachment.objects.create(
        case_study=study, title="Matrix", file=ContentFile(b"matrix\n", name="matrix.txt")
    )
    output = NetworkOutputFactory(file=ContentFile(b"matrix\n", name="matrix.txt"))
    return {
        "case_study": study.pk,
        "attachment": attachment.pk,
        "network": output.network.slug,
        "network_output": output.pk,
    }


def sample_path(pattern: str, analyst: Any) -> str:
    """The pattern's sample path, with the samples it names made (other tests walk the
    matrix's routes through this too)."""
    job = ImportJob.objects.create(upload="x.csv", file_name="x.csv", user=analyst, state="done")
    # A batch that wrote Lambeth's values, which the sample officer (Lambeth's) may read: the
    # demo loads other councils' files too (their residents' surveys), which they may not.
    lambeth = Observation.private_objects.filter(authority__code="E09000022").values("batch_id")
    batch = ImportBatch.objects.filter(pk__in=lambeth).order_by("pk").first()
    path = MATRIX[pattern][0]
    token, _ = issue_token(analyst, "matrix")
    observation = (
        Observation.private_objects.latest_revision()
        .filter(authority__code="E09000022", indicator__code="recycling-rate")
        .first()
    )
    assert observation is not None
    return path.format(
        job=job.pk,
        batch=batch.pk if batch else 0,
        token=token.pk,
        observation=observation.pk,
        run=sample_run().pk,
        meeting=Meeting.objects.create(
            authority=Authority.objects.get(code="E09000022"),
            date=datetime.date(2025, 11, 4),
            kind="annual-review",
        ).pk
        if "{meeting}" in path
        else "",
        **support_samples(path),
        **review_samples(path),
        **money_samples(path),
        **spend_samples(path),
        **supplier_samples(path),
        **knowledge_samples(path),
        run_job=record_job("ambition-default", datetime.date(2024, 3, 31), "members", analyst).id
        if "{run_job}" in path
        else "",
    )


@pytest.mark.parametrize("pattern", sorted(MATRIX))
def test_roles_are_allowed_and_refused_as_the_matrix_says(
    pattern: str, people: dict[str, Any]
) -> None:
    path, allowed = sample_path(pattern, people["analyst"]), MATRIX[pattern][1]
    outcomes = {}
    for role in ROLES:
        client = Client()
        if people[role] is not None:
            client.force_login(people[role])
        for method in ("GET", "POST"):
            response = client.get(path) if method == "GET" else post(client, path)
            outcomes[(role, method)] = not refused(response)
            assert response.status_code < 500, (role, method, path)
    expected = {(r, m): r in allowed.get(m, NOBODY) for r in ROLES for m in ("GET", "POST")}
    assert outcomes == expected


def client_as(people: dict[str, Any], role: str) -> Client:
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    return client


def test_restricted_revisions_stay_hidden_on_every_page_that_shows_history(
    people: dict[str, Any], tmp_path: Path
) -> None:
    """Southwark's revision restricted until 2099, under a public one: only the office sees
    it, wherever revisions are listed (the sample officer is Lambeth's)."""
    batch = secret_then_public(tmp_path)
    secret = Observation.private_objects.get(value=float(SECRET))
    latest = Observation.private_objects.get(value=float(PUBLIC))
    histories = [
        f"/import/{batch.pk}/",
        *(f"/observations/{o.pk}/{q}" for o in (secret, latest) for q in ("", "?format=csv")),
        f"/observations/{latest.pk}/?format=json",
        f"/api/v1/observations/{latest.pk}",
        f"/api/v1/observations/{secret.pk}",
    ]
    for role in ROLES:
        client = client_as(people, role)
        for path in histories:
            response = client.get(path)
            assert response.status_code < 500, (role, path)
            assert (SECRET in response.content.decode()) == (role in OFFICE), (role, path)


def test_claims_seen_through_secondments_follow_the_claim_page(people: dict[str, Any]) -> None:
    """Southwark's claim for a secondment to Camden: the amount shows on the secondment
    pages and downloads to exactly those whom the claim's own page answers."""
    lent, claim = southwark_lends_to_camden()
    through = [
        "/support/secondments/",
        f"/support/secondments/{lent}/",
        *(
            f"/support/secondments/{p}?format={f}"
            for p in ("", f"{lent}/")
            for f in ("csv", "json")
        ),
    ]
    for role in ROLES:
        client = client_as(people, role)
        may = client.get(f"/support/claims/{claim}/").status_code == 200
        assert may == (role in {"analyst", "board", "administrator"}), role
        for path in through:
            response = client.get(path)
            assert response.status_code < 500, (role, path)
            assert (CLAIMED in response.content.decode().replace(",", "")) == may, (role, path)
