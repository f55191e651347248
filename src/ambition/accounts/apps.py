from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ambition.accounts"
    verbose_name = "Accounts and roles"
