"""SQLite's full-text table for the knowledge hub's search (FTS5, Porter stemming), made
only on SQLite: PostgreSQL searches the tables themselves (knowledge.search)."""

from typing import Any

from django.db import migrations


class OnSqliteOnly(migrations.RunSQL):
    """RunSQL that does nothing on any other database."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            super().database_backwards(app_label, schema_editor, *args)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        OnSqliteOnly(
            sql=(
                "CREATE VIRTUAL TABLE knowledge_search USING fts5("
                "kind UNINDEXED, object_id UNINDEXED, title, body, "
                "tokenize = 'porter unicode61')"
            ),
            reverse_sql="DROP TABLE knowledge_search",
        )
    ]
