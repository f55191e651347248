"""Targets say whether they are illustrative. The demo's targets, added to real awards of
2006 before the field existed, are found by the note the demo left in their application's
history, and marked."""

from typing import Any

from django.db import migrations, models

# The note as the demo wrote it when this migration was made.
DEMO_NOTE = "Illustrative: the target indicators were added for the demo"


def mark_demo_targets(apps: Any, schema_editor: Any) -> None:
    target = apps.get_model("fund", "ApplicationTarget")
    change = apps.get_model("fund", "StateChange")
    noted = change.objects.filter(note__startswith=DEMO_NOTE).values("application_id")
    target.objects.filter(application_id__in=noted).update(illustrative=True)


class Migration(migrations.Migration):
    dependencies = [
        ("fund", "0004_overview_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationtarget",
            name="illustrative",
            field=models.BooleanField(default=False, help_text="Invented for the demo"),
        ),
        migrations.RunPython(mark_demo_targets, migrations.RunPython.noop),
    ]
