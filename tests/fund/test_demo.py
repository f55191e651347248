"""The demo's fund (the real budget and awards of 2006) and its 360Giving records: loaded
once however often it runs, within its budget, tied to the penny, and valid open data that
leaves out the award whose amount was never published; every award has illustrative
targets, said so in its history, that the store can measure its impact by."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from ambition.fund import budgeting, demo
from ambition.fund.books import reconciliation
from ambition.fund.giving.flat import HEADINGS
from ambition.fund.giving.schema import problems
from ambition.fund.impact import ESTIMATED, NOT_ENOUGH_DATA, TOO_EARLY
from ambition.fund.impacts import award_impacts
from ambition.fund.models import ApplicationTarget, Award, Budget, Payment
from ambition.fund.published import grant_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> Budget:
    demo.load()
    return Budget.objects.get(name=demo.BUDGET, year=2006)


def test_the_real_awards_of_2006_within_the_real_budget(loaded: Budget) -> None:
    assert (loaded.amount, loaded.programme, loaded.source) == (
        Decimal(6600000),
        "improvement",
        "government",
    )
    assert not loaded.illustrative
    amounts = dict(
        Award.objects.filter(budget=loaded).values_list("application__lead__code", "amount")
    )
    assert amounts == {
        "E09000002": Decimal(250000),
        "E09000016": Decimal(200000),
        "E09000015": Decimal(250000),
        "E09000024": Decimal(250000),
        "E09000031": Decimal(0),
    }
    merton = Award.objects.get(budget=loaded, application__lead__code="E09000024")
    assert "approximate" in merton.description
    waltham = Award.objects.get(budget=loaded, application__lead__code="E09000031")
    assert not waltham.amount_published and "not published" in waltham.description
    assert budgeting.committed(loaded.pk) == Decimal(950000)


def test_whatever_the_demo_adds_is_marked_illustrative(loaded: Budget) -> None:
    payments = Payment.objects.filter(award__budget=loaded)
    assert payments.count() == 4 and all(p.illustrative for p in payments)
    assert all(p.milestone.illustrative for p in payments)


def test_loading_twice_adds_nothing(loaded: Budget) -> None:
    assert demo.load() == {"budgets": 0, "awards": 0, "payments": 0, "targets": 0}
    assert Award.objects.filter(budget=loaded).count() == 5


def test_every_award_has_illustrative_targets_said_so_in_its_history(loaded: Budget) -> None:
    for award in Award.objects.filter(budget=loaded).select_related("application"):
        targets = list(award.application.targets.all())
        assert targets and all(t.change != 0 and t.by_date == demo.BY for t in targets)
        assert all(t.illustrative for t in targets)
        notes = award.application.changes.values_list("note", flat=True)
        assert demo.TARGETS_NOTE in notes and "Illustrative" in demo.TARGETS_NOTE


def test_the_award_and_bid_pages_say_the_targets_are_illustrative(
    loaded: Budget, client: Client
) -> None:
    award = Award.objects.filter(budget=loaded).first()
    assert award is not None
    page = client.get(f"/fund/awards/{award.pk}/").content.decode()
    assert "Illustrative target" in page and "Target indicators, milestones" in page


def test_the_demo_shows_each_awards_impact(loaded: Budget) -> None:
    """The targets' indicators have values before the award and after the fund's last
    year, so each impact is estimated, or honestly too early or short of data: never
    missing. With the store as shipped, all six are estimated."""
    found = [
        f.impact.status
        for award in Award.objects.filter(budget=loaded)
        for f in award_impacts(award)
    ]
    assert len(found) == ApplicationTarget.objects.filter(application__budget=loaded).count() == 6
    assert set(found) <= {ESTIMATED, TOO_EARLY, NOT_ENOUGH_DATA}
    assert found.count(ESTIMATED) == 6


def test_targets_come_to_an_existing_demo_once(loaded: Budget) -> None:
    """A demo loaded before the targets existed gains them on the next load, once."""
    ApplicationTarget.objects.filter(application__budget=loaded).delete()
    assert demo.load()["targets"] == 6
    assert demo.load()["targets"] == 0


def test_the_demo_ties(loaded: Budget) -> None:
    books = reconciliation(2006)
    assert books.ties, books.problems
    line = next(line for line in books.lines if line.budget and line.budget.id == loaded.pk)
    assert (line.awarded, line.paid, line.remaining) == (
        Decimal(950000),
        Decimal(475000),
        Decimal(5650000),
    )


def test_the_published_records_leave_out_the_unknown_amount(loaded: Budget) -> None:
    records = {r.recipient.name: r for r in grant_records() if r.award_date.year == 2006}
    assert sorted(records) == ["Barking and Dagenham", "Harrow", "Havering", "Merton"]
    havering = records["Havering"]
    assert (havering.amount_awarded, havering.amount_disbursed) == (
        Decimal(200000),
        Decimal(100000),
    )
    assert havering.recipient.identifier == "GB-LAE-HAV"
    assert havering.beneficiary is not None and havering.beneficiary.geo_code == "E09000016"
    assert havering.programme is not None and havering.programme.code == "improvement"


def test_the_export_is_valid_360giving(loaded: Budget) -> None:
    out = io.StringIO()
    call_command("export_grants", stdout=out)
    document = json.loads(out.getvalue(), parse_float=Decimal)
    assert problems(document) == []
    assert len(document["grants"]) == len(list(grant_records()))
    assert {g["amountAwarded"] for g in document["grants"]} >= {200000, 250000}


def test_the_flat_export_carries_every_published_award(loaded: Budget, tmp_path: Path) -> None:
    path = tmp_path / "grants.csv"
    call_command("export_grants", "--format", "csv", "--out", str(path), stderr=io.StringIO())
    header, *body = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(header) == list(HEADINGS) and len(body) == len(list(grant_records()))


def test_the_command_says_what_it_added(db: None) -> None:
    out = io.StringIO()
    call_command("load_fund_demo", stdout=out)
    call_command("load_fund_demo", stdout=out)
    assert out.getvalue().rstrip().endswith("0 awards; illustrative: 0 payments, 0 targets")
