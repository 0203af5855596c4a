"""Directory test data, made through the services like real data is."""

import itertools

import pytest

from directory import services
from directory.models import Area, LegalForm, Municipality, Organisation, Sector, TargetGroup

_counter = itertools.count(1)


def term(model, code):
    return model.objects.get(code=code)


def make_org(
    name: str | None = None,
    *,
    sector: str = "civil_society",
    legal_form: str | None = "non_profit_association",
    state: str = Organisation.State.PUBLISHED,
    municipalities=(),
    areas=(),
    target_groups=(),
    **details,
) -> Organisation:
    return services.organisation_create(
        name=name or f"Förening nummer {next(_counter)}",
        sector=term(Sector, sector),
        legal_form=term(LegalForm, legal_form) if legal_form else None,
        state=state,
        municipalities=[term(Municipality, code) for code in municipalities],
        areas=[term(Area, code) for code in areas],
        target_groups=[term(TargetGroup, code) for code in target_groups],
        **details,
    )


@pytest.fixture
def org(db):
    return make_org(
        "Emmaus Björkå",
        municipalities=["1280"],
        areas=["social_support"],
        target_groups=["unemployed"],
        description="Second hand och arbetsträning i Malmö.",
        city="Malmö",
    )


@pytest.fixture(autouse=True)
def _taxonomies(django_db_blocker):
    """The vocabularies come from a data migration; a transactional test (browser tests)
    flushes them, so put them back for whatever runs next."""
    with django_db_blocker.unblock():
        if not Sector.objects.exists():
            services.taxonomy_sync()


@pytest.fixture(scope="module")
def demo_directory(django_db_setup, django_db_blocker):
    """The directory's demo data, loaded once per module (it takes seconds) and removed
    afterwards; each test still runs in its own transaction on top of it."""
    from directory import demo
    from directory.models import Person

    with django_db_blocker.unblock():
        demo.load()
    yield
    with django_db_blocker.unblock():
        Organisation.objects.all().delete()
        Person.objects.all().delete()
