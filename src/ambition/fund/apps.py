from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "ambition.fund"
    verbose_name = "Improvement fund"
