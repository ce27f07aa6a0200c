"""Reads from the replica only where they cannot hide the user's own changes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import router as db_router
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from config.routers import PIN_COOKIE, ReplicaMiddleware, ReplicaRouter

ROOT = Path(__file__).resolve().parents[2]
User = get_user_model()


@pytest.fixture
def router():
    with override_settings(DATABASE_ROUTERS=["config.routers.ReplicaRouter"]):
        yield


def serve(request, view):
    """Run one request through the middleware; return (response, seen)."""
    seen = {}

    def get_response(request):
        seen.update(view())
        return HttpResponse("ok")

    return ReplicaMiddleware(get_response)(request), seen


def reads():
    return {"reads": User.objects.all().db}


def test_get_reads_the_replica_and_does_not_pin(router):
    response, seen = serve(RequestFactory().get("/"), reads)
    assert seen == {"reads": "replica"}
    assert PIN_COOKIE not in response.cookies


def test_head_reads_the_replica(router):
    _, seen = serve(RequestFactory().head("/"), reads)
    assert seen == {"reads": "replica"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_change_reads_the_primary_and_pins_the_browser(router, settings, method):
    settings.REPLICA_PIN_SECONDS = 7
    response, seen = serve(getattr(RequestFactory(), method)("/"), reads)
    assert seen == {"reads": "default"}
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 7
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_pinned_browser_reads_the_primary(router):
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"
    _, seen = serve(request, reads)
    assert seen == {"reads": "default"}


def test_after_a_write_the_rest_of_the_request_reads_the_primary(router):
    def view():
        before = User.objects.all().db
        written = db_router.db_for_write(User)  # what save() asks the router
        return {"before": before, "written": written, "after": User.objects.all().db}

    response, seen = serve(RequestFactory().get("/"), view)
    assert seen == {"before": "replica", "written": "default", "after": "default"}
    assert PIN_COOKIE in response.cookies


def test_locking_reads_and_transactions_use_the_primary(router, db):
    def view():
        locking = User.objects.select_for_update().db
        with transaction.atomic():
            inside = User.objects.all().db
        return {"locking": locking, "inside": inside}

    _, seen = serve(RequestFactory().get("/"), view)
    assert seen == {"locking": "default", "inside": "default"}


def test_outside_a_request_everything_uses_the_primary(router):
    # The task worker, management commands, the shell.
    assert User.objects.all().db == "default"
    assert ReplicaRouter().db_for_read(User) == "default"


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("default", "roadmaps") is True
    assert ReplicaRouter().allow_migrate("replica", "roadmaps") is False


def test_rows_of_both_databases_may_be_related():
    one, two = User(username="a"), User(username="b")
    one._state.db, two._state.db = "replica", "default"
    assert ReplicaRouter().allow_relation(one, two) is True


def test_a_real_replica_on_sqlite(tmp_path):
    """Two database files; the replica lags until the scenario copies it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE"}
    }
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.deploy.replica_scenario", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    # A plain page of a logged-in user reads the replica. (Raw SQL on
    # django.db.connection, as the navigation counts use, stays on the
    # primary: correct, only not offloaded.) Nothing written, nothing pinned.
    first = found["first_get"]
    assert first["status"] == 200
    assert first["replica"] > first["primary"]
    assert first["primary_writes"] == 0
    assert first["pinned"] is False
    assert first["listed"] is False
    # The upload: only the primary, and the browser is pinned to it.
    assert found["upload"]["status"] == 302
    assert found["upload"]["replica"] == 0
    assert found["upload"]["pinned"] is True
    # The page after "Upload" shows the new document though the replica lags.
    assert found["after_upload"]["listed"] is True
    assert found["after_upload"]["replica"] == 0
    # Unpinned, the page reads the lagging replica, then the caught-up one.
    lagging = found["other_browser_before_catch_up"]
    caught_up = found["other_browser_after_catch_up"]
    assert lagging["listed"] is False
    assert caught_up["listed"] is True
    assert lagging["primary_writes"] == caught_up["primary_writes"] == 0
