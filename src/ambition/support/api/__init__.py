"""JSON API of peer support: one router, with a module per family of routes."""

from ninja import Router

from .ledger import router as ledger
from .matches import router as matches

router = Router()
router.add_router("", matches)
router.add_router("", ledger)

__all__ = ["router"]
