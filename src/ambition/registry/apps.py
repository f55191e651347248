from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ambition.registry"
    verbose_name = "Registry of authorities"
