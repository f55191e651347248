"""`make bench`: every benchmark, each printing its figures beside its reference."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import api_latency
import assessment_core
import assessment_national
import backtest
import categorised_spend
import fund_overview
import fund_reconcile
import import_contention
import import_speed
import public_pages
import review_pack
import spend_ingest
import supplier_resolution
import support_matching
import whatif_api

if __name__ == "__main__":
    for bench in (
        import_speed,
        import_contention,
        api_latency,
        whatif_api,
        assessment_core,
        assessment_national,
        backtest,
        support_matching,
        fund_reconcile,
        fund_overview,
        review_pack,
        public_pages,
        spend_ingest,
        categorised_spend,
        supplier_resolution,
    ):
        print("\n".join(bench.main()), flush=True)
