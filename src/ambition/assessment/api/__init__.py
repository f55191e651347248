"""JSON API of the assessment: one router, with a module per family of routes."""

from ninja import Router

from .methods import router as methods
from .neighbours import router as neighbours
from .runs import router as runs

router = Router()
router.add_router("", methods)
router.add_router("", neighbours)
router.add_router("", runs)

__all__ = ["router"]
