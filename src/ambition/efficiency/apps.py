from django.apps import AppConfig


class EfficiencyConfig(AppConfig):
    name = "ambition.efficiency"
    verbose_name = "Efficiency programme"
