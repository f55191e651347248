from django.urls import path

from . import views

urlpatterns = [
    path("authorities/", views.authority_list, name="authority-list"),
    path("authorities/boundaries.topojson", views.boundaries_topojson, name="boundaries-topojson"),
    path("about/data/", views.about_data, name="about-data"),
]
