"""The Swedish collation registered on SQLite (the embedded run) sorts as a Swedish reader
expects. SQLite is opened directly, so this runs whichever database the suite uses."""

import sqlite3

from directory.collation import SWEDISH_COLLATION, _compare, swedish_sort_key

NAMES = ["Örebro", "Zeta", "Ängelholm", "Åhus", "Eslöv", "Émigré", "alingsås", "Aneby", "Øresund"]


def test_sqlite_orders_with_the_swedish_alphabet():
    database = sqlite3.connect(":memory:")
    database.create_collation(SWEDISH_COLLATION, _compare)
    database.execute("CREATE TABLE org (name TEXT)")
    database.executemany("INSERT INTO org VALUES (?)", [(name,) for name in NAMES])
    rows = database.execute('SELECT name FROM org ORDER BY name COLLATE "sv-x-icu"')
    assert [name for (name,) in rows] == [
        "alingsås",
        "Aneby",
        "Émigré",
        "Eslöv",
        "Zeta",
        "Åhus",
        "Ängelholm",
        "Örebro",
        "Øresund",
    ]


def test_sort_key_ignores_case_first_and_then_uses_it():
    assert swedish_sort_key("malmö")[0] == swedish_sort_key("Malmö")[0]
    assert _compare("Malmö", "malmö") != 0
    assert _compare("Malmö", "Malmö") == 0
