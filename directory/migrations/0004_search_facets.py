"""PostgreSQL search, second step: what the list page needs to stay fast at 100,000 rows.

1. `municipality_ids`, `area_ids`, `target_group_ids` (bigint[], GIN-indexed) on the
   organisation row: copies of the three many-to-many links, so that the filters are an
   index lookup and the facet counts one `unnest` over the matches instead of three joins.
2. `directory_searchword`: every distinct word of every organisation's normalised name
   (the `simple` lexemes of `name_normalised`), with a trigram index. A misspelt search word
   is looked up here (`word <% lexicon word`, the same pg_trgm test the search used on the
   whole name) and the similar words go into the full-text query as name (weight A)
   lexemes, so a typo costs one small index lookup instead of a trigram comparison with
   every candidate row.

No triggers. Both are written by directory.services (`organisation_search_index_refresh`,
called by organisation_create and organisation_update after they set the links or the name,
and by the directory_generate command after its bulk insert): services are the only writers
of organisations. Words are only ever added; a word no name uses any more finds nothing.
Django never reads or writes these as model fields; directory.selectors uses them in SQL.
On SQLite (the embedded run) nothing happens here and the selectors use the link tables.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE directory_organisation
        ADD COLUMN municipality_ids bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN area_ids bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN target_group_ids bigint[] NOT NULL DEFAULT '{}'
    """,
    """
    UPDATE directory_organisation o SET
        municipality_ids = ARRAY(SELECT l.municipality_id FROM directory_organisation_municipalities l
                                 WHERE l.organisation_id = o.id ORDER BY 1),
        area_ids = ARRAY(SELECT l.area_id FROM directory_organisation_areas l
                         WHERE l.organisation_id = o.id ORDER BY 1),
        target_group_ids = ARRAY(SELECT l.targetgroup_id FROM directory_organisation_target_groups l
                                 WHERE l.organisation_id = o.id ORDER BY 1)
    """,
    "CREATE INDEX directory_organisation_municipality_ids ON directory_organisation "
    "USING gin (municipality_ids)",
    "CREATE INDEX directory_organisation_area_ids ON directory_organisation USING gin (area_ids)",
    "CREATE INDEX directory_organisation_target_group_ids ON directory_organisation "
    "USING gin (target_group_ids)",
    "CREATE TABLE directory_searchword (word text PRIMARY KEY)",
    """
    INSERT INTO directory_searchword (word)
    SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, name_normalised)))
    FROM directory_organisation
    ON CONFLICT DO NOTHING
    """,
    "CREATE INDEX directory_searchword_trgm ON directory_searchword USING gin (word gin_trgm_ops)",
]
BACKWARD = [
    "DROP TABLE IF EXISTS directory_searchword",
    "DROP INDEX IF EXISTS directory_organisation_target_group_ids",
    "DROP INDEX IF EXISTS directory_organisation_area_ids",
    "DROP INDEX IF EXISTS directory_organisation_municipality_ids",
    "ALTER TABLE directory_organisation DROP COLUMN IF EXISTS municipality_ids, "
    "DROP COLUMN IF EXISTS area_ids, DROP COLUMN IF EXISTS target_group_ids",
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
    dependencies = [("directory", "0003_search")]

    operations = [migrations.RunPython(forward, backward)]
