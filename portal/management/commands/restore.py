from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Bring back the database and the media folder from an archive written by `backup`. "
        "Refuses to overwrite a database or media folder that is not empty without --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the current database and media folder (everything in them is lost)",
        )

    def handle(self, *args, **options):
        try:
            result = backup_restore(archive=Path(options["archive"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {options['archive']} ({result['engine']} database, "
                f"{result['media_files']} media file(s))."
            )
        )
