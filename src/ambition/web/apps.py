from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ambition.web"
    verbose_name = "Web: templates, static files and charts"
