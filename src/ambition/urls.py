from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from ambition.api import api

urlpatterns = [
    path("", include("ambition.registry.urls")),
    path("", include("ambition.indicators.urls")),
    path("api/", api.urls),
    path("account/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name none (the admin's, the API docs).
    path("favicon.ico", RedirectView.as_view(url=static("vendor/favicon.svg"), permanent=True)),
]
