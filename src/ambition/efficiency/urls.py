from django.urls import path

from .views import budgets, flags, progress, returns

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
    path("efficiency/<str:code>/", progress.authority_page, name="efficiency-authority"),
]
