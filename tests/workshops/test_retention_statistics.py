"""Retention changes no published figure (issue 11, finding 4).

Erasing expired registrations changed the programme's gender count for the 2014 workshops
from 7 people (4 women, 3 men) to 2: contributors were counted as distinct names, and the
names are blanked. This runs the real retention job over the demo and compares every
statistic page, JSON and report part before and after.
"""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from council.models import Council
from reports import registry
from reports.models import ReportJob
from tests.workshops.test_demo import demo  # noqa: F401 - fixture
from workshops import selectors, services, tasks
from workshops.models import ProgrammeItem, Workshop

pytestmark = pytest.mark.django_db

STATISTIC_SECTIONS = (
    "Vilka som deltog",
    "Deltagande",
    "Jämförelse mellan workshoppar",
    "Jämfört med tidigare workshoppar",
    "Workshoppar",  # the council-year report's chapter
)


def statistic_parts(html: str) -> list[str]:
    """The statistic sections and the programme's balance line, whitespace folded."""
    html = " ".join(html.split())
    parts = [
        section
        for section in re.findall(r"<section\b.*?</section>", html)
        if any(f">{title}</h2>" in section for title in STATISTIC_SECTIONS)
    ]
    parts += re.findall(r"<p><strong>Programmets könsfördelning:</strong>.*?</p>", html)
    return parts


def report_html(kind: str, subject_id: str, user) -> str:
    job = ReportJob(kind=kind, subject_id=subject_id, requested_by=user, language="sv")
    report = registry.get(kind)
    with translation.override("sv"):
        return render_to_string(report.template, {**report.build_context(job), "job": job})


def published_figures(client, secretariat) -> dict:
    figures = {}
    client.logout()
    figures["list"] = statistic_parts(client.get(reverse("workshops:list")).content.decode())
    council = Council.objects.get()
    for workshop in Workshop.objects.order_by("pk"):
        pk = workshop.pk
        figures[f"json {pk}"] = client.get(f"/api/workshops/{pk}/stats").json()
        page = client.get(reverse("workshops:detail", args=[pk])).content.decode()
        figures[f"page {pk}"] = statistic_parts(page)
        for exact in (True, False):
            figures[f"selector {pk} {exact}"] = selectors.workshop_statistics(
                workshop, exact=exact
            ).as_dict()
        figures[f"follow-up {pk}"] = statistic_parts(
            report_html("workshop_follow_up", str(pk), secretariat)
        )
    figures["council year"] = statistic_parts(
        report_html("council_year", f"{council.pk}:2014", secretariat)
    )
    client.force_login(secretariat)
    for workshop in Workshop.objects.order_by("pk"):
        page = client.get(reverse("workshops:manage", args=[workshop.pk])).content.decode()
        figures[f"manage {workshop.pk}"] = statistic_parts(page)
    client.logout()
    return figures


def test_retention_job_changes_no_published_figure(client, secretariat, demo):  # noqa: F811
    before = published_figures(client, secretariat)
    november = before[f"json {demo['Hur gör vi samverkan?'].pk}"]
    assert november["programme"]["gender"]["total"] == 7  # 4 women and 3 men
    assert all(before.values())

    erased = tasks.erase_expired_registrations()

    assert erased == 49 + 44 + 2  # the two 2014 workshops, cancelled places included
    assert not ProgrammeItem.objects.filter(
        workshop__starts_at__year=2014, contributor_name__gt=""
    ).exists()
    after = published_figures(client, secretariat)
    for key, value in before.items():
        assert after[key] == value, key


def test_programme_counts_a_person_once_however_many_items_and_after_erasure(workshop):
    for title, name, gender in [
        ("Välkommen", "Sofia Rask", "woman"),
        ("Inledning", "Erik Svensson", "man"),
        ("Avslutning", "sofia rask ", "woman"),  # the same person, typed differently
        ("Panel", "Karl Nyström", "man"),
    ]:
        services.programme_item_add(
            workshop=workshop,
            starts_at=workshop.starts_at.time(),
            kind="talk",
            title=title,
            contributor_name=name,
            contributor_gender=gender,
        )
    before = selectors.workshop_statistics(workshop, exact=True).programme_gender
    assert (before.count("woman"), before.count("man")) == (1, 2)
    services.workshop_personal_data_erase(workshop=workshop)
    after = selectors.workshop_statistics(workshop, exact=True).programme_gender
    assert (after.count("woman"), after.count("man")) == (1, 2)
