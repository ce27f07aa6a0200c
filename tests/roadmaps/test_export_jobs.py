"""Large exports run as background jobs with visible progress."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from roadmaps.exports import jobs
from roadmaps.models import ExportJob
from schools.models import Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    roadmap_with_edition,
    user_with_role,
)
from tests.helpers import close_response


@pytest.fixture
def municipal(db):
    municipality = MunicipalityFactory()
    owner = OrganisationFactory(municipality=municipality, name="МОУО Тест")
    user = user_with_role(Role.MUNICIPAL_COORDINATOR, owner)
    for n in range(5):
        roadmap_with_edition(owner=owner, activities=2, title=f"План {n}")
    return user, municipality


def read(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_a_small_export_is_streamed_at_once(client, municipal, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 100
    user, _m = municipal
    client.force_login(user)
    response = client.get(reverse("roadmaps:roadmap-export"))
    assert response.status_code == 200
    book = read(b"".join(response.streaming_content))
    assert book.active.max_row == 1 + 5
    close_response(response)
    assert not ExportJob.objects.exists()


def test_a_large_export_runs_in_the_background_with_progress(
    client, municipal, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    user, _m = municipal
    client.force_login(user)
    url = reverse("roadmaps:roadmap-export") + "?level=municipal"
    offer = client.get(url)
    assert offer.status_code == 200
    assert "5" in offer.content.decode()
    assert not ExportJob.objects.exists()  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmaps:export-job", args=[job.pk])
    assert (job.status, job.rows_total, job.user) == ("queued", 5, user)
    assert job.params["filters"] == {"level": ["municipal"]}
    page = client.get(response["Location"])
    assert 'data-status="queued"' in page.content.decode()

    # The worker of the deployment picks the task up from the database. (It
    # closes "old" connections between tasks, which would close the test's
    # own connection to the test database: not what is tested here.)
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.percent) == ("done", 5, 100)
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'data-status="done"' in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()  # polling stops
    download = client.get(reverse("roadmaps:export-job-download", args=[job.pk]))
    book = read(b"".join(download.streaming_content))
    close_response(download)
    assert book.active.max_row == 1 + 5
    job.file.delete(save=False)


def test_the_worker_checks_rights_as_they_stand_when_it_runs(municipal, settings):
    user, municipality = municipal
    today = datetime.date(2026, 11, 23)
    from django.http import QueryDict

    job = jobs.export_start(
        user=user,
        kind="consolidated",
        filters=QueryDict(f"municipality={municipality.pk}"),
        today=today,
    )
    user.memberships.all().delete()  # the coordinator left the post
    user._portal_scope = None
    jobs.run_export.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert not job.file


def test_only_the_requester_sees_and_downloads_a_job(client, municipal):
    user, municipality = municipal
    job = ExportJob.objects.create(
        user=user, kind="roadmaps", title="t", filename="f.xlsx", status="done"
    )
    other = user_with_role(
        Role.MUNICIPAL_COORDINATOR, OrganisationFactory(municipality=municipality)
    )
    client.force_login(other)
    assert client.get(reverse("roadmaps:export-job", args=[job.pk])).status_code == 404
    assert (
        client.get(reverse("roadmaps:export-job-download", args=[job.pk])).status_code
        == 404
    )
    assert "f.xlsx" not in client.get(reverse("roadmaps:export-jobs")).content.decode()


def test_a_job_runs_once(municipal):
    user, _m = municipal
    from django.http import QueryDict

    job = jobs.export_start(
        user=user,
        kind="roadmaps",
        filters=QueryDict(""),
        today=datetime.date(2026, 11, 23),
    )
    assert jobs.run_export.call(job.pk) == "done"
    assert jobs.run_export.call(job.pk) == "skipped"
    job.refresh_from_db()
    job.file.delete(save=False)


def test_old_exports_are_pruned(municipal):
    user, _m = municipal
    from django.utils import timezone

    old = ExportJob.objects.create(user=user, kind="roadmaps", title="t", filename="f")
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    fresh = ExportJob.objects.create(
        user=user, kind="roadmaps", title="t", filename="f"
    )
    assert jobs.prune_exports(older_than_days=7) == 1
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
