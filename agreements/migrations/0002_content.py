"""Load the six principles, their recommendations and the standard checklist questions."""

from django.db import migrations


def load(apps, schema_editor):
    from agreements.services import content_sync

    content_sync(
        principle_model=apps.get_model("agreements", "Principle"),
        recommendation_model=apps.get_model("agreements", "Recommendation"),
        item_model=apps.get_model("agreements", "ChecklistItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
