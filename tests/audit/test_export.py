"""The filtered log in Excel: the page's rows, formula-safe, large ones queued."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps import workflow
from roadmaps.exports import jobs
from roadmaps.exports.lists import safe
from roadmaps.models import ExportJob
from schools.models import Role
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    roadmap_with_edition,
    user_with_role,
)
from tests.helpers import close_response

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def _download(client, **filters) -> list[tuple]:
    response = client.get(reverse("audit:export"), filters)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    close_response(response)
    return _rows(content)


@pytest.fixture
def world():
    owner = OrganisationFactory()
    author = user_with_role(Role.MUNICIPAL_COORDINATOR, owner, username="author")
    roadmap = roadmap_with_edition(
        owner=owner, activities=2, title='=HYPERLINK("http://evil.example","x")'
    )
    workflow.edition_submit(
        by=author, edition=roadmap.latest_edition, comment="=cmd|' /C calc'!A0"
    )
    body = OrganisationFactory(name="МОУО")
    for n in range(3):
        MembershipFactory(user=UserFactory(username=f"member{n}"), organisation=body)
    return roadmap


def test_the_export_has_the_rows_of_the_page(client, superuser, world):
    client.force_login(superuser)
    for filters in ({}, {"kind": "roadmaps.roadmapedition"}, {"action": "event"}):
        page = client.get(reverse("audit:log"), filters).context["page"].entries
        rows = _download(client, **filters)
        assert rows[0][:6] == (
            "Когда",
            "Пользователь",
            "Действие",
            "Тип объекта",
            "Объект",
            "Изменения",
        )
        expected = [
            (
                safe(e.who or "система"),
                e.action_label,
                e.kind,
                safe(e.label),
                safe(e.changes_text()) or None,
                safe(e.comment) or None,
            )
            for e in page
        ]
        assert [r[1:7] for r in rows[1:]] == expected, filters
        for row, e in zip(rows[1:], page, strict=True):
            shown = timezone.localtime(e.at).replace(tzinfo=None)
            assert abs((row[0] - shown).total_seconds()) < 1


def test_text_a_user_typed_never_becomes_a_formula(client, superuser, world, settings):
    client.force_login(superuser)
    rows = _download(client, action="event")
    (move,) = rows[1:]
    assert move[4].startswith("'=HYPERLINK(")
    assert move[6] == "'=cmd|' /C calc'!A0"
    plans = _download(client, kind="roadmaps.roadmap", action="+")
    assert plans[1][4] == "'" + world.title
    assert plans[1][7] == f"{settings.PORTAL_URL}/roadmaps/{world.pk}/"


def test_a_large_log_is_written_in_the_background(client, superuser, world, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client.force_login(superuser)
    url = reverse("audit:export") + "?kind=schools.membership"
    page = client.get(url)
    assert page.status_code == 200
    assert "roadmaps/export_large.html" in [t.name for t in page.templates]
    assert client.post(url).status_code == 302
    job = ExportJob.objects.get(user=superuser, kind="audit")
    assert job.rows_total == 4  # the three members and the author
    assert jobs.run_export.call(job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as f:
        rows = _rows(f.read())
    assert sorted(r[4].split(" — ")[0] for r in rows[1:]) == [
        "author",
        "member0",
        "member1",
        "member2",
    ]
    job.file.delete(save=False)


def test_the_worker_refuses_a_user_who_lost_the_right(superuser, world):
    from django.http import QueryDict

    job = jobs.export_start(
        user=superuser, kind="audit", filters=QueryDict(""), today=world.period_start
    )
    superuser.is_superuser = False
    superuser.save()
    jobs.run_export.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert not job.file
