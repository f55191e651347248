"""Procurement categories for spend transactions: ProClass top levels mapped to CPV, given
by word rules over the expense type, account, service and purpose (`rules`)."""
