"""Where the portal's translation catalogues live and how they are checked and compiled.

Each app keeps its own catalogue in <app>/locale/ (so apps can change in parallel without
touching one shared file); the project's own strings (portal/ and templates/) are in locale/.
Catalogues are compiled with polib, so `make run` needs no GNU gettext; refreshing them from
the source (`make messages`) does need xgettext.
"""

from pathlib import Path

from django.conf import settings

LANGUAGES = ["sv", "en"]
# Folders whose strings belong to an app's own catalogue, not the project's.
APP_DIRS = ["accounts", "reports", "directory", "council", "workshops", "agreements"]
# Never scanned for strings.
IGNORED = [".venv", "tests", "bench", "scripts", "staticfiles", "media", "node_modules"]


def catalogue_roots() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [base, *(base / name for name in APP_DIRS)]


def po_files() -> list[Path]:
    return [
        root / "locale" / language / "LC_MESSAGES" / "django.po"
        for root in catalogue_roots()
        for language in LANGUAGES
        if (root / "locale" / language / "LC_MESSAGES" / "django.po").exists()
    ]


def ignore_patterns_for(root: Path) -> list[str]:
    if root == Path(settings.BASE_DIR):
        return [*IGNORED, *APP_DIRS]
    return ["migrations", *IGNORED]
