"""The demo's spend: real spending files shipped in `data/spend/` (the GLA's 2013/14 periods
and Lambeth's months of 2011-12, see its SOURCE.md), imported as any council's files are,
their suppliers resolved, and a few saving rates that are illustrative and say so. Running it
again adds nothing: a file already stored is skipped, and a rate already standing is kept."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from ambition.registry.models import Authority

from .console import spending_files
from .models import SavingRate, SupplierRun
from .opportunities import set_rate
from .reading.values import period_in_name
from .store import Result, SpendingFile, store_files
from .suppliers.runs import resolve_suppliers
from .suppliers.stored import store_run

FOLDERS = {"E61000001": "gla", "E09000022": "lambeth"}
ILLUSTRATIVE = (
    "Illustrative, for the demo only: not a published figure. The office sets its own rate "
    "from its evidence."
)
# Rates of the demo, each an illustrative assumption (see ILLUSTRATIVE).
RATES = {
    "facilities": Decimal("0.03"),
    "consultancy": Decimal("0.05"),
    "ict": Decimal("0.04"),
    "office": Decimal("0.08"),
    "utilities": Decimal("0.02"),
}


@dataclass(frozen=True)
class Loaded:
    stored: int
    skipped: int
    rows_refused: int
    run: SupplierRun | None
    rates: int


def load_demo(folder: Path | None = None) -> Loaded:
    folder = folder or Path(settings.DATA_DIR) / "spend"
    stored = skipped = refused = 0
    authorities = {code: Authority.objects.get(code=code) for code in FOLDERS}
    files = [
        SpendingFile(authorities[code], path, period_in_name(path.name))
        for code, name in FOLDERS.items()
        for path in spending_files([folder / name])
    ]
    for outcome in store_files(files, accept_errors=True):
        if outcome.result is Result.ALREADY:
            skipped += 1
            continue
        if outcome.result is not Result.STORED:
            raise ValueError(f"{outcome.name} was not stored: {outcome.result}")
        stored += 1
        refused += len(outcome.problems)
    run = SupplierRun.objects.latest_run()
    if stored or run is None:
        run = store_run(resolve_suppliers())
    rates = 0
    for category, rate in RATES.items():
        if not SavingRate.objects.standing().filter(category=category).exists():
            set_rate(category, rate, ILLUSTRATIVE, illustrative=True)
            rates += 1
    return Loaded(stored, skipped, refused, run, rates)
