"""People's category labels kept in the database (a new label replaces the standing one for
its combination, which is kept; a category the rules lack is refused) and read by `assign`;
and the categories page on the real GLA files, for each role: the office labels, the
partnership reads, residents and the public are refused; totals to the penny."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ambition.registry.models import Authority
from ambition.spend.categories.assign import LABEL, RULES, SUPPLIER, assign
from ambition.spend.categories.keys import combination_key
from ambition.spend.categories.labels import LabelError, label, standing
from ambition.spend.categories.rules import shipped
from ambition.spend.models import CategoryLabel

from .test_categories import GLA_THREE
from .test_store import gla_sums, needs_data, store_gla


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


def fields(expense_type: str, account: str = "", service: str = "", purpose: str = "") -> Any:
    return {
        "expense_type": expense_type,
        "account": account,
        "service": service,
        "purpose": purpose,
    }


def test_a_label_replaces_the_standing_one_and_keeps_it(analyst: Any) -> None:
    first = label(fields("Legal Fees", service="Housing"), "legal", "what it says", analyst)
    assert first.key == combination_key(["Legal Fees", None, "Housing", None])
    assert first.labelled_by == analyst and first.replaced_at is None
    # The same combination as the rules read it, spelt otherwise: it replaces the first.
    second = label(fields("LEGAL-FEES ", service="housing"), "consultancy", "advice", analyst)
    first.refresh_from_db()
    assert second.key == first.key
    assert first.replaced_by == second and first.replaced_at is not None
    assert list(CategoryLabel.objects.standing()) == [second]
    assert CategoryLabel.objects.count() == 2
    frame = pl.DataFrame({"expense_type": ["legal fees"], "service": ["HOUSING"]})
    (row,) = assign(frame).iter_rows(named=True)  # the labels read from the database
    assert (row["category"], row["source"]) == ("consultancy", LABEL)
    assert row["why"] == f"label {second.pk}: advice"
    assert standing().count == 1


@pytest.mark.parametrize(
    ("given", "category", "message"),
    [
        (fields("Legal fees"), "lawyers", "category: 'lawyers' is not a category of the rules"),
        (fields(" -- ", purpose="/"), "legal", "nothing to label"),
        (fields("x" * 501), "legal", "expense type: 501 characters"),
    ],
)
def test_a_bad_label_is_refused_and_nothing_is_kept(
    analyst: Any, given: Any, category: str, message: str
) -> None:
    with pytest.raises(LabelError, match=message):
        label(given, category, "", analyst)
    assert not CategoryLabel.objects.exists()


def test_a_file_of_labels_all_or_nothing(analyst: Any, tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    header = "expense_type,account,service,purpose,category,reason\r\n"
    path.write_text(
        header
        + "Legal fees,,,,legal,law\r\nCloud,,,,lawyers,\r\n,,,,ict,\r\nLEGAL FEES,,,,legal,\r\n"
    )
    with pytest.raises(CommandError, match="3 problem"):
        call_command("label_categories", str(path), stderr=io.StringIO())
    assert not CategoryLabel.objects.exists()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("label_categories", str(path), stderr=out)
    assert out.getvalue().splitlines() == [
        "row 3: category: 'lawyers' is not a category of the rules; choose one of "
        + ", ".join(c.code for c in shipped().categories),
        "row 4: nothing to label: no expense type, account, service or purpose has any "
        "letters or digits",
        "row 5: the same combination, as the rules read it, as row 2",
    ]
    path.write_text("expense_type,category,reasons\n")
    with pytest.raises(CommandError):
        call_command("label_categories", str(path), stderr=(err := io.StringIO()))
    assert "row 1: missing column account" in err.getvalue()
    assert "row 1: unknown column 'reasons'" in err.getvalue()
    label(fields("Cloud"), "legal", "first", analyst)
    path.write_text(header + "Legal fees,,,,legal,law\r\ncloud,,,,ict,hosting\r\n")
    call_command("label_categories", str(path), "--user", "test-analyst", stdout=io.StringIO())
    assert CategoryLabel.objects.standing().count() == 2
    cloud = CategoryLabel.objects.standing().get(category="ict")
    assert (cloud.labelled_by, cloud.reason) == (analyst, "hosting")
    assert CategoryLabel.objects.get(category="legal", expense_type="Cloud").replaced_by == cloud


# The page, on three of the GLA's real files.


@pytest.fixture
def gla(db: None) -> Authority:
    authority = Authority.objects.get(code="E61000001")
    store_gla(authority, GLA_THREE)
    return authority


def table(client: Client, name: str, **query: str) -> list[dict[str, Any]]:
    response = client.get("/spend/categories/", {"format": "json", "table": name, **query})
    assert response.status_code == 200, response
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


@needs_data
def test_the_page_to_the_penny_and_for_each_role(gla: Authority, people: dict[str, Client]) -> None:
    total = sum(gla_sums(GLA_THREE)["year"].values(), Decimal(0))
    for role in ("analyst", "officer", "board"):
        page = people[role].get("/spend/categories/", {"authority": gla.code})
        assert page.status_code == 200, role
        assert ("Label<span" in page.content.decode()) is (role == "analyst"), role
    categories = table(people["board"], "categories", authority=gla.code)
    left = table(people["board"], "uncategorised", authority=gla.code)
    categorised = sum(Decimal(str(r["amount"])) for r in categories)
    assert categorised + sum(Decimal(str(r["amount"])) for r in left) == total
    sources = {r["source"]: r for r in table(people["board"], "sources")}
    # No label yet: the rules, and a supplier's category for rows the rules cannot place.
    decided = [Decimal(str(sources[k]["amount"])) for k in (RULES, SUPPLIER)]
    assert sum(decided) == categorised and decided[1] > 0
    assert sum(r["transactions"] for r in sources.values()) == sum(
        r["transactions"] for r in categories
    )
    for kind in ("csv", "xlsx"):
        got = people["officer"].get("/spend/categories/", {"format": kind})
        assert got.status_code == 200 and got["Content-Disposition"].endswith(f'.{kind}"')

    # The office labels the largest uncategorised combination that has any text.
    chosen = next(r for r in left if any(r[f] for f in ("expense_type", "account", "service")))
    combination = {f: chosen[f] or "" for f in ("expense_type", "account", "service", "purpose")}
    post = {**combination, "category": "financial", "reason": "a test", "authority": gla.code}
    for role in ("officer", "board"):
        assert people[role].post("/spend/categories/label/", post).status_code == 403, role
        assert people[role].get("/spend/categories/label/", combination).status_code == 403
    form = people["analyst"].get("/spend/categories/label/", combination)
    assert form.status_code == 200 and 'data-form="label"' in form.content.decode()
    refused = people["analyst"].post("/spend/categories/label/", {**post, "category": "lawyers"})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    done = people["analyst"].post("/spend/categories/label/", post, follow=True)
    assert done.redirect_chain == [(f"/spend/categories/?authority={gla.code}", 302)]
    assert "Labelled Financial Services" in done.content.decode()
    assert CategoryLabel.objects.standing().get().category == "financial"

    sources = {r["source"]: r for r in table(people["officer"], "sources", authority=gla.code)}
    assert sources[LABEL]["transactions"] == chosen["transactions"]
    assert Decimal(str(sources[LABEL]["amount"])) == Decimal(str(chosen["amount"]))
    after = table(people["officer"], "categories", authority=gla.code)
    assert sum(Decimal(str(r["amount"])) for r in after) == categorised + Decimal(
        str(chosen["amount"])
    )
    listed = people["board"].get("/spend/categories/labels/")
    assert listed.status_code == 200 and "spend-analyst" in listed.content.decode()
    assert (
        people["board"].get("/spend/categories/labels/?format=json").json()["rows"][0]["category"]
        == "financial"
    )

    # The command reports the same, by source too.
    out = io.StringIO()
    call_command("categorise_spend", gla.code, "--format", "csv", stdout=out)
    lines = list(csv.DictReader(io.StringIO(out.getvalue())))
    by_source = {r["key"]: r for r in lines if r["section"] == "source"}
    assert set(by_source) == {"label", "rules", "model", "supplier"}
    (whole,) = [r for r in lines if r["section"] == "categorised"]
    assert sum(Decimal(r["amount"]) for r in by_source.values()) == Decimal(whole["amount"])

    for role, path in (
        ("resident", "/spend/categories/"),
        ("resident", "/spend/categories/labels/"),
        ("resident", "/spend/categories/label/"),
    ):
        assert people[role].get(path).status_code == 403, (role, path)
    for path in ("/spend/categories/", "/spend/categories/labels/", "/spend/categories/label/"):
        response = people["anonymous"].get(path)
        assert response.status_code == 302 and "/login" in response["Location"], path
    assert people["anonymous"].post("/spend/categories/label/", post).status_code == 302
    assert people["board"].get("/spend/categories/?authority=E09000001").status_code == 404
