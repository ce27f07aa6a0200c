"""A school's documents page with a lagging read replica, on two SQLite files.

Run by test_replica.py in a fresh process (the replica alias exists only when
DATABASE_REPLICA_URL is set before Django starts):

    python -m tests.deploy.replica_scenario WORKDIR

The replica is a copy of the primary's file taken at a chosen moment, so it
lags exactly as far as the scenario wants. Prints one JSON line of findings.
"""

import json
import os
import shutil
import sys
from pathlib import Path

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def main(workdir: Path) -> dict:
    primary = workdir / "primary.sqlite3"
    replica = workdir / "replica.sqlite3"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{primary}",
        DATABASE_REPLICA_URL=f"sqlite:///{replica}",
        ALLOWED_HOSTS="testserver",
        MEDIA_ROOT=str(workdir / "media"),
    )
    import django

    django.setup()

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from config.routers import PIN_COOKIE
    from schools.models import Role
    from tests.factories import (
        MunicipalityFactory,
        ProjectFactory,
        SchoolFactory,
        user_with_role,
    )

    call_command("migrate", verbosity=0)
    school = SchoolFactory(municipality=MunicipalityFactory())
    ProjectFactory()
    director = user_with_role(Role.SCHOOL, school, username="director")
    client = Client()
    client.force_login(director)

    def replicate():
        connections.close_all()
        shutil.copyfile(primary, replica)

    def visit(method, url, **kwargs):
        with (
            CaptureQueriesContext(connections["default"]) as on_primary,
            CaptureQueriesContext(connections["replica"]) as on_replica,
        ):
            response = getattr(client, method)(url, **kwargs)
        return {
            "status": response.status_code,
            "primary": len(on_primary),
            "primary_writes": sum(
                not q["sql"].lstrip().upper().startswith("SELECT")
                for q in on_primary.captured_queries
            ),
            "replica": len(on_replica),
            "pinned": PIN_COOKIE in response.cookies,
            "listed": "Концепция развития" in response.content.decode(),
        }

    url = reverse("roadmaps:document-list", args=[school.pk]) + "?year=2022"
    # The first page after logging in notes the user's time zone in the
    # session (a write): it reads and writes the primary and pins the browser.
    replicate()
    found = {"after_login": visit("get", url)}
    del client.cookies[PIN_COOKIE]
    replicate()
    found["first_get"] = visit("get", url)
    upload = SimpleUploadedFile("concept.pdf", PDF, content_type="application/pdf")
    found["upload"] = visit(
        "post",
        url,
        data={
            "do": "upload",
            "year": 2022,
            "kind": "concept",
            "title": "Концепция развития",
            "file": upload,
        },
    )
    # The replica has not caught up yet: the same browser reads the primary.
    found["after_upload"] = visit("get", url)
    # Once the pin cookie expires (or in another browser) pages read the
    # replica again, which shows the new document only when it catches up.
    del client.cookies[PIN_COOKIE]
    found["other_browser_before_catch_up"] = visit("get", url)
    replicate()
    found["other_browser_after_catch_up"] = visit("get", url)
    return found


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
