"""Test set-up shared by the whole suite.

Tests that need PostgreSQL, Redis or Chromium carry a marker; without those services they are
skipped with the reason, except in CI (CI=true), where a missing service is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_user

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
_VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR",
        Path(__file__).resolve().parent.parent / ".vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    )
)

_REASONS = {
    "postgres": (
        lambda: settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        "needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)",
    ),
    "redis": (lambda: bool(settings.REDIS_URL), "needs Redis: set REDIS_URL (CI does)"),
    "browser": (
        lambda: Path(CHROMIUM).exists(),
        f"needs Chromium at {CHROMIUM}: apt-get install chromium",
    ),
    "gettext": (lambda: shutil.which("xgettext") is not None, "needs GNU gettext (xgettext)"),
    "vnu": (
        lambda: shutil.which("java") is not None and _VNU_JAR.exists(),
        "needs Java and the Nu HTML Checker: apt-get install default-jre-headless; "
        "npm install --prefix .vnu vnu-jar",
    ),
}


def pytest_runtest_setup(item):
    for marker, (available, reason) in _REASONS.items():
        if marker in item.keywords and not available():
            if IN_CI:
                pytest.fail(f"CI must provide this: {reason}", pytrace=False)
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests flush every table afterwards, the migrations' data included.

    Role groups, the directory's vocabularies and the agreements' principles come from code,
    so a transactional test writes them again first instead of depending on test order.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from accounts.services import roles_sync
    from agreements.services import content_sync
    from directory.services import taxonomy_sync

    roles_sync()
    taxonomy_sync()
    content_sync()


@pytest.fixture(autouse=True)
def _every_email_is_the_portals_own():
    """Whatever a test makes the portal send goes through portal.mail (issue 15): a plain-text
    and an HTML part, the recipient's language declared, one recipient per message, replies
    to the secretariat. Checked after every test, so a new kind of email cannot skip it."""
    yield
    from django.conf import settings
    from django.core import mail

    problems = []
    for message in getattr(mail, "outbox", []):
        label = repr(message.subject)
        if not any(kind == "text/html" for _body, kind in getattr(message, "alternatives", [])):
            problems.append(f"{label}: no HTML part")
        if "Content-Language" not in message.extra_headers:
            problems.append(f"{label}: no Content-Language")
        if len(message.to) + len(message.cc) + len(message.bcc) != 1:
            problems.append(f"{label}: {len(message.to)} recipients in one message")
        if message.reply_to != [settings.PORTAL_SECRETARIAT_EMAIL]:
            problems.append(f"{label}: replies go to {message.reply_to}")
    assert problems == [], problems


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Unit and view tests run tasks in-process; the worker test turns this off."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache (Redis in CI): no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _swedish(settings):
    settings.LANGUAGE_CODE = "sv"


@pytest.fixture
def secretariat(db):
    return make_user("secretariat")


@pytest.fixture
def administrator(db):
    return make_user("administrator")


@pytest.fixture
def member(db):
    return make_user("council_member")


@pytest.fixture
def leader(db):
    return make_user("process_leader")


@pytest.fixture
def editor(db):
    return make_user("organisation_editor")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
