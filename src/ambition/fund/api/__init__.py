"""JSON API of the fund app: one router (reading's); writing adds its routes to it, since a
path that is read and written must be one route with two methods."""

from . import writing
from .reading import router

__all__ = ["router", "writing"]
