import pytest
from django.template import Context, Template

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


# A result row of the directory list as the template wrote it before the one-pass tag
# (issue 17), kept here to compare with.
_ROW_TAG_BY_TAG = Template(
    "{% load i18n %}{% for org in rows %}"
    '<li class="card">\n'
    '                <h3><a href="{{ org.url }}">{{ org.name }}</a></h3>\n'
    "                <p>{{ org.sector_label }}{% if org.legal_form_label %} · "
    "{{ org.legal_form_label }}{% endif %}{% if org.is_umbrella %} · "
    '{% translate "Umbrella organisation" %}{% endif %}</p>\n'
    "                {% with municipalities=org.municipalities %}{% if municipalities %}"
    '<p class="help">{% translate "Active in:" %} {{ municipalities|slice:":6"|join:", " }}'
    "{% if municipalities|length > 6 %} {% blocktranslate count "
    'counter=municipalities|length|add:"-6" %}and {{ counter }} more{% plural %}and '
    "{{ counter }} more{% endblocktranslate %}{% endif %}</p>{% endif %}{% endwith %}\n"
    '                {% if org.is_stale %}<p class="state state--queued">'
    '{% translate "Possibly out of date" %}</p>{% endif %}\n'
    "              </li>{% endfor %}"
)
_ROW_ONE_PASS = Template(
    "{% load directory_tags %}{% for org in rows %}{% directory_row org %}{% endfor %}"
)
# The list page's loop, one row a line, and the one call that writes it.
_ROWS_LOOP = Template(
    "{% load directory_tags %}{% for org in rows %}\n              {% directory_row org %}"
    "\n            {% endfor %}"
)
_ROWS_ONE_CALL = Template("{% load directory_tags %}{% directory_rows rows %}")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_directory_row_renders_as_the_template_did(language):
    from django.utils import translation

    from directory.selectors import DirectoryRow

    towns = ["Malmö", "Lund", 'Höör "Q"', "Ystad & Co", "<Eslöv>", "Trelleborg", "Kävlinge"]
    rows = [
        DirectoryRow(
            id=number,
            name=name,
            url=f"/directory/{slug}/",
            sector_label=sector,
            legal_form_label=legal_form,
            is_umbrella=umbrella,
            is_stale=stale,
            municipalities=towns[:count],
        )
        for number, (name, slug, sector, legal_form, umbrella, stale, count) in enumerate(
            [
                ("Emmaus Björkå", "emmaus", "Idéburen", "Ideell förening", False, False, 1),
                ("<b>\"Fet\" & 'kursiv'</b>", "a&b", "Civil <society>", "", True, True, 0),
                ("Sex orter", "sex", "Offentlig", "Kommun", False, True, 6),
                ("Sju orter", "sju", "Offentlig", "", True, False, 7),
            ]
        )
    ]
    for more in (1, 8):  # "and 1 more", "and 8 more": both plural forms
        rows.append(
            DirectoryRow(
                id=100 + more,
                name="Många",
                url="/directory/manga/",
                sector_label="Näringsliv",
                legal_form_label="Aktiebolag",
                is_umbrella=False,
                is_stale=False,
                municipalities=[f"Ort {n}" for n in range(6 + more)],
            )
        )
    with translation.override(language):
        expected = _ROW_TAG_BY_TAG.render(Context({"rows": rows}))
        assert _ROW_ONE_PASS.render(Context({"rows": rows})) == expected
        loop = _ROWS_LOOP.render(Context({"rows": rows}))
        assert _ROWS_ONE_CALL.render(Context({"rows": rows})) == loop
        assert loop.count('<li class="card">') == len(rows)
    assert "&lt;b&gt;&quot;Fet&quot; &amp; &#x27;kursiv&#x27;&lt;/b&gt;" in expected
