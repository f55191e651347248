from django.apps import AppConfig


class SpendConfig(AppConfig):
    name = "ambition.spend"
    verbose_name = "Spend analytics"
