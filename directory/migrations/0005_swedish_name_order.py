"""An index for listing organisations in Swedish alphabetical order (PostgreSQL only)."""

from django.db import migrations

INDEX = "directory_organisation_name_sv"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON directory_organisation '
            '((name COLLATE "sv-x-icu"), id)'
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_search_facets")]

    operations = [migrations.RunPython(create_index, drop_index)]
