from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "ambition.knowledge"
    verbose_name = "Knowledge hub"

    def ready(self) -> None:
        # SQLite's full-text table follows every save and delete of what it indexes.
        from .search import connect

        connect()
