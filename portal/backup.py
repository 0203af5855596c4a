"""Backup and restore of everything the portal stores: the database and the media folder.

One archive (`.tar.gz`) holds `manifest.json`, the database (a `pg_dump` custom-format dump on
PostgreSQL, a consistent copy of the file on SQLite) and `media/` (report PDFs, agenda
documents, uploads). `manage.py backup` writes one, `manage.py restore ARCHIVE` brings both
back; the README says how to run them in production.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    """Something the person running the command must act on; the message says what."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    media_files: int


def _engine(alias: str = "default") -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def _pg_environment(alias: str) -> tuple[dict, list[str]]:
    db = connections[alias].settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = [
        f"--host={db.get('HOST') or '127.0.0.1'}",
        f"--port={db.get('PORT') or 5432}",
        f"--username={db['USER']}",
        f"--dbname={db['NAME']}",
    ]
    return env, args


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _media_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def default_archive_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_ROOT) / f"portal-{stamp}.tar.gz"


def backup_create(*, output: Path | None = None, alias: str = "default") -> BackupResult:
    """Write one archive with the database and the media folder; return where it is."""
    output = Path(output or default_archive_path())
    output.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(alias)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        work = Path(work)
        if engine == "postgresql":
            env, args = _pg_environment(alias)
            database = work / POSTGRES_DUMP
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    *args,
                    f"--file={database}",
                ],
                env,
            )
        else:
            database = work / SQLITE_COPY
            # SQLite's online backup: a consistent copy even while the portal writes.
            source = sqlite3.connect(connections[alias].settings_dict["NAME"])
            target = sqlite3.connect(database)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": database.name,
            "media_files": len(files),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(database, arcname=database.name)
            folder = tarfile.TarInfo(MEDIA)
            folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
            archive.addfile(folder)
            for path in files:
                archive.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
        # Only a complete archive carries the final name.
        partial.replace(output)
    return BackupResult(path=output, engine=engine, media_files=len(files))


def _database_is_empty(alias: str) -> bool:
    return not connections[alias].introspection.table_names()


def backup_restore(*, archive: Path, force: bool = False, alias: str = "default") -> dict:
    """Bring the database and the media folder back from an archive made by backup_create.

    Refuses to overwrite a database with tables in it, or a media folder with files in it,
    unless `force` is set; then both are emptied first, so what is left is exactly the backup.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"There is no archive at {archive}.")
    engine = _engine(alias)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        work = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
            manifest = json.loads((work / MANIFEST).read_text())
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError(f"{archive} is not a portal backup: {exc}") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        if manifest["engine"] != engine:
            raise BackupError(
                f"The backup is of a {manifest['engine']} database; this portal uses {engine}."
            )
        not_empty = []
        if not _database_is_empty(alias):
            not_empty.append("the database has tables")
        if _media_files(media_root):
            not_empty.append(f"{media_root} has files")
        if not_empty and not force:
            raise BackupError(
                "Nothing was changed: "
                + " and ".join(not_empty)
                + ". Restoring replaces them; run again with --force to do that."
            )
        database = work / manifest["database"]
        if engine == "postgresql":
            _restore_postgresql(database, alias)
        else:
            _restore_sqlite(database, alias)
        if media_root.exists():
            shutil.rmtree(media_root)
        restored_media = work / MEDIA
        if restored_media.exists():
            shutil.copytree(restored_media, media_root)
        else:
            media_root.mkdir(parents=True)
    # Pages cached from the data before the restore must not be served after it.
    from portal.page_cache import content_changed

    content_changed()
    return {"engine": engine, "media_files": len(_media_files(media_root))}


def _restore_postgresql(dump: Path, alias: str) -> None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        # Everything in the schema goes, tables the backup does not know included.
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    env, args = _pg_environment(alias)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(dump),
        ],
        env,
    )


def _restore_sqlite(copy: Path, alias: str) -> None:
    name = Path(connections[alias].settings_dict["NAME"])
    connections[alias].close()
    source = sqlite3.connect(copy)
    target = sqlite3.connect(name)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
