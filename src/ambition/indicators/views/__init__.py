"""Pages that show indicators, one module a page family."""

from .authorities import authority_detail
from .imports import batch_detail, import_job, import_page
from .indicators import indicator_detail, indicator_list
from .observations import observation_detail, observation_revise
from .search import search_page

__all__ = [
    "authority_detail",
    "batch_detail",
    "import_job",
    "import_page",
    "indicator_detail",
    "indicator_list",
    "observation_detail",
    "observation_revise",
    "search_page",
]
