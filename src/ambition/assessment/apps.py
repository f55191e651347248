from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "ambition.assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        from ambition.indicators.signals import reference_data_loaded

        from .groups import on_reference_data_loaded

        reference_data_loaded.connect(on_reference_data_loaded, dispatch_uid="assessment-groups")
