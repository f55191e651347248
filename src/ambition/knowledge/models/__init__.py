"""The knowledge hub's data: case studies (with attachments and revisions) and
professional networks. Import from the package, not from its modules."""

from .casestudies import VIEW_DRAFTS, Attachment, CaseStudy, CaseStudyQuerySet, Status
from .networks import Network, NetworkEvent, NetworkMember, NetworkOutput

__all__ = [
    "VIEW_DRAFTS",
    "Attachment",
    "CaseStudy",
    "CaseStudyQuerySet",
    "Network",
    "NetworkEvent",
    "NetworkMember",
    "NetworkOutput",
    "Status",
]
