from django.urls import path

from . import views

urlpatterns = [
    path(
        "authorities/<str:code>/neighbours/",
        views.authority_neighbours,
        name="authority-neighbours",
    ),
    path("assessment/", views.dashboard, name="assessment-dashboard"),
    path("assessment/authorities/<str:code>/", views.scorecard, name="assessment-scorecard"),
    path("assessment/methods/", views.method_list, name="assessment-methods"),
    path("assessment/methods/<slug:name>/", views.method_detail, name="assessment-method"),
    path("assessment/methods/<slug:name>/try/", views.method_try, name="assessment-method-try"),
    path("assessment/runs/", views.run_list, name="assessment-runs"),
    path("assessment/runs/<int:pk>/", views.run_detail, name="assessment-run"),
    path(
        "assessment/runs/<int:a>/compare/<int:b>/",
        views.run_compare,
        name="assessment-run-compare",
    ),
    path("assessment/runs/new/", views.run_new, name="assessment-run-new"),
    path("assessment/runs/jobs/<str:job_id>/", views.run_job, name="assessment-run-job"),
    path("assessment/judgements/", views.judgements, name="assessment-judgements"),
    path(
        "assessment/warnings/backtest/", views.warning_backtest, name="assessment-warning-backtest"
    ),
    path(
        "assessment/indicators/<slug:code>/",
        views.indicator_benchmark,
        name="assessment-indicator",
    ),
]
