"""Procurement categories as the partnership reads them: how much of the stored spend (every
authority's, or one's) is categorised, spend by category (a chart with its table), how
categories were decided (a person's label, the word rules, the model learnt from labels),
and the uncategorised combinations of fields by spend, each with the rules' reason. The
office labels a combination, which overrides the rules for it in every authority; the
standing labels are listed with who made them and when."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from ambition.registry.models import Authority
from ambition.spend.categories.assign import SOURCE, assign
from ambition.spend.categories.chart import category_chart
from ambition.spend.categories.keys import combination_key
from ambition.spend.categories.labels import LabelError, label
from ambition.spend.categories.report import CategoryReport, Combination, spend_categories
from ambition.spend.categories.rules import FIELDS, LABELS, shipped
from ambition.spend.models import (
    LABEL_CATEGORIES,
    VIEW_OPPORTUNITIES,
    CategoryLabel,
    SpendFile,
)
from ambition.web.tables import Column, Table, respond

PAGE_SIZE = 50
SOURCE_NAMES = {
    "label": "A person's label",
    "rules": "The word rules",
    "model": "The model learnt from labels",
    "supplier": "The supplier's category in its other spend",
}
FIELD_COLUMNS = [Column(f, LABELS[f].capitalize()) for f in FIELDS]
UNCATEGORISED_COLUMNS = [
    *FIELD_COLUMNS,
    Column("transactions", "Transactions"),
    Column("amount", "Spend (GBP)"),
    Column("why", "Why no category"),
    Column("key", "Combination key"),
]
CATEGORY_COLUMNS = [
    Column("code", "Category code"),
    Column("name", "Category"),
    Column("procurement", "Buys something"),
    Column("transactions", "Transactions"),
    Column("amount", "Spend (GBP)"),
]
SOURCE_COLUMNS = [
    Column("source", "Decided by"),
    Column("transactions", "Transactions"),
    Column("amount", "Spend (GBP)"),
]
LABEL_COLUMNS = [
    Column("id", "Label"),
    *FIELD_COLUMNS,
    Column("category", "Category code"),
    Column("category_name", "Category"),
    Column("reason", "Why"),
    Column("labelled_by", "Labelled by"),
    Column("labelled_at", "Labelled at"),
    Column("replaces", "Earlier labels replaced"),
]


def with_spend() -> Any:
    """The authorities with spend stored, by name."""
    return Authority.objects.filter(pk__in=SpendFile.objects.values("authority_id")).order_by(
        "name"
    )


def chosen_authority(request: HttpRequest) -> Authority | None:
    """The authority `?authority=<ONS code>` names, or None for every authority."""
    code = request.GET.get("authority", "").strip()
    if not code:
        return None
    found = with_spend().filter(code=code).first()
    if found is None:
        raise Http404("No authority with spend stored has that code")
    return found


def share(part: Any, whole: Any) -> float | None:
    return float(part / whole * 100) if whole else None


def label_url(texts: dict[str, str | None], authority: Authority | None) -> str:
    query = {f: texts.get(f) or "" for f in FIELDS}
    if authority is not None:
        query["authority"] = authority.code
    return f"{reverse('spend-category-label')}?{urlencode(query)}"


def combination_rows(
    combinations: Sequence[Combination], authority: Authority | None
) -> list[dict[str, Any]]:
    return [
        {
            **{f: c.texts.get(f) or "" for f in FIELDS},
            "transactions": c.transactions,
            "amount": c.amount,
            "why": c.why,
            "key": c.key,
            # nothing given: nothing a label could name
            "url": label_url(c.texts, authority) if any(c.texts.values()) else None,
        }
        for c in combinations
    ]


def category_rows(result: CategoryReport) -> list[dict[str, Any]]:
    return [
        {
            "code": c.key,
            "name": c.name,
            "procurement": "yes" if c.procurement else "no",
            "transactions": c.transactions,
            "amount": c.amount,
            "percent": share(c.amount, result.amount),
        }
        for c in result.categories
    ]


def source_rows(result: CategoryReport) -> list[dict[str, Any]]:
    return [
        {
            "source": s.key,
            "name": SOURCE_NAMES[s.key],
            "transactions": s.transactions,
            "amount": s.amount,
            "percent": share(s.amount, result.amount),
        }
        for s in result.sources
    ]


def _download(request: HttpRequest, result: CategoryReport, authority: Authority | None) -> Table:
    suffix = f"-{authority.code}" if authority is not None else ""
    wanted = request.GET.get("table") or "uncategorised"
    if wanted == "categories":
        return Table(f"spend-by-category{suffix}", CATEGORY_COLUMNS, category_rows(result))
    if wanted == "sources":
        return Table(f"categories-decided-by{suffix}", SOURCE_COLUMNS, source_rows(result))
    if wanted == "uncategorised":
        rows = combination_rows(result.uncategorised, authority)
        return Table(f"uncategorised{suffix}", UNCATEGORISED_COLUMNS, rows)
    raise Http404("No such table")


@login_required
@permission_required(VIEW_OPPORTUNITIES, raise_exception=True)
@require_safe
def category_overview(request: HttpRequest) -> HttpResponse:
    authority = chosen_authority(request)
    result = spend_categories(authority)
    if download := respond(request, lambda: _download(request, result, authority)):
        return download
    page = Paginator(result.uncategorised, PAGE_SIZE).get_page(request.GET.get("page"))
    passed_on = result.passed_on_amount
    bought = result.amount - passed_on
    scope = authority.name if authority is not None else "every authority"
    context = {
        "authority": authority,
        "authorities": with_spend(),
        "scope": scope,
        "result": result,
        "money_percent": share(result.categorised_amount, result.amount),
        "rows_percent": share(result.categorised_transactions, result.transactions),
        "passed_on": passed_on,
        "procurement_percent": share(result.categorised_amount - passed_on, bought),
        "chart": category_chart(result, f"Spend by category, {scope}"),
        "category_rows": category_rows(result),
        "source_rows": source_rows(result),
        "page_obj": page,
        "uncategorised_rows": combination_rows(page.object_list, authority),
        "may_label": request.user.has_perm(LABEL_CATEGORIES),
    }
    return render(request, "spend/categories.html", context)


class LabelForm(forms.Form):
    category = forms.ChoiceField(label="Category")
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Why",
        help_text="Kept with the label: it overrides the rules for this combination in every "
        "authority, and teaches the model",
        error_messages={"required": "Say why: the label overrides the rules everywhere"},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c.code, c.name) for c in shipped().categories]
        self.fields["category"].choices = [("", "Choose a category"), *choices]


def texts_of(data: QueryDict) -> dict[str, str]:
    return {f: data.get(f, "").strip() for f in FIELDS}


def outcome(texts: dict[str, str]) -> dict[str, Any]:
    """How the combination is categorised now, by the one way every page asks."""
    frame = pl.DataFrame(
        {f: [texts[f] or None] for f in FIELDS}, schema=dict.fromkeys(FIELDS, pl.String)
    )
    row = assign(frame).row(0, named=True)
    names = shipped().names()
    return {
        **row,
        "name": names.get(row["category"] or ""),
        "source_name": SOURCE_NAMES.get(row[SOURCE] or ""),
    }


@login_required
@permission_required(LABEL_CATEGORIES, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def category_label(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    texts = texts_of(data)
    back = reverse("spend-categories")
    code = data.get("authority", "").strip()
    if code and with_spend().filter(code=code).exists():
        back = f"{back}?{urlencode({'authority': code})}"
    form = LabelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = label(
                texts, form.cleaned_data["category"], form.cleaned_data["reason"], request.user
            )
        except LabelError as error:
            form.add_error(None, str(error))
        else:
            name = shipped().names()[made.category]
            messages.success(request, f"Labelled {name}: {_described(texts)}.")
            return redirect(back)
    key = combination_key([texts[f] for f in FIELDS])
    context = {
        "form": form,
        "texts": [(LABELS[f].capitalize(), f, texts[f]) for f in FIELDS],
        "outcome": outcome(texts),
        "history": history(key),
        "authority_code": code,
        "back": back,
    }
    return render(request, "spend/categories_label.html", context)


def history(key: str) -> list[CategoryLabel]:
    """Every label of the combination, latest first, each with its category's name."""
    names = shipped().names()
    found = CategoryLabel.objects.filter(key=key).select_related("labelled_by")
    labels = list(found.order_by("-labelled_at", "-id"))
    for x in labels:
        x.category_name = names.get(x.category, "not a category of the rules now")
    return labels


def _described(texts: dict[str, str]) -> str:
    given = [f"{LABELS[f]} '{texts[f]}'" for f in FIELDS if texts[f]]
    return ", ".join(given) or "no expense type, account, service or purpose"


def label_rows(labels: Sequence[CategoryLabel], replaced: dict[str, int]) -> list[dict[str, Any]]:
    names = shipped().names()
    return [
        {
            "id": x.pk,
            **{f: getattr(x, f) for f in FIELDS},
            "category": x.category,
            "category_name": names.get(x.category, "not a category of the rules now"),
            "reason": x.reason,
            "labelled_by": str(x.labelled_by) if x.labelled_by else "",
            "labelled_at": x.labelled_at,
            "replaces": replaced.get(x.key, 0),
            "url": label_url({f: getattr(x, f) for f in FIELDS}, None),
        }
        for x in labels
    ]


@login_required
@permission_required(VIEW_OPPORTUNITIES, raise_exception=True)
@require_safe
def category_labels(request: HttpRequest) -> HttpResponse:
    found = (
        CategoryLabel.objects.standing()
        .select_related("labelled_by")
        .order_by("-labelled_at", "-id")
    )
    replaced: dict[str, int] = {}
    for key in CategoryLabel.objects.exclude(replaced_at=None).values_list("key", flat=True):
        replaced[key] = replaced.get(key, 0) + 1
    if download := respond(
        request, lambda: Table("category-labels", LABEL_COLUMNS, label_rows(list(found), replaced))
    ):
        return download
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": label_rows(list(page.object_list), replaced),
        "may_label": request.user.has_perm(LABEL_CATEGORIES),
    }
    return render(request, "spend/categories_labels.html", context)


urlpatterns: list[URLPattern] = [
    path("spend/categories/", category_overview, name="spend-categories"),
    path("spend/categories/label/", category_label, name="spend-category-label"),
    path("spend/categories/labels/", category_labels, name="spend-category-labels"),
]
