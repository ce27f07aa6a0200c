"""The school's form: drafts keep partial input, sending checks required
indicators, invalid values are refused whole with messages, files are checked."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from monitoring.models import MonitoringAnswer, MonitoringSubmission, SubmissionStatus
from monitoring.stages import services
from roadmaps.models import Notification

from .factories import form

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(world, key="a1"):
    return reverse(
        "monitoring:submission-detail", args=[world.stage.pk, world.schools[key].pk]
    )


def k(world, code):
    return f"f_{world.fields[code].pk}"


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def school(client, world):
    client.force_login(world.users["school_a1"])
    return client


def test_draft_keeps_partial_input(school, world):
    response = school.post(url(world), {"do": "draft", k(world, "pupils"): "1 200"})
    assert response.status_code == 302
    submission = MonitoringSubmission.objects.get()
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.answers.get().number == 1200
    page = school.get(url(world))
    assert 'value="1200"' in page_text(page)


def test_invalid_values_refuse_the_whole_save_and_keep_all_input(school, world):
    data = {
        "do": "draft",
        k(world, "pupils"): "сто двадцать",
        k(world, "failing"): "150",
        k(world, "plan_ok"): "yes",
        k(world, "note"): "Наш комментарий к форме",
    }
    response = school.post(url(world), data)
    assert response.status_code == 400
    text = page_text(response)
    assert _("Enter a number, for example 12 or 12,5.") in text
    assert _("The value cannot be more than %(limit)s.") % {"limit": "100"} in text
    assert _("Nothing is saved: correct the marked values.") in text
    # Every value typed stays in the form, valid or not.
    assert 'value="сто двадцать"' in text
    assert 'value="150"' in text
    assert "Наш комментарий к форме" in text
    assert re.search(r'value="yes"[^>]*checked', text)
    assert not MonitoringSubmission.objects.exists()
    assert not MonitoringAnswer.objects.exists()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-1", "min_value"),
        ("12,345", "precision"),
        ("1e5", "invalid_number"),
        ("99999999999999", "too_large"),
    ],
)
def test_number_checks(world, raw, code):
    with pytest.raises(ValidationError) as caught:
        services.submission_save(
            by=world.users["school_a1"],
            stage=world.stage,
            school=world.schools["a1"],
            values={k(world, "pupils"): raw},
        )
    error = caught.value.error_dict[k(world, "pupils")][0]
    assert error.code == code
    assert not MonitoringSubmission.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"), [("12,5", "12.5"), ("0", "0"), ("100", "100"), ("7 %", "7")]
)
def test_percentage_within_0_100_accepted(world, raw, expected):
    services.submission_save(
        by=world.users["school_a1"],
        stage=world.stage,
        school=world.schools["a1"],
        values={k(world, "failing"): raw},
    )
    answer = MonitoringAnswer.objects.get()
    assert answer.number == Decimal(expected)


def test_percentage_limit_defaults_to_0_100(world):
    field = services.field_add(
        by=world.users["regional_staff"],
        stage=world.stage,
        version=world.stage.version,
        data=services.FieldData(label="Доля педагогов, %", kind="percent"),
    )
    assert (field.min_value, field.max_value) == (0, 100)
    with pytest.raises(ValidationError) as caught:
        services.submission_save(
            by=world.users["school_a1"],
            stage=world.stage,
            school=world.schools["a1"],
            values={f"f_{field.pk}": "100,5"},
        )
    assert caught.value.error_dict[f"f_{field.pk}"][0].code == "max_value"


def test_required_only_on_sending(school, world):
    data = {"do": "submit", k(world, "pupils"): "120", k(world, "note"): "Текст"}
    response = school.post(url(world), data)
    assert response.status_code == 400
    text = page_text(response)
    assert _("Fill in this indicator: it is required to send the form.") in text
    assert _("The form is not sent: fill in the required indicators.") in text
    assert 'value="120"' in text
    assert not MonitoringSubmission.objects.exists()  # nothing half-saved
    data["do"] = "draft"
    assert school.post(url(world), data).status_code == 302
    data.update({"do": "submit", k(world, "failing"): "4,5", k(world, "plan_ok"): "no"})
    data["version"] = MonitoringSubmission.objects.get().version
    assert school.post(url(world), data).status_code == 302
    submission = MonitoringSubmission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.events.get().action == "submit"


def test_sent_form_is_read_only_until_returned(school, client, world):
    submission = form(world.stage, world.schools["a1"], pupils=10, failing=1)
    page = school.get(url(world))
    assert not page.context["editable"]
    assert 'data-testid="save-draft"' not in page_text(page)
    response = school.post(
        url(world),
        {"do": "draft", k(world, "pupils"): "11", "version": submission.version},
    )
    assert response.status_code == 400
    assert _("The form has been sent to the curator and cannot be changed now.") in (
        page_text(response)
    )
    services.submission_return(
        by=world.users["curator_a1"], submission=submission, comment="Исправьте"
    )
    page = school.get(url(world))
    assert page.context["editable"]
    assert "Исправьте" in page_text(page)


def test_return_needs_a_comment(client, world):
    submission = form(world.stage, world.schools["a1"], pupils=10)
    client.force_login(world.users["curator_a1"])
    response = client.post(
        reverse(
            "monitoring:submission-decide",
            args=[world.stage.pk, world.schools["a1"].pk],
        ),
        {"decision": "return", "comment": "  "},
    )
    assert response.status_code == 400
    assert _("Say what is to be corrected: a return needs a comment.") in (
        page_text(response)
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_resubmission_cycle_with_events_and_notifications(
    world, django_capture_on_commit_callbacks
):
    school_user, curator = world.users["school_a1"], world.users["curator_a1"]
    values = {
        k(world, "pupils"): "120",
        k(world, "failing"): "3",
        k(world, "plan_ok"): "yes",
    }
    with django_capture_on_commit_callbacks(execute=True):
        sub = services.submission_save(
            by=school_user,
            stage=world.stage,
            school=world.schools["a1"],
            values=values,
            submit=True,
        )
    assert Notification.objects.filter(user=curator).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(by=curator, submission=sub, comment="Уточните")
    assert Notification.objects.filter(user=school_user).count() == 1
    sub.refresh_from_db()
    first_sent = sub.submitted_at
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_save(
            by=school_user,
            stage=world.stage,
            school=world.schools["a1"],
            values={**values, k(world, "failing"): "2,5"},
            version=sub.version,
            submit=True,
        )
        sub.refresh_from_db()
        services.submission_confirm(by=curator, submission=sub)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.CONFIRMED
    assert sub.submitted_at == first_sent  # lateness is decided by the first sending
    assert [e.action for e in sub.events.all()] == [
        "submit",
        "return",
        "submit",
        "approve",
    ]
    assert Notification.objects.filter(user=school_user).count() == 2
    assert Notification.objects.filter(user=curator).count() == 2


def test_file_answers_checked_by_content_and_size(school, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    key = k(world, "report")
    fake = SimpleUploadedFile("report.pdf", b"MZ not a pdf", "application/pdf")
    response = school.post(
        url(world), {"do": "draft", key: fake, k(world, "pupils"): "50"}
    )
    assert response.status_code == 400
    text = page_text(response)
    assert (
        _("The file's content does not match its name (%(suffix)s).")
        % {"suffix": ".pdf"}
        in text
    )
    assert _("Files are not kept when the form has errors: choose them again.") in text
    assert 'value="50"' in text
    exe = SimpleUploadedFile("report.exe", b"MZ", "application/octet-stream")
    response = school.post(url(world), {"do": "draft", key: exe})
    assert _("Upload a PDF, Word, Excel, OpenDocument or image file.") in page_text(
        response
    )
    settings.SCHOOL_DOCUMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("report.pdf", PDF, "application/pdf")
    response = school.post(url(world), {"do": "draft", key: big})
    assert response.status_code == 400
    assert not MonitoringSubmission.objects.exists()
    settings.SCHOOL_DOCUMENT_MAX_BYTES = 10_000
    good = SimpleUploadedFile("report.pdf", PDF, "application/pdf")
    assert school.post(url(world), {"do": "draft", key: good}).status_code == 302
    answer = MonitoringAnswer.objects.get(field=world.fields["report"])
    assert answer.file.name.endswith("report.pdf")


def test_files_served_only_within_scope(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.submission_save(
        by=world.users["school_a1"],
        stage=world.stage,
        school=world.schools["a1"],
        values={},
        uploads={
            k(world, "report"): SimpleUploadedFile("report.pdf", PDF, "application/pdf")
        },
    )
    answer = MonitoringAnswer.objects.get()
    file_url = reverse("monitoring:answer-file", args=[answer.pk])
    expected = {
        "school_a1": 200,
        "curator_a1": 200,
        "municipal_a": 200,
        "regional_staff": 200,
        "observer": 200,
        "school_a3": 404,
        "curator_c1": 404,
        "foreign_staff": 404,
        "administrator": 404,
    }
    for role, status in expected.items():
        client.force_login(world.users[role])
        response = client.get(file_url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert b"".join(response.streaming_content) == PDF


def test_late_note_after_closing(school, world, on):
    on(datetime.date(2022, 7, 5))
    page = school.get(url(world))
    assert 'data-testid="late-note"' in page_text(page)
    assert page.context["late"]
