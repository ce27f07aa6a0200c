"""Database sessions that also read the database snapshot (config.pagecache).

The session row is the first thing a request reads. Reading
`pg_current_snapshot()` in the same statement gives the page cache its key
without a query of its own.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .pagecache import SNAPSHOT_SQL, snapshot_possible


class SessionStore(db.SessionStore):
    db_snapshot: str | None = None

    def _get_session_from_db(self):
        self.db_snapshot = None
        if not snapshot_possible(self.model):
            return super()._get_session_from_db()
        try:
            session = self.model.objects.annotate(
                db_snapshot=RawSQL(SNAPSHOT_SQL, ())  # noqa: S611 (a constant)
            ).get(session_key=self.session_key, expire_date__gt=timezone.now())
        except (self.model.DoesNotExist, SuspiciousOperation):
            # Django's own handling: forget the key, log a suspicious one.
            return super()._get_session_from_db()
        self.db_snapshot = session.db_snapshot
        return session
