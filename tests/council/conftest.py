"""Council test data, made through the services like real data is."""

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from council import services
from council.models import Role
from directory import services as directory_services
from directory.models import Organisation, Sector

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_counter = itertools.count(1)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


def make_org(name: str | None = None, *, sector: str = "civil_society") -> Organisation:
    existing = Organisation.objects.filter(name=name).first() if name else None
    return existing or directory_services.organisation_create(
        name=name or f"Organisation {next(_counter)}",
        sector=Sector.objects.get(code=sector),
        state=Organisation.State.PUBLISHED,
    )


def make_person(name: str | None = None, *, gender: str = "woman", user=None, email: str = ""):
    number = next(_counter)
    return directory_services.person_create(
        name=name or f"Person {number}",
        gender=gender,
        user=user,
        email=email or f"person.{number}@example.org",
    )


def make_council(name: str = "Samverkansrådet"):
    return services.council_create(
        name=name,
        slug=f"rad-{next(_counter)}",
        purpose="Ett råd för samverkan mellan idéburen och offentlig sektor.",
        goals="Öka förståelsen\nUtveckla kommunikationen",
    )


def seat(
    council,
    *,
    gender="woman",
    sector="civil_society",
    role=Role.MEMBER,
    start=date(2014, 1, 1),
    end=None,
    person=None,
    org=None,
    work_share=None,
):
    return services.membership_create(
        council=council,
        person=person or make_person(gender=gender),
        organisation=org or make_org(sector=sector),
        role=role,
        start_date=start,
        end_date=end,
        work_share=work_share,
    )


def make_meeting(council, *, starts=None, hours=3, title="Rådsmöte", notify=False, **extra):
    from datetime import timedelta

    starts = starts or local(2030, 3, 12, 13, 0)
    return services.meeting_schedule(
        council=council,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        place=extra.pop("place", "Ängelholmsgatan 1 A, Malmö"),
        notify=notify,
        **extra,
    )


@pytest.fixture(autouse=True)
def _taxonomies(django_db_blocker):
    with django_db_blocker.unblock():
        if not Sector.objects.exists():
            directory_services.taxonomy_sync()


@pytest.fixture
def council(db):
    return make_council()
