"""Whole pages cached per user, never stale: keyed by the database snapshot.

The busiest read pages (home, roadmap list and page, inbox, activity list,
my tasks, dashboard, stage completion) cost 10–100 ms of Python to draw, and
the same user often asks for the same page again: after a redirect, going
back, reloading a list. `per_user_page` keeps the page drawn for

    (release, user, full path with query, language, time zone, today,
     CSRF secret, htmx or not, PostgreSQL snapshot)

for PAGE_CACHE_SECONDS (default 60; 0 turns it off).

Why this is never stale. `pg_current_snapshot()` names exactly which
transactions a new statement sees as committed (xmin:xmax:in-progress xids).
Two requests with the same snapshot text read the same data, on the primary
or a replica. Any committed write anywhere (any table, by any path: services,
bulk updates, the admin, raw SQL, a worker, another app server) changes it.
The snapshot is read *before* the page's own queries (with the session row,
`config.sessions.SessionStore`, so a miss costs no extra query), and every
later statement sees at least as much; so a page is stored only under a
snapshot as old as or older than its data, and a request served from the
cache would have read the very same rows. The page's rights are decided by
the same rows, so the view's permission checks hold for a hit too; only
200 pages are kept.

What the snapshot cannot see is bounded by the key or the time to live: the
date ("overdue" changes at midnight: today is in the key), relative times
such as "waiting 3 hours" (at most PAGE_CACHE_SECONDS old), and a new
release's templates (set RELEASE on deploy, or wait PAGE_CACHE_SECONDS).

Not cached, not served from the cache: anonymous users, anything but GET,
SQLite (no snapshot), requests inside a transaction (a snapshot does not
show the transaction's own uncommitted writes), pending flash messages,
requests without a CSRF cookie, responses that set a cookie of their own or
rotate the CSRF secret.

Its limit: every write in the country changes the snapshot, so under a
steady stream of writes (a deadline day) most requests miss and the cache
costs one cache lookup per page. It pays off in read-mostly hours and for
repeated reads; bench/README.md has the numbers.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpResponse
from django.utils import timezone, translation

SNAPSHOT_SQL = "pg_current_snapshot()::text"
HEADER = "X-Page-Cache"


def snapshot_possible(model) -> bool:
    """Whether a read of `model` now could be keyed by its snapshot."""
    connection = connections[router.db_for_read(model)]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def db_snapshot(model) -> str | None:
    """The snapshot a new statement reading `model` sees, or None."""
    if not snapshot_possible(model):
        return None
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(f"SELECT {SNAPSHOT_SQL}")
        return cursor.fetchone()[0]


def _has_messages(request) -> bool:
    """Flash messages waiting to be shown (Django's fallback storage keeps
    them in a cookie, or in the session when the cookie overflows)."""
    return (
        bool(request.COOKIES.get(CookieStorage.cookie_name))
        or SessionStorage.session_key in request.session
    )


def page_key(request) -> str | None:
    """The cache key of this request's page, or None if it must be drawn."""
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method != "GET"
        or not request.user.is_authenticated
    ):
        return None
    csrf = request.META.get("CSRF_COOKIE")
    if not csrf or _has_messages(request):
        return None
    from django.contrib.sessions.models import Session

    if not snapshot_possible(Session):
        return None
    # Read with the session row (config.sessions); with another session
    # engine, asked once, still before the page's own reads.
    snapshot = getattr(request.session, "db_snapshot", None) or db_snapshot(Session)
    from monitoring.progress import today

    parts = (
        settings.RELEASE,
        str(request.user.pk),
        request.get_full_path(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        today().isoformat(),
        csrf,
        request.headers.get("HX-Request", ""),
        snapshot,
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _storable(request, response, csrf: str) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The same CSRF secret as in the key (a login, say, rotates it).
        and request.META.get("CSRF_COOKIE") == csrf
        # No message added while drawing it (none was waiting: see page_key).
        and not len(getattr(request, "_messages", ()))
    )


def per_user_page(view):
    """Serve the view's page from the cache while nothing it read has changed."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        key = page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response[HEADER] = "hit"
            return response
        csrf = request.META.get("CSRF_COOKIE")
        response = view(request, *args, **kwargs)

        def store(rendered):
            if _storable(request, rendered, csrf):
                cache.set(
                    key,
                    (rendered.content, rendered["Content-Type"]),
                    settings.PAGE_CACHE_SECONDS,
                )

        if getattr(response, "is_rendered", True):
            store(response)
        else:
            response.add_post_render_callback(store)
        response[HEADER] = "miss"
        return response

    return cached_view
