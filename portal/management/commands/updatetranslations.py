import os

import polib
from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal.translations import LANGUAGES, catalogue_roots, ignore_patterns_for


def fill_english(po_path) -> int:
    """English is the source language: its catalogue is complete when msgstr repeats msgid."""
    catalogue = polib.pofile(str(po_path))
    filled = 0
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = entry.msgid
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    catalogue.save()
    return filled


class Command(BaseCommand):
    help = "Refresh every catalogue from the source (needs xgettext) and fill in English."

    def handle(self, *args, **options):
        start = os.getcwd()
        try:
            for root in catalogue_roots():
                (root / "locale").mkdir(exist_ok=True)
                os.chdir(root)
                call_command(
                    "makemessages",
                    locale=LANGUAGES,
                    ignore_patterns=ignore_patterns_for(root),
                    no_obsolete=True,
                    no_location=True,
                    verbosity=0,
                )
                english = root / "locale" / "en" / "LC_MESSAGES" / "django.po"
                if english.exists():
                    fill_english(english)
        finally:
            os.chdir(start)
        self.stdout.write("Catalogues refreshed. Translate the empty Swedish entries next.")
