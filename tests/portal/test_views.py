import io

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_is_swedish_by_default_even_for_english_browsers(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert "Hoppa till innehållet" in html
    assert "Nästa rådsmöten" in html


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Next council meetings" in html
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert '<html lang="sv">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_home_has_landmarks_and_skip_link(client):
    html = client.get("/").content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_healthz_reports_each_part(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"].startswith("ok")


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reaches_real_broker(client):
    assert client.get("/healthz").json()["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_unreachable_broker(client, settings):
    from portal.celery import app

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    previous = app.conf.broker_url
    app.conf.broker_url = settings.REDIS_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")


@pytest.mark.django_db
def test_unknown_page_is_friendly_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.django_db
def test_load_demo_is_idempotent(django_user_model):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert django_user_model.objects.filter(email__endswith="@example.org").count() == 5


@pytest.mark.django_db
def test_home_counts_the_published_organisations(client):
    from directory import demo as directory_demo
    from directory.selectors import organisation_count_published

    directory_demo.load()
    count = organisation_count_published()
    assert count > 5
    assert f"Alla {count} organisationer i katalogen" in client.get("/").content.decode()


def test_the_favicon_is_served_where_browsers_ask_for_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header
    assert "max-age" in response["Cache-Control"]


def test_the_web_manifest_names_the_portal_and_its_icons(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Collaboration council"
    assert manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    page = client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'rel="icon"' in page
