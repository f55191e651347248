"""Signals the apps above this one listen to, so that nothing here imports them."""

from django.dispatch import Signal

# Sent by `ambition load-demo` once the registry and the catalogue are loaded, with
# `data` (the data folder). A receiver loads its own reference data and returns a list
# of (label, result) pairs for the command to print.
reference_data_loaded = Signal()
