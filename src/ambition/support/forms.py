"""Asking for support and offering it. A council officer acts for their own authority; the
performance office for any member. What prompted a request (a weak service area or an early
warning of an assessment run) comes with it from the scorecard."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from ambition.assessment.models import AssessmentRun, RunArea, RunWarning
from ambition.indicators.membership import acting_for, members_in
from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority
from ambition.web.parameters import ChoicesById, IdField, object_id

from .models import (
    Preference,
    SupportKind,
    SupportOffer,
    SupportRequest,
    financial_year,
    year_label,
)

LONGEST_WINDOW = datetime.timedelta(days=730)


def member_queryset() -> QuerySet[Authority]:
    return members_in().order_by("name")


class AuthorityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SupportForm(forms.Form):
    """What a request and an offer both name first: whose it is (an authority the person
    may act for with `permission`), the service area and the kind of support."""

    permission = ""
    authority = AuthorityChoice(queryset=Authority.objects.none(), empty_label=None)
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(), empty_label="Choose a service area"
    )
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind of support"), *SupportKind.choices],
        label="Kind of support",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = acting_for(user, self.permission)


class RequestForm(SupportForm):
    permission = "support.add_supportrequest"
    problem = forms.CharField(
        label="What is wrong",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="What the service is struggling with and what good help would look like.",
    )
    staff_days = forms.IntegerField(
        label="Staff days wanted", min_value=1, max_value=365, help_text="In whole days."
    )
    window_start = forms.DateField(
        label="Help could start on", help_text="A date written YYYY-MM-DD, e.g. 2026-05-01."
    )
    window_end = forms.DateField(label="Help must end by", help_text="A date written YYYY-MM-DD.")
    preference = forms.ChoiceField(choices=Preference.choices, initial=Preference.NEITHER)
    avoid = ChoicesById(
        queryset=Authority.objects.none(),
        required=False,
        label="Authorities to avoid",
        help_text="Any with a conflict of interest: the broker never proposes them.",
    )
    run = IdField(required=False, widget=forms.HiddenInput)
    area = IdField(required=False, widget=forms.HiddenInput)
    warning = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["avoid"].queryset = member_queryset()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", "The last day must be on or after the first day")
        elif start and end and end - start > LONGEST_WINDOW:
            self.add_error("window_end", "A request's dates can span two years at most")
        authority = data.get("authority")
        if authority and authority in (data.get("avoid") or []):
            self.add_error("avoid", "An authority cannot avoid itself")
        self._check_prompt(data)
        return data

    def _check_prompt(self, data: dict[str, Any]) -> None:
        """What prompted the request must be the authority's, in the named run."""
        run_id, area_id, warning_id = data.get("run"), data.get("area"), data.get("warning")
        if not run_id:
            if area_id or warning_id:
                self.add_error(None, "A weak area or warning needs its assessment run")
            return
        run = AssessmentRun.objects.by_id(run_id)
        area = RunArea.objects.filter(pk=area_id, run_id=run_id).first() if area_id else None
        warning = (
            RunWarning.objects.filter(pk=warning_id, run_id=run_id).first() if warning_id else None
        )
        authority = data.get("authority")
        for prompt in (area, warning):
            if prompt is not None and authority and prompt.authority_id != authority.pk:
                self.add_error(None, "What prompted the request is another authority's")
        if run is None or (area_id and area is None) or (warning_id and warning is None):
            self.add_error(None, "What prompted the request is not in that assessment run")
        data["prompted_by_run"], data["prompted_by_area"] = run, area
        data["prompted_by_warning"] = warning

    def save(self, user: Any) -> SupportRequest:
        data = self.cleaned_data
        made = SupportRequest.objects.create(
            authority=data["authority"],
            service_area=data["service_area"],
            kind=data["kind"],
            problem=data["problem"],
            staff_days=data["staff_days"],
            window_start=data["window_start"],
            window_end=data["window_end"],
            preference=data["preference"],
            prompted_by_run=data.get("prompted_by_run"),
            prompted_by_area=data.get("prompted_by_area"),
            prompted_by_warning=data.get("prompted_by_warning"),
            created_by=user,
        )
        made.avoid.set(data["avoid"])
        return made


def prompted_initial(run_id: str, area_id: str, warning_id: str) -> dict[str, Any]:
    """The form's starting values when it comes from a scorecard's weak area or warning
    (none when the ids name nothing: the query string is anyone's to write)."""
    initial: dict[str, Any] = {}
    run = object_id(run_id)
    area = RunArea.objects.filter(pk=object_id(area_id), run_id=run).first()
    warning = RunWarning.objects.filter(pk=object_id(warning_id), run_id=run).first()
    if area is not None:
        initial.update(
            authority=area.authority_id,
            service_area=area.area_id,
            area=area.pk,
            run=area.run_id,
            problem=f"{area.area.name} is a weak service area in assessment run "
            f"{area.run_id}: {area.weak_reason or 'score ' + str(area.score)}.",
        )
    if warning is not None:
        indicator = warning.indicator
        initial.update(
            authority=warning.authority_id,
            service_area=indicator.service_area_id,
            warning=warning.pk,
            run=warning.run_id,
            problem=f"Early warning in assessment run {warning.run_id}: {indicator.name}"
            + _forecast_words(warning),
        )
    return initial


def _forecast_words(warning: RunWarning) -> str:
    said = ""
    if warning.forecast is not None:
        said += f" is forecast at {warning.forecast:.4g} next period"
    if warning.p_bottom_quartile is not None:
        said += f", with a {warning.p_bottom_quartile:.0%} chance of the bottom quartile"
    return (said or " is at risk") + "."


class OfferForm(SupportForm):
    permission = "support.add_supportoffer"
    staff_days = forms.IntegerField(
        label="Staff days a year", min_value=1, max_value=2000, help_text="In whole days."
    )
    year = forms.TypedChoiceField(
        coerce=int,
        label="Financial year",
        help_text="The year the days are offered for, April to March.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        this = financial_year(datetime.date.today())
        self.fields["year"].choices = [(y, year_label(y)) for y in (this, this + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keys = ("authority", "service_area", "kind", "year")
        if (
            all(data.get(k) for k in keys)
            and SupportOffer.objects.filter(**{k: data[k] for k in keys}).exists()
        ):
            self.add_error(
                None, "This authority already offers that kind of support in that area that year"
            )
        return data

    def save(self, user: Any) -> SupportOffer:
        fields = ("authority", "service_area", "kind", "staff_days", "year")
        return SupportOffer.objects.create(
            **{k: self.cleaned_data[k] for k in fields}, created_by=user
        )


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    role = forms.CharField(max_length=200, help_text="Their job, e.g. Head of adult social care")
    expertise = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="What they know: seen only by the performance office and the two parties.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
