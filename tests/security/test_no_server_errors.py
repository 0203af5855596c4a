"""Every GET route, as each kind of visitor, with the demo data and with junk in the query
string: nothing may answer 500. Sample ids are 1 (demo rows exist with it) or unknown."""

import io

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from tests.security.test_anonymous_access import _sample_path, _walk

JUNK = "?q=%00%27%22<x>&page=99999999&on=2014-02-30&sector=nope&municipality=%FF&format=x"
# The NUL above is refused at the edge (400) before any view runs; this one reaches the views.
JUNK_PAST_THE_EDGE = JUNK.replace("%00", "%E2%80%AE")


def _paths():
    from django.urls import get_resolver

    for route, name, _pattern in _walk(get_resolver()):
        if route.startswith("admin/") or name.startswith(("account_", "mfa_", "usersessions_")):
            continue
        path = _sample_path(route)
        if path is not None:
            yield path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        None,
        "member@example.org",
        "secretariat@example.org",
        "leader@example.org",
        "editor@example.org",
    ],
)
def test_no_get_answers_500(client, email):
    call_command("load_demo", stdout=io.StringIO())
    if email:
        assert client.login(email=email, password=DEMO_PASSWORD)
    failures = []
    for path in _paths():
        for url in (path, path + JUNK, path + JUNK_PAST_THE_EDGE):
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{url} -> {response.status_code}")
    assert failures == []
