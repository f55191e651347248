from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ambition.support"
    verbose_name = "Peer support"
