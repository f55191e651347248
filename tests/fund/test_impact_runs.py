"""Impact runs: every award's findings stored once, with the fingerprint of what was read;
a new run supersedes an old one, which stays as it was; the overview reads the latest and
says so for an award that no run has assessed."""

from __future__ import annotations

import dataclasses
import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from ambition.fund.budgeting import total
from ambition.fund.impacts import UNTARGETED, assess_impacts, impacts_of, overall, stored
from ambition.fund.models import Award, AwardImpact, ImpactRun, TargetFinding
from ambition.fund.views.impact_words import NOT_YET, status_words
from ambition.fund.views.overview import cell_groups, totals

from .test_impacts import BARKING, award

pytestmark = pytest.mark.django_db
EARLY = datetime.date(2006, 11, 23)  # figures before and after: estimated
LATE = datetime.date(2025, 1, 10)  # after the last figures: too early


def awards_row(text: str, pk: int) -> str:
    """The overview's row of one award, from its opening tag to its end."""
    start = text.index(f'data-award="{pk}"')
    return text[start : text.index("</tr>", start)]


def test_a_run_stores_what_the_engine_finds_for_every_award() -> None:
    early, late = award(BARKING, EARLY), award(BARKING, LATE, name="Late")
    run = assess_impacts(via="test")
    live = impacts_of([early, late])
    assert run.awards == 2 and run.observations > 0 and len(run.data_fingerprint) == 64
    for made in (early, late):
        row = AwardImpact.objects.get(run=run, award=made)
        assert row.status == overall(live[made.pk])
        # Every field as the engine gave it (sums in a parallel engine may differ in the
        # last place from one computation to the next).
        [kept], [found] = stored(row), live[made.pk]
        assert (kept.indicator, kept.change) == (found.indicator, found.change)
        assert dataclasses.asdict(kept.impact) == pytest.approx(dataclasses.asdict(found.impact))
    assert AwardImpact.objects.get(run=run, award=late).status == "too early"
    assert overall([]) == UNTARGETED and status_words(UNTARGETED) == "No target indicator"


def test_a_new_run_supersedes_the_old_which_stays_unchanged() -> None:
    first_award = award(BARKING, EARLY)
    first = assess_impacts(via="test")
    kept = list(TargetFinding.objects.filter(award_impact__run=first).values())
    again = assess_impacts(via="test")
    assert again.data_fingerprint == first.data_fingerprint  # nothing changed: same inputs
    award(BARKING, LATE, name="Late")
    second = assess_impacts(via="test")
    assert second.data_fingerprint != first.data_fingerprint
    assert ImpactRun.objects.latest_run() == second and ImpactRun.objects.count() == 3
    assert list(TargetFinding.objects.filter(award_impact__run=first).values()) == kept
    assert first.found.count() == 1 and second.found.count() == 2
    row = AwardImpact.objects.get(run=first, award=first_award)
    row.status = "better"
    with pytest.raises(ValueError, match="never changed"):
        row.save()


def test_the_overview_reads_the_latest_run_and_names_what_it_has_not_assessed() -> None:
    early = award(BARKING, EARLY)
    text = Client().get("/fund/").content.decode()
    assert NOT_YET in awards_row(text, early.pk)
    assert "No award's impact has been assessed yet" in text
    run = assess_impacts(via="test")
    late = award(BARKING, LATE, name="Late")
    text = Client().get("/fund/").content.decode()
    found = status_words(AwardImpact.objects.get(run=run, award=early).status)
    assert found in awards_row(text, early.pk) and NOT_YET in awards_row(text, late.pk)
    assert f"impact run {run.pk}" in text
    rows = json.loads(Client().get("/fund/?format=json").content)["rows"]
    assert {r["id"]: r["impact"] for r in rows} == {early.pk: found, late.pk: NOT_YET}


def test_the_cells_count_every_award_by_its_stored_status_and_add_up_to_the_total() -> None:
    award(BARKING, EARLY)
    award(BARKING, LATE, name="Late")
    run = assess_impacts(via="test")
    cells = cell_groups(run)
    assert sum(c["awards"] for c in cells) == Award.objects.count()
    assert totals(cells)["amount"] == total(Award.objects.filter(amount_published=True))
    assert {c["impact"] for c in cells} == {
        status_words(code) for code in run.found.values_list("status", flat=True)
    }
    assert {c["impact"] for c in cell_groups(None)} == {NOT_YET}


def test_an_award_the_run_did_not_assess_is_still_counted_as_not_yet_assessed() -> None:
    award(BARKING, LATE)
    run = assess_impacts(via="test")
    since = award(BARKING, EARLY, name="Since")
    cells = cell_groups(run)
    assert sum(c["awards"] for c in cells) == 2
    assert [(c["awards"], c["amount"]) for c in cells if c["impact"] == NOT_YET] == [
        (1, since.amount)
    ]
    assert totals(cells)["amount"] == total(Award.objects.filter(amount_published=True))


def test_the_command_makes_a_run_and_prints_it() -> None:
    award(BARKING, LATE)
    out = StringIO()
    call_command("assess_impact", stdout=out)
    run = ImpactRun.objects.latest_run()
    assert run is not None and run.via == "command"
    assert f"Impact run {run.pk}" in out.getvalue() and "too early" in out.getvalue()
    assert dataclasses.asdict(stored(run.found.get())[0].impact)["status"] == "too early"
