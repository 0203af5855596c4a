"""Personal-data test helpers: the 2014 demo council and a freshly re-authenticated session."""

import time

import pytest

from accounts.demo import load_accounts
from council import demo as council_demo
from council.models import Council
from directory import demo as directory_demo
from directory import services as directory_services
from directory.models import Sector


@pytest.fixture(autouse=True)
def _taxonomies(db):
    if not Sector.objects.exists():
        directory_services.taxonomy_sync()


@pytest.fixture
def demo_council(db):
    load_accounts()
    directory_demo.load()
    council_demo.load()
    return Council.objects.get(slug=council_demo.SLUG)


def authenticated_just_now(client, user, *, seconds_ago: float = 0) -> None:
    """Log in as allauth records a password login: the erase view reads when that was."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time() - seconds_ago, "email": user.email}
    ]
    session.save()
