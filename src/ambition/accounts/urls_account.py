from django.urls import path

from . import views, views_account

urlpatterns = [
    path("", views_account.account_page, name="account"),
    # Before django.contrib.auth's own URLs (included after these): the throttled page wins.
    path("password_reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("tokens/<int:pk>/revoke/", views_account.revoke_token, name="account-token-revoke"),
]
