from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive with the database (pg_dump custom format on PostgreSQL, a copy of "
        "the file on SQLite) and the media folder. Default: BACKUP_ROOT/portal-<time>.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="where to write the archive (.tar.gz)")

    def handle(self, *args, **options):
        try:
            result = backup_create(output=Path(options["output"]) if options["output"] else None)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {result.path} ({result.engine} database, "
                f"{result.media_files} media file(s))."
            )
        )
