"""Search over offers, on both databases (see directory/search_index.py).

PostgreSQL: the organisation's tsvector also reads `offers_text` (weight D), so an
organisation is found by what it offers; each offer gets its own stored tsvector (title A,
description and eligibility B, the folded text with the organisation's names C) with a GIN
index, and `directory_offerword` lists the words of offers for typo and compound lookups
by trigram. SQLite (the embedded run): FTS5 tables with the trigram tokenizer. Then every
existing row is indexed.
"""

from django.db import migrations

POSTGRES = [
    "DROP INDEX IF EXISTS directory_organisation_search_vector",
    "ALTER TABLE directory_organisation DROP COLUMN IF EXISTS search_vector",
    """
    ALTER TABLE directory_organisation ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('swedish'::regconfig,
                  coalesce(name, '') || ' ' || coalesce(alternate_name, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(name_normalised, '')), 'A')
        || setweight(to_tsvector('swedish'::regconfig, coalesce(city, '')), 'B')
        || setweight(to_tsvector('swedish'::regconfig, coalesce(description, '')), 'C')
        || setweight(to_tsvector('swedish'::regconfig, coalesce(offers_text, '')), 'D')
    ) STORED
    """,
    "CREATE INDEX directory_organisation_search_vector ON directory_organisation "
    "USING gin (search_vector)",
    """
    ALTER TABLE directory_offer ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('swedish'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('swedish'::regconfig,
                     coalesce(description, '') || ' ' || coalesce(eligibility, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(search_text, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX directory_offer_search_vector ON directory_offer USING gin (search_vector)",
    "CREATE TABLE directory_offerword (word text PRIMARY KEY)",
    "CREATE INDEX directory_offerword_trgm ON directory_offerword USING gin (word gin_trgm_ops)",
]
POSTGRES_BACK = [
    "DROP TABLE IF EXISTS directory_offerword",
    "ALTER TABLE directory_offer DROP COLUMN IF EXISTS search_vector",
]
SQLITE_BACK = [
    "DROP TABLE IF EXISTS directory_organisation_fts",
    "DROP TABLE IF EXISTS directory_offer_fts",
    "DROP TABLE IF EXISTS directory_searchword_fts",
    "DROP TABLE IF EXISTS directory_searchword",
]


def forward(apps, schema_editor):
    from directory import search_index, taxonomy_data

    taxonomy_data.load_taxonomies(apps.get_model)
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": search_index.SQLITE_TABLES}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)
    Organisation = apps.get_model("directory", "Organisation")
    ids = list(Organisation.objects.values_list("id", flat=True))
    for start in range(0, len(ids), 2000):
        search_index.refresh(organisation_ids=ids[start : start + 2000])


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_BACK, "sqlite": SQLITE_BACK}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_offers_as_services")]

    operations = [migrations.RunPython(forward, backward)]
