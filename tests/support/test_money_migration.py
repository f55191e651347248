"""The move of back-fill money into the fund (support migration 0004) keeps every budget
line and claim with its id, what each claim was for and its audit history; going back
restores them. Run against the real migrations on the test database."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ambition.accounts.models import AuditEntry
from ambition.fund.models import Budget, Claim, Programme, Source
from ambition.registry.models import Authority
from ambition.support.models import ClaimCause
from tests.registry.factories import LAMBETH, SOUTHWARK

BEFORE = [("support", "0003_broker_run_explained")]
# Its rows are committed (each migration runs in its own transaction), so the test cleans
# them up itself, and keeps the session's reference data (see test_claims' CONCURRENT).
MIGRATING = pytest.mark.django_db(transaction=True, available_apps=[])


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets` and return the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def at_the_old_schema() -> Iterator[Any]:
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # `available_apps=[]` hides every app from the registry for the test's duration (so its
    # flush leaves the reference data alone); the migration loader needs to see them.
    django_apps.unset_available_apps()
    newest = latest()
    try:
        yield migrate(BEFORE)
    finally:
        migrate(newest)
        django_apps.set_available_apps([])
        ClaimCause.objects.all().delete()
        Claim.objects.filter(description__startswith="Migrated:").delete()
        Budget.objects.filter(name__startswith="Migrated").delete()
        AuditEntry.objects.filter(id__gt=last_audit).delete()


def _old_rows(apps: Any) -> dict[str, Any]:
    line_model = apps.get_model("support", "BudgetLine")
    claim_model = apps.get_model("support", "BackfillClaim")
    lambeth, southwark = (Authority.objects.get(code=c).pk for c in (LAMBETH, SOUTHWARK))
    line = line_model.objects.create(
        name="Migrated back-fill", year=2025, amount=Decimal("5000.00"), purpose="backfill"
    )
    incentive = line_model.objects.create(
        name="Migrated incentives", year=2025, amount=Decimal("700.10"), purpose="incentive"
    )
    paid = claim_model.objects.create(
        claimant_id=lambeth,
        budget_line=line,
        amount=Decimal("1234.56"),
        description="Migrated: cover",
        state="paid",
        decided_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
        paid_on=datetime.date(2025, 6, 2),
    )
    waiting = claim_model.objects.create(
        claimant_id=southwark,
        budget_line=incentive,
        amount=Decimal("9.99"),
        description="Migrated: waiting",
    )
    for label, pk in (("support.budgetline", line.pk), ("support.backfillclaim", paid.pk)):
        AuditEntry.objects.create(action="create", model=label, object_id=str(pk), via="page")
    return {"line": line.pk, "incentive": incentive.pk, "paid": paid.pk, "waiting": waiting.pk}


@MIGRATING
def test_every_line_and_claim_moves_to_the_fund_with_its_id_and_history(
    at_the_old_schema: Any,
) -> None:
    ids = _old_rows(at_the_old_schema)
    migrate(latest())
    line, incentive = Budget.objects.get(pk=ids["line"]), Budget.objects.get(pk=ids["incentive"])
    assert (line.name, line.amount, line.programme, line.source) == (
        "Migrated back-fill",
        Decimal("5000.00"),
        Programme.BACKFILL,
        Source.SUBSCRIPTION,
    )
    assert incentive.programme == Programme.INCENTIVES
    paid = Claim.objects.get(pk=ids["paid"])
    assert (paid.budget_id, paid.amount, paid.state, paid.paid_on) == (
        line.pk,
        Decimal("1234.56"),
        "paid",
        datetime.date(2025, 6, 2),
    )
    assert Claim.objects.get(pk=ids["waiting"]).budget_id == incentive.pk
    assert ClaimCause.objects.filter(claim_id__in=[ids["paid"], ids["waiting"]]).count() == 2
    history = AuditEntry.objects.filter(object_id__in=[str(ids["line"]), str(ids["paid"])])
    assert {(e.model, e.object_id) for e in history} >= {
        ("fund.budget", str(ids["line"])),
        ("fund.claim", str(ids["paid"])),
    }
    assert not AuditEntry.objects.filter(model__in=["support.budgetline", "support.backfillclaim"])
    # The ids were kept, and the next row still gets a free one.
    made = Budget.objects.create(
        name="Migrated after", year=2025, amount=1, programme="backfill", source="government"
    )
    assert made.pk > max(ids["line"], ids["incentive"])


@MIGRATING
def test_going_back_restores_the_lines_and_claims(at_the_old_schema: Any) -> None:
    ids = _old_rows(at_the_old_schema)
    migrate(latest())
    back = migrate(BEFORE)
    claim = back.get_model("support", "BackfillClaim").objects.get(pk=ids["paid"])
    assert (claim.budget_line_id, claim.amount, claim.state) == (
        ids["line"],
        Decimal("1234.56"),
        "paid",
    )
    assert back.get_model("support", "BudgetLine").objects.get(pk=ids["incentive"]).purpose == (
        "incentive"
    )
    assert AuditEntry.objects.filter(model="support.backfillclaim", object_id=str(ids["paid"]))
    back.get_model("support", "BackfillClaim").objects.filter(pk__in=ids.values()).delete()
    back.get_model("support", "BudgetLine").objects.filter(pk__in=ids.values()).delete()
