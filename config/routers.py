"""Reads from a PostgreSQL read replica, without losing one's own changes.

Installed only when DATABASE_REPLICA_URL is set (config/settings/base.py).
The rule is deliberately plain, so it is easy to trust:

- Only GET and HEAD requests may read from the replica. Everything else
  (forms, uploads, workflow moves), the task worker, management commands and
  the shell read and write on "default".
- A request that writes anything, or that is not a GET/HEAD, sets a short-lived
  cookie: for REPLICA_PIN_SECONDS the same browser reads from "default" again,
  on whichever app server it lands. So the page shown after "Save" (a redirect
  and a GET) always has the user's own change, however far the replica lags.
- Inside a request, the first write moves every later read to "default";
  reads inside a transaction (`transaction.atomic`) and locking reads
  (`select_for_update`) never go to the replica.

Other users' changes may show up to the replica's lag later; that is the
price of the replica. Keep REPLICA_PIN_SECONDS above the lag you see in
production (pg_stat_replication.replay_lag).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "portal_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class _Reads:
    replica: bool
    wrote: bool = False


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "portal_replica_reads", default=None
)


class ReplicaRouter:
    """Send a request's reads to the replica while ReplicaMiddleware allows it."""

    def db_for_read(self, model, **hints):
        state = _reads.get()
        if (
            state is not None
            and state.replica
            and not connections[PRIMARY].in_atomic_block
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            state.replica = False
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows of either may be related.
        databases = {PRIMARY, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary by replication, never by migrate.
        return db == PRIMARY


class ReplicaMiddleware:
    """Decide per request whether its reads may come from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Reads(
            replica=request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        )
        token = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
