"""The JSON API: /api/v1/..., with its OpenAPI description at /api/openapi.json and
interactive docs at /api/docs."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from ambition.accounts.tokens import API_AUTH, PublicReadSchema
from ambition.assessment.api import router as assessment
from ambition.efficiency.api import router as efficiency
from ambition.fund.api import router as fund
from ambition.indicators.api import router as indicators
from ambition.knowledge.api import router as knowledge
from ambition.registry.api import router as registry
from ambition.support.api import router as support


class AmbitionAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """As ninja's, but marking the routes that answer callers without credentials."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return PublicReadSchema(self, path_prefix)


api = AmbitionAPI(
    title="Ambition API",
    version="1",
    description=(
        "Authorities, indicators and observations of the partnership's performance store. "
        "Published data needs no credentials; a script sends `Authorization: Bearer <token>` "
        "with a token made on its owner's account page, and acts with its owner's roles."
    ),
    urls_namespace="api",
    auth=API_AUTH,
)
api.add_router("/v1/", registry)
api.add_router("/v1/", indicators)
api.add_router("/v1/", assessment)
api.add_router("/v1/", fund)
api.add_router("/v1/", efficiency)
api.add_router("/v1/", support)
api.add_router("/v1/", knowledge)
