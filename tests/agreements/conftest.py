"""Agreements test data, made through the services like real data is."""

import itertools

import pytest

from agreements import services
from agreements.enums import PRINCIPLE_ORDER, Side
from directory import services as directory_services
from directory.models import Municipality, Organisation, Region, Sector
from tests.factories import make_user

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _content(db):
    """Transactional tests flush the migration's data: put the principles back."""
    services.content_sync()


def make_org(name: str | None = None, *, sector: str = "civil_society") -> Organisation:
    existing = Organisation.objects.filter(name=name).first() if name else None
    return existing or directory_services.organisation_create(
        name=name or f"Organisation {next(_counter)}",
        sector=Sector.objects.get(code=sector),
        state=Organisation.State.PUBLISHED,
    )


def make_municipality(name: str = "Eslöv", code: str = "1285") -> Municipality:
    region, _created = Region.objects.get_or_create(
        code="12", defaults={"name": "Skåne län", "authority_name": "Region Skåne"}
    )
    municipality, _created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "region": region}
    )
    return municipality


def make_agreement(*, leaders=(), title: str | None = None, **extra):
    number = next(_counter)
    directory_services.taxonomy_sync()
    return services.agreement_create(
        title=title or f"Lokal överenskommelse {number}",
        municipality=make_municipality(),
        public_party=make_org(f"Kommun {number}", sector="public"),
        civil_parties=[make_org(f"Föreningsparaply {number}")],
        process_leaders=list(leaders),
        **extra,
    )


def scores(value: int = 3, **overrides) -> dict:
    return {code: (overrides.get(code, value), "") for code in PRINCIPLE_ORDER}


def record_round(agreement, held_on, civil: dict, public: dict, by=None):
    services.assessment_round_record(
        agreement=agreement, held_on=held_on, side=Side.CIVIL_SOCIETY, scores=civil, recorded_by=by
    )
    return services.assessment_round_record(
        agreement=agreement, held_on=held_on, side=Side.PUBLIC, scores=public, recorded_by=by
    )


@pytest.fixture
def other_leader(db):
    return make_user("process_leader", full_name="Nils Åkesson")


@pytest.fixture
def agreement(leader):
    return make_agreement(leaders=[leader])
