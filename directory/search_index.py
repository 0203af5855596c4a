"""The search copies the directory keeps beside its rows, on both databases.

Written only through `refresh()`, which directory.services calls after every write that
changes what is searched (organisation names and text, offers, links) and which the bulk
generator and the migration call for many rows at once. Django never reads these as fields.

Both databases:
- `Offer.search_text`: the offer's title, description and eligibility with its
  organisation's names, folded (lower case, å/ä/ö as a/o): the offer search reads it.
- `Organisation.offers_text`: titles and descriptions of its active offers, so the
  organisation search finds an organisation by what it offers.

PostgreSQL (migrations 0003, 0004, 0008, 0010): generated tsvector columns read the two
texts; here the id arrays of the links (on organisations and on offers), whether an offer is
public (active, organisation published), the words of names (`directory_searchword`) and the
words of offers (`directory_offerword`) for typo lookups by trigram.

SQLite, the embedded run (migration 0008): FTS5 tables with the trigram tokenizer hold the
folded text of each organisation and offer (substring search, so parts of compound words
are found) and every word once (`directory_searchword_fts`), where a misspelt word finds
its likely spellings by shared trigrams.
"""

from django.db import connection

_POSTGRES_SQL = [
    """
    UPDATE directory_organisation o SET
        municipality_ids = ARRAY(SELECT l.municipality_id
                                 FROM directory_organisation_municipalities l
                                 WHERE l.organisation_id = o.id ORDER BY 1),
        area_ids = ARRAY(SELECT l.area_id FROM directory_organisation_areas l
                         WHERE l.organisation_id = o.id ORDER BY 1),
        target_group_ids = ARRAY(SELECT l.targetgroup_id FROM directory_organisation_target_groups l
                                 WHERE l.organisation_id = o.id ORDER BY 1)
    WHERE o.id = ANY(%s)
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
    FROM directory_organisation o WHERE o.id = f.organisation_id AND o.id = ANY(%s)
    """,
    """
    INSERT INTO directory_searchword (word)
    SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, name_normalised)))
    FROM directory_organisation WHERE id = ANY(%s)
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO directory_offerword (word)
    SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, search_text)))
    FROM directory_offer WHERE organisation_id = ANY(%s)
    ON CONFLICT DO NOTHING
    """,
]

# SQLite: the FTS5 tables (created by migration 0008 on SQLite only).
SQLITE_TABLES = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_organisation_fts "
    "USING fts5(body, tokenize='trigram')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_offer_fts USING fts5(body, tokenize='trigram')",
    "CREATE TABLE IF NOT EXISTS directory_searchword (word text PRIMARY KEY)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_searchword_fts "
    "USING fts5(word, tokenize='trigram')",
]


def normalise(text: str) -> str:
    from directory.services import normalise as fold  # services import this module

    return fold(text)


def offer_search_text(*, title, description, eligibility, organisation_name, alternate_name):
    return normalise(" ".join([title, description, eligibility, organisation_name, alternate_name]))


def _texts(cursor, ids: list[int]) -> None:
    """Recompute both texts for the organisations `ids` and their offers."""
    marks = ",".join(["%s"] * len(ids))
    cursor.execute(
        "SELECT f.id, f.title, f.description, f.eligibility, o.name, o.alternate_name, "  # noqa: S608
        f"f.is_active, f.organisation_id FROM directory_offer f JOIN directory_organisation o "
        f"ON o.id = f.organisation_id WHERE f.organisation_id IN ({marks}) ORDER BY f.title, f.id",
        ids,
    )
    offers_text = {pk: [] for pk in ids}
    updates = []
    for offer_id, title, description, eligibility, name, alternate, active, org_id in cursor:
        updates.append(
            (
                offer_search_text(
                    title=title,
                    description=description,
                    eligibility=eligibility,
                    organisation_name=name,
                    alternate_name=alternate,
                ),
                offer_id,
            )
        )
        if active:
            offers_text[org_id].append(f"{title}. {description}")
    cursor.executemany("UPDATE directory_offer SET search_text = %s WHERE id = %s", updates)
    cursor.executemany(
        "UPDATE directory_organisation SET offers_text = %s WHERE id = %s",
        [(" ".join(parts), pk) for pk, parts in offers_text.items()],
    )


def _sqlite(cursor, ids: list[int]) -> None:
    marks = ",".join(["%s"] * len(ids))
    cursor.execute(
        "SELECT id, name, alternate_name, city, description, offers_text, state "  # noqa: S608
        f"FROM directory_organisation WHERE id IN ({marks})",
        ids,
    )
    organisations = cursor.fetchall()
    cursor.execute(
        f"SELECT id, search_text FROM directory_offer WHERE organisation_id IN ({marks})",  # noqa: S608
        ids,
    )
    offers = cursor.fetchall()
    cursor.execute(f"DELETE FROM directory_organisation_fts WHERE rowid IN ({marks})", ids)  # noqa: S608
    cursor.execute(
        "DELETE FROM directory_offer_fts WHERE rowid IN "  # noqa: S608
        f"(SELECT id FROM directory_offer WHERE organisation_id IN ({marks}))",
        ids,
    )
    words = set()
    rows = []
    for pk, name, alternate, city, description, offers_text, _state in organisations:
        body = normalise(" ".join([name, alternate, city, description, offers_text]))
        rows.append((pk, body))
        words.update(normalise(f"{name} {alternate}").split())
    cursor.executemany("INSERT INTO directory_organisation_fts (rowid, body) VALUES (%s, %s)", rows)
    cursor.executemany(
        "INSERT INTO directory_offer_fts (rowid, body) VALUES (%s, %s)",
        [(pk, text) for pk, text in offers],
    )
    for _pk, text in offers:
        words.update(text.split())
    words = {word.strip(".,;:!?()\"'") for word in words}
    words.discard("")
    if not words:
        return
    known = set()
    listed = sorted(words)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        cursor.execute(
            "SELECT word FROM directory_searchword WHERE word IN "  # noqa: S608
            f"({','.join(['%s'] * len(chunk))})",
            chunk,
        )
        known.update(row[0] for row in cursor.fetchall())
    new = [(word,) for word in listed if word not in known]
    cursor.executemany("INSERT INTO directory_searchword (word) VALUES (%s)", new)
    cursor.executemany("INSERT INTO directory_searchword_fts (word) VALUES (%s)", new)


def refresh(*, organisation_ids: list[int], texts: bool = True) -> None:
    """Bring the search copies of these organisations and their offers up to date.

    `texts=False` is for the bulk generator, which writes both texts itself."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        if texts:
            _texts(cursor, ids)
        if connection.vendor == "postgresql":
            for statement in _POSTGRES_SQL:
                cursor.execute(statement, [ids])
        elif connection.vendor == "sqlite":
            _sqlite(cursor, ids)
