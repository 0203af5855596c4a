import pytest
from django.db import connection

from directory import selectors
from directory.models import Organisation
from directory.selectors import DirectoryQuery
from tests.directory.conftest import make_org

pytestmark = pytest.mark.django_db


def _names(query: DirectoryQuery) -> list[str]:
    return [org.name for org in selectors.organisation_search(query)]


@pytest.fixture
def orgs(db):
    make_org("Malmö stad", sector="public", legal_form="municipality", municipalities=["1280"])
    make_org(
        "Emmaus Björkå",
        municipalities=["1280"],
        areas=["social_support"],
        description="Second hand och arbetsträning.",
    )
    make_org("Lunds kommun", sector="public", legal_form="municipality", municipalities=["1281"])
    make_org("Dold förening", state=Organisation.State.HIDDEN, municipalities=["1280"])
    make_org("Utkast i Malmö", state=Organisation.State.DRAFT)


def test_search_without_query_lists_published_by_name(orgs):
    assert _names(DirectoryQuery()) == ["Emmaus Björkå", "Lunds kommun", "Malmö stad"]


def test_search_without_diacritics_finds_name(orgs):
    assert _names(DirectoryQuery(q="Malmo")) == ["Malmö stad"]
    assert _names(DirectoryQuery(q="emmaus bjorka")) == ["Emmaus Björkå"]


def test_search_description_word(orgs):
    assert _names(DirectoryQuery(q="arbetsträning")) == ["Emmaus Björkå"]


def test_search_filters_combine(orgs):
    assert _names(DirectoryQuery(municipality="1280")) == ["Emmaus Björkå", "Malmö stad"]
    assert _names(DirectoryQuery(municipality="1280", sector="public")) == ["Malmö stad"]
    assert _names(DirectoryQuery(area="social_support", sector="public")) == []


def test_search_unknown_code_gives_empty_result(orgs):
    query = DirectoryQuery(sector="pirates")
    assert _names(query) == []
    assert selectors.unknown_filter_codes(query) == ["sector"]


def test_facets_count_current_results(orgs):
    facets = selectors.organisation_facets(DirectoryQuery(sector="public"))
    assert {v["code"]: v["count"] for v in facets["sector"]} == {
        "civil_society": 0,
        "public": 2,
        "business": 0,
        "academia": 0,
    }
    assert {v["code"]: v["count"] for v in facets["municipality"]} == {"1280": 1, "1281": 1}


def test_facets_with_text_search(orgs):
    facets = selectors.organisation_facets(DirectoryQuery(q="Malmo"))
    assert {v["code"]: v["count"] for v in facets["municipality"]} == {"1280": 1}
    assert {v["code"]: v["count"] for v in facets["area"]} == {}


def test_organisation_count_published(orgs):
    assert selectors.organisation_count_published() == 3


@pytest.mark.postgres
def test_search_typo_found_by_trigram(orgs):
    assert connection.vendor == "postgresql"
    assert _names(DirectoryQuery(q="Emaus Bjorka")) == ["Emmaus Björkå"]
    assert _names(DirectoryQuery(q="Lunds komun")) == ["Lunds kommun"]


@pytest.mark.postgres
def test_search_ranks_name_above_description(db):
    make_org("Sjöbo idrottsförening", description="Fotboll för alla.")
    make_org("Fotbollsklubben Ystad", description="Idrott i Ystad.")
    assert _names(DirectoryQuery(q="fotbollsklubben"))[0] == "Fotbollsklubben Ystad"


@pytest.mark.postgres
def test_search_vector_is_generated_by_database(org):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ to_tsquery('swedish', 'arbetsträning') "
            "FROM directory_organisation WHERE id = %s",
            [org.pk],
        )
        assert cursor.fetchone() == (True,)


def test_search_follows_changed_municipalities_and_name(orgs):
    from directory import services
    from directory.models import Municipality

    org = Organisation.objects.get(name="Lunds kommun")
    services.organisation_update(
        organisation=org,
        name="Lunds kommunförvaltning",
        municipalities=[Municipality.objects.get(code="1280")],
    )
    assert _names(DirectoryQuery(municipality="1281")) == []
    assert "Lunds kommunförvaltning" in _names(DirectoryQuery(municipality="1280"))
    assert _names(DirectoryQuery(q="kommunforvaltning")) == ["Lunds kommunförvaltning"]


def test_directory_search_counts_total_and_facets_in_one_pass(orgs):
    search = selectors.directory_search(DirectoryQuery(municipality="1280"))
    assert search.total == 2
    assert [org.name for org in search.results[0:20]] == ["Emmaus Björkå", "Malmö stad"]
    assert {v["code"]: v["count"] for v in search.facets["sector"]} == {
        "civil_society": 1,
        "public": 1,
        "business": 0,
        "academia": 0,
    }
    assert {v["code"]: v["count"] for v in search.facets["area"]} == {"social_support": 1}


def test_directory_search_unknown_code_is_empty(orgs):
    search = selectors.directory_search(DirectoryQuery(q="malmo", area="pirates"))
    assert search.total == 0
    assert search.results[0:20] == []


@pytest.mark.postgres
def test_search_typo_in_renamed_name_found(orgs):
    from directory import services

    org = Organisation.objects.get(name="Malmö stad")
    services.organisation_update(organisation=org, name="Malmö stadsbyggnadskontor")
    assert _names(DirectoryQuery(q="stadsbygnadskontor")) == ["Malmö stadsbyggnadskontor"]


def test_list_without_search_is_in_swedish_alphabetical_order():
    """ICU's collation on PostgreSQL, directory/collation.py's on SQLite."""
    for name in ["Örebro läsecirkel", "Ängelholms scouter", "Åhus hembygdsförening", "Zeta IF"]:
        make_org(name)
    assert _names(DirectoryQuery()) == [
        "Zeta IF",
        "Åhus hembygdsförening",
        "Ängelholms scouter",
        "Örebro läsecirkel",
    ]


def test_a_code_added_to_a_vocabulary_is_known_to_the_next_search(orgs):
    """The codes' ids are kept with the vocabularies as read (per content version): a new
    area (a write to a directory table) is a known filter on the next search."""
    from directory.models import Area

    first = selectors.directory_search(DirectoryQuery(q="Emmaus", area="brand_new"))
    assert first.unknown == ("area",)
    Area.objects.create(code="brand_new", label_sv="Helt ny", label_en="Brand new", position=99)
    make_org("Ny förening", areas=["brand_new"])
    again = selectors.directory_search(DirectoryQuery(area="brand_new"))
    assert again.unknown == () and again.total == 1
    assert {v["code"]: v["count"] for v in again.facets["area"]}["brand_new"] == 1
