"""Workshop test data, made through the services like real data is."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from directory import services as directory_services
from directory.models import Organisation, Sector
from workshops import services
from workshops.consent import CURRENT_CONSENT_VERSION
from workshops.models import Workshop

_counter = itertools.count(1)


def sector(code: str) -> Sector:
    return Sector.objects.get(code=code)


def make_org(name: str, *, sector_code: str = "civil_society") -> Organisation:
    return Organisation.objects.filter(name=name).first() or directory_services.organisation_create(
        name=name, sector=sector(sector_code), state=Organisation.State.PUBLISHED
    )


def make_workshop(*, capacity: int = 10, days_ahead: int = 14, **extra) -> Workshop:
    starts = timezone.now() + timedelta(days=days_ahead)
    data = {
        "title": f"Workshop {next(_counter)}",
        "theme_question": "Hur gör vi samverkan?",
        "focus": Workshop.Focus.HOW,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=6),
        "venue": "Folkets hus",
        "city": "Höör",
        "capacity": capacity,
        "state": Workshop.State.PUBLISHED,
        **extra,
    }
    return services.workshop_create(**data)


def register(
    workshop, *, name=None, email=None, gender="woman", sector_code="civil_society", **extra
):
    number = next(_counter)
    return services.registration_create(
        workshop=workshop,
        name=name or f"Deltagare {number}",
        email=email or f"deltagare{number}@example.org",
        sector=sector(sector_code) if sector_code else None,
        gender=gender,
        consent_version=CURRENT_CONSENT_VERSION,
        **extra,
    )


@pytest.fixture
def workshop(db):
    return make_workshop()
