"""`manage.py backup` and `manage.py restore`: the database and the media folder, rehearsed.

On PostgreSQL (pg_dump/pg_restore) as in production: load the demo, request a report, back up,
drop everything, restore, and compare what the public JSON and the report download answer.
"""

import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from portal import page_cache
from reports.models import ReportJob
from tests.factories import make_user
from tests.reports.pdf import pdf_text


def _public_json(client) -> dict[str, bytes]:
    """Every public JSON endpoint, with every workshop, agreement and organisation in it."""
    answers = {}

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = response.content
        return response.json()

    organisations = get(reverse("directory_api:organizations") + "?per_page=100")
    for organisation in organisations["contents"]:
        get(reverse("directory_api:organization", args=[organisation["id"]]))
    for service in get(reverse("directory_api:services") + "?per_page=100")["contents"]:
        get(reverse("directory_api:service", args=[service["id"]]))
    get(reverse("directory_api:openapi"))
    get(reverse("council_api:composition"))
    for workshop in get(reverse("workshops_api:list"))["results"]:
        get(reverse("workshops_api:stats", args=[workshop["id"]]))
    for agreement in get(reverse("agreements_api:list"))["results"]:
        get(reverse("agreements_api:detail", args=[agreement["id"]]))
    return answers


def _drop_everything():
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_drop_restore_answers_the_same_and_the_report_downloads(tmp_path, settings):
    # The database answers here, not the page cache (restore empties it: checked below).
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    staff = Client()
    staff.force_login(make_user("secretariat"))
    staff.post(reverse("reports:request"), {"kind": "portal_overview"})
    job = ReportJob.objects.get()
    assert job.state == ReportJob.State.DONE
    download = reverse("reports:download", args=[job.pk])
    report = b"".join(staff.get(download).streaming_content)
    before = _public_json(Client())
    assert len(before) >= 8

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.dump", f"media/{job.file.name}"} <= set(names)

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))

    _drop_everything()
    assert connection.introspection.table_names() == []
    assert not Path(settings.MEDIA_ROOT).exists()

    version = page_cache._version()
    call_command("restore", str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert page_cache._version() != version

    assert _public_json(Client()) == before
    restored = staff.get(download)
    assert restored.status_code == 200
    assert b"".join(restored.streaming_content) == report
    assert "Portalöversikt" in pdf_text(report)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_with_force_replaces_a_changed_database_and_media(tmp_path, settings):
    user = make_user("secretariat", email="kept@example.org")
    (Path(settings.MEDIA_ROOT) / "agenda").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "agenda" / "kept.pdf").write_bytes(b"%PDF kept")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115

    make_user("secretariat", email="added-after@example.org")
    (Path(settings.MEDIA_ROOT) / "agenda" / "added.pdf").write_bytes(b"%PDF added")
    with pytest.raises(CommandError, match=r"the database has tables and .* has files"):
        call_command("restore", str(archive))
    assert (Path(settings.MEDIA_ROOT) / "agenda" / "added.pdf").exists()

    call_command("restore", str(archive), force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    from accounts.models import User

    assert list(User.objects.values_list("email", flat=True)) == [user.email]
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*.pdf")) == ["kept.pdf"]


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="is not a portal backup"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="There is no archive"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_backup_and_restore_on_sqlite_the_embedded_run(tmp_path):
    """The embedded default (SQLite, media on disk): the same commands, in a fresh process."""
    env_base = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "",
        "DJANGO_ENV": "development",
        "PATH": "/usr/bin:/bin",
    }

    def manage(*args, check=True):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env_base,
            capture_output=True,
            text=True,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    manage("migrate", "--noinput")
    manage("shell", "-c", "from tests.factories import make_user; make_user(email='a@example.org')")
    (tmp_path / "media" / "reports").mkdir(parents=True)
    (tmp_path / "media" / "reports" / "r.pdf").write_bytes(b"%PDF-1.7 r")
    archive = tmp_path / "backup.tar.gz"
    assert "sqlite database, 1 media file(s)" in manage("backup", "-o", str(archive)).stdout

    (tmp_path / "portal.sqlite3").unlink()
    shutil.rmtree(tmp_path / "media")
    restored = manage("restore", str(archive), check=False)
    assert restored.returncode == 0, restored.stderr  # an absent database counts as empty
    rows = sqlite3.connect(tmp_path / "portal.sqlite3").execute("SELECT email FROM accounts_user")
    assert [row[0] for row in rows] == ["a@example.org"]
    assert (tmp_path / "media" / "reports" / "r.pdf").read_bytes() == b"%PDF-1.7 r"
