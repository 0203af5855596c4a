"""Test data, made through the services like real data is."""

import itertools

from accounts.roles import Role
from accounts.services import user_create

PASSWORD = "correct-horse-battery-7"
_counter = itertools.count(1)


def make_user(role: str | None = None, *, email: str | None = None, full_name: str = "Test Person"):
    number = next(_counter)
    return user_create(
        email=email or f"person{number}@example.org",
        password=PASSWORD,
        full_name=full_name,
        roles=[Role(role)] if role else [],
    )
