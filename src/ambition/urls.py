from typing import Any

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from ambition.api import api
from ambition.web.views import work

DOCS = ("openapi-json", "openapi-view")


def read_only_docs(included: Any) -> Any:
    """The API's description and docs answer GET and HEAD only, like every page that reads."""
    patterns, app_name, namespace = included
    for pattern in patterns:
        if pattern.name in DOCS:
            pattern.callback = require_safe(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", include("ambition.reports.urls_public")),
    path("", include("ambition.registry.urls")),
    path("", include("ambition.indicators.urls")),
    path("", include("ambition.assessment.urls")),
    path("", include("ambition.fund.urls")),
    path("", include("ambition.efficiency.urls")),
    path("", include("ambition.spend.urls")),
    path("", include("ambition.support.urls")),
    path("", include("ambition.knowledge.urls")),
    path("reports/", include("ambition.reports.urls")),
    path("", include("ambition.accounts.urls")),
    path("api/", read_only_docs(api.urls)),
    path("account/", include("ambition.accounts.urls_account")),
    path("account/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("work/", work, name="work"),
    # Browsers ask for /favicon.ico on pages that name none (the admin's, the API docs).
    path(
        "favicon.ico",
        require_safe(RedirectView.as_view(url=static("vendor/favicon.svg"), permanent=True)),
    ),
]
