"""Load the fixed vocabularies (sectors, legal forms, areas, target groups, regions and all
290 municipalities with their official codes) from directory.taxonomy_data."""

from django.db import migrations


def load(apps, schema_editor):
    from directory.taxonomy_data import load_taxonomies

    load_taxonomies(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
