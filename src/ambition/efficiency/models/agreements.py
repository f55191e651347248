"""Local area agreements: an authority's agreement with its partners (police, health, fire,
the voluntary sector) for a period of financial years, its stretch targets on stored
indicators and the reward grant each may earn under a reward rule read from data
(`data/laa/reward-rules.toml`). The rules of a valid agreement and target live in the
models' `clean`, so the form, the API and the demo refuse the same things in the same words."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from ambition.accounts.backends import scope_of
from ambition.assessment.methodology import default_method
from ambition.indicators.models import Indicator
from ambition.indicators.periods import FIRST_YEAR, year_label
from ambition.registry.models import Authority

if TYPE_CHECKING:
    from ..laa import RewardRule

# The engines (`efficiency.laa`, the assessment's frames: Polars, NumPy) are imported where
# a rule is first read or a target checked, not here: every command loads the models.

VIEW_LAA, ADD_LAA = "efficiency.view_laa", "efficiency.add_laa"
LAST_YEAR = 2100
YEARS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
VALUE = {"max_digits": 20, "decimal_places": 6}


def reward_rules() -> dict[str, RewardRule]:
    """The reward rules shipped in the data directory, by key: the one reading of the file."""
    from ..laa import RULES_FILE, load_rules

    return load_rules(Path(settings.DATA_DIR) / RULES_FILE)


def rule_choices() -> list[tuple[str, str]]:
    return [(key, rule.name) for key, rule in reward_rules().items()]


def indicator_sign(indicator: Indicator) -> int:
    """+1 higher is better, -1 lower, 0 unknown: the source's polarity, else the method's."""
    from ambition.assessment.frames import POLARITY_SIGN, polarity_of

    # The assessment's default methodology states what its source may not.
    stated = default_method().stated_polarity
    return POLARITY_SIGN[polarity_of(indicator.code, indicator.polarity, stated)]


class PartnerKind(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    FIRE = "fire", "Fire and rescue"
    VOLUNTARY = "voluntary-sector", "Voluntary sector"
    OTHER = "other", "Other"


class AgreementQuerySet(models.QuerySet["LocalAreaAgreement"]):
    def visible_to(self, user: Any) -> AgreementQuerySet:
        """Every agreement for the office and the board; an officer's own authority's only."""
        scope = scope_of(user, VIEW_LAA)
        return self if scope is None else self.filter(authority_id__in=scope)


class LocalAreaAgreement(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    start_year = models.PositiveSmallIntegerField(
        validators=YEARS, help_text="First financial year, by the year it starts: 2008 for 2008-09"
    )
    end_year = models.PositiveSmallIntegerField(
        validators=YEARS, help_text="Last financial year, by the year it starts"
    )
    title = models.CharField(max_length=200)
    signed_on = models.DateField(null=True, blank=True)
    reward_rule = models.CharField(
        max_length=60, choices=rule_choices, help_text="How a target's reward is paid"
    )
    illustrative = models.BooleanField(default=False, help_text="Invented for the demo")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "authority__name", "id"]
        verbose_name = "local area agreement"
        # The policy's codenames (accounts.policy.RULES) as the permissions' own.
        permissions = [
            ("view_laa", "Can view local area agreements"),
            ("add_laa", "Can make local area agreements and add their targets and partners"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["authority", "start_year"], name="uniq_laa_start"),
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="laa_years"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} LAA {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("efficiency-laa", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"{year_label(self.start_year)} to {year_label(self.end_year)}"

    @property
    def rule(self) -> RewardRule:
        return reward_rules()[self.reward_rule]

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The last year must not be before the first."})
        taken = LocalAreaAgreement.objects.filter(
            authority_id=self.authority_id, start_year=self.start_year
        ).exclude(pk=self.pk)
        if self.authority_id and taken.exists():
            raise ValidationError(
                {"start_year": "This authority already has an agreement starting that year."}
            )


class AgreementPartner(models.Model):
    agreement = models.ForeignKey(
        LocalAreaAgreement, on_delete=models.CASCADE, related_name="partners"
    )
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agreement_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="uniq_laa_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def authority_id(self) -> int:
        return int(self.agreement.authority_id)

    def clean(self) -> None:
        same = AgreementPartner.objects.filter(agreement_id=self.agreement_id, name=self.name)
        if self.agreement_id and same.exclude(pk=self.pk).exists():
            raise ValidationError({"name": "This partner is in the agreement already."})


class AgreementTarget(models.Model):
    agreement = models.ForeignKey(
        LocalAreaAgreement, on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    baseline = models.DecimalField(**VALUE, help_text="The indicator's value when agreed")
    baseline_period = models.CharField(
        max_length=40, help_text="The period the baseline was measured in: 2007/08, 2007"
    )
    stretch = models.DecimalField(**VALUE, help_text="The stretch target")
    target_year = models.PositiveSmallIntegerField(
        validators=YEARS, help_text="The financial year the stretch is for, within the agreement"
    )
    reward_max = models.DecimalField(
        "reward (GBP)", max_digits=14, decimal_places=2, help_text="Paid in full at the stretch"
    )

    class Meta:
        ordering = ["agreement_id", "indicator__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "indicator"], name="uniq_laa_target"),
            models.CheckConstraint(condition=Q(reward_max__gte=0), name="laa_reward_not_negative"),
            models.CheckConstraint(condition=~Q(stretch=F("baseline")), name="laa_stretch_moves"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.baseline} to {self.stretch} by {self.target_year}"

    @property
    def authority_id(self) -> int:
        return int(self.agreement.authority_id)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.agreement_id and self.target_year is not None:
            errors.update(self._within_period())
        if self.indicator_id and self.baseline is not None and self.stretch is not None:
            errors.update(self._better())
        if self.reward_max is not None and self.reward_max < 0:
            errors["reward_max"] = "The reward must not be negative."
        if self.agreement_id and self.indicator_id and self._repeats():
            errors["indicator"] = "The agreement has a target on this indicator already."
        if errors:
            raise ValidationError(errors)

    def _within_period(self) -> dict[str, str]:
        agreement = self.agreement
        if agreement.start_year <= self.target_year <= agreement.end_year:
            return {}
        return {"target_year": f"The target year must lie within {agreement.period_label}."}

    def _better(self) -> dict[str, str]:
        """The stretch must be better than the baseline, in the indicator's polarity where
        one is known (else the stretch itself says which way is better)."""
        from ..laa import better_direction

        sign = indicator_sign(self.indicator) or None
        try:
            better_direction(self.baseline, self.stretch, sign)
        except ValueError:
            return {"stretch": "The stretch target must be better than the baseline."}
        return {}

    def _repeats(self) -> bool:
        same = AgreementTarget.objects.filter(
            agreement_id=self.agreement_id, indicator_id=self.indicator_id
        )
        return same.exclude(pk=self.pk).exists()


__all__ = [
    "ADD_LAA",
    "VIEW_LAA",
    "AgreementPartner",
    "AgreementQuerySet",
    "AgreementTarget",
    "LocalAreaAgreement",
    "PartnerKind",
    "indicator_sign",
    "reward_rules",
]
