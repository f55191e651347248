"""What the fund tells the apps above it, which it never imports.

`grant_paid(sender=Payment, payment=Payment)` is sent by ambition.fund.awards.pay INSIDE the
payment's transaction, after the payment row is written: a receiver's writes (peer support's
"took" ledger entry) commit or roll back with the payment, and a receiver that raises undoes
the payment, so the ledger and the fund never disagree.

`grant_returned(sender=Return, returned=Return)` is sent by ambition.fund.awards.give_back
the same way, inside the return's transaction (holding the award's row lock) after the
return row is written: peer support reverses as much of the council's "took" as came back."""

from __future__ import annotations

from django.dispatch import Signal

grant_paid = Signal()
grant_returned = Signal()
