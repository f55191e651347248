"""The one error every value reader raises."""


class ValueRefused(ValueError):
    """A cell that cannot be read as its field; the message says why."""
