from django.urls import path

from .views import agreements, budgets, flags, progress, returns

urlpatterns = [
    path("efficiency/", progress.overview, name="efficiency-overview"),
    path("efficiency/returns/new/", returns.return_new, name="efficiency-return-new"),
    path("efficiency/returns/<int:pk>/", returns.return_detail, name="efficiency-return"),
    path(
        "efficiency/returns/<int:pk>/decide/",
        returns.return_decide,
        name="efficiency-return-decide",
    ),
    path("efficiency/flags/", flags.flag_review, name="efficiency-flags"),
    path("efficiency/budgets/import/", budgets.budget_import, name="efficiency-budget-import"),
    path("efficiency/laa/", agreements.laa_list, name="efficiency-laas"),
    path("efficiency/laa/new/", agreements.laa_new, name="efficiency-laa-new"),
    path("efficiency/laa/<int:pk>/", agreements.laa_detail, name="efficiency-laa"),
    path(
        "efficiency/laa/<int:pk>/targets/",
        agreements.laa_add_target,
        name="efficiency-laa-target",
    ),
    path(
        "efficiency/laa/<int:pk>/partners/",
        agreements.laa_add_partner,
        name="efficiency-laa-partner",
    ),
    # Last: a code is any text, and would swallow the paths above.
    path("efficiency/<str:code>/", progress.authority_page, name="efficiency-authority"),
]
