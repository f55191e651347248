from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ambition.accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import audit  # imports models: only once the registry is ready

        audit.connect()
