"""Where councils could buy together, on real GLA and Lambeth files with their suppliers
resolved: every penny of spend lands in exactly one place (a procurement category, money
passed on, or uncategorised), each category's authorities add up to it, a supplier bought by
both authorities shows both with the spread of what they pay, a Lambeth row with only a
supplier takes its supplier's clear category, the estimated saving is the office's rate to the
penny, a rate is replaced never edited, and the pages: the office sets rates, officers and
the board read, residents are refused; drill-down and downloads tie to the figures."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.test import Client

from ambition.registry.models import Authority
from ambition.spend import opportunities as opp
from ambition.spend.categories.current import Spend, current_spend, read_categorised
from ambition.spend.categories.suppliers import clear_categories
from ambition.spend.engine import Step
from ambition.spend.models import SavingRate
from ambition.spend.steps import summary
from ambition.spend.transactions import open_transactions

from .test_store import needs_data, store_gla, store_lambeth

pytestmark = needs_data
GLA_FILES = ["2013-P05.csv.gz", "2013-P06.csv.gz"]
# May 2012 gives each supplier's monthly total and nothing else; June 2012 is transactions
# with a department and a description.
LAMBETH_FILES = ["2012-05-payments.csv", "2012-06-payments.csv"]


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def stored(db: None) -> Spend:
    store_gla(Authority.objects.get(code="E61000001"), GLA_FILES)
    store_lambeth(Authority.objects.get(code="E09000022"), LAMBETH_FILES)
    call_command("resolve_suppliers", stdout=io.StringIO())
    return current_spend()


EVERY_ROW = Step("every_categorised_row", "SELECT * FROM categorised")


def every_row(spend: Spend) -> pl.DataFrame:
    """Every current row as categorised, read whole: only small test data should be."""
    return spend.frame(EVERY_ROW)


def source_total(code: str) -> Decimal:
    """The authority's total as `spend-summary` gives it (itself tested against the files)."""
    engine = open_transactions(Authority.objects.get(code=code))
    try:
        table = engine.run(summary("year"), {"authority": code})
    finally:
        engine.close()
    return sum((Decimal(str(v)) for v in table.column("amount").to_pylist()), Decimal(0))


def test_every_penny_is_in_one_place_and_shares_add_up(stored: Spend) -> None:
    everything, buying, uncategorised = opp.totals(stored, None)
    assert everything == source_total("E61000001") + source_total("E09000022")
    categories = opp.by_category(stored, None, {})
    assert sum((c.amount for c in categories), Decimal(0)) == buying
    rows = every_row(stored)
    passed_on = opp.total_of(rows.filter(pl.col("category").is_not_null() & ~pl.col("procurement")))
    assert buying + uncategorised + passed_on == everything
    for line in categories:
        parts = opp.shares(stored, None, category=line.key)
        assert sum((p.amount for p in parts), Decimal(0)) == line.amount
        assert sum(p.transactions for p in parts) == line.transactions
        assert len(parts) == line.authorities
        assert line.saving is None  # no rate set: no saving estimated
    assert any(c.authorities == 2 for c in categories)


def test_a_supplier_both_buy_from_shows_both_and_what_they_pay(stored: Spend) -> None:
    shared = opp.by_supplier(stored, None)
    assert shared, "the GLA and Lambeth share suppliers"
    assert all(s.authorities >= opp.SHARED for s in shared)
    line = shared[0]
    parts = opp.shares(stored, None, supplier=line.key)
    assert {p.code for p in parts} == {"E61000001", "E09000022"}
    assert sum((p.amount for p in parts), Decimal(0)) == line.amount
    medians = [p.median_payment for p in parts]
    assert line.lowest_median == min(medians) and line.highest_median == max(medians)  # type: ignore[type-var]
    drilled = opp.transactions(stored, None, supplier=line.key)
    assert drilled.height == line.transactions
    assert opp.total_of(drilled) == line.amount
    assert opp.counted(stored, None, supplier=line.key) == (line.transactions, line.amount)
    assert drilled["amount"].to_list() == sorted(drilled["amount"].to_list(), reverse=True)
    page = opp.transactions(stored, None, supplier=line.key, offset=1, limit=2)
    assert (
        page.select("file_id", "row").rows() == drilled.slice(1, 2).select("file_id", "row").rows()
    )
    everyone = opp.by_supplier(stored, None, shared_only=False)
    assert len(everyone) > len(shared)


def test_a_share_counts_the_rows_that_are_a_periods_total_not_a_payment(stored: Spend) -> None:
    rows = every_row(stored).filter(pl.col("procurement"))
    for part in opp.shares(stored, None):
        mine = rows.filter(pl.col("authority") == part.code)
        assert part.totals == mine.filter(pl.col("date").is_null()).height
    by_code = {p.code: p for p in opp.shares(stored, None)}
    # Lambeth's May 2012 file is a month's total per supplier; the GLA's rows are payments.
    assert by_code["E09000022"].totals > 0 and by_code["E61000001"].totals == 0


def test_a_row_with_only_a_supplier_takes_its_suppliers_clear_category(
    stored: Spend,
) -> None:
    lambeth_may = every_row(stored).filter(
        (pl.col("authority") == "E09000022") & pl.col("service").is_null()
    )
    assert lambeth_may.height > 0
    taken = lambeth_may.filter(pl.col("source") == "supplier")
    assert taken.height > 0
    assert all("the supplier's other spend is" in why for why in taken["why"].to_list())
    # A supplier never gets a category its own categorised rows do not clearly give.
    left = lambeth_may.filter(pl.col("category").is_null())
    assert left.height > 0


def test_a_suppliers_category_needs_a_clear_majority_over_enough_rows() -> None:
    spent = pl.DataFrame(
        {
            "supplier_key": ["a", "b", "b", "c", "d", "d"],
            "category": ["ict", "ict", "legal", "ict", "ict", "legal"],
            "spend": [300, 10, 10, 5, 80, 20],
            "rows": [3, 1, 1, 1, 4, 1],
        },
        schema_overrides={"spend": pl.Decimal(18, 2)},
    )
    clear = clear_categories(spent, {"ict": "72", "legal": "79"})
    found = {r["supplier_key"]: r for r in clear.iter_rows(named=True)}
    assert found["a"]["category"] == "ict" and found["a"]["cpv"] == "72"  # three rows, all ICT
    assert found["a"]["source"] == "supplier"
    assert "100% in this category, over 3 rows" in found["a"]["why"]
    assert "b" not in found  # split 50/50: no clear category
    assert "c" not in found  # one row is too few to go on
    assert found["d"]["category"] == "ict"  # 80% is clear, over five rows


def test_a_rate_estimates_the_saving_and_is_replaced_not_edited(
    stored: Spend, analyst: object
) -> None:
    line = opp.by_category(stored, None, {})[0]
    opp.set_rate(line.key, Decimal("0.03"), "London contracts review, 2009", analyst)
    opp.set_rate(line.key, Decimal("0.045"), "The buying club's own figure", analyst)
    rates = opp.standing_rates()
    assert rates[line.key].rate == Decimal("0.045")
    kept = SavingRate.objects.filter(category=line.key).order_by("set_at", "id")
    assert [r.rate for r in kept] == [Decimal("0.0300"), Decimal("0.0450")]
    assert kept[0].replaced_by == kept[1] and kept[0].replaced_at is not None
    again = next(c for c in opp.by_category(stored, None, rates) if c.key == line.key)
    assert again.saving == (line.amount * Decimal("0.045")).quantize(Decimal("0.01"))
    for bad, why in (
        (("grants", Decimal("0.01"), "x"), "not a procurement category"),
        (("nonsense", Decimal("0.01"), "x"), "not a procurement category"),
        ((line.key, Decimal("0.6"), "x"), "from 0 to 50%"),
        ((line.key, Decimal("0.01"), "  "), "say where"),
    ):
        with pytest.raises(opp.RateRefused, match=why):
            opp.set_rate(*bad, analyst)


def test_the_pages_for_each_role_with_drill_down_and_downloads(
    stored: Spend, people: dict[str, Client]
) -> None:
    assert people["anonymous"].get("/spend/opportunities/").status_code == 302
    assert people["resident"].get("/spend/opportunities/").status_code == 403
    page = people["board"].get("/spend/opportunities/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-table="categories"' in text and 'data-table="suppliers"' in text
    listed = people["officer"].get("/spend/opportunities/?format=json").json()
    codes = [r["code"] for r in listed["rows"]]
    top = codes[0]
    _, buying, _ = opp.totals(stored, None)
    assert sum(Decimal(str(r["amount"])) for r in listed["rows"]) == buying

    url = f"/spend/opportunities/categories/{top}/"
    rate = {"percent": "2.5", "basis": "The partnership's 2008 estimate"}
    assert people["officer"].post(url, rate).status_code == 403
    assert people["board"].post(url, rate).status_code == 403
    refused = people["analyst"].post(url, {**rate, "percent": "80"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert people["analyst"].post(url, rate).status_code == 302
    shown = people["officer"].get(url).content.decode()
    assert "data-assumption" in shown and "The partnership&#x27;s 2008 estimate" in shown
    assert 'data-form="rate"' not in shown  # an officer reads, never sets

    csv_rows = people["analyst"].get(
        "/spend/opportunities/transactions/", {"category": top, "format": "csv"}
    )
    lines = csv_rows.content.decode().splitlines()
    line = next(c for c in opp.by_category(stored, None, {}) if c.key == top)
    assert len(lines) - 1 == line.transactions
    amounts = (
        people["analyst"]
        .get("/spend/opportunities/transactions/", {"category": top, "format": "json"})
        .json()["rows"]
    )
    assert sum(Decimal(str(r["amount"])) for r in amounts) == line.amount
    shared = opp.by_supplier(stored, None)[0]
    supplier = people["board"].get(f"/spend/opportunities/suppliers/{shared.key}/")
    assert supplier.status_code == 200 and 'data-authority="E09000022"' in supplier.content.decode()
    assert people["board"].get("/spend/opportunities/suppliers/nobody/").status_code == 404
    assert people["board"].get("/spend/opportunities/categories/grants/").status_code == 404


@pytest.mark.spark
@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17: make java")
def test_spark_reads_the_same_categorised_spend(stored: Spend, settings: object) -> None:
    settings.SPEND_ENGINE = "spark"  # type: ignore[attr-defined]
    on_spark = read_categorised(stored.run)
    columns = ["authority", "file_id", "row", "amount", "category", "source", "supplier_key"]
    order = ["authority", "file_id", "sheet", "row"]
    spark_rows = every_row(on_spark).sort(order).select(columns)
    assert spark_rows.equals(every_row(stored).sort(order).select(columns))
    assert opp.totals(on_spark, None) == opp.totals(stored, None)
    assert opp.by_supplier(on_spark, None) == opp.by_supplier(stored, None)
    assert opp.shares(on_spark, None) == opp.shares(stored, None)
    top = opp.by_category(stored, None, {})[0].key
    assert opp.transactions(on_spark, None, category=top, offset=3, limit=5).equals(
        opp.transactions(stored, None, category=top, offset=3, limit=5)
    )


def test_the_tables_beside_the_rows_are_files_removed_with_their_spend(
    stored: Spend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is worked out in process (each combination's category, the run's suppliers,
    each supplier's clear category) is written as Parquet for the engine to read, and goes
    when nothing uses it; every run's record is there, however many batches it takes."""
    import gc

    import pyarrow.parquet as pq

    from ambition.spend.categories import current
    from ambition.spend.models import SupplierMember

    monkeypatch.setattr(current, "BATCH", 7)  # many batches of the run's records
    again = read_categorised(stored.run)
    folder = again.folder
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted(
        f"{n}.parquet" for n in (current.COMBINATION_TABLE, current.SUPPLIER_TABLE,
                                 current.CLEAR_TABLE)
    )  # fmt: skip
    members = pq.read_table(folder / f"{current.SUPPLIER_TABLE}.parquet")
    assert members.num_rows == SupplierMember.objects.filter(run_id=stored.run).count() > 0
    assert opp.totals(again, None) == opp.totals(stored, None)
    del again
    gc.collect()
    assert not folder.exists()
    assert stored.folder.exists()  # the spend still kept is untouched
