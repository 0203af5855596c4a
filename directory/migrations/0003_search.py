"""PostgreSQL search: a stored generated tsvector (Swedish configuration) with a GIN index,
and a trigram index on the normalised name (pg_trgm) for typos and missing å/ä/ö.

Django never reads or writes `search_vector`: it is not a model field, and the selectors
use it in SQL. On SQLite (the embedded run) nothing happens here and the selectors fall
back to a simple contains search.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD = [
    """
    ALTER TABLE directory_organisation ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('swedish'::regconfig,
                  coalesce(name, '') || ' ' || coalesce(alternate_name, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(name_normalised, '')), 'A')
        || setweight(to_tsvector('swedish'::regconfig, coalesce(city, '')), 'B')
        || setweight(to_tsvector('swedish'::regconfig, coalesce(description, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX directory_organisation_search_vector ON directory_organisation "
    "USING gin (search_vector)",
    "CREATE INDEX directory_organisation_name_trgm ON directory_organisation "
    "USING gin (name_normalised gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS directory_organisation_name_trgm",
    "DROP INDEX IF EXISTS directory_organisation_search_vector",
    "ALTER TABLE directory_organisation DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_taxonomies")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forward, backward),
    ]
