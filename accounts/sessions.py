"""The session engine (SESSION_ENGINE): Django's database sessions, read with the statement
compiled once (portal/prepared.py) instead of a queryset built on every request.

Sessions stay in PostgreSQL, in Django's own table, with the same expiry rule: only the
Python that makes the SELECT changes, not the SELECT, nor what is stored or when.
"""

import logging

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.db import router
from django.utils import timezone

from portal.prepared import PreparedGet

_unexpired = {}


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # As Django's, but through the prepared lookup.
        model = self.model
        lookup = _unexpired.get(model)
        if lookup is None:
            lookup = _unexpired[model] = PreparedGet(
                model,
                # Django's filter(session_key=..., expire_date__gt=...); the ORM sorts keyword
                # arguments by name, so its parameters come in this order.
                lambda manager, now, key: manager.filter(session_key=key, expire_date__gt=now),
            )
        try:
            return lookup.get(router.db_for_read(model), timezone.now(), self.session_key)
        except (model.DoesNotExist, SuspiciousOperation) as e:
            if isinstance(e, SuspiciousOperation):
                logger = logging.getLogger(f"django.security.{e.__class__.__name__}")
                logger.warning(str(e))
            self._session_key = None
