from .annual import annual_latest, annual_report
from .meetings import meeting_detail, meeting_edit, meeting_list, meeting_new
from .packs import partnership_pack, review_pack

__all__ = [
    "annual_latest",
    "annual_report",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_new",
    "partnership_pack",
    "review_pack",
]
