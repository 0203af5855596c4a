"""Small counts that cannot be worked out (issue 11, finding 6).

The tests play a reader who wants a hidden figure back: they take what the public JSON
shows (every shown count, the totals, the verdicts, the shares) and try every value the
hidden cells could have, with those who attended never more than those registered. A small
count is given away when a hidden cell can only have one value and it is from 1 to 4. The
reader knows the published rule: a cell shown as "fewer than 5" holds 0 to 4 (1 to 4 where
the table shows a zero beside it, since zeros are then not hidden), a cell hidden only to
protect another (`suppressed_secondary`) holds 5 or more, and a withheld table says nothing.
"""

import itertools

import pytest
from django.urls import reverse

from portal.balance import GENDERS, SECTORS, gender_balance, sector_balance
from tests.workshops.conftest import make_workshop, register, sector
from tests.workshops.test_demo import demo  # noqa: F401 - fixture
from workshops import selectors, services

pytestmark = pytest.mark.django_db

DIMENSIONS = {"gender": (GENDERS, gender_balance), "sector": (SECTORS, sector_balance)}


def _cell_ranges(data: dict, total_range: range) -> dict[str, range]:
    counts = data["counts"]
    secondary = set(data.get("suppressed_secondary", []))
    zeros_shown = any(value == 0 for value in counts.values())
    ranges = {}
    for code, value in counts.items():
        if value is not None:
            ranges[code] = range(value, value + 1)
        elif data.get("withheld"):
            ranges[code] = range(0, total_range.stop)
        elif code in secondary:
            ranges[code] = range(5, total_range.stop)
        else:
            ranges[code] = range(1 if zeros_shown else 0, 5)
    return ranges


def feasible(data: dict, dimension: str, total) -> list[dict]:
    """Every assignment of the hidden cells that agrees with all that `data` shows."""
    codes, judge = DIMENSIONS[dimension]
    total_range = range(total, total + 1) if total is not None else range(0, 5)
    ranges = _cell_ranges(data, total_range)
    found = []
    for values in itertools.product(*(ranges[code] for code in codes)):
        if sum(values) not in total_range:
            continue
        counts = dict(zip(codes, values, strict=True))
        balance = judge(counts)
        if data.get("verdict") is not None and balance.verdict.value != data["verdict"]:
            continue
        if "small_group" in data and balance.small_group != data["small_group"]:
            continue
        if "shares" in data and any(
            round(balance.shares.get(code, 0), 4) != share for code, share in data["shares"].items()
        ):
            continue
        found.append(counts)
    return found


def recoverable_cells(stats: dict) -> list[str]:
    """Hidden cells whose value the shown figures pin down, as "group/dimension/code"."""
    pinned = []
    for dimension in DIMENSIONS:
        registered = stats["registered"][dimension]
        attended = stats["attended"][dimension]
        if registered.get("withheld") or attended.get("withheld"):
            # A withheld table bounds no cell; both tables of a dimension are withheld together.
            assert registered.get("withheld")
            assert attended.get("withheld") or not attended["total"]
            continue
        options_registered = feasible(registered, dimension, stats["registered"]["total"])
        options_attended = feasible(attended, dimension, stats["attended"]["total"])
        # Those who attended are among those registered: no cell can be larger.
        pairs = [
            (r, a)
            for r in options_registered
            for a in options_attended
            if all(a[code] <= r[code] for code in r)
        ]
        assert pairs, "the shown figures must fit at least the true ones"
        for group, data, index in (("registered", registered, 0), ("attended", attended, 1)):
            for code, value in data["counts"].items():
                values = {pair[index][code] for pair in pairs}
                if value is None and len(values) == 1 and 0 < min(values) < 5:
                    pinned.append(f"{group}/{dimension}/{code}={min(values)}")
    programme = stats["programme"]["gender"]
    for code, value in programme["counts"].items():
        values = {option[code] for option in feasible(programme, "gender", programme["total"])}
        if value is None and len(values) == 1 and 0 < min(values) < 5:
            pinned.append(f"programme/gender/{code}={min(values)}")
    return pinned


def shown_small_counts(stats: dict) -> list[str]:
    shown = []
    for group in ("registered", "attended"):
        for dimension in DIMENSIONS:
            for code, value in stats[group][dimension]["counts"].items():
                if value is not None and 0 < value < 5:
                    shown.append(f"{group}/{dimension}/{code}={value}")
    for code, value in stats["programme"]["gender"]["counts"].items():
        if value is not None and 0 < value < 5:
            shown.append(f"programme/gender/{code}={value}")
    return shown


def one_from_academia():
    """10 from civil society, 8 from the public sector and exactly one from academia."""
    workshop = make_workshop(capacity=40)
    for number in range(10):
        register(workshop, gender="woman" if number % 2 else "man")
    for number in range(8):
        register(workshop, gender="woman" if number % 2 else "man", sector_code="public")
    register(workshop, gender="woman", sector_code="academia")
    for registration in workshop.registrations.all():
        services.registration_check_in(registration=registration)
    services.contribution_add(
        workshop=workshop,
        kind="idea",
        text="Forskningsstöd till lokala överenskommelser",
        sector=registration.sector,
    )
    services.contribution_add(
        workshop=workshop, kind="need", text="Fler mötesplatser", sector=sector("civil_society")
    )
    return workshop


def test_one_person_from_academia_cannot_be_worked_out_from_the_json(client):
    workshop = one_from_academia()
    stats = client.get(f"/api/workshops/{workshop.pk}/stats").json()
    assert stats["registered"]["sector"]["counts"]["academia"] is None
    assert recoverable_cells(stats) == []
    assert shown_small_counts(stats) == []


def test_one_person_from_academia_is_not_named_by_a_sector_tag(client):
    workshop = one_from_academia()
    html = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert "Forskningsstöd till lokala överenskommelser" in html
    assert "Akademi" not in html.split('id="input-heading"')[1]
    # Sectors with enough people keep their tag.
    assert "Idéburen sektor" in html.split('id="input-heading"')[1]


def test_demo_workshops_show_no_small_count_and_none_can_be_derived(client, demo):  # noqa: F811
    """The November workshop: civil society 24 + public 18 of 44 gave business = academia = 1.

    Checked on the JSON, the public page (sector tags, the programme line) and the
    comparison between workshops; staff with exact figures still see everything.
    """
    for workshop in demo.values():
        stats = client.get(f"/api/workshops/{workshop.pk}/stats").json()
        assert shown_small_counts(stats) == [], workshop.title
        assert recoverable_cells(stats) == [], workshop.title

    november = demo["Hur gör vi samverkan?"]
    html = client.get(reverse("workshops:detail", args=[november.pk])).content.decode()
    assert "Akademi" not in html.split('id="input-heading"')[1]
    assert "kvinnor 4" not in " ".join(html.split())
    statistics = selectors.workshop_statistics(november, exact=False)
    for breakdown in (
        statistics.registered_gender,
        statistics.registered_sector,
        statistics.attended_gender,
        statistics.attended_sector,
        statistics.programme_gender,
    ):
        for row in breakdown.rows:
            assert row.display not in {"1", "2", "3", "4"}, (breakdown.dimension, row.code)

    statistics = selectors.statistics_for(list(demo.values()), exact=False)
    for row in selectors.workshop_comparison(list(statistics.values())):
        stats = statistics[row["workshop"].pk]
        sector_breakdown = stats.attended_sector if stats.attended else stats.registered_sector
        for code in ("civil_society", "public"):
            cell = next(r for r in sector_breakdown.rows if r.code == code)
            if row[code] is not None:
                assert not cell.suppressed
                assert row[code] == round(100 * cell.count / sector_breakdown.total)

    exact = selectors.workshop_statistics(november, exact=True).as_dict()
    assert exact["registered"]["sector"]["counts"]["academia"] == 1
    assert exact["registered"]["sector"]["suppressed"] == []


def test_random_small_workshops_never_give_a_hidden_cell_away(client):
    """Many small mixes (seeded, so a failure can be replayed): no hidden cell is pinned."""
    import random

    generator = random.Random(11)
    for _round in range(6):
        workshop = make_workshop(capacity=60)
        people = generator.randint(3, 24)
        for _ in range(people):
            registration = register(
                workshop,
                gender=generator.choice(["woman", "woman", "man", "man", "non_binary", "unknown"]),
                sector_code=generator.choice(
                    ["civil_society", "civil_society", "public", "public", "business", None]
                ),
            )
            if generator.random() < 0.7:
                services.registration_check_in(registration=registration)
        stats = client.get(f"/api/workshops/{workshop.pk}/stats").json()
        assert shown_small_counts(stats) == [], stats
        assert recoverable_cells(stats) == [], stats
