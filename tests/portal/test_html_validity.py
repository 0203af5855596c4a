"""Every page the walk reaches, as every role and in both languages, is valid HTML.

Valid by the W3C Nu HTML Checker (vnu.jar, the checker people's own tools use), run once over
all pages in one Java process; and every `for`, `aria-describedby`, `aria-labelledby` and
`aria-controls` points to an element that is in the page (the checker does not check that
help texts named by aria-describedby are rendered).
"""

import io
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import get_resolver
from django.urls.converters import get_converters

from accounts.demo import DEMO_PASSWORD
from tests.conftest import _VNU_JAR as VNU_JAR
from tests.security.test_anonymous_access import _walk

ROLES = [
    None,
    "member@example.org",
    "secretariat@example.org",
    "leader@example.org",
    "editor@example.org",
    "admin@example.org",
]
# allauth pages worth checking (our templates override theirs); the others act or need a key.
ACCOUNT_PAGES = {
    None: ["/accounts/login/", "/accounts/password/reset/"],
    "member@example.org": [
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/2fa/",
        "/accounts/sessions/",
        "/accounts/logout/",
    ],
}
REFERENCE_ATTRIBUTES = ("for", "aria-describedby", "aria-labelledby", "aria-controls")


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in REFERENCE_ATTRIBUTES and value and tag != "output":
                for target in value.split():
                    self.references.append((tag, name, target))


def dangling_references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return [
        f'<{tag} {name}="{target}">'
        for tag, name, target in parser.references
        if target not in parser.ids
    ]


def _demo_paths() -> list[str]:
    """Every parameterless or id/slug route of ours, with ids and slugs that exist in the demo."""
    from directory.models import Organisation

    slug = Organisation.objects.filter(state="published").order_by("pk").first().slug
    paths = []
    for route, name, _pattern in _walk(get_resolver()):
        if route.startswith("admin/") or name.startswith(("account_", "mfa_", "usersessions_")):
            continue
        if re.search(r"<(str|path|uuid):", route):
            continue
        path = re.sub(r"<int:\w+>", "1", route)
        path = re.sub(r"<slug:\w+>", slug, path)
        # A part of a page named by a choices converter (portal/converters.py): every part.
        for candidate in _each_choice(path):
            if "<" not in candidate:
                paths.append("/" + candidate)
    return sorted(set(paths))


def _each_choice(path: str) -> list[str]:
    match = re.search(r"<(\w+):\w+>", path)
    choices = getattr(get_converters().get(match.group(1)), "choices", None) if match else None
    if not choices:
        return [path]
    return [
        expanded
        for choice in choices
        for expanded in _each_choice(path[: match.start()] + choice + path[match.end() :])
    ]


@pytest.mark.vnu
@pytest.mark.django_db
def test_every_page_is_valid_html(client, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    paths = _demo_paths()
    pages: dict[str, str] = {}
    dangling = []
    for language in ("sv", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for email in ROLES:
            client.logout()
            if email:
                assert client.login(email=email, password=DEMO_PASSWORD)
            for path in paths + ACCOUNT_PAGES.get(email, []):
                response = client.get(path)
                if response.status_code != 200 or not response["Content-Type"].startswith(
                    "text/html"
                ):
                    continue
                html = response.content.decode()
                if not html.lstrip().lower().startswith("<!doctype html>"):
                    continue  # an htmx fragment: checked as part of the page it is swapped into
                label = f"{language} {email or 'anonymous'} {path}"
                file = tmp_path / f"page-{len(pages):04d}.html"
                file.write_text(html)
                pages[file.name] = label
                dangling += [f"{label}: {ref}" for ref in dangling_references(html)]
    assert len(pages) > 100, len(pages)

    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
        + [str(tmp_path / name) for name in sorted(pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stderr or result.stdout
    # The checker always prints its JSON report, "messages": [] when all is valid: no output
    # means it did not run (out of memory, killed), which must not pass as "no errors".
    assert output.strip(), f"the Nu HTML Checker printed nothing (exit {result.returncode})"
    messages = json.loads(output)["messages"]
    errors = sorted(
        {
            f"{pages.get(Path(m.get('url', '')).name, m.get('url'))}: {m.get('message')} "
            f"[{m.get('extract', '').strip()[:80]}]"
            for m in messages
            if m.get("type") == "error"
        }
    )
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors[:200])
    assert dangling == [], "\n".join(sorted(set(dangling))[:200])
