from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "ambition.assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        from ambition.indicators import polarity
        from ambition.indicators.signals import reference_data_loaded

        from .groups import on_reference_data_loaded
        from .methodology import polarity_statements

        polarity.register(polarity_statements)
        reference_data_loaded.connect(on_reference_data_loaded, dispatch_uid="assessment-groups")
