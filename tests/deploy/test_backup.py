"""`manage.py backup` and `manage.py restore`: a dump restored into a fresh
database holds every plan, edition, activity and report, and every media file
comes back with the same bytes.

PostgreSQL only (pg_dump/pg_restore): skipped on SQLite. When DATABASE_URL is
PostgreSQL a missing or mismatched pg_dump is a failure, not a skip.
"""

import io
import tarfile
import uuid
from contextlib import closing
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from monitoring.execution import services as execution
from monitoring.models import ActivityReport, ReportDecision, ReportEvidence
from roadmaps import workflow
from roadmaps.models import Activity, Roadmap, RoadmapEdition, SchoolDocument
from tests.factories import ProjectFactory
from tests.monitoring.execution.factories import TODAY, build_world, pdf
from tests.races import skip_unless_postgres


@pytest.fixture
def postgresql():
    skip_unless_postgres("pg_dump and pg_restore need PostgreSQL")


@pytest.fixture
def world(postgresql):
    """Plans of every level (one with a second edition), reports with
    evidence files and a decision, a school document."""
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        w = build_world()
        users, acts = w.users, w.activities
        workflow.edition_start_new(by=users["municipal_a"], roadmap=w.plans["M"])
        for who, key in (
            ("regional_staff", "R_dept"),
            ("municipal_a", "M_mouo"),
            ("school_a1", "S_school"),
        ):
            execution.report_create(
                by=users[who],
                activity=acts[key],
                result="done",
                done_on=TODAY,
                files=[pdf(f"akt-{key}.pdf", size=len(key) * 100)],
            )
        pending = ActivityReport.objects.get(activity=acts["S_school"])
        execution.report_decide(
            by=users["curator_a1"], report=pending, decision=ReportDecision.CONFIRMED
        )
        workflow.document_upload(
            by=users["school_a1"],
            school=w.bodies["a1"],
            project=ProjectFactory(),
            year=2022,
            kind=SchoolDocument.Kind.CONCEPT,
            title="Концепция развития",
            upload=pdf("koncepciya.pdf", size=2048),
        )
    return w


def server_params(dbname: str) -> dict:
    d = connection.settings_dict
    params = {
        "dbname": dbname,
        "user": d["USER"],
        "password": d["PASSWORD"],
        "host": d["HOST"],
        "port": d["PORT"],
    }
    return {k: v for k, v in params.items() if v}


@pytest.fixture
def fresh_database(postgresql):
    """An empty database next to the test database, dropped afterwards."""
    name = f"portal_restore_{uuid.uuid4().hex[:12]}"
    with closing(psycopg2.connect(**server_params("postgres"))) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url_without_password(name: str) -> str:
    d = connection.settings_dict
    return (
        f"postgres://{d['USER']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{name}"
    )


def rows(cursor, model, *columns) -> list[tuple]:
    table = model._meta.db_table
    cursor.execute(
        f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"  # noqa: S608
    )
    return cursor.fetchall()


def media_tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file()
    }


def tampered(archive: Path, target: Path) -> Path:
    """A copy of the archive with one media file's bytes changed."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        changed = False
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/") and not changed:
                data, changed = data.replace(b"%PDF", b"%PDX", 1), True
            copy.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.usefixtures("world")
def test_restore_of_a_backup_holds_every_plan_and_file(
    tmp_path, fresh_database, monkeypatch
):
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("portal-*.tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[:2] == ["manifest.json", "database.dump"]
    original_media = Path(settings.MEDIA_ROOT)
    expected_files = media_tree(original_media)
    assert len(expected_files) == 4  # three evidence files, one document

    restored_media = tmp_path / "restored-media"
    # The password comes from libpq's environment, not from the URL.
    monkeypatch.setenv("PGPASSWORD", connection.settings_dict["PASSWORD"])
    out = io.StringIO()
    call_command(
        "restore",
        str(archive),
        database_url=url_without_password(fresh_database),
        media_root=str(restored_media),
        stdout=out,
    )
    assert "Restore verified against the manifest." in out.getvalue()

    with (
        closing(psycopg2.connect(**server_params(fresh_database))) as restored,
        restored.cursor() as cursor,
    ):
        assert rows(cursor, Roadmap, "id", "title") == list(
            Roadmap.objects.order_by("id").values_list("id", "title")
        )
        assert rows(cursor, RoadmapEdition, "id", "roadmap_id", "number", "status") == (
            list(
                RoadmapEdition.objects.order_by("id").values_list(
                    "id", "roadmap_id", "number", "status"
                )
            )
        )
        assert rows(cursor, Activity, "id", "edition_id", "title") == list(
            Activity.objects.order_by("id").values_list("id", "edition_id", "title")
        )
        assert rows(cursor, ActivityReport, "id", "activity_id", "decision") == list(
            ActivityReport.objects.order_by("id").values_list(
                "id", "activity_id", "decision"
            )
        )
        evidence = rows(cursor, ReportEvidence, "file")
        documents = rows(cursor, SchoolDocument, "file")
    assert Roadmap.objects.count() == 5
    assert RoadmapEdition.objects.filter(roadmap__level="municipal").count() == 3
    assert len(evidence) == 3
    assert len(documents) == 1
    assert media_tree(restored_media) == expected_files
    for (name,) in evidence + documents:
        assert (restored_media / name).read_bytes() == (
            original_media / name
        ).read_bytes()

    # A second restore into the now full database is refused, not merged.
    with pytest.raises(CommandError, match="is not empty"):
        call_command(
            "restore",
            str(archive),
            database_url=url_without_password(fresh_database),
            media_root=str(tmp_path / "other-media"),
        )
    # Forced over it, an archive whose file was changed fails verification.
    with pytest.raises(CommandError, match="SHA-256 differs"):
        call_command(
            "restore",
            str(tampered(archive, tmp_path / "tampered.tar.gz")),
            database_url=url_without_password(fresh_database),
            media_root=str(tmp_path / "other-media"),
            force=True,
            stdout=io.StringIO(),
        )


def test_restore_refuses_a_sqlite_target(tmp_path):
    archive = tmp_path / "portal.tar.gz"
    archive.write_bytes(b"")
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command(
            "restore", str(archive), database_url=f"sqlite:///{tmp_path / 'x.db'}"
        )


def test_backup_on_sqlite_says_how_to_back_up_instead(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite answer of backup")
    with pytest.raises(CommandError, match=r"copy db\.sqlite3"):
        call_command("backup", output=str(tmp_path))
