from django.contrib import admin
from django.urls import include, path

from ambition.api import api

urlpatterns = [
    path("", include("ambition.registry.urls")),
    path("", include("ambition.indicators.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
