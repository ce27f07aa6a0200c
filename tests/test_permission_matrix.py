"""The permission matrix: every URL, every role, in and out of scope, GET and POST.

Every URL pattern of the project (tests/urlwalk.py reads the resolver) is
requested anonymously and as every role of tests/budget_world.py, on the
objects of the users' own territory and on the same objects of the foreign
one (`world.foreign`, region "Xeno"), by GET and by POST (empty, or the
valid body of tests/urlwalk.py's `POST_BODIES`). Each answer must be exactly
the one tests/rights.py declares, and never a server error; a URL the table
lacks, or a row no URL has, fails.

Every request runs in a savepoint rolled back after it, so all of them see
the same world. A GET, or a request whose declared answer is a refusal, must
not write a row (the SQL it ran and a fingerprint of the tables are both
checked). Cross-scope reads (a foreign object answered, or a page naming the
foreign territory, to a user whose territory is not the whole country) and
cross-scope writes (a row written on a foreign object by such a user, or
anything but their own export jobs and notifications by the observer) are
counted, printed and must be 0.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from tests.budget_world import FOREIGN, build_world
from tests.helpers import close_response
from tests.rights import ACTORS, LOGIN, NATIONAL, RIGHTS, expected
from tests.urlwalk import (
    POST_BODIES,
    SKIPPED_NAMESPACES,
    pinned_today,
    portal_patterns,
    urls,
)

pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST")
# Rows any request may write: the session and login throttling.
FREE_TABLES = {"django_session"}
FREE_PREFIXES = ("axes_",)
# Rows that are the user's own: the observer may write these.
PERSONAL_TABLES = {"roadmaps_exportjob", "roadmaps_notification"}
# Apps whose tables make the fingerprint of the database.
FINGERPRINT_APPS = {
    "auth",
    "admin",
    "schools",
    "roadmaps",
    "monitoring",
    "django_tasks_db",
}
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.I)
MARKER = FOREIGN.encode()


@dataclass(frozen=True)
class Outcome:
    """What one request did."""

    status: int | str  # HTTP status, LOGIN (302 to sign-in) or "500 <error>"
    wrote: tuple[str, ...] = ()  # tables written (then rolled back)
    leaked: bool = False  # the body names something of the foreign territory


@dataclass(frozen=True, eq=False)
class Request:
    name: str  # URL name, the key of RIGHTS
    label: str  # the name, with a variant's value
    actor: str
    method: str
    scope: str  # "own" or "foreign"
    url: str
    data: dict


def fingerprint_sql() -> str:
    """One query: rows and highest key of every table of the project's apps
    (names from the models, quoted)."""
    q = connection.ops.quote_name
    parts = []
    for model in apps.get_models():
        if model._meta.app_label in FINGERPRINT_APPS:
            table, pk = q(model._meta.db_table), q(model._meta.pk.column)
            parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
            parts.append(f"(SELECT MAX({pk}) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def fingerprint(sql: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


class WriteLog:
    """Tables that the INSERT/UPDATE/DELETE statements run through it touch,
    free ones left out (a `connection.execute_wrapper`)."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            table = match.group(1)
            if table not in FREE_TABLES and not table.startswith(FREE_PREFIXES):
                self.tables.add(table)
        return execute(sql, params, many, context)


def body(response) -> bytes:
    """The whole body; the members of a zip file (xlsx, docx) unpacked."""
    if response.streaming:
        data = b"".join(response.streaming_content)
        close_response(response)
    else:
        data = response.content
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(n) for n in archive.namelist())
        except zipfile.BadZipFile:
            pass  # not a zip after all: searched as it is
    return data


def status_of(response) -> int | str:
    location = response.headers.get("Location", "")
    sign_in = (reverse(settings.LOGIN_URL), reverse("admin:login"))
    if response.status_code == 302 and location.startswith(sign_in):
        return LOGIN
    return response.status_code


def call(client, request: Request, sql: str, baseline: tuple) -> Outcome:
    """One request, in a savepoint rolled back after it; `baseline` is the
    fingerprint of the world, which every request starts from."""
    log = WriteLog()
    with transaction.atomic(), connection.execute_wrapper(log):
        try:
            if request.method == "POST":
                response = client.post(request.url, request.data)
            else:
                response = client.get(request.url)
            status, data = status_of(response), body(response)
        except Exception as error:  # a server error, reported as such
            transaction.set_rollback(True)
            return Outcome(f"500 {type(error).__name__}: {error}"[:160])
        changed = fingerprint(sql) != baseline
        transaction.set_rollback(True)
    wrote = tuple(sorted(log.tables))
    if changed and not wrote:
        wrote = ("(rows changed)",)
    return Outcome(status, wrote, MARKER in data)


def requests(world) -> list[Request]:
    """Every request of the matrix; fails for a URL argument nobody can fill."""
    found, unfilled = [], set()
    for actor in ACTORS:
        role = "municipal" if actor == "anonymous" else actor  # whose objects
        for name, pattern in portal_patterns():
            own, missing = urls(name, pattern, world, role)
            foreign, _ = urls(name, pattern, world.foreign, role)
            unfilled.update(missing)
            body = POST_BODIES.get(name, lambda w, role: {})
            for (label, url), (_label, other) in zip(own, foreign, strict=True):
                targets = [("own", url, world)]
                if other != url:  # a page of no object has no foreign twin
                    targets.append(("foreign", other, world.foreign))
                found += [
                    Request(
                        name,
                        label,
                        actor,
                        method,
                        scope,
                        address,
                        body(territory, role) if method == "POST" else {},
                    )
                    for scope, address, territory in targets
                    for method in METHODS
                ]
        found += [
            Request(name, name, actor, method, "own", reverse(name), {})
            for name in outside_the_walk()
            for method in METHODS
        ]
    assert not unfilled, (
        "URL arguments the matrix cannot fill (add them to PK_OF or ARGUMENTS "
        f"in tests/urlwalk.py): {', '.join(sorted(unfilled))}"
    )
    return found


def outside_the_walk() -> list[str]:
    """Rows of RIGHTS for URLs of skipped namespaces (the admin's index)."""
    return [n for n in RIGHTS if n.split(":")[0] in SKIPPED_NAMESPACES]


def login_as(client, world, actor: str) -> None:
    client.logout()
    if actor != "anonymous":
        client.force_login(world.users[actor])
        client.get(reverse("home"))  # the session keeps the user's time zone


def observe(client, world) -> dict[Request, Outcome]:
    sql = fingerprint_sql()
    baseline = fingerprint(sql)
    results = {}
    actor = None
    for request in requests(world):
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        signed_out = not (cookie and cookie.value)  # by the logout view
        if request.actor != actor or (actor != "anonymous" and signed_out):
            actor = request.actor
            login_as(client, world, actor)
        results[request] = call(client, request, sql, baseline)
    client.logout()
    return results


def success(status) -> bool:
    return isinstance(status, int) and 200 <= status < 300


def cross_scope_read(request: Request, outcome: Outcome) -> bool:
    if request.actor in NATIONAL or not success(outcome.status):
        return False
    return request.scope == "foreign" or outcome.leaked


def cross_scope_write(request: Request, outcome: Outcome) -> bool:
    if request.actor == "observer":
        return bool(set(outcome.wrote) - PERSONAL_TABLES)
    return (
        bool(outcome.wrote)
        and request.scope == "foreign"
        and request.actor not in NATIONAL
    )


def problems(results: dict[Request, Outcome]) -> list[str]:
    found = []
    for r, outcome in results.items():
        want = expected(RIGHTS[r.name], r.actor, r.method, r.scope)
        where = f"{r.method:4} {r.label:36} {r.actor:13} {r.scope:7}"
        if outcome.status != want:
            found.append(f"{where} answered {outcome.status}, declared {want}")
        may_write = r.method == "POST" and want in (200, 302)
        if outcome.wrote and not may_write:
            found.append(f"{where} wrote {', '.join(outcome.wrote)}")
        if cross_scope_read(r, outcome):
            found.append(f"{where} CROSS-SCOPE READ ({outcome.status})")
        if cross_scope_write(r, outcome):
            found.append(f"{where} CROSS-SCOPE WRITE ({', '.join(outcome.wrote)})")
    return sorted(found)


def test_every_url_has_declared_rights():
    routed = {name for name, _p in portal_patterns()}
    assert not routed - set(RIGHTS), (
        f"URLs without a row in tests/rights.py: {sorted(routed - set(RIGHTS))}"
    )
    stale = set(RIGHTS) - routed - set(outside_the_walk())
    assert not stale, f"rows of tests/rights.py no URL has: {sorted(stale)}"
    for name in outside_the_walk():
        reverse(name)  # routed, without arguments


def test_permission_matrix(client, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # 4xx by the hundred
    with pinned_today():
        world = build_world()
        results = observe(client, world)

    reads = sum(cross_scope_read(r, o) for r, o in results.items())
    writes = sum(cross_scope_write(r, o) for r, o in results.items())
    errors = sum(str(o.status).startswith("500") for o in results.values())
    print(
        f"permission matrix: {len(results)} requests, {len(RIGHTS)} URL names, "
        f"{len(ACTORS)} actors; cross-scope reads: {reads}, cross-scope "
        f"writes: {writes}, server errors: {errors}"
    )
    found = problems(results)
    assert not found, "\n".join(found)
    assert (reads, writes, errors) == (0, 0, 0)
    # The leak check is not blind: the observer's pages name the foreign region.
    assert any(o.leaked for r, o in results.items() if r.actor == "observer")
