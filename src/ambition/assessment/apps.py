from typing import Any

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "ambition.assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        from ambition.indicators import polarity
        from ambition.indicators.signals import reference_data_loaded

        from .methodology import polarity_statements

        polarity.register(polarity_statements)
        reference_data_loaded.connect(
            groups_on_reference_data_loaded, dispatch_uid="assessment-groups"
        )


def groups_on_reference_data_loaded(**kwargs: Any) -> list[tuple[str, str]]:
    """The comparator groups' receiver, imported only when reference data are loaded: the
    groups module brings Polars, the API's schemas and the geometry, which no other command
    needs at start-up."""
    from .groups import on_reference_data_loaded

    return on_reference_data_loaded(**kwargs)
