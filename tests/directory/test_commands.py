import io
from datetime import timedelta

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from directory import demo, services, tasks
from directory.models import ContactRole, Municipality, Organisation, Region
from directory.selectors import organisation_detail_public
from tests.directory.conftest import make_org

pytestmark = pytest.mark.django_db


def test_taxonomies_have_every_municipality_and_region():
    assert Municipality.objects.count() == 290
    assert Region.objects.count() == 21
    assert Municipality.objects.get(code="1280").name == "Malmö"
    assert Municipality.objects.get(code="2584").region.name == "Norrbottens län"


def test_directory_generate_creates_published_organisations():
    call_command("directory_generate", 50, stdout=io.StringIO())
    assert Organisation.objects.filter(state="published").count() == 50
    assert Organisation.municipalities.through.objects.count() == 50


def test_demo_load_is_idempotent_and_keeps_people_fictional():
    demo.load()
    counts = (Organisation.objects.count(), ContactRole.objects.count())
    demo.load()
    assert (Organisation.objects.count(), ContactRole.objects.count()) == counts
    network = organisation_detail_public().get(name=demo.NETWORK)
    assert [m.name for m in network.members_public] == sorted(
        demo.MEMBERS_OF_NETWORK, key=services.normalise
    )
    # The contact without consent is stored but not public.
    kristianstad = organisation_detail_public().get(name="Kristianstads kommun")
    assert kristianstad.public_contacts == []


def test_reminder_task_sends_due_reminders():
    make_org(
        "Påminn mig",
        email="info@example.org",
        confirmed_at=timezone.now() - timedelta(days=350),
    )
    assert tasks.send_confirmation_reminders.delay().get() == 1
    assert len(mail.outbox) == 1


def test_beat_schedules_the_reminder():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "directory.send_confirmation_reminders" in tasks_scheduled


def test_swedish_catalogue_is_complete():
    catalogue = polib.pofile(str(settings.BASE_DIR / "directory/locale/sv/LC_MESSAGES/django.po"))
    assert [e.msgid for e in catalogue if not e.translated()] == []
    assert catalogue.fuzzy_entries() == []
