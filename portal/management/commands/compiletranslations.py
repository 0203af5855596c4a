import polib
from django.core.management.base import BaseCommand

from portal.translations import po_files


class Command(BaseCommand):
    help = "Compile every .po catalogue of the portal to .mo (pure Python, no gettext needed)."

    def handle(self, *args, **options):
        count = 0
        for po_path in po_files():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
