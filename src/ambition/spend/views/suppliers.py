"""Supplier clusters as a person reviews them: the latest run's suppliers (those needing
review first to hand), and one cluster's names with the forms to confirm it, split a name out
or merge it with another. The office decides; the partnership's officers and board read;
nobody else, since a supplier's name can be a person's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from ambition.spend.models import (
    REVIEW_BELOW,
    REVIEW_SUPPLIERS,
    VIEW_SUPPLIERS,
    SupplierCluster,
    SupplierClusterQuerySet,
    SupplierDecision,
    SupplierMember,
    SupplierRun,
)
from ambition.spend.suppliers.stored import decide, decisions_about
from ambition.web.tables import Column, Table, respond

PAGE_SIZE = 50
SEARCH_RESULTS = 20
CLUSTER_COLUMNS = [
    Column("key", "Key"),
    Column("name", "Supplier"),
    Column("authorities", "Authorities"),
    Column("authority_names", "Authority names"),
    Column("members", "Names"),
    Column("min_probability", "Lowest match probability"),
    Column("state", "Decision"),
    Column("overridden", "Decisions overriding this run"),
]
MEMBER_COLUMNS = [
    Column("supplier", "Supplier as written"),
    Column("authority_code", "ONS code"),
    Column("authority", "Authority"),
    Column("company_number", "Company number"),
    Column("charity_number", "Charity number"),
    Column("postcode", "Postcode"),
    Column("match_probability", "Match probability"),
]


def shown(run: SupplierRun | None, request: HttpRequest) -> SupplierClusterQuerySet:
    """The run's clusters the page lists, filtered to those needing review or those a
    decision changed, and searched by name."""
    found = SupplierCluster.objects.of_run(run).filter(members_count__gt=0)
    if request.GET.get("review"):
        found = found.needing_review()
    if request.GET.get("overridden"):
        found = found.exclude(overridden=[])
    if query := request.GET.get("q", "").strip():
        found = found.filter(name__icontains=query)
    return found.order_by(F("min_probability").asc(nulls_last=True), "name", "id")


def authority_names(cluster_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each cluster's authorities, by name, in one query."""
    named: dict[int, set[str]] = defaultdict(set)
    found = SupplierMember.objects.filter(cluster_id__in=list(cluster_ids))
    for cluster_id, name in found.values_list("cluster_id", "authority__name"):
        named[cluster_id].add(name)
    return {k: sorted(v) for k, v in named.items()}


def cluster_rows(clusters: Iterable[SupplierCluster]) -> list[dict[str, Any]]:
    listed = list(clusters)
    names = authority_names(c.pk for c in listed)
    return [
        {
            "key": c.key,
            "name": c.name,
            "authorities": c.authorities,
            "authority_names": "; ".join(names.get(c.pk, [])),
            "members": c.members_count,
            "min_probability": c.min_probability,
            "state": c.get_state_display(),
            "state_code": c.state,
            "overridden": len(c.overridden),
            "url": reverse("spend-supplier", args=[c.pk]),
        }
        for c in listed
    ]


@login_required
@permission_required(VIEW_SUPPLIERS, raise_exception=True)
@require_safe
def supplier_list(request: HttpRequest) -> HttpResponse:
    run = SupplierRun.objects.latest_run()
    found = shown(run, request)
    if download := respond(
        request, lambda: Table("suppliers", CLUSTER_COLUMNS, cluster_rows(found))
    ):
        return download
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "run": run,
        "page_obj": page,
        "rows": cluster_rows(page),
        "review": bool(request.GET.get("review")),
        "query": request.GET.get("q", ""),
        "review_below": REVIEW_BELOW,
    }
    return render(request, "spend/suppliers_list.html", context)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=SupplierDecision.Action.choices)
    member = forms.IntegerField(required=False, label="Name to split out")
    other = forms.IntegerField(required=False, label="Cluster to merge with")
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea, label="Why",
        help_text="Kept with the decision, which every later run follows",
    )  # fmt: skip

    def __init__(self, *args: Any, cluster: SupplierCluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cluster = cluster

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        needs_reason = action in (SupplierDecision.Action.SPLIT, SupplierDecision.Action.MERGE)
        if needs_reason and not data.get("reason", "").strip():
            self.add_error("reason", "Say why: the decision overrides every later run")
        if action == SupplierDecision.Action.SPLIT:
            data["member_obj"] = self._member(data.get("member"))
        if action == SupplierDecision.Action.MERGE:
            data["other_obj"] = self._other(data.get("other"))
        return data

    def _member(self, pk: int | None) -> SupplierMember | None:
        member = SupplierMember.objects.filter(cluster=self.cluster, pk=pk).first()
        if member is None:
            self.add_error("member", "Choose one of this cluster's names")
        elif self.cluster.members_count < 2:
            self.add_error("member", "A cluster of one name has nothing to split from")
        return member

    def _other(self, pk: int | None) -> SupplierCluster | None:
        other = (
            SupplierCluster.objects.filter(run=self.cluster.run, pk=pk, members_count__gt=0)
            .exclude(pk=self.cluster.pk)
            .first()
        )
        if other is None:
            self.add_error("other", "Choose another cluster of this run")
        return other


def member_rows(members: Iterable[SupplierMember]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "supplier": m.supplier,
            "authority_code": m.authority.code,
            "authority": m.authority.name,
            "company_number": m.company_number,
            "charity_number": m.charity_number,
            "postcode": m.postcode,
            "match_probability": m.match_probability,
        }
        for m in members
    ]


def merge_candidates(cluster: SupplierCluster, query: str) -> list[SupplierCluster]:
    if not query:
        return []
    found = SupplierCluster.objects.of_run(cluster.run).filter(
        members_count__gt=0, name__icontains=query
    )
    return list(found.exclude(pk=cluster.pk).order_by("name", "id")[:SEARCH_RESULTS])


@login_required
@permission_required(VIEW_SUPPLIERS, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(SupplierCluster.objects.select_related("run"), pk=pk)
    members = SupplierMember.objects.filter(cluster=cluster).select_related("authority")
    if download := respond(
        request, lambda: Table(f"supplier-{cluster.key}", MEMBER_COLUMNS, member_rows(members))
    ):
        return download
    form = DecisionForm(cluster=cluster)
    if request.method == "POST":
        if not request.user.has_perm(REVIEW_SUPPLIERS):
            raise PermissionDenied
        form = DecisionForm(request.POST, cluster=cluster)
        if decided := decided_from(request, form, cluster):
            return decided
    return render(request, "spend/suppliers_detail.html", detail_context(request, cluster, form))


def decided_from(
    request: HttpRequest, form: DecisionForm, cluster: SupplierCluster
) -> HttpResponse | None:
    """Record the decision the form makes, and go to the cluster it leaves the name in."""
    latest = SupplierRun.objects.latest_run()
    if latest is None or cluster.run_id != latest.pk:
        form.add_error(None, "Decide on the latest run's clusters: this run is superseded")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    decision = decide(
        data["action"], cluster, data["reason"].strip(), request.user,
        member=data.get("member_obj"), other=data.get("other_obj"),
    )  # fmt: skip
    messages.success(request, f"{decision.get_action_display()}: {cluster.name}.")
    target = SupplierMember.objects.filter(
        run=cluster.run, key=decision.together[0] if decision.together else ""
    ).first()
    return redirect("spend-supplier", pk=target.cluster_id if target else cluster.pk)


def detail_context(
    request: HttpRequest, cluster: SupplierCluster, form: DecisionForm
) -> dict[str, Any]:
    members = list(
        SupplierMember.objects.filter(cluster=cluster)
        .select_related("authority")
        .order_by("-match_probability", "supplier", "id")
    )
    query = request.GET.get("q", "").strip()
    overridden = set(cluster.overridden)
    return {
        "cluster": cluster,
        "run": cluster.run,
        "latest": SupplierRun.objects.latest_run(),
        "rows": member_rows(members),
        "splink_apart": len({m.splink_cluster for m in members}) > 1,
        "decisions": [
            {"decision": d, "overridden": d.pk in overridden}
            for d in decisions_about(m.key for m in members)
        ],
        "form": form,
        "query": query,
        "candidates": merge_candidates(cluster, query),
        "may_decide": request.user.has_perm(REVIEW_SUPPLIERS),
    }


urlpatterns: list[URLPattern] = [
    path("spend/suppliers/", supplier_list, name="spend-suppliers"),
    path("spend/suppliers/<int:pk>/", supplier_detail, name="spend-supplier"),
]
