"""The shared cache of public pages (portal/page_cache.py), through the URLs a visitor uses."""

import re

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from directory import services
from directory.models import Organisation
from portal import page_cache
from tests.directory.conftest import make_org
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _nonce(response) -> str:
    policy = response["Content-Security-Policy"]
    return policy.split("'nonce-")[1].split("'")[0]


def _csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


@pytest.fixture
def organisation():
    return make_org("Föreningen Cachetestet", description="Läxhjälp på tisdagar.")


def test_second_anonymous_visit_runs_no_queries(client, organisation, django_assert_num_queries):
    url = reverse("directory:detail", args=[organisation.slug])
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert "Läxhjälp på tisdagar." in second.content.decode()


def test_service_write_shows_on_the_next_visit(client, organisation):
    url = reverse("directory:detail", args=[organisation.slug])
    client.get(url)
    services.organisation_update(organisation=organisation, description="Läxhjälp på onsdagar.")
    html = client.get(url).content.decode()
    assert "Läxhjälp på onsdagar." in html
    assert "Läxhjälp på tisdagar." not in html


def test_bulk_update_and_raw_sql_show_on_the_next_visit(client, organisation):
    url = reverse("directory:list")
    assert "Föreningen Cachetestet" in client.get(url).content.decode()
    Organisation.objects.filter(pk=organisation.pk).update(name="Föreningen Omdöpt")
    assert "Föreningen Omdöpt" in client.get(url).content.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_organisation SET name = %s WHERE id = %s",
            ["Föreningen Rå", organisation.pk],
        )
    assert "Föreningen Rå" in client.get(url).content.decode()


def test_writes_outside_the_content_tables_keep_the_cache(
    client, organisation, django_assert_num_queries
):
    url = reverse("directory:detail", args=[organisation.slug])
    client.get(url)
    make_user("council_member", email="someone@example.org")
    with django_assert_num_queries(0):
        client.get(url)


@pytest.mark.django_db(transaction=True)
def test_commit_moves_the_version_again(organisation):
    """A page another process rendered between the write and the commit is left behind:
    the version moves at the first write, and once more when the transaction commits
    (a real commit here: the test runs outside a wrapping transaction)."""
    before = page_cache._version()
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(name="Föreningen Ett")
        during = page_cache._version()
        Organisation.objects.filter(pk=organisation.pk).update(name="Föreningen Två")
        pending = [cb for _ids, cb, _robust in connection.run_on_commit]
        assert pending.count(page_cache.content_changed) == 1
        inside = page_cache._version()
    after = page_cache._version()
    assert before != during
    assert after != inside


def test_each_visitor_gets_a_fresh_nonce_and_a_working_csrf_token(organisation):
    url = reverse("directory:detail", args=[organisation.slug])
    Client().get(url)  # stores the page
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(url)
    html = response.content.decode()
    nonce = _nonce(response)
    assert f'nonce="{nonce}"' in html
    assert page_cache.NONCE_PLACEHOLDER not in html
    assert page_cache.CSRF_PLACEHOLDER not in html
    other = Client().get(url)
    assert _nonce(other) != nonce
    (token,) = _csrf_tokens(html)
    assert token not in other.content.decode()
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert '<html lang="en">' in visitor.get(url).content.decode()


def test_languages_are_kept_apart(client, organisation):
    url = reverse("directory:detail", args=[organisation.slug])
    assert '<html lang="sv">' in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get(url).content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert '<html lang="sv">' in client.get(url).content.decode()


def test_logged_in_pages_are_neither_served_from_nor_stored_in_the_cache(client, secretariat):
    client.get("/")  # an anonymous copy exists
    client.force_login(secretariat)
    html = client.get("/").content.decode()
    assert reverse("account_logout") in html
    client.logout()
    anonymous = Client().get("/").content.decode()
    assert reverse("account_logout") not in anonymous
    assert reverse("secretariat") not in anonymous


def test_visitors_with_a_session_or_messages_are_rendered_fresh(
    organisation, django_assert_max_num_queries
):
    url = reverse("directory:detail", args=[organisation.slug])
    Client().get(url)
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        visitor = Client()
        visitor.cookies[cookie] = "something"
        with django_assert_max_num_queries(50) as queries:
            assert visitor.get(url).status_code == 200
        assert len(queries.captured_queries) > 0


def _counting_view(calls, *, message=False):
    from django.contrib import messages
    from django.http import HttpResponse

    @page_cache.public_page
    def view(request):
        calls.append(request.headers.get("HX-Request", "page"))
        if message:
            messages.success(request, "Bara för dig")
        return HttpResponse(f"<p>{calls[-1]}</p>")

    return view


def _anonymous_request(rf, path="/a-public-page/", **headers):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get(path, **headers)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.csp_nonce = "fresh-nonce"
    return request


def test_a_page_that_queued_a_message_is_not_stored(rf):
    """A view that tells this visitor something (a message) made a page for them alone."""
    calls = []
    view = _counting_view(calls, message=True)
    view(_anonymous_request(rf))
    view(_anonymous_request(rf))
    assert calls == ["page", "page"]


def test_htmx_fragments_and_pages_are_kept_apart(rf):
    calls = []
    view = _counting_view(calls)
    assert view(_anonymous_request(rf)).content == b"<p>page</p>"
    assert view(_anonymous_request(rf, HTTP_HX_REQUEST="true")).content == b"<p>true</p>"
    assert view(_anonymous_request(rf)).content == b"<p>page</p>"
    assert view(_anonymous_request(rf, HTTP_HX_REQUEST="true")).content == b"<p>true</p>"
    assert calls == ["page", "true"]


def test_cache_off_renders_every_time(
    client, settings, organisation, django_assert_max_num_queries
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    url = reverse("directory:detail", args=[organisation.slug])
    client.get(url)
    with django_assert_max_num_queries(50) as queries:
        client.get(url)
    assert len(queries.captured_queries) > 0


def test_pages_and_writes_go_on_when_the_cache_is_down(client, settings, organisation):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 9: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    url = reverse("directory:detail", args=[organisation.slug])
    assert client.get(url).status_code == 200
    services.organisation_update(organisation=organisation, description="Trots allt.")
    assert "Trots allt." in client.get(url).content.decode()


def test_made_up_query_parameters_share_one_entry(rf):
    """Finding 7: 300 made-up ?x= parameters stored 300 copies of the same page."""
    calls = []
    view = _counting_view(calls)
    for number in range(300):
        request = _anonymous_request(rf, f"/a-public-page/?x={number}&utm_source=s{number}")
        assert view(request).content == b"<p>page</p>"
    assert calls == ["page"]


def test_only_the_declared_query_parameters_key_and_reach_the_view(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    seen = []

    @page_cache.public_page(query=["q", "page"])
    def view(request):
        seen.append(request.get_full_path())
        return HttpResponse(f"<p>{request.GET.get('q', '')}|{sorted(request.GET)}</p>")

    def get(path):
        request = rf.get(path)
        request.user = AnonymousUser()
        request.csp_nonce = "n"
        return view(request).content.decode()

    assert get("/p/?q=skola&x=1") == "<p>skola|['q']</p>"
    assert get("/p/?x=2&q=skola") == "<p>skola|['q']</p>"  # same entry: not rendered again
    assert get("/p/?q=idrott") == "<p>idrott|['q']</p>"
    assert get("/p/?page=2&q=skola&junk=%00") == "<p>skola|['page', 'q']</p>"
    # The view (and a template's request.get_full_path) sees only what it declared.
    assert seen == ["/p/?q=skola", "/p/?q=idrott", "/p/?page=2&q=skola"]


def test_directory_search_keys_on_its_filters_not_on_made_up_parameters(
    client, organisation, django_assert_num_queries
):
    url = reverse("directory:list")
    assert "Föreningen Cachetestet" in client.get(url, {"q": "Cachetestet"}).content.decode()
    with django_assert_num_queries(0):
        html = client.get(url, {"q": "Cachetestet", "x": "made-up"}).content.decode()
    assert "made-up" not in html
    assert "Föreningen Cachetestet" not in client.get(url, {"q": "Ingenting"}).content.decode()


@pytest.mark.redis
def test_every_cache_key_expires(client, organisation, settings):
    """With volatile-lru only keys with a TTL can be evicted: a key without one would stay
    for ever, and a Redis full of those refuses new report tasks."""
    import redis

    detail = reverse("directory:detail", args=[organisation.slug])
    for url in ["/", reverse("directory:list"), detail]:
        client.get(url)
    services.organisation_update(organisation=organisation, description="Ny text.")
    client.get(reverse("directory:list"))
    client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"})
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(server.scan_iter(count=1000))
    assert len(keys) >= 4
    assert {key: server.ttl(key) for key in keys if server.ttl(key) < 0} == {}
