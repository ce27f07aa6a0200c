"""Reports and the curator's decision: the services and the report page."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from monitoring.execution import services
from monitoring.models import ActivityReport, ReportDecision, ReportEvidence
from roadmaps.models import Notification, RoadmapEdition
from schools.access import Refused
from tests.helpers import violates

from .factories import TODAY, build_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        yield build_world()


def report(world, who, key, **kwargs):
    data = {"result": "done", "done_on": TODAY} | kwargs
    return services.report_create(
        by=world.users[who], activity=world.activities[key], **data
    )


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {f: [e.code for e in errors] for f, errors in exc.error_dict.items()}


def test_report_on_a_municipal_plan_needs_no_confirmation(world):
    created = report(world, "municipal_a", "M_mouo", actual_value=Decimal(12))
    assert created.decision == ReportDecision.NOT_NEEDED
    assert created.is_latest
    assert created.reporter_organisation == world.bodies["mouo_a"]
    assert created.counts_done


def test_school_report_awaits_the_curator_who_is_notified(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = report(world, "school_a1", "S_school")
    assert created.decision == ReportDecision.PENDING
    assert created.decided_by is None
    note = Notification.objects.get()
    assert note.user == world.users["curator_a1"]
    assert note.url == reverse(
        "monitoring:activity-reports", args=[created.activity_id]
    )


def test_curators_own_report_is_confirmed_at_once(world):
    created = report(world, "curator_a1", "S_curator")
    assert created.decision == ReportDecision.CONFIRMED
    assert created.decided_by == world.users["curator_a1"]
    assert created.decided_at is not None


def test_rejection_needs_a_comment_and_goes_back_to_the_executor(
    world, django_capture_on_commit_callbacks
):
    pending = report(world, "school_a1", "S_school")
    curator = world.users["curator_a1"]
    with pytest.raises(ValidationError) as exc:
        services.report_decide(by=curator, report=pending, decision="rejected")
    assert codes(exc.value) == {"comment": ["comment_required"]}
    with django_capture_on_commit_callbacks(execute=True):
        rejected = services.report_decide(
            by=curator,
            report=pending,
            decision="rejected",
            comment="Приложите протокол",
            version=pending.version,
        )
    assert rejected.decision == ReportDecision.REJECTED
    assert rejected.decision_comment == "Приложите протокол"
    assert rejected.version == pending.version + 1
    note = Notification.objects.get(user=world.users["school_a1"])
    assert "Приложите протокол" in note.text
    # The executor reports again, based on the rejected report.
    again = report(
        world,
        "school_a1",
        "S_school",
        based_on=rejected.pk,
        based_on_version=rejected.version,
    )
    assert again.decision == ReportDecision.PENDING
    rejected.refresh_from_db()
    assert not rejected.is_latest


def test_a_decided_report_cannot_be_decided_again(world):
    pending = report(world, "school_a1", "S_school")
    curator = world.users["curator_a1"]
    services.report_decide(by=curator, report=pending, decision="confirmed")
    with pytest.raises(ValidationError) as exc:
        services.report_decide(
            by=curator, report=pending, decision="rejected", comment="Нет"
        )
    assert exc.value.code == "not_pending"


def test_only_the_schools_curator_decides(world):
    pending = report(world, "school_a1", "S_school")
    for who in ("school_a1", "municipal_a", "observer"):
        with pytest.raises(Refused):
            services.report_decide(
                by=world.users[who], report=pending, decision="confirmed"
            )
    with pytest.raises(Refused) as exc:
        services.report_decide(
            by=world.users["curator_c1"], report=pending, decision="confirmed"
        )
    assert exc.value.code == "out_of_scope"


def test_reports_only_on_a_plan_in_force(world):
    with pytest.raises(ValidationError) as exc:
        report(world, "municipal_a", "D_mouo")
    assert exc.value.code == "not_in_force"
    # A superseded edition's activity is not in force either.
    edition = world.plans["M"].current_edition
    RoadmapEdition.objects.filter(pk=edition.pk).update(status="superseded")
    with pytest.raises(ValidationError) as exc:
        report(world, "municipal_a", "M_mouo")
    assert exc.value.code == "not_in_force"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"done_on": None}, {"done_on": ["required"]}),
        ({"done_on": TODAY.replace(day=16)}, {"done_on": ["future"]}),
        ({"done_on": TODAY.replace(year=2019)}, {"done_on": ["too_early"]}),
        ({"actual_value": Decimal(-1)}, {"actual_value": ["negative"]}),
        ({"result": "finished"}, {"result": ["required"]}),
        ({"result": "not_done"}, {"comment": ["comment_required"]}),
        (
            {"links": [services.Link("ftp://school.example/a"), services.Link("x")]},
            {"links": ["bad_link", "bad_link"]},
        ),
    ],
)
def test_report_fields_are_checked(world, kwargs, expected):
    with pytest.raises(ValidationError) as exc:
        report(world, "municipal_a", "M_mouo", **kwargs)
    assert codes(exc.value) == expected
    assert not ActivityReport.objects.exists()


@pytest.mark.parametrize(
    ("upload", "code", "russian"),
    [
        (
            SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
            "file_type",
            "Загрузите файл PDF, Word, Excel, OpenDocument или изображение.",
        ),
        (
            SimpleUploadedFile("akt.pdf", b"\x89PNG\r\n\x1a\n"),
            "file_content",
            "Содержимое файла не соответствует его расширению (.pdf).",
        ),
        (
            pdf(size=2**20),
            "file_size",
            "Файл больше допустимого размера (1 МБ).",
        ),
    ],
)
def test_bad_evidence_saves_nothing(world, settings, tmp_path, upload, code, russian):
    settings.SCHOOL_DOCUMENT_MAX_BYTES = 2**20
    good = pdf("protokol.pdf")
    with translation.override("ru"), pytest.raises(ValidationError) as exc:
        report(
            world,
            "municipal_a",
            "M_mouo",
            files=[good, upload],
            links=[services.Link("https://mouo.example/news")],
        )
    assert codes(exc.value) == {"files": [code]}
    with translation.override("ru"):
        message = exc.value.error_dict["files"][0].messages[0]
    assert message == f"«{upload.name}»: {russian}"
    assert not ActivityReport.objects.exists()
    assert not ReportEvidence.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_files_and_links_are_kept_as_evidence(world):
    created = report(
        world,
        "municipal_a",
        "M_mouo",
        files=[pdf("akt.pdf"), SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n1")],
        links=[services.Link("https://mouo.example/news/12")],
    )
    evidence = list(created.evidence.order_by("pk"))
    assert [e.title for e in evidence] == ["akt.pdf", "foto.png", ""]
    assert evidence[0].size == len(b"%PDF-1.4\n%test\n")
    assert evidence[2].url == "https://mouo.example/news/12"


def test_stale_form_is_refused_and_the_newer_report_stays(world):
    first = report(world, "municipal_a", "M_mouo")
    # Two people opened the form on top of `first`; one sends it.
    second = report(
        world,
        "municipal_a",
        "M_mouo",
        result="partly",
        comment="Проведено 2 из 3 совещаний",
        based_on=first.pk,
        based_on_version=first.version,
    )
    with pytest.raises(ValidationError) as exc:
        report(
            world,
            "municipal_a",
            "M_mouo",
            based_on=first.pk,
            based_on_version=first.version,
        )
    assert exc.value.code == "stale"
    # A form opened before any report is stale once one exists.
    with pytest.raises(ValidationError) as exc:
        report(world, "municipal_a", "M_mouo")
    assert exc.value.code == "stale"
    latest = ActivityReport.objects.get(is_latest=True)
    assert latest == second
    assert ActivityReport.objects.count() == 2


def test_decision_changes_the_version_so_an_old_form_is_stale(world):
    pending = report(world, "school_a1", "S_school")
    services.report_decide(
        by=world.users["curator_a1"],
        report=pending,
        decision="rejected",
        comment="Нет протокола",
    )
    with pytest.raises(ValidationError) as exc:
        report(
            world,
            "school_a1",
            "S_school",
            based_on=pending.pk,
            based_on_version=pending.version,
        )
    assert exc.value.code == "stale"


def test_reports_keep_their_history(world):
    first = report(world, "municipal_a", "M_mouo")
    second = report(
        world, "municipal_a", "M_mouo", based_on=first.pk, based_on_version=1
    )
    rows = ActivityReport.objects.filter(lineage=first.lineage).order_by("pk")
    assert [r.is_latest for r in rows] == [False, True]
    assert rows[1] == second
    assert first.history.count() == 2  # created, then no longer the latest
    assert first.history.first().history_user == world.users["municipal_a"]


def test_one_latest_report_per_activity_is_a_database_rule(world):
    first = report(world, "municipal_a", "M_mouo")
    assert violates(
        ActivityReport.objects.create,
        roadmap=first.roadmap,
        lineage=first.lineage,
        activity=first.activity,
        result="done",
        done_on=TODAY,
        reporter=first.reporter,
        is_latest=True,
    )


# --- the report page -----------------------------------------------------------


def test_page_keeps_the_input_after_a_bad_file(client, world):
    client.force_login(world.users["municipal_a"])
    url = reverse("monitoring:activity-reports", args=[world.activities["M_mouo"].pk])
    with translation.override("ru"):
        response = client.post(
            url,
            {
                "result": "partly",
                "done_on": "2022-06-10",
                "actual_value": "37",
                "comment": "Проведено 37 консультаций",
                "links": "https://mouo.example/a",
                "files": [SimpleUploadedFile("x.exe", b"MZ")],
            },
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    assert response.status_code == 400
    form = response.context["form"]
    assert form["comment"].value() == "Проведено 37 консультаций"
    assert form["actual_value"].value() == "37"
    assert form["links"].value() == "https://mouo.example/a"
    assert "files" in form.errors
    assert any(
        "choose them again" in e or "заново" in e for e in form.non_field_errors()
    )
    assert not ActivityReport.objects.exists()


def test_page_says_when_the_form_is_stale(client, world):
    activity = world.activities["M_mouo"]
    client.force_login(world.users["municipal_a"])
    url = reverse("monitoring:activity-reports", args=[activity.pk])
    opened = client.get(url).context["form"]
    assert opened["based_on"].value() is None
    newer = report(world, "municipal_a", "M_mouo", comment="Первый отчёт")
    response = client.post(url, {"result": "done", "done_on": "2022-06-01"})
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == [
        "stale"
    ]
    assert ActivityReport.objects.get(is_latest=True) == newer
    # Sent again, the form now rests on the report it showed.
    assert response.context["form"]["based_on"].value() == newer.pk
    again = client.post(
        url,
        {
            "result": "done",
            "done_on": "2022-06-01",
            "based_on": newer.pk,
            "based_on_version": newer.version,
        },
    )
    assert again.status_code == 302


def test_page_lists_reports_newest_first_with_decisions(client, world):
    first = report(world, "school_a1", "S_school")
    services.report_decide(
        by=world.users["curator_a1"],
        report=first,
        decision="rejected",
        comment="Нет протокола",
    )
    second = report(
        world, "school_a1", "S_school", based_on=first.pk, based_on_version=2
    )
    client.force_login(world.users["curator_a1"])
    response = client.get(
        reverse("monitoring:activity-reports", args=[first.activity_id])
    )
    assert [r.pk for r in response.context["reports"]] == [second.pk, first.pk]
    assert response.context["decision_form"] is not None
    assert "Нет протокола" in response.content.decode()
