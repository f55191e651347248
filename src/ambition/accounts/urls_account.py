from django.urls import path

from . import views_account

urlpatterns = [
    path("", views_account.account_page, name="account"),
    path("tokens/<int:pk>/revoke/", views_account.revoke_token, name="account-token-revoke"),
]
