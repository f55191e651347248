"""The public site at the root: the home page, each council's page and the open data."""

from django.urls import path

from .views import home, public

urlpatterns = [
    path("", home.home, name="home"),
    path("councils/<str:code>/", public.council, name="reports-council"),
    path("data/", public.catalogue, name="reports-catalogue"),
]
