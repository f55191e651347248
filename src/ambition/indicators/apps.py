from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ambition.indicators"
    verbose_name = "Indicators and observations"
