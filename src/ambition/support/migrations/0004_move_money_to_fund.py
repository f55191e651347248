"""Money moves to the fund: every back-fill budget line becomes a fund budget (programme
back-fill or incentives, source local subscription: the partnership's own money, as the
lines were) and every claim a fund claim, each keeping its id, so the ledger entries that
name a claim, and every audit entry of a line or a claim, still point at the same row. What a
claim was for (a secondment, a review team member) stays with peer support as a ClaimCause.
Reversible: going back copies the rows the other way."""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models

CLAIM_FIELDS = (
    "id",
    "claimant_id",
    "amount",
    "description",
    "state",
    "submitted_by_id",
    "submitted_at",
    "decided_by_id",
    "decided_at",
    "reason",
    "paid_on",
)
PROGRAMME = {"backfill": "backfill", "incentive": "incentives"}
RENAMED = {"support.budgetline": "fund.budget", "support.backfillclaim": "fund.claim"}


def _values(row, fields):
    return {field: getattr(row, field) for field in fields}


def _reset_sequences(schema_editor, models_):
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), models_):
        schema_editor.execute(sql)


def _relabel(apps, renamed):
    entries = apps.get_model("accounts", "AuditEntry").objects
    for old, new in renamed.items():
        entries.filter(model=old).update(model=new)


def to_fund(apps, schema_editor):
    line_model, claim_model = apps.get_model("support", "BudgetLine"), apps.get_model("support", "BackfillClaim")
    budget_model, fund_claim = apps.get_model("fund", "Budget"), apps.get_model("fund", "Claim")
    cause_model = apps.get_model("support", "ClaimCause")
    for line in line_model.objects.order_by("id"):
        budget = budget_model.objects.create(
            id=line.id,
            name=line.name,
            year=line.year,
            amount=line.amount,
            programme=PROGRAMME[line.purpose],
            source="subscription",
            illustrative=line.name.startswith("Illustrative"),
        )
        budget_model.objects.filter(pk=budget.pk).update(created_at=line.created_at)
    for claim in claim_model.objects.order_by("id"):
        made = fund_claim.objects.create(budget_id=claim.budget_line_id, **_values(claim, CLAIM_FIELDS))
        fund_claim.objects.filter(pk=made.pk).update(submitted_at=claim.submitted_at)
        cause_model.objects.create(
            claim_id=claim.id, secondment_id=claim.secondment_id, team_member_id=claim.team_member_id
        )
    _reset_sequences(schema_editor, [budget_model, fund_claim])
    _relabel(apps, RENAMED)


def to_support(apps, schema_editor):
    line_model, claim_model = apps.get_model("support", "BudgetLine"), apps.get_model("support", "BackfillClaim")
    budget_model, fund_claim = apps.get_model("fund", "Budget"), apps.get_model("fund", "Claim")
    causes = {c.claim_id: c for c in apps.get_model("support", "ClaimCause").objects.all()}
    purpose = {new: old for old, new in PROGRAMME.items()}
    for budget in budget_model.objects.filter(programme__in=list(purpose)).order_by("id"):
        line = line_model.objects.create(
            id=budget.id, name=budget.name, year=budget.year, amount=budget.amount,
            purpose=purpose[budget.programme],
        )
        line_model.objects.filter(pk=line.pk).update(created_at=budget.created_at)
    for claim in fund_claim.objects.order_by("id"):
        cause = causes.get(claim.id)
        made = claim_model.objects.create(
            budget_line_id=claim.budget_id,
            secondment_id=cause.secondment_id if cause else None,
            team_member_id=cause.team_member_id if cause else None,
            **_values(claim, CLAIM_FIELDS),
        )
        claim_model.objects.filter(pk=made.pk).update(submitted_at=claim.submitted_at)
    apps.get_model("support", "ClaimCause").objects.all().delete()
    fund_claim.objects.all().delete()
    budget_model.objects.filter(programme__in=list(purpose)).delete()
    _reset_sequences(schema_editor, [line_model, claim_model])
    _relabel(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_audit_and_tokens"),
        ("fund", "0001_initial"),
        ("support", "0003_broker_run_explained"),
    ]

    operations = [
        migrations.CreateModel(
            name='ClaimCause',
            fields=[
                ('claim', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='cause', serialize=False, to='fund.claim')),
                ('secondment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='claim_causes', to='support.secondment')),
                ('team_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='support.reviewteammember')),
            ],
        ),
        migrations.RunPython(to_fund, to_support),
        migrations.RemoveField(
            model_name='backfillclaim',
            name='budget_line',
        ),
        migrations.RemoveField(
            model_name='backfillclaim',
            name='claimant',
        ),
        migrations.RemoveField(
            model_name='backfillclaim',
            name='decided_by',
        ),
        migrations.RemoveField(
            model_name='backfillclaim',
            name='secondment',
        ),
        migrations.RemoveField(
            model_name='backfillclaim',
            name='submitted_by',
        ),
        migrations.RemoveField(
            model_name='backfillclaim',
            name='team_member',
        ),
        migrations.DeleteModel(
            name='BudgetLine',
        ),
        migrations.DeleteModel(
            name='BackfillClaim',
        ),
    ]
