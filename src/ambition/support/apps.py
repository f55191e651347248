from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ambition.support"
    verbose_name = "Peer support"

    def ready(self) -> None:
        # The fund sits below peer support and never imports it: it says when a grant is
        # paid, and the ledger records what the council took.
        # The same for grant money that comes back: the ledger reverses what was taken.
        from ambition.fund.signals import grant_paid, grant_returned

        from .money import record_grant_paid, record_grant_returned

        grant_paid.connect(record_grant_paid, dispatch_uid="support-ledger-grant-paid")
        grant_returned.connect(record_grant_returned, dispatch_uid="support-ledger-grant-returned")
