"""What the fund tells the apps above it, which it never imports.

`grant_paid(sender=Payment, payment=Payment)` is sent by ambition.fund.awards.pay INSIDE the
payment's transaction, after the payment row is written: a receiver's writes (peer support's
"took" ledger entry) commit or roll back with the payment, and a receiver that raises undoes
the payment, so the ledger and the fund never disagree."""

from __future__ import annotations

from django.dispatch import Signal

grant_paid = Signal()
