"""Issue 12: the minutes as one document, approved by the adjusters (justering), locked,
published and printed through the report pipeline; corrections are new revisions."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import load_accounts
from council import demo, services
from council.models import Council, Meeting, MinutesRecord
from directory import demo as directory_demo
from reports import services as report_services
from reports.models import ReportJob
from tests.council.conftest import local, make_meeting, make_person, seat
from tests.factories import make_user
from tests.reports.pdf import pdf_catalogue, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(council):
    """A meeting held yesterday, with two adjusters who have accounts, and its record."""
    adjusters = []
    for name in ("Anna Justerare", "Bo Justerare"):
        user = make_user("council_member", full_name=name)
        person = make_person(name, user=user, email="")
        seat(council, person=person, start=date(2014, 1, 1))
        adjusters.append(person)
    taker = make_person("Sara Sekreterare")
    seat(council, person=taker, start=date(2014, 1, 1))
    absent = make_person("Frida Frånvarande")
    seat(council, person=absent, start=date(2014, 1, 1))
    meeting = make_meeting(council, starts=timezone.now() - timedelta(days=1))
    first = services.agenda_item_propose(meeting=meeting, title="Budget", backfill=True)
    second = services.agenda_item_propose(meeting=meeting, title="Lokaler", backfill=True)
    for item in (first, second):
        services.agenda_item_accept(agenda_item=item)
    services.minutes_save(agenda_item=first, text="Rådet gick igenom budgeten.")
    services.decision_record(agenda_item=first, text="att anta budgeten")
    services.decision_record(agenda_item=second, text="att hyra lokalen")
    services.attendance_record(
        meeting=meeting,
        statuses={
            a.pk: ("absent" if a.person == absent else "present")
            for a in meeting.attendances.select_related("person")
        },
    )
    services.action_item_create(
        meeting=meeting, title="Boka lokal", owner=None, due_date=date(2030, 1, 1)
    )
    meeting.test_adjusters = adjusters
    meeting.test_taker = taker
    return meeting


def _client_for(person):
    client = Client()
    client.force_login(person.user)
    return client


def _decide(meeting, *texts):
    item = services.agenda_item_propose(meeting=meeting, title="Punkt")
    services.agenda_item_accept(agenda_item=item)
    return [services.decision_record(agenda_item=item, text=text).number for text in texts]


def test_decisions_are_numbered_per_meeting(council):
    first = make_meeting(council, starts=local(2030, 3, 1, 13, 0))
    second = make_meeting(council, starts=local(2030, 5, 1, 13, 0))
    assert _decide(first, "ett", "två") == [1, 2]
    assert _decide(second, "ett", "två") == [1, 2]


def test_decisions_are_numbered_per_year_when_the_council_says_so(council):
    services.council_minutes_settings_set(
        council=council, decision_numbering="year", minutes_public=False
    )
    council.refresh_from_db()
    march = make_meeting(council, starts=local(2030, 3, 1, 13, 0))
    may = make_meeting(council, starts=local(2030, 5, 1, 13, 0))
    next_year = make_meeting(council, starts=local(2031, 2, 1, 13, 0))
    assert _decide(march, "ett", "två") == [1, 2]
    assert _decide(may, "tre") == [3]
    assert _decide(next_year, "ett") == [1]


def test_minutes_go_round_the_adjusters_then_lock_and_publish(
    client, secretariat, member, held, django_capture_on_commit_callbacks
):
    anna, bo = held.test_adjusters
    client.force_login(secretariat)
    page = reverse("council:minutes", args=[held.pk])
    # The secretariat names the minute-taker and the adjusters.
    response = client.post(
        reverse("council:minutes_roles", args=[held.pk]),
        {"minute_taker": held.test_taker.pk, "adjusters": [anna.pk, bo.pk]},
    )
    assert response.status_code == 302
    # A member sees nothing before approval.
    other = Client()
    other.force_login(member)
    assert "publiceras här när justerarna" in other.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("council:minutes_circulate", args=[held.pk]))
    to_approve = [m for m in mail.outbox if "Protokoll att justera" in m.subject]
    assert sorted(m.to[0] for m in to_approve) == sorted([anna.user.email, bo.user.email])
    mail.outbox.clear()
    # Anna comments first; the secretariat hears of it.
    anna_client, bo_client = _client_for(anna), _client_for(bo)
    answer = reverse("council:minutes_answer", args=[held.pk])
    with django_capture_on_commit_callbacks(execute=True):
        anna_client.post(answer, {"answer": "comment", "comment": "Stavfel i punkt 2."})
    assert [m.to[0] for m in mail.outbox] == [secretariat.email]
    assert "Stavfel i punkt 2." in mail.outbox[0].body
    mail.outbox.clear()
    # Someone who is not an adjuster cannot answer.
    assert other.post(answer, {"answer": "approve"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        anna_client.post(answer, {"answer": "approve"})
        bo_client.post(answer, {"answer": "approve"})
    record = MinutesRecord.objects.get(meeting=held)
    assert record.state == "approved"
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("Protokollet är justerat" in s for s in subjects)
    assert sum("Justerat protokoll" in s for s in subjects) >= 4  # everyone invited
    # Published to members now.
    html = other.get(page).content.decode()
    assert "§1" in html and "§2" in html and "att anta budgeten" in html
    assert "Anna Justerare" in html and "Bo Justerare" in html
    assert "Frida Frånvarande" in html
    # Locked: the minutes and decisions cannot change any more.
    item = held.agenda_items.get(title="Budget")
    response = client.post(
        reverse("council:minutes_edit", args=[item.pk]),
        {"text": "Ändrat", "version": item.version, "initial-text": item.minutes},
    )
    assert "låst" in response.content.decode()
    held.refresh_from_db()
    assert held.agenda_items.get(title="Budget").minutes == "Rådet gick igenom budgeten."


def test_correction_after_approval_is_a_new_revision_with_reason(client, secretariat, held):
    anna, bo = held.test_adjusters
    services.meeting_minutes_roles_set(meeting=held, minute_taker=None, adjusters=[anna, bo])
    record = services.minutes_circulate(meeting=held, notify=False)
    for person in (anna, bo):
        services.minutes_answer(record=record, adjuster=person, approve=True, notify=False)
    client.force_login(secretariat)
    url = reverse("council:minutes_correct", args=[held.pk])
    assert client.get(url).status_code == 200  # asks first, with a reason
    assert MinutesRecord.objects.filter(meeting=held).count() == 1
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Fel datum i punkt 1."}).status_code == 302
    latest = services.minutes_latest(held)
    assert (latest.revision, latest.state, latest.reason) == (2, "draft", "Fel datum i punkt 1.")
    item = held.agenda_items.get(title="Budget")
    services.minutes_save(agenda_item=item, text="Rättad text.")
    html = client.get(reverse("council:minutes", args=[held.pk])).content.decode()
    assert "Rättad version (revision 2)" in html
    assert "Fel datum i punkt 1." in html


def test_minutes_pages_need_the_right_roles(client, member, held):
    client.force_login(member)
    for name in ("minutes_roles", "minutes_circulate", "minutes_correct"):
        assert client.post(reverse(f"council:{name}", args=[held.pk])).status_code == 403, name
    assert client.get(reverse("council:minutes_settings")).status_code == 403
    assert client.post(reverse("council:minutes_pdf", args=[held.pk])).status_code == 403
    anonymous = Client()
    assert anonymous.get(reverse("council:minutes", args=[held.pk])).status_code == 302


def test_public_minutes_only_where_the_council_chooses(client, council, held):
    anna, _bo = held.test_adjusters
    url = reverse("council:minutes_public", args=[held.pk])
    services.meeting_minutes_roles_set(meeting=held, minute_taker=None, adjusters=[anna])
    record = services.minutes_circulate(meeting=held, notify=False)
    services.minutes_answer(record=record, adjuster=anna, approve=True, notify=False)
    assert client.get(url).status_code == 404
    services.council_minutes_settings_set(
        council=council, decision_numbering="meeting", minutes_public=True
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "att anta budgeten" in response.content.decode()


def test_demo_2014_minutes_pdf_has_numbered_decisions_attendance_and_approval(secretariat):
    load_accounts()
    directory_demo.load()
    demo.load()
    demo.finish()
    council = Council.objects.get(slug=demo.SLUG)
    meeting = Meeting.objects.filter(council=council, starts_at__year=2014).order_by("starts_at")[0]
    assert services.minutes_latest(meeting).state == "approved"
    job = report_services.report_job_request(
        kind="council_minutes",
        subject_id=str(meeting.pk),
        requested_by=secretariat,
        language="sv",
    )
    report_services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE, job.error
    data = job.file.read()
    text = " ".join(pdf_text(data).split())
    decisions = list(meeting.decisions.order_by("number"))
    assert decisions
    for decision in decisions:
        assert f"§{decision.number}" in text
        assert decision.text[:30] in text
    assert "Närvarande:" in text and "Frånvarande:" in text
    excused = meeting.attendances.filter(status="excused").select_related("person").first()
    assert excused.person.name in text
    assert "Protokollet justerat" in text
    for approval in services.minutes_latest(meeting).approvals.select_related("adjuster"):
        assert approval.adjuster.name in text
    assert "/StructTreeRoot" in pdf_catalogue(data)


def test_member_cannot_print_unapproved_minutes_through_the_report_pipeline(member, held):
    job = report_services.report_job_request(
        kind="council_minutes", subject_id=str(held.pk), requested_by=member, language="sv"
    )
    report_services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED


def test_minutes_page_query_count_does_not_grow_with_the_meeting(
    client, secretariat, held, django_assert_max_num_queries
):
    client.force_login(secretariat)
    url = reverse("council:minutes", args=[held.pk])

    def add(count):
        for number in range(count):
            item = services.agenda_item_propose(
                meeting=held, title=f"Punkt {number}", backfill=True
            )
            services.agenda_item_accept(agenda_item=item)
            services.decision_record(agenda_item=item, text="Beslut")
            services.action_item_create(
                meeting=held, title="Gör", owner=None, due_date=date(2040, 1, 1)
            )
            services.attendance_invite(meeting=held, person=make_person())

    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def _approve(meeting, adjusters):
    record = services.minutes_circulate(meeting=meeting, notify=False)
    for person in adjusters:
        services.minutes_answer(record=record, adjuster=person, approve=True, notify=False)
    return record


def test_published_minutes_show_what_was_approved_whatever_changes_later(
    client, secretariat, member, held
):
    anna, bo = held.test_adjusters
    services.meeting_minutes_roles_set(
        meeting=held, minute_taker=held.test_taker, adjusters=[anna, bo]
    )
    _approve(held, [anna, bo])
    # Action items stay open to correction after approval; the approved minutes do not move.
    action = held.action_items.get()
    services.action_item_update(action_item=action, title="Boka en större lokal")
    services.minutes_correct(meeting=held, reason="Fel belopp i punkt 1.", by=secretariat)
    budget = held.agenda_items.get(title="Budget")
    services.minutes_save(agenda_item=budget, text="Rådet gick igenom den nya budgeten.")
    decision = held.decisions.get(text="att anta budgeten")
    services.decision_update(decision=decision, text="att anta den reviderade budgeten")
    services.attendance_record(
        meeting=held, statuses={a.pk: "absent" for a in held.attendances.all()}
    )
    client.force_login(member)
    url = reverse("council:minutes", args=[held.pk])
    html = client.get(url).content.decode()
    assert "att anta budgeten" in html and "reviderade" not in html
    assert "Rådet gick igenom budgeten." in html and "nya budgeten" not in html
    assert "Boka lokal" in html and "större lokal" not in html
    assert "Anna Justerare (" in html.split("Frånvarande:")[0]  # still present, as approved
    assert "En rättelse av protokollet förbereds." in html
    # The PDF a member prints is the approved text too.
    job = report_services.report_job_request(
        kind="council_minutes", subject_id=str(held.pk), requested_by=member, language="sv"
    )
    report_services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    text = " ".join(pdf_text(job.file.read()).split())
    assert "att anta budgeten" in text and "reviderade" not in text
    # The secretariat works on the correction: it sees the working copy, marked as such.
    client.force_login(secretariat)
    html = client.get(url).content.decode()
    assert "att anta den reviderade budgeten" in html
    assert "Rättad version (revision 2)" in html and "Fel belopp i punkt 1." in html
    assert "publicerade protokollet är fortfarande revision 1" in html


def test_corrected_minutes_replace_the_published_ones_on_the_cached_public_page(
    client, council, secretariat, held
):
    anna, bo = held.test_adjusters
    services.council_minutes_settings_set(
        council=council, decision_numbering="meeting", minutes_public=True
    )
    services.meeting_minutes_roles_set(meeting=held, minute_taker=None, adjusters=[anna, bo])
    _approve(held, [anna, bo])
    url = reverse("council:minutes_public", args=[held.pk])
    for _twice in range(2):  # the second answer comes from the page cache
        html = client.get(url).content.decode()
        assert "att anta budgeten" in html and "Rättad version" not in html
    services.minutes_correct(meeting=held, reason="Fel belopp i punkt 1.", by=secretariat)
    decision = held.decisions.get(text="att anta budgeten")
    services.decision_update(decision=decision, text="att anta den reviderade budgeten")
    # While the correction is prepared, the public still reads revision 1.
    html = client.get(url).content.decode()
    assert "att anta budgeten" in html and "reviderade" not in html
    _approve(held, [anna, bo])
    html = client.get(url).content.decode()
    assert "att anta den reviderade budgeten" in html
    assert "Rättad version (revision 2)" in html and "Fel belopp i punkt 1." in html
    assert "Revision 1" in html  # the history of revisions is shown


def test_minutes_name_the_deputy_who_came_in_a_members_place(client, secretariat, council, held):
    deputy = make_person("Dora Ersättare", gender="woman")
    seat(council, person=deputy, role="deputy", start=date(2014, 1, 1))
    absent = held.attendances.get(person__name="Frida Frånvarande")
    services.attendance_reply(meeting=held, person=absent.person, reply="deputy", deputy=deputy)
    services.attendance_record(meeting=held, statuses={absent.pk: "present"})
    client.force_login(secretariat)
    html = client.get(reverse("council:minutes", args=[held.pk])).content.decode()
    present = html.split("Närvarande:")[1].split("Frånvarande:")[0]
    assert "Dora Ersättare (ersättare för Frida Frånvarande)" in present


def test_frozen_minutes_do_not_keep_the_name_of_someone_erased_since(
    client, secretariat, member, held
):
    from directory import services as directory_services

    anna, bo = held.test_adjusters
    services.meeting_minutes_roles_set(
        meeting=held, minute_taker=held.test_taker, adjusters=[anna, bo]
    )
    _approve(held, [anna, bo])
    frida = held.attendances.get(person__name="Frida Frånvarande").person
    client.force_login(member)
    url = reverse("council:minutes", args=[held.pk])
    assert "Frida Frånvarande" in client.get(url).content.decode()
    directory_services.person_erase(person=frida, erased_by=secretariat)
    html = client.get(url).content.decode()
    assert "Frida Frånvarande" not in html
    frida.refresh_from_db()
    assert f"{frida} (frånvarande)" in html
    assert "att anta budgeten" in html  # the rest is as approved


def test_published_minutes_are_read_from_the_frozen_copy_in_few_queries(
    client, council, held, django_assert_max_num_queries
):
    """Once approved, the public page reads the revision's frozen text: the number of queries
    does not depend on the meeting's items, decisions or attendance."""
    anna, bo = held.test_adjusters
    for number in range(8):
        item = services.agenda_item_propose(meeting=held, title=f"Punkt {number}", backfill=True)
        services.agenda_item_accept(agenda_item=item)
        services.decision_record(agenda_item=item, text=f"Beslut {number}")
        services.attendance_invite(meeting=held, person=make_person())
    services.council_minutes_settings_set(
        council=council, decision_numbering="meeting", minutes_public=True
    )
    services.meeting_minutes_roles_set(meeting=held, minute_taker=None, adjusters=[anna, bo])
    _approve(held, [anna, bo])
    url = reverse("council:minutes_public", args=[held.pk])
    with django_assert_max_num_queries(8) as queries:
        html = client.get(url).content.decode()  # the first visit: not cached yet
    print(f"public minutes, frozen: {len(queries.captured_queries)} queries")
    assert "§10" in html and "Beslut 7" in html
