"""Supplier runs kept in the database and people's decisions about them: labels applied
after Splink (split names stay apart, merged clusters stay together, confirmed ones stay
confirmed) on every later run, with the run's disagreements shown; redacted suppliers never
stored; the pages for the office, read by the partnership, refused to residents."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.html import escape

from ambition.accounts.people import RoleSpec, create_person
from ambition.registry.models import Authority
from ambition.spend.engine import Step
from ambition.spend.models import SupplierCluster, SupplierDecision, SupplierMember, SupplierRun
from ambition.spend.reading.values.markers import is_redacted
from ambition.spend.store import Result, store_spend
from ambition.spend.suppliers.labels import (
    CONFIRM,
    CONFIRMED,
    MERGE,
    SPLIT,
    Label,
    applied,
    member_key,
    state,
)
from ambition.spend.suppliers.stored import decide
from ambition.spend.suppliers.synthetic import truth_set
from ambition.spend.transactions import open_transactions

WITHHELD = ["REDACTED", "Redacted - personal data", "Individual", "Personal Data"]


# Labels alone: Splink's clusters in, decisions applied in the order made.


def test_a_split_name_stays_apart_and_a_merge_stays_together() -> None:
    splink = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "3"}
    labels = [Label(1, SPLIT, ("c",), ("a", "b")), Label(2, MERGE, ("a", "b", "d"))]
    result = applied(splink, labels)
    assert result.group_of["c"] != result.group_of["a"]
    assert result.group_of["a"] == result.group_of["b"] == result.group_of["d"]
    assert result.group_of["e"] not in {result.group_of["a"], result.group_of["c"]}
    assert result.disagreed == {1: True, 2: True}  # Splink had c with a, d apart from a


def test_a_run_that_already_agrees_is_not_overridden() -> None:
    result = applied({"a": "1", "b": "1", "c": "2"}, [Label(1, CONFIRM, ("a", "b"))])
    assert result.disagreed == {1: False}
    assert result.groups[result.group_of["a"]] == {"a", "b"}


def test_a_confirmed_cluster_split_by_a_new_run_is_joined_again() -> None:
    result = applied({"a": "1", "b": "2", "n": "2"}, [Label(1, CONFIRM, ("a", "b"))])
    assert result.group_of["a"] == result.group_of["b"] == result.group_of["n"]
    assert result.disagreed == {1: True}
    grouped = result.groups[result.group_of["a"]]
    assert state(grouped, [Label(1, CONFIRM, ("a", "b"))]) == "changed"  # n came since
    assert state({"a", "b"}, [Label(1, CONFIRM, ("a", "b"))]) == CONFIRMED


def test_labels_naming_records_a_run_lacks_apply_to_those_it_has() -> None:
    result = applied({"a": "1", "b": "1"}, [Label(1, SPLIT, ("gone",), ("a",))])
    assert result.group_of["a"] == result.group_of["b"]
    assert member_key("E09000022", "Acme") != member_key("E09000028", "Acme")


# Runs stored: two authorities' spend with a synthetic truth, and withheld suppliers.


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


def spending_file(names: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Supplier", "Amount", "Expense Type"])
    for i, name in enumerate(names):
        writer.writerow([f"2024-04-{1 + i % 28:02d}", name, f"{100 + i}.50", "Supplies"])
    return out.getvalue().encode()


@pytest.fixture
def spend(db: None) -> list[str]:
    """Lambeth and Southwark paying 400 names of 90 suppliers, and people withheld."""
    names = truth_set(400, 90, seed=5)["supplier"].to_list()
    for code, part in (("E09000022", names[::2]), ("E09000028", names[1::2])):
        data = spending_file(part + WITHHELD)
        outcome = store_spend(Authority.objects.get(code=code), data, f"{code}.csv")
        assert outcome.result is Result.STORED, outcome
    return names


def resolved() -> SupplierRun:
    call_command("resolve_suppliers", stdout=io.StringIO())
    run = SupplierRun.objects.latest_run()
    assert run is not None
    return run


def test_a_run_is_stored_with_its_folder_and_no_redacted_supplier(spend: list[str]) -> None:
    engine = open_transactions()
    try:
        withheld = engine.frame(
            Step("withheld", "SELECT * FROM transactions WHERE redacted")
        ).height
    finally:
        engine.close()
    assert withheld == 2 * len(WITHHELD)  # they were in the spend
    run = resolved()
    records = pl.read_parquet(Path(run.folder) / "records.parquet")
    members = SupplierMember.objects.filter(run=run)
    assert members.count() == run.records == records.height
    assert run.model["comparisons"] and run.code_version
    written = set(members.values_list("supplier", flat=True))
    assert not any(is_redacted(name) for name in written)
    assert not written & set(WITHHELD)
    clusters = SupplierCluster.objects.filter(run=run)
    assert sum(clusters.values_list("members_count", flat=True)) == run.records
    assert clusters.count() == run.clusters  # no decision yet: Splink's clusters as they are


def test_decisions_override_a_later_run(spend: list[str], analyst: Any) -> None:
    first = resolved()
    big = SupplierCluster.objects.filter(run=first, members_count__gte=3).order_by("key")
    split_from, merged, confirmed = big[0], big[1], big[2]
    into = SupplierCluster.objects.filter(run=first).exclude(pk__in=[c.pk for c in big]).first()
    assert into is not None
    out = SupplierMember.objects.filter(cluster=split_from).order_by("key").first()
    assert out is not None
    decide(SPLIT, split_from, "a different firm", analyst, member=out)
    decide(MERGE, merged, "one company", analyst, other=into)
    confirmed_keys = set(confirmed.members.values_list("key", flat=True))
    decide(CONFIRM, confirmed, "", analyst)
    # The decision shows at once on the run it was made on.
    assert SupplierMember.objects.get(pk=out.pk).cluster.members_count == 1

    second = resolved()
    assert second.pk != first.pk
    now = {m.key: m.cluster_id for m in SupplierMember.objects.filter(run=second)}
    split = SupplierDecision.objects.get(action=SPLIT)
    assert all(now[out.key] != now[k] for k in split.apart if k in now)
    merge = SupplierDecision.objects.get(action=MERGE)
    assert len({now[k] for k in merge.together}) == 1
    kept = SupplierCluster.objects.get(pk=now[next(iter(confirmed_keys))])
    assert kept.state == CONFIRMED
    assert {m.key for m in kept.members.all()} == confirmed_keys
    # Splink made the same clusters again: it disagreed with the split and the merge.
    disagreed = {d["action"] for d in second.disagreements}
    assert disagreed == {SPLIT, MERGE}
    assert SupplierCluster.objects.get(pk=now[out.key]).overridden == [split.pk]


# Pages.


@pytest.fixture
def people(db: None) -> dict[str, Client | None]:
    clients: dict[str, Client | None] = {"anonymous": Client()}
    for role, spec in (("analyst", ["analyst"]), ("board", ["board"]), ("resident", [])):
        person = create_person(
            f"sup-{role}", "supplier-password-1", [RoleSpec.parse(s) for s in spec]
        )
        clients[role] = Client()
        clients[role].force_login(person)  # type: ignore[union-attr]
    return clients


def test_the_office_reviews_and_residents_are_refused(
    spend: list[str], people: dict[str, Client]
) -> None:
    run = resolved()
    cluster = SupplierCluster.objects.filter(run=run, members_count__gte=2).order_by("key")[0]
    member = cluster.members.order_by("key")[0]
    listed = people["analyst"].get("/spend/suppliers/", {"q": cluster.name})
    assert listed.status_code == 200 and escape(cluster.name) in listed.content.decode()
    review = people["analyst"].get("/spend/suppliers/?review=1&format=json").json()
    assert review["rows"] and all(
        r["authorities"] > 1 or (r["min_probability"] or 1) < 0.99 for r in review["rows"]
    )
    page = people["board"].get(f"/spend/suppliers/{cluster.pk}/")
    assert page.status_code == 200 and escape(member.supplier) in page.content.decode()
    assert 'data-form="split"' not in page.content.decode()  # the board reads, never decides
    split = {"action": "split", "member": member.pk, "reason": "not the same"}
    assert people["board"].post(f"/spend/suppliers/{cluster.pk}/", split).status_code == 403
    missing = people["analyst"].post(f"/spend/suppliers/{cluster.pk}/", {**split, "reason": ""})
    assert missing.status_code == 200 and "Say why" in missing.content.decode()
    done = people["analyst"].post(f"/spend/suppliers/{cluster.pk}/", split)
    assert done.status_code == 302
    alone = SupplierMember.objects.get(pk=member.pk).cluster
    assert done["Location"] == f"/spend/suppliers/{alone.pk}/" and alone.members_count == 1
    changed = people["analyst"].get("/spend/suppliers/?overridden=1&format=json").json()
    assert alone.key in {r["key"] for r in changed["rows"]}
    assert alone.state == "decided" and alone.overridden
    for role in ("resident", "anonymous"):
        for path in ("/spend/suppliers/", f"/spend/suppliers/{cluster.pk}/"):
            response = people[role].get(path)
            assert response.status_code in (302, 403), (role, path)
            assert escape(member.supplier) not in response.content.decode()
