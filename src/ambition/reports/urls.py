from django.urls import path

from . import views

urlpatterns = [
    path("annual/", views.annual_latest, name="reports-annual-latest"),
    path("annual/<int:year>/", views.annual_report, name="reports-annual"),
    path(
        "annual/<int:year>/pdf/", views.annual_report, {"as_pdf": True}, name="reports-annual-pdf"
    ),
    path("review-pack/", views.partnership_pack, name="reports-partnership-pack"),
    path(
        "review-pack/pdf/",
        views.partnership_pack,
        {"as_pdf": True},
        name="reports-partnership-pdf",
    ),
    path("review-pack/<str:code>/", views.review_pack, name="reports-pack"),
    path(
        "review-pack/<str:code>/pdf/", views.review_pack, {"as_pdf": True}, name="reports-pack-pdf"
    ),
    path("meetings/", views.meeting_list, name="reports-meetings"),
    path("meetings/new/", views.meeting_new, name="reports-meeting-new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="reports-meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="reports-meeting-edit"),
]
