from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ambition.reports"
    verbose_name = "Reports and review meetings"
