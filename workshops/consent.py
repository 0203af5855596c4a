"""The consent text a registrant agrees to, versioned.

A changed text gets a new version and the old one stays here, so what each registration
agreed to can always be shown. The version is stored on the registration.
"""

from django.conf import settings
from django.utils.translation import gettext as _


def retention_months() -> int:
    return int(getattr(settings, "WORKSHOP_RETENTION_MONTHS", 12))


def _v2025_1() -> str:
    return _(
        "I agree that the council's secretariat keeps my name, email address, organisation and "
        "the needs I state, to run this workshop: my place, the waiting list, messages about "
        "the day, and check-in at the door. Gender and sector are used only for counts that "
        "show whether the workshop was balanced. My personal data is erased %(months)s months "
        "after the workshop; the counts remain without my name."
    ) % {"months": retention_months()}


CONSENT_TEXTS = {"2025-1": _v2025_1}
CURRENT_CONSENT_VERSION = "2025-1"


def consent_text(version: str = CURRENT_CONSENT_VERSION) -> str:
    return CONSENT_TEXTS[version]()
