from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ambition.accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import audit  # imports models: only once the registry is ready

        audit.connect()
        self._sign_ins_never_wait()

    def _sign_ins_never_wait(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from .sign_in import record_last_login

        # Under Django's own dispatch_uid, whichever app is ready first: connected after
        # Django's it replaces it; before, Django's connect (same uid) is then ignored.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="update_last_login")
