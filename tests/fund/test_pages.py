"""The fund's pages: the overview and awards are public; applications are the partnership's;
each form writes through the engine, for the council or role the rules allow, and bad
input or an engine refusal is a clear error with nothing written."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import altair as alt
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ambition.fund import applications, awards, charts, demo
from ambition.fund.models import Application, Award, MilestoneEvidence, Payment, Return, Variation
from ambition.fund.views.overview import PAGE_SIZE, by_area, cell_groups, totals
from ambition.indicators.models import Indicator
from ambition.web.charts import stacked_parts

from ..accounts.factories import UserFactory
from ..registry.factories import LAMBETH, SOUTHWARK, AuthorityFactory
from ..web.test_charts import valid
from .grants import SCORES, appraised, awarded, draft, evidenced, improvement_budget

pytestmark = pytest.mark.django_db


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=roles))
    return client


def test_the_overview_is_public_with_the_real_awards_and_says_what_is_illustrative() -> None:
    demo.load()
    page = Client().get("/fund/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Barking and Dagenham" in text and "Not published" in text
    assert "£950,000.00" in text  # the four published awards
    assert "illustrative" in text.lower() and 'data-table="budgets"' not in text
    assert 'govuk-tag--yellow">Illustrative figures' in text  # the demo's made-up tranches
    assert 'id="money-bought-spec"' in text
    assert 'data-table="budgets"' in signed_in("board").get("/fund/").content.decode()


def test_the_overview_downloads_its_awards() -> None:
    demo.load()
    rows = json.loads(Client().get("/fund/?format=json").content)["rows"]
    assert len(rows) == 5 and {r["code"] for r in rows} >= {"E09000002", "E09000031"}
    assert next(r for r in rows if r["code"] == "E09000031")["amount"] is None
    assert Client().get("/fund/?format=csv").content.startswith(b"Award,ONS code")
    assert Client().get("/fund/?format=xlsx")["Content-Type"].startswith("application/vnd")


def test_the_overview_shows_awards_a_page_at_a_time_and_totals_them_all() -> None:
    budget = improvement_budget("100000")
    for _ in range(PAGE_SIZE + 1):
        awarded(budget, "10")
    first, second = (Client().get("/fund/", {"page": n}).content.decode() for n in (1, 2))
    assert first.count("data-award=") == PAGE_SIZE and second.count("data-award=") == 1
    assert f"All {PAGE_SIZE + 1} awards" in first and 'data-total="amount">£510.00' in first
    assert 'class="govuk-pagination"' in first
    rows = json.loads(Client().get("/fund/?format=json").content)["rows"]
    assert len(rows) == PAGE_SIZE + 1  # a download has them all


def listed_ids(text: str) -> list[int]:
    return [int(part.split('"')[1]) for part in text.split("data-award=")[1:]]


def overview_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/fund/").status_code == 200
    return len(queries)


def test_the_overview_pages_awards_newest_first_in_queries_that_do_not_grow() -> None:
    budget = improvement_budget("100000")
    made = [awarded(budget, "10") for _ in range(3)]
    overview_queries()  # the first sums the cells, then keeps them: count what follows
    few = overview_queries()
    made += [awarded(budget, "10") for _ in range(PAGE_SIZE)]
    for n, award in enumerate(made):  # decided on days out of the order they were made
        Award.objects.filter(pk=award.pk).update(decided_on=datetime.date(2024, 1, 1 + n % 7))
    newest_first = list(Award.objects.values_list("pk", flat=True))  # the awards' ordering
    pages = [Client().get("/fund/", {"page": n}).content.decode() for n in (1, 2)]  # summed
    assert [listed_ids(text) for text in pages] == [
        newest_first[:PAGE_SIZE],
        newest_first[PAGE_SIZE:],
    ]
    assert overview_queries() == few  # a page of 50 costs what a page of 3 did
    assert 'govuk-tag--yellow">Illustrative figures' not in pages[0]


def test_the_totals_are_nothing_before_the_first_award() -> None:
    assert totals(cell_groups(None)) == dict.fromkeys(("amount", "paid", "returned"), Decimal(0))


def test_the_cells_sums_are_kept_until_an_award_changes() -> None:
    budget = improvement_budget("100000")
    made = awarded(budget, "300", tranches=2)
    assert totals(cell_groups(None))["paid"] == 0
    with CaptureQueriesContext(connection) as queries:
        assert totals(cell_groups(None))["amount"] == Decimal(300)
    assert not any("SUM(" in q["sql"] for q in queries)  # kept: nothing summed again
    awards.pay(evidenced(made.application.milestones.order_by("due")[0]), None)
    assert totals(cell_groups(None))["paid"] == Decimal(150)  # a payment moves them
    awards.give_back(made, "underspend", Decimal("0.01"), "Cheaper", None)
    awards.vary(made, Decimal(250), "Less needed", None)
    assert totals(cell_groups(None)) == {
        "amount": Decimal(250),
        "paid": Decimal(150),
        "returned": Decimal("0.01"),
    }
    awarded(budget, "10")
    assert sum(c["awards"] for c in cell_groups(None)) == 2


def test_the_chart_is_valid_vega_lite_and_the_sites_stacked_bar() -> None:
    awarded(improvement_budget("100000"), "10")
    cells = by_area(cell_groups(None))
    spec = valid(charts.money_bought(cells))
    parts = [{"label": c["area"], "part": c["status"], "value": c["amount"]} for c in cells]
    with alt.utils.schemapi.debug_mode(True):  # Altair checking as it builds: the same spec
        assert spec == stacked_parts(parts, title=charts.TITLE, unit="Awarded (GBP)")
    assert alt.utils.schemapi.DEBUG_MODE  # left as it was found


def test_the_grants_export_is_the_360giving_package() -> None:
    demo.load()
    package = json.loads(Client().get("/fund/grants/?format=360giving").content)
    assert len(package["grants"]) == 4
    assert package["grants"][0]["id"].startswith("360G-")
    assert Client().get("/fund/grants/?format=csv")["Content-Type"].startswith("text/csv")
    assert Client().get("/fund/grants/?format=cake").status_code == 404


@pytest.mark.parametrize(
    "roles,status",
    [((), 403), (("board",), 200), ((f"officer:{LAMBETH}",), 200), (("analyst",), 200)],
)
def test_applications_are_the_partnerships(roles: tuple[str, ...], status: int) -> None:
    made = draft(improvement_budget())
    assert signed_in(*roles).get("/fund/applications/").status_code == status
    assert signed_in(*roles).get(f"/fund/applications/{made.pk}/").status_code == status
    assert Client().get("/fund/applications/").status_code == 302  # to sign in


def test_an_officer_drafts_a_joint_bid_for_their_own_council_only() -> None:
    budget = improvement_budget()
    own = AuthorityFactory(code=LAMBETH)
    partner = AuthorityFactory(code=SOUTHWARK)
    form = {
        "lead": own.pk,
        "partners": [partner.pk],
        "budget": budget.pk,
        "title": "Shared legal",
        "purpose": "One legal service",
        "amount": "300.00",
    }
    officer = signed_in(f"officer:{LAMBETH}")
    response = officer.post("/fund/applications/new/", form)
    made = Application.objects.get(title="Shared legal")
    assert response.status_code == 302 and made.lead == own
    assert list(made.partners.values_list("authority__code", flat=True)) == [SOUTHWARK]
    other = signed_in(f"officer:{SOUTHWARK}").post("/fund/applications/new/", form)
    assert other.status_code == 200 and "Select a valid choice" in other.content.decode()
    assert Application.objects.filter(title="Shared legal").count() == 1
    assert signed_in("board").get("/fund/applications/new/").status_code == 403


def test_bad_input_names_the_field_and_writes_nothing() -> None:
    budget = improvement_budget()
    form = {"lead": AuthorityFactory(code=LAMBETH).pk, "budget": budget.pk, "title": "x"}
    page = signed_in("analyst").post("/fund/applications/new/", {**form, "amount": "-5"})
    text = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in text
    assert "Amount requested (£)" in text and "Purpose" in text
    assert not Application.objects.exists()


def test_the_draft_takes_targets_and_milestones_then_the_partner_confirms_and_it_submits() -> None:
    made = draft(improvement_budget(), partners=(SOUTHWARK,))
    lead = signed_in(f"officer:{LAMBETH}")
    base = f"/fund/applications/{made.pk}"
    indicator = Indicator.objects.order_by("code").first()
    assert indicator is not None
    target = {"indicator": indicator.pk, "change": "0", "by_date": "2027-03-31"}
    assert "not 0" in lead.post(f"{base}/targets/", target).content.decode()
    assert made.targets.count() == 1
    refused = lead.post(f"{base}/submit/", {"note": ""})
    assert "has not confirmed the joint bid" in refused.content.decode()
    partner = made.partners.get()
    assert lead.post(f"{base}/partners/{partner.pk}/confirm/").status_code == 403
    southwark = signed_in(f"officer:{SOUTHWARK}")
    assert southwark.post(f"{base}/partners/{partner.pk}/confirm/").status_code == 302
    assert southwark.post(f"{base}/submit/", {"note": ""}).status_code == 403
    assert lead.post(f"{base}/submit/", {"note": "Ready"}).status_code == 302
    made.refresh_from_db()
    assert made.state == "submitted"
    history = lead.get(f"{base}/?format=csv").content.decode()
    assert "draft,submitted" in history


def test_the_office_appraises_and_the_board_decides() -> None:
    made = draft(improvement_budget())
    applications.submit(made, None)
    base = f"/fund/applications/{made.pk}"
    scores = {f"score_{code}": score for code, score in SCORES.items()}
    assert signed_in("board").post(f"{base}/appraise/", scores).status_code == 403
    bad = signed_in("analyst").post(f"{base}/appraise/", {**scores, "score_need": 9})
    assert "Need" in bad.content.decode() and not made.appraisals.exists()
    assert signed_in("analyst").post(f"{base}/appraise/", scores).status_code == 302
    assert made.appraisals.get().total == Decimal(71)
    decision = {"outcome": "refused", "reasons": ""}
    assert signed_in("analyst").post(f"{base}/decide/", decision).status_code == 403
    refused = signed_in("board").post(f"{base}/decide/", decision)
    assert "Give the reasons" in refused.content.decode() and not Award.objects.exists()
    approve = {"outcome": "approved", "amount": "250", "decided_on": "2026-01-05"}
    assert signed_in("board").post(f"{base}/decide/", approve).status_code == 302
    award = Award.objects.get(application=made)
    assert award.amount == Decimal(250) and award.decided_on == datetime.date(2026, 1, 5)
    page = signed_in(f"officer:{SOUTHWARK}").get(f"{base}/").content.decode()
    assert "Approved on 2026-01-05" in page and f"/fund/awards/{award.pk}/" in page
    assert "71.00 out of 100" in page


def test_an_approval_past_the_budget_is_refused_as_a_form_error() -> None:
    made = appraised(improvement_budget(amount="200"), amount="300")
    page = signed_in("board").post(f"/fund/applications/{made.pk}/decide/", {"outcome": "approved"})
    assert page.status_code == 200 and "more than the £200.00 left" in page.content.decode()
    assert not Award.objects.exists()


def test_an_award_is_public_and_its_evidence_is_the_partnerships() -> None:
    award = awarded(improvement_budget())
    milestone = award.application.milestones.get()
    MilestoneEvidence.objects.create(
        milestone=milestone,
        summary="Secret minutes",
        submitted_at=datetime.datetime.now(datetime.UTC),
    )
    public = Client().get(f"/fund/awards/{award.pk}/").content.decode()
    assert "£300.00" in public and "Secret minutes" not in public
    assert "Secret minutes" in signed_in("board").get(f"/fund/awards/{award.pk}/").content.decode()
    assert Client().get("/fund/awards/999999/").status_code == 404


def test_the_council_evidences_and_the_office_accepts_pays_varies_and_claws_back() -> None:
    award = awarded(improvement_budget(), tranches=2)
    first = award.application.milestones.first()
    assert first is not None
    base = f"/fund/awards/{award.pk}"
    evidence = {"milestone": first.pk, "summary": "Started", "link": ""}
    assert signed_in(f"officer:{SOUTHWARK}").post(f"{base}/evidence/", evidence).status_code == 403
    assert signed_in(f"officer:{LAMBETH}").post(f"{base}/evidence/", evidence).status_code == 302
    submitted = MilestoneEvidence.objects.get(milestone=first)
    office = signed_in("analyst")
    early = office.post(f"{base}/pay/", {"milestone": first.pk})
    assert "No accepted evidence" in early.content.decode() and not Payment.objects.exists()
    no_reason = office.post(f"{base}/review/", {"evidence": submitted.pk, "verdict": "reject"})
    assert "A rejection says why" in no_reason.content.decode()
    office.post(f"{base}/review/", {"evidence": submitted.pk, "verdict": "accept"})
    assert (
        signed_in(f"officer:{LAMBETH}").post(f"{base}/pay/", {"milestone": first.pk}).status_code
        == 403
    )
    assert office.post(f"{base}/pay/", {"milestone": first.pk}).status_code == 302
    assert Payment.objects.get().amount == Decimal(150)
    too_low = office.post(f"{base}/vary/", {"amount": "100", "reason": "Less work"})
    assert "already paid" in too_low.content.decode() and not Variation.objects.exists()
    assert office.post(f"{base}/vary/", {"amount": "200", "reason": "Less work"}).status_code == 302
    back = {"kind": "clawback", "amount": "500", "reason": "Not done"}
    assert "more than the £150.00 paid" in office.post(f"{base}/return/", back).content.decode()
    assert office.post(f"{base}/return/", {**back, "amount": "50"}).status_code == 302
    assert Return.objects.get().amount == Decimal(50)
    assert totals(cell_groups(None)) == {
        "amount": Decimal(200),
        "paid": Decimal(150),
        "returned": Decimal(50),
    }


def test_the_reconcile_page_is_the_offices_and_ties_to_the_penny() -> None:
    demo.load()
    assert signed_in("board").get("/fund/reconcile/").status_code == 403
    assert signed_in(f"officer:{LAMBETH}").get("/fund/reconcile/").status_code == 403
    page = signed_in("analyst").get("/fund/reconcile/?year=2006")
    assert page.status_code == 200 and "Everything ties to the penny" in page.content.decode()
    rows = json.loads(signed_in("analyst").get("/fund/reconcile/?format=json").content)["rows"]
    overall = rows[-1]
    assert overall["budget"] == "All budgets" and overall["ties"] is True


def test_the_reconcile_page_highlights_what_does_not_tie() -> None:
    award = awarded(improvement_budget())
    Award.objects.filter(pk=award.pk).update(amount=Decimal("299.99"))  # out of the books' sight
    page = signed_in("analyst").get("/fund/reconcile/").content.decode()
    assert "Does not tie" in page and "not what was awarded plus its variations" in page
