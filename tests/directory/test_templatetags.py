import pytest

from directory.templatetags.directory_tags import facet_options

# The directory conftest puts the vocabularies back before every test, so this needs the db.
pytestmark = pytest.mark.django_db


def test_facet_options_escape_and_mark_selected():
    facet = {
        "selected": "b",
        "values": [
            {"code": "a", "label": '<Förening "A">', "count": 3},
            {"code": "b", "label": "B & C", "count": 0},
        ],
    }
    assert facet_options(facet) == (
        '<option value="a">&lt;Förening &quot;A&quot;&gt; (3)</option>'
        '<option value="b" selected>B &amp; C (0)</option>'
    )
