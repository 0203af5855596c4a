"""HTML to tagged PDF. WeasyPrint is imported here, lazily: web processes never load it.

A Celery worker loads it when it starts (`preload`, called from portal/celery.py), so the
first report a worker produces does not pay for the import and the first font look-up.
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings

STATIC_DIR = Path(settings.BASE_DIR) / "static"


def _local_only_fetcher():
    """Only our own static files and inline data: a report never reaches out to the network."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not path.is_relative_to(STATIC_DIR.resolve()):
                    raise ValueError(f"Report resources must be our static files, not {url!r}.")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def render_pdf(html: str) -> bytes:
    """Render to PDF/UA-1: tagged structure, the document language and title from <html>."""
    import weasyprint

    document = weasyprint.HTML(
        string=html,
        base_url=str(STATIC_DIR) + "/",
        url_fetcher=_local_only_fetcher(),
    )
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


# The smallest document that makes WeasyPrint load Pango and find the report font.
_WARM_UP_HTML = (
    '<!doctype html><html lang="sv"><head><title>-</title>'
    '<style>body { font-family: "DejaVu Sans", sans-serif; }</style></head>'
    "<body><p>Åäö</p></body></html>"
)


def preload(*, render: bool = True) -> None:
    """Import WeasyPrint and, with `render`, lay out a tiny tagged document (fonts found,
    Pango loaded): what the first job in a process would otherwise pay for."""
    import weasyprint  # noqa: F401

    if render:
        render_pdf(_WARM_UP_HTML)
