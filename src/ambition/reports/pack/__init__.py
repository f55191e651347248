"""The review pack, built as plain dataclasses: `build_pack` for one member and year,
`build_partnership` for every member on one page. Import from the package."""

from ambition.support.bookkeeping import members

from .build import Basis, ReviewPack, basis_for, build_pack, default_year, is_member
from .partnership import MemberRow, PartnershipPack, build_partnership
from .questions import Question

__all__ = [
    "Basis",
    "MemberRow",
    "PartnershipPack",
    "Question",
    "ReviewPack",
    "basis_for",
    "build_pack",
    "build_partnership",
    "default_year",
    "is_member",
    "members",
]
