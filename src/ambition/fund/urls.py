from django.urls import URLPattern, path

from .views import application_steps, applications, award_steps, awards, budgets, overview
from .views import reconcile as books

urlpatterns: list[URLPattern] = [
    path("fund/", overview.fund, name="fund"),
    path("fund/grants/", overview.grants_export, name="fund-grants"),
    path("fund/budgets/", budgets.budget_list, name="fund-budgets"),
    path("fund/budgets/<int:pk>/", budgets.budget_detail, name="fund-budget"),
    path("fund/applications/", applications.application_list, name="fund-applications"),
    path("fund/applications/new/", applications.application_new, name="fund-application-new"),
    path("fund/applications/<int:pk>/", applications.application_detail, name="fund-application"),
    path(
        "fund/applications/<int:pk>/targets/",
        applications.add_target,
        name="fund-application-target",
    ),
    path(
        "fund/applications/<int:pk>/milestones/",
        applications.add_milestone,
        name="fund-application-milestone",
    ),
    path(
        "fund/applications/<int:pk>/partners/<int:partner>/confirm/",
        application_steps.confirm,
        name="fund-application-confirm",
    ),
    path(
        "fund/applications/<int:pk>/submit/",
        application_steps.submit,
        name="fund-application-submit",
    ),
    path(
        "fund/applications/<int:pk>/withdraw/",
        application_steps.withdraw,
        name="fund-application-withdraw",
    ),
    path(
        "fund/applications/<int:pk>/appraise/",
        application_steps.appraise,
        name="fund-application-appraise",
    ),
    path(
        "fund/applications/<int:pk>/decide/",
        application_steps.decide,
        name="fund-application-decide",
    ),
    path("fund/awards/<int:pk>/", awards.award_detail, name="fund-award"),
    path("fund/awards/<int:pk>/evidence/", award_steps.evidence, name="fund-award-evidence"),
    path("fund/awards/<int:pk>/review/", award_steps.review, name="fund-award-review"),
    path("fund/awards/<int:pk>/pay/", award_steps.pay, name="fund-award-pay"),
    path("fund/awards/<int:pk>/vary/", award_steps.vary, name="fund-award-vary"),
    path("fund/awards/<int:pk>/return/", award_steps.give_back, name="fund-award-return"),
    path("fund/reconcile/", books.reconcile, name="fund-reconcile"),
]
