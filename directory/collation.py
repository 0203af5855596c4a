"""Swedish alphabetical order for the embedded SQLite database.

PostgreSQL has ICU's Swedish collation (`sv-x-icu`); SQLite has none, so the directory
registers one under the same name on every SQLite connection and the selectors order by
`Collate("name", "sv-x-icu")` on both. The order follows the Swedish alphabet: Å, Ä and Ö
after Z (Æ sorts as Ä, Ø as Ö), other accents are ignored (É as E, Ü as Y), then case.
"""

import unicodedata

from django.db.backends.signals import connection_created

SWEDISH_COLLATION = "sv-x-icu"
# After "z" in code-point order come "{", "|" and "}": Å, Ä, Ö.
_LAST_LETTERS = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}


def swedish_sort_key(text: str) -> tuple[str, str]:
    folded = []
    for char in (text or "").casefold():
        if char in _LAST_LETTERS:
            folded.append(_LAST_LETTERS[char])
            continue
        base = unicodedata.normalize("NFKD", char)
        folded.append("".join(part for part in base if not unicodedata.combining(part)))
    return "".join(folded), text or ""


def _compare(left: str, right: str) -> int:
    a, b = swedish_sort_key(left), swedish_sort_key(right)
    return (a > b) - (a < b)


def _register(sender, connection, **kwargs):
    if connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_collation(SWEDISH_COLLATION, _compare)


def install() -> None:
    """Register the collation on SQLite connections (called from DirectoryConfig.ready)."""
    from django.db import connections

    connection_created.connect(_register, dispatch_uid="directory.collation")
    for connection in connections.all(initialized_only=True):
        _register(None, connection)
