"""Demo accounts for the embedded run; only the load_demo command calls this."""

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - documented demo password, never in production

# Fictional names: the source documents name real people, the demo never does.
DEMO_ACCOUNTS = [
    ("admin@example.org", "Alva Lindqvist", Role.ADMINISTRATOR),
    ("secretariat@example.org", "Sami Haddad", Role.SECRETARIAT),
    ("member@example.org", "Maja Ekholm", Role.COUNCIL_MEMBER),
    ("leader@example.org", "Jonas Rydberg", Role.PROCESS_LEADER),
    ("editor@example.org", "Elin Forsberg", Role.ORGANISATION_EDITOR),
]


def load_accounts() -> None:
    for email, name, role in DEMO_ACCOUNTS:
        if not User.objects.filter(email=email).exists():
            user_create(email=email, password=DEMO_PASSWORD, full_name=name, roles=[role])
