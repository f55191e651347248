from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ambition.support"
    verbose_name = "Peer support"

    def ready(self) -> None:
        # The fund sits below peer support and never imports it: it says when a grant is
        # paid, and the ledger records what the council took.
        from ambition.fund.signals import grant_paid

        from .money import record_grant_paid

        grant_paid.connect(record_grant_paid, dispatch_uid="support-ledger-grant-paid")
