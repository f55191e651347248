from django.urls import URLPattern, path

from .views import case_studies, improvers, networks

urlpatterns: list[URLPattern] = [
    path("knowledge/case-studies/", case_studies.case_study_list, name="knowledge-case-studies"),
    path(
        "knowledge/case-studies/new/", case_studies.case_study_new, name="knowledge-case-study-new"
    ),
    path(
        "knowledge/case-studies/<int:pk>/",
        case_studies.case_study_detail,
        name="knowledge-case-study",
    ),
    path(
        "knowledge/case-studies/<int:pk>/edit/",
        case_studies.case_study_edit,
        name="knowledge-case-study-edit",
    ),
    path(
        "knowledge/case-studies/<int:pk>/evidence/",
        case_studies.case_study_evidence,
        name="knowledge-case-study-evidence",
    ),
    path(
        "knowledge/case-studies/<int:pk>/publish/",
        case_studies.case_study_publish,
        name="knowledge-case-study-publish",
    ),
    path(
        "knowledge/case-studies/<int:pk>/attachments/<int:attachment>/",
        case_studies.attachment_file,
        name="knowledge-attachment",
    ),
    path("knowledge/improved/", improvers.improvers, name="knowledge-improved"),
    path("knowledge/networks/", networks.network_list, name="knowledge-networks"),
    path("knowledge/networks/<slug:slug>/", networks.network_detail, name="knowledge-network"),
    path(
        "knowledge/networks/<slug:slug>/outputs/<int:pk>/",
        networks.output_file,
        name="knowledge-network-output",
    ),
]
