from django.urls import path

from . import views
from .views.jobs import rerun_import_job

urlpatterns = [
    path("authorities/<str:code>/", views.authority_detail, name="authority-detail"),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator-detail"),
    path("observations/<int:pk>/", views.observation_detail, name="observation-detail"),
    path("observations/<int:pk>/revise/", views.observation_revise, name="observation-revise"),
    path("search/", views.search_page, name="search"),
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/", views.batch_detail, name="import-batch"),
    path("import/jobs/<int:pk>/", views.import_job, name="import-job"),
    path("import/jobs/<int:pk>/again/", rerun_import_job, name="import-job-rerun"),
]
