"""Finding 3: behind the reverse proxy, rate limits key on the visitor's own address.

TRUSTED_PROXY_COUNT (the environment) becomes ALLAUTH_TRUSTED_PROXY_COUNT, so one visitor's
failed logins no longer lock everyone out."""

import subprocess
import sys

import pytest
import yaml

from tests.accounts.helpers import password_login
from tests.portal.test_configuration import BASE, _production_env


def _setting(name: str, **env) -> str:
    code = f"import django; django.setup(); from django.conf import settings as s; print(s.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env=_production_env(**env),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_trusted_proxy_count_comes_from_the_environment():
    assert _setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="1") == "1"
    assert _setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2") == "2"


def test_docker_compose_sets_the_trusted_proxy_count():
    compose = yaml.safe_load((BASE / "docker-compose.yml").read_text())
    assert compose["x-app"]["environment"]["TRUSTED_PROXY_COUNT"]


def test_readme_documents_the_proxy_setting():
    readme = (BASE / "README.md").read_text()
    assert "TRUSTED_PROXY_COUNT" in readme


@pytest.mark.django_db
def test_failed_logins_from_one_visitor_do_not_lock_out_another(client, settings, member):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "10.0.0.2"}
    for number in range(12):
        client.post(
            "/accounts/login/",
            {"login": f"nobody{number}@example.org", "password": "wrong-1234"},
            **attacker,
        )
    response = client.post(
        "/accounts/login/",
        {"login": member.email, "password": "correct-horse-battery-7"},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 1


@pytest.mark.django_db
def test_one_visitor_past_the_address_limit_gets_429(client, settings, member):
    # The production rate per hour instead of per minute: a slow machine must not let the
    # window pass during the test.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/h/ip"}
    for number in range(10):
        password_login(client, f"nobody{number}@example.org", "wrong-1234")
    response = password_login(client, member.email)
    assert response.status_code == 429
