"""JSON API of the efficiency app: one router, with a module per family of routes."""

from ninja import Router

from .agreements import router as agreements
from .progress import router as progress
from .returns import router as returns

router = Router()
router.add_router("", progress)
router.add_router("", returns)
router.add_router("", agreements)

__all__ = ["router"]
