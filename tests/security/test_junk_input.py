"""The junk-input walk: every form of every app, as every role, on PostgreSQL.

For each kind of visitor (anonymous and the five demo roles) the walk follows the links of
the portal from its known routes, one page per URL shape, and collects every POST form it is
shown. Each form is then sent hypothesis-generated values: NUL and other control characters,
10,000 characters, emoji, the right-to-left override, SQL and HTML metacharacters, negative
and huge numbers, malformed dates, beside the form's own choices. Nothing may answer 500.

JUNK_EXAMPLES (default 3) sets how many hypothesis draws each form gets besides the five
fixed ones; the walk takes a few
minutes on the CI machine at the default.
"""

import io
import os
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.demo import DEMO_PASSWORD
from tests.security.test_no_server_errors import JUNK, JUNK_PAST_THE_EDGE, _paths

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EXAMPLES = int(os.environ.get("JUNK_EXAMPLES", "3"))
# Besides hypothesis's own draws, each form gets every field filled with each of these at
# once, so a view that reads one raw field (request.POST.get) meets every kind of junk.
EVERY_FIELD = [
    "a\x00b",
    "x" * 10_000,
    "-99999999999999999999",
    "2014-02-30",
    "😀\u202e<script>'\"--",
]
MAX_PAGES_PER_ROLE = 120
ROLES = [
    None,
    "member@example.org",
    "secretariat@example.org",
    "leader@example.org",
    "editor@example.org",
    "admin@example.org",
]
# Not the portal's own forms (allauth's account pages and the admin have their own tests),
# and the two that end the walk's session or switch its language.
SKIPPED_ACTIONS = re.compile(r"^/(admin/|accounts/(?!invitations/)|i18n/)")

JUNK_TEXT = [
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "😀👩🏽‍🚀🏳️‍🌈",
    "\u202eevil.exe",
    "'; DROP TABLE directory_organisation; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "<b onmouseover=alert(1)>&amp;</b>",
    "%s %(x)s {{ x }} {% x %}",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2014-02-30",
    "0000-00-00",
    "2026-13-45T25:61",
    "9999-12-31",
    "31/12/2026",
    "",
    " ",
    "\t\r\n",
]
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
junk = st.one_of(st.sampled_from(JUNK_TEXT), text)


class _FormParser(HTMLParser):
    """POST forms (action, fields with their kinds and choices) and the page's links."""

    def __init__(self):
        super().__init__()
        self.forms, self.links = [], []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "fields": {}}
        elif self._form is None:
            return
        elif tag in ("input", "textarea") and attrs.get("name"):
            kind = attrs.get("type", "text") if tag == "input" else "textarea"
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            field = self._form["fields"].setdefault(attrs["name"], {"kind": kind, "choices": []})
            if attrs.get("value") is not None:
                field["choices"].append(attrs["value"])
        elif tag == "select" and attrs.get("name"):
            self._select = self._form["fields"].setdefault(
                attrs["name"], {"kind": "select", "choices": []}
            )
        elif tag == "option" and self._select is not None:
            self._select["choices"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _shape(path: str) -> str:
    """The URL pattern a path belongs to (one organisation's page stands for all of them)."""
    try:
        return resolve(path).route
    except Resolver404:
        return path


def _crawl(client, failures, label):
    """Pages reachable for this visitor, one per URL shape; returns their POST forms."""
    queue = list(dict.fromkeys(_paths()))
    seen_shapes, visited, forms = Counter(), set(), {}
    while queue and len(seen_shapes) < MAX_PAGES_PER_ROLE and len(visited) < 4 * MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        shape = _shape(path)
        # Two pages of each pattern: a past and a coming workshop show different forms.
        if seen_shapes[shape] >= 2 or path in visited or SKIPPED_ACTIONS.match(path):
            continue
        visited.add(path)
        try:
            response = client.get(path)
        except Exception as error:  # the test client re-raises a view's exception
            failures.append(f"{label} GET {path}: {type(error).__name__}: {error}"[:400])
            continue
        if response.status_code >= 500:
            failures.append(f"{label} GET {path} -> {response.status_code}")
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        # A sample id that does not exist (404) leaves the shape to a real one found later.
        seen_shapes[shape] += 1
        for junk_query in (JUNK, JUNK_PAST_THE_EDGE):
            try:
                status = client.get(path + junk_query).status_code
            except Exception as error:
                failures.append(f"{label} GET {path}{junk_query}: {type(error).__name__}"[:400])
                continue
            if status >= 500:
                failures.append(f"{label} GET {path}{junk_query} -> {status}")
        parser = _FormParser()
        parser.feed(response.content.decode())
        for link in parser.links:
            parts = urlsplit(urljoin(path, link))
            if parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver"):
                queue.append(parts.path)
        for form in parser.forms:
            action = urlsplit(urljoin(path, form["action"] or path)).path
            if SKIPPED_ACTIONS.match(action):
                continue
            form["fields"].pop("csrfmiddlewaretoken", None)
            forms.setdefault((_shape(action), tuple(sorted(form["fields"]))), (action, form))
    return list(forms.values())


def _value_strategy(field):
    choices = [choice for choice in field["choices"] if choice is not None]
    if choices:
        # The form's own values as often as junk: junk in one field, sense in the others,
        # is what reaches past the first validation error.
        return st.one_of(st.sampled_from(choices), junk)
    return junk


def _post_junk(client, action, form, failures, label):
    fields = form["fields"]
    strategy = st.fixed_dictionaries(
        {name: _value_strategy(field) for name, field in fields.items()}
    )

    def post(data):
        try:
            status = client.post(action, data).status_code
        except Exception as error:  # the test client re-raises a view's exception
            failures.append(f"{label} POST {action}: {type(error).__name__}: {error}"[:400])
            return
        if status >= 500:
            failures.append(f"{label} POST {action} -> {status} with {sorted(data)}")

    for value in EVERY_FIELD:
        post(dict.fromkeys(fields, value))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=strategy)
    def send(data):
        post(data)

    send()


def test_junk_in_every_form_as_every_role_is_never_a_server_error(client, settings):
    # The walk sends hundreds of POSTs from one address: the abuse limits have their own
    # tests and would otherwise answer 429 before most forms are reached.
    settings.PORTAL_RATE_LIMITS = {action: "" for action in settings.PORTAL_RATE_LIMITS}
    call_command("load_demo", stdout=io.StringIO())
    failures, form_count = [], 0
    for email in ROLES:
        client.logout()
        if email:
            assert client.login(email=email, password=DEMO_PASSWORD)
        label = email or "anonymous"
        for action, form in _crawl(client, failures, label):
            form_count += 1
            _post_junk(client, action, form, failures, label)
            if email and not client.session.get("_auth_user_id"):
                assert client.login(email=email, password=DEMO_PASSWORD)
    assert form_count >= 40, f"the walk found only {form_count} forms"
    assert failures == []
