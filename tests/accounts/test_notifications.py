"""accounts.notifications: apps register kinds; send_templated_mail(kind=) skips opt-outs."""

import pytest
from django.core import mail

from accounts import notifications
from accounts.models import NotificationOptOut
from portal.mail import send_templated_mail
from tests.portal.test_mail import locmem_templates  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_apps_register_their_kinds():
    codes = {kind.code for kind in notifications.all_kinds()}
    assert {"council.action_assigned", "council.minutes_to_approve"} <= codes


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        notifications.opted_out_user_ids("nobody.registered.this", [1])


def test_opted_out_person_gets_nothing_by_account_or_by_address(
    locmem_templates,  # noqa: F811
    member,
    secretariat,
):
    NotificationOptOut.objects.create(user=member, kind="council.action_assigned")
    sent = send_templated_mail(
        "t/plain", [member, member.email, secretariat], kind="council.action_assigned"
    )
    assert sent == 1
    assert [m.to[0] for m in mail.outbox] == [secretariat.email]
    # Another kind still reaches them, and so does mail sent without a kind.
    assert send_templated_mail("t/plain", member, kind="council.action_due") == 1
    assert send_templated_mail("t/plain", member) == 1
