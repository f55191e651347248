"""The JSON API: /api/v1/..., with its OpenAPI description at /api/openapi.json and
interactive docs at /api/docs."""

from ninja import NinjaAPI

from ambition.indicators.api import router as indicators
from ambition.registry.api import router as registry

api = NinjaAPI(
    title="Ambition API",
    version="1",
    description="Authorities, indicators and observations of the partnership's performance store.",
    urls_namespace="api",
)
api.add_router("/v1/", registry)
api.add_router("/v1/", indicators)
