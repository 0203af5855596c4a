"""Charts are SVG written by templates in Swedish: a decimal number in a geometry attribute
would come out as "24,5", which a browser and WeasyPrint cannot read (the shape disappears
or a label lands at the left edge). Every page, with the demo data, as each kind of visitor."""

import io
import re

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from tests.security.test_no_server_errors import _paths

GEOMETRY = re.compile(
    r"<(?:rect|circle|line|text|polyline|polygon|path|svg|g|ellipse)\b[^>]*?\s"
    r'(x|y|cx|cy|r|x1|x2|y1|y2|width|height|points|viewBox|transform)="([^"]*\d,\d[^"]*)"'
)


def _comma_decimals(html: str) -> list[str]:
    found = []
    for match in GEOMETRY.finditer(html):
        name, value = match.groups()
        # points="1,2 3,4" uses the comma between x and y; a decimal comma gives three parts.
        if name == "points" and all(len(pair.split(",")) == 2 for pair in value.split()):
            continue
        found.append(f'{name}="{value}"')
    return found


def test_the_pattern_tells_a_decimal_comma_from_a_point_list():
    assert _comma_decimals('<circle cx="24,0" cy="55" r="4"/>') == ['cx="24,0"']
    assert _comma_decimals('<polyline points="24,55 100,46"/>') == []
    assert _comma_decimals('<polyline points="24,0,55 100,46"/>') == ['points="24,0,55 100,46"']
    assert _comma_decimals('<rect x="0" width="27.5"/>') == []


@pytest.mark.django_db
@pytest.mark.parametrize("email", [None, "secretariat@example.org", "leader@example.org"])
def test_no_chart_has_a_decimal_comma_in_its_geometry(client, email):
    call_command("load_demo", stdout=io.StringIO())
    if email:
        assert client.login(email=email, password=DEMO_PASSWORD)
    failures = []
    for path in _paths():
        for pk in ("1", "2"):
            url = path.replace("/1/", f"/{pk}/")
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            bad = _comma_decimals(response.content.decode())
            if bad:
                failures.append(f"{url}: {bad[:3]}")
    assert failures == []
