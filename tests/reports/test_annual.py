"""The annual report: its figures tie to the stored data (the ledger, the support records,
the fund, the efficiency programme, the published observations, the year's assessment run),
each links to its source, a year with nothing stored says so, and the PDF comes from the
same template."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ambition.assessment.making import make_run
from ambition.assessment.models import RunTarget
from ambition.efficiency.models import ReturnState
from ambition.efficiency.progress import partnership_progress
from ambition.fund.models import Award
from ambition.indicators.periods import financial_year, financial_year_dates
from ambition.reports.annual import build_annual
from ambition.support.models import Secondment
from tests.efficiency.factories import NetBudgetFactory, SavingsLineFactory, SavingsReturnFactory
from tests.fund.grants import awarded, improvement_budget
from tests.knowledge.factories import CaseStudyFactory
from tests.support.factories import SecondmentFactory

from .conftest import LAMBETH, SOUTHWARK, authority, lend_days

pytestmark = pytest.mark.django_db
EMPTY_YEAR = 2001
THIS_YEAR = financial_year(timezone.localdate())


def page(year: int) -> str:
    response = Client().get(f"/reports/annual/{year}/")
    assert response.status_code == 200
    return response.content.decode()


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found is not None, name
    return found.group(1).strip()


def test_a_year_with_no_data_says_so_rather_than_inventing_it() -> None:
    html = page(EMPTY_YEAR)
    assert 'data-section="no-data"' in html
    for section in ("no-run", "no-support", "no-grants", "no-savings", "no-case-studies"):
        assert f'data-section="{section}"' in html
    assert "data-figure=" not in html


def test_the_targets_are_the_years_run_and_link_to_it() -> None:
    first, _ = financial_year_dates(2023)
    run = make_run("ambition-default", datetime.date(2024, 3, 31))
    html = page(2023)
    assert f'href="/assessment/runs/{run.pk}/"' in html
    for t in RunTarget.objects.filter(run=run):
        if t.value is not None:
            assert f'data-value="{t.value}"' in html
    assert build_annual(2022).run is None or build_annual(2022).run.as_of < first


def test_peer_support_and_grants_tie_to_the_stored_records() -> None:
    start, _ = financial_year_dates(THIS_YEAR)
    lend_days(SOUTHWARK, LAMBETH, 6)  # in 2025-26: not this year's
    lent = SecondmentFactory(
        from_authority=authority(SOUTHWARK),
        to_authority=authority(LAMBETH),
        start=start + datetime.timedelta(days=10),
        end=start + datetime.timedelta(days=40),
        days=Decimal("12.5"),
    )
    award = awarded(improvement_budget(amount="10000", year=THIS_YEAR), amount="400")
    html = page(THIS_YEAR)
    stored = Secondment.objects.filter(start__gte=start)
    assert figure(html, "secondments") == f"{stored.count()} (12.5 days)"
    assert lent.pk in stored.values_list("pk", flat=True)
    decided = Award.objects.filter(decided_on__gte=start, amount_published=True)
    total = sum((a.amount for a in decided), Decimal(0))
    assert figure(html, "grants-total") == f"£{total:,.2f}"
    assert f'href="/fund/awards/{award.pk}/"' in html
    assert "No assessment was made" in html or "assessment run" in html


def test_the_ledgers_days_given_are_the_years_total() -> None:
    lend_days(SOUTHWARK, LAMBETH, 6)
    lend_days(LAMBETH, SOUTHWARK, 2)
    html = page(2025)
    assert figure(html, "days-given") == "8 days"


def test_the_pdf_is_made_from_the_same_template(tmp_path: Path) -> None:
    out = tmp_path / "annual.pdf"
    call_command("annual_report", str(EMPTY_YEAR), "--out", str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF")
    response = Client().get(f"/reports/annual/{EMPTY_YEAR}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_years_outside_the_range_are_not_found() -> None:
    assert Client().get("/reports/annual/1999/").status_code == 404
    assert Client().get(f"/reports/annual/{THIS_YEAR + 1}/").status_code == 404
    assert Client().get("/reports/annual/").status_code == 302


def test_the_years_case_studies_are_the_published_ones() -> None:
    published = CaseStudyFactory(
        title="Shared food waste rounds", status="published", published_on=datetime.date(2025, 6, 1)
    )
    CaseStudyFactory(title="A draft nobody may read yet")
    CaseStudyFactory(
        title="Published the year after", status="published", published_on=datetime.date(2026, 4, 1)
    )
    html = page(2025)
    assert published.title in html and published.get_absolute_url() in html
    assert "A draft nobody may read yet" not in html and "Published the year after" not in html


def test_savings_count_what_the_office_accepted_and_publish_no_pending_claim() -> None:
    NetBudgetFactory(year=2008, amount=Decimal("300000000.00"))
    accepted = SavingsReturnFactory(year=2008, state=ReturnState.ACCEPTED)
    SavingsLineFactory(savings_return=accepted, amount=Decimal("4500000.00"))
    pending = SavingsReturnFactory(
        authority=authority(SOUTHWARK), year=2008, state=ReturnState.SUBMITTED
    )
    SavingsLineFactory(savings_return=pending, amount=Decimal("7654321.00"))
    html = page(2008)
    progress = partnership_progress(2008)
    assert figure(html, "savings-accepted") == f"£{progress.accepted:,.2f}" == "£4,500,000.00"
    assert figure(html, "savings-target") == f"£{progress.target:,.2f}"
    assert "7,654,321" not in html
