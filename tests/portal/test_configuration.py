"""Settings, deployment files and catalogues, checked as the tools that use them would."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from portal.translations import po_files

BASE = Path(settings.BASE_DIR)


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="portal.example.org",
        PORTAL_BASE_URL="https://portal.example.org",
        **extra,
    )
    return env


def test_deploy_check_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("base_url", "error"),
    [(None, "portal.E001"), ("http://127.0.0.1:8000", "portal.E002")],
)
def test_production_refuses_to_start_without_its_public_address(base_url, error):
    env = _production_env()
    env.pop("PORTAL_BASE_URL")
    if base_url:
        env["PORTAL_BASE_URL"] = base_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_uses_host_prefixed_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.PORTAL_REQUIRE_MFA_FOR_STAFF, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        capture_output=True,
        text=True,
        env={**_production_env(), "DJANGO_SETTINGS_MODULE": "portal.settings"},
    )
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "63072000",
        "True",
        "False",
    ]


@pytest.mark.parametrize(
    ("env", "seconds"),
    [
        ({"DJANGO_ENV": "development", "REDIS_URL": ""}, "60"),  # the embedded run: one process
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "60"),  # production with a shared cache
        ({"REDIS_URL": ""}, "0"),  # production, per-process memory: a write reaches one worker
    ],
)
def test_page_cache_only_where_every_process_shares_it(env, seconds):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PORTAL_PAGE_CACHE_SECONDS)"
    )
    environment = {**_production_env(), "DJANGO_SETTINGS_MODULE": "portal.settings", **env}
    environment.pop("PORTAL_PAGE_CACHE_SECONDS", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE, capture_output=True, text=True, env=environment
    )
    assert result.stdout.split() == [seconds], result.stderr


def test_demo_loader_refuses_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=BASE,
        env=_production_env(DATABASE_URL="sqlite:///:memory:"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "does not run with DJANGO_ENV=production" in result.stderr


def test_compose_file_follows_compose_specification():
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(BASE / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_runs_the_whole_stack():
    import yaml

    compose = yaml.safe_load((BASE / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: str(p.relative_to(BASE)))
def test_catalogue_is_complete(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {po_path}: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy in {po_path}: {fuzzy[:10]}"


def test_every_catalogue_exists_in_both_languages():
    assert {p.parent.parent.name for p in po_files()} == {"sv", "en"}
    roots = {p.parent.parent.parent.parent for p in po_files()}
    for root in roots:
        for language in ("sv", "en"):
            assert (root / "locale" / language / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.gettext
def test_catalogues_are_up_to_date_with_source(tmp_path):
    """Every marked string in the code is in the catalogues (run `make messages` if not)."""
    copy = tmp_path / "src"
    shutil.copytree(
        BASE,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "media", "staticfiles", "*.sqlite3", "node_modules", "__pycache__"
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "updatetranslations"],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": "sqlite:///:memory:"},
    )
    assert result.returncode == 0, result.stderr
    for po_path in po_files():
        fresh = polib.pofile(str(copy / po_path.relative_to(BASE)))
        current = polib.pofile(str(po_path))
        missing = {e.msgid for e in fresh} - {e.msgid for e in current}
        assert missing == set(), f"{po_path.relative_to(BASE)} lacks {sorted(missing)[:10]}"


def test_same_string_is_translated_alike_in_every_catalogue():
    """Django merges all catalogues; for a msgid in two of them the first app would win."""
    seen: dict[tuple[str, str], tuple[str, Path]] = {}
    clashes = []
    for po_path in po_files():
        if po_path.parent.parent.name != "sv":
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgstr:
                continue
            key = (entry.msgctxt or "", entry.msgid)
            if key in seen and seen[key][0] != entry.msgstr:
                clashes.append(
                    f"{entry.msgid!r}: {seen[key][0]!r} ({seen[key][1].parts[-5]}) "
                    f"vs {entry.msgstr!r} ({po_path.parts[-5]})"
                )
            seen.setdefault(key, (entry.msgstr, po_path))
    assert clashes == []


def _settings_in_subprocess(expression: str, **env) -> str:
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += f"print({expression})"
    environment = {**_production_env(), "DJANGO_SETTINGS_MODULE": "portal.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE, capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_checks_kept_database_connections_before_reuse():
    """After a database restart or restore, the first requests must not answer 500."""
    printed = _settings_in_subprocess(
        "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']",
        DATABASE_URL="postgres://portal:x@127.0.0.1:5432/portal",
    )
    assert printed == "60 True"


def test_cache_and_broker_use_separate_redis_databases():
    printed = _settings_in_subprocess(
        "s.CACHES['default']['LOCATION'], s.CELERY_BROKER_URL",
        REDIS_URL="redis://redis:6379/0",
    )
    assert printed == "redis://redis:6379/0 redis://redis:6379/1"
    printed = _settings_in_subprocess(
        "s.CELERY_BROKER_URL", REDIS_URL="redis://:secret@redis:6379/4"
    )
    assert printed == "redis://:secret@redis:6379/5"


@pytest.mark.parametrize(
    ("limit", "expected"),
    [("900", "1200 900 870 960"), ("60", "360 60 54 120")],
)
def test_visibility_timeout_is_the_report_time_limit_plus_a_margin(limit, expected):
    """Minutes, not an hour: a lost worker's message comes back 5 minutes after the limit."""
    printed = _settings_in_subprocess(
        "s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], s.CELERY_TASK_TIME_LIMIT, "
        "s.CELERY_TASK_SOFT_TIME_LIMIT, s.REPORT_STALE_AFTER",
        REDIS_URL="redis://redis:6379/0",
        REPORT_TIME_LIMIT=limit,
    )
    assert printed == expected


def test_beat_runs_the_report_sweep_every_minute():
    schedule = settings.CELERY_BEAT_SCHEDULE["reports-sweep"]
    assert schedule["task"] == "reports.sweep"
    assert schedule["schedule"].total_seconds() == settings.REPORT_SWEEP_SECONDS == 60
    from portal.celery import app

    app.loader.import_default_modules()
    assert "reports.sweep" in app.tasks


def test_compose_redis_keeps_the_queue_and_bounds_its_memory():
    import yaml

    compose = yaml.safe_load((BASE / "docker-compose.yml").read_text())
    command = compose["services"]["redis"]["command"]
    options = dict(zip(command[1::2], command[2::2], strict=False))
    assert command[0] == "redis-server"
    assert options["--appendonly"] == "yes"
    assert options["--maxmemory"].endswith("mb")
    # Only keys with a TTL may be evicted: cached pages go, queued tasks never do.
    assert options["--maxmemory-policy"] == "volatile-lru"
    assert "redis" in " ".join(compose["services"]["redis"].get("volumes", []))
