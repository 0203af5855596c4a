"""PostgreSQL offer search at 300,000 offers: what organisation search got in 0004.

On the offer row, written by directory.search_index.refresh (no triggers):
- `is_public`: active and of a published organisation, so a search does not join the
  organisation for its state (a join over every match of a common word);
- `municipality_ids`, `area_ids`, `target_group_ids`, `language_ids` (bigint[], GIN): copies
  of the four links, so a filter is an index lookup and the facets one `unnest` pass over
  the matches instead of four joins.
Partial indexes on the public offers: GIN on search_vector for the text match, and the
title in Swedish order for the list without words.
Django never reads these as model fields; on SQLite nothing happens here.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE directory_offer
        ADD COLUMN is_public boolean NOT NULL DEFAULT false,
        ADD COLUMN municipality_ids bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN area_ids bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN target_group_ids bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN language_ids bigint[] NOT NULL DEFAULT '{}'
    """,
    """
    UPDATE directory_offer f SET
        is_public = f.is_active AND o.state = 'published',
        municipality_ids = ARRAY(SELECT l.municipality_id FROM directory_offer_municipalities l
                                 WHERE l.offer_id = f.id ORDER BY 1),
        area_ids = ARRAY(SELECT l.area_id FROM directory_offer_areas l
                         WHERE l.offer_id = f.id ORDER BY 1),
        target_group_ids = ARRAY(SELECT l.targetgroup_id FROM directory_offer_target_groups l
                                 WHERE l.offer_id = f.id ORDER BY 1),
        language_ids = ARRAY(SELECT l.language_id FROM directory_offer_languages l
                             WHERE l.offer_id = f.id ORDER BY 1)
    FROM directory_organisation o WHERE o.id = f.organisation_id
    """,
    "CREATE INDEX directory_offer_municipality_ids ON directory_offer USING gin (municipality_ids)",
    "CREATE INDEX directory_offer_area_ids ON directory_offer USING gin (area_ids)",
    "CREATE INDEX directory_offer_target_group_ids ON directory_offer USING gin (target_group_ids)",
    "CREATE INDEX directory_offer_language_ids ON directory_offer USING gin (language_ids)",
    "DROP INDEX IF EXISTS directory_offer_search_vector",
    "CREATE INDEX directory_offer_search_vector ON directory_offer USING gin (search_vector) "
    "WHERE is_public",
    # The search without words lists offers by title, as a Swedish reader sorts.
    'CREATE INDEX directory_offer_public_title ON directory_offer (title COLLATE "sv-x-icu", id) '
    "WHERE is_public",
]
BACKWARD = [
    "DROP INDEX IF EXISTS directory_offer_public_title",
    "DROP INDEX IF EXISTS directory_offer_search_vector",
    "CREATE INDEX directory_offer_search_vector ON directory_offer USING gin (search_vector)",
    "DROP INDEX IF EXISTS directory_offer_language_ids",
    "DROP INDEX IF EXISTS directory_offer_target_group_ids",
    "DROP INDEX IF EXISTS directory_offer_area_ids",
    "DROP INDEX IF EXISTS directory_offer_municipality_ids",
    "ALTER TABLE directory_offer DROP COLUMN IF EXISTS is_public, "
    "DROP COLUMN IF EXISTS municipality_ids, DROP COLUMN IF EXISTS area_ids, "
    "DROP COLUMN IF EXISTS target_group_ids, DROP COLUMN IF EXISTS language_ids",
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
    dependencies = [("directory", "0009_merge_20261202_1044")]

    operations = [migrations.RunPython(forward, backward)]
