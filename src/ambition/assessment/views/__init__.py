"""Pages of the assessment, one module a page family."""

from .analysts import judgements, run_job, run_new
from .backtests import warning_backtest
from .benchmarking import indicator_benchmark
from .dashboard import dashboard
from .methods import method_detail, method_list
from .neighbours import authority_neighbours
from .runs import run_compare, run_detail, run_list
from .scorecard import scorecard
from .trying import method_try

__all__ = [
    "authority_neighbours",
    "dashboard",
    "indicator_benchmark",
    "judgements",
    "method_detail",
    "method_list",
    "method_try",
    "run_compare",
    "run_detail",
    "run_job",
    "run_list",
    "run_new",
    "scorecard",
    "warning_backtest",
]
