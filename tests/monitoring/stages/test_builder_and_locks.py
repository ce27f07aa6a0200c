"""The form builder (presets, copying, reordering, limits) and optimistic
locking of stages and forms; exactly one curator decision wins."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from monitoring.models import MonitoringField, SubmissionStatus
from monitoring.stages import services
from monitoring.stages.presets import PRESETS

from .factories import form, stage_type

pytestmark = pytest.mark.django_db


def codes(stage):
    return list(stage.fields.order_by("position", "pk").values_list("code", flat=True))


def test_each_kind_has_a_ready_made_form_with_valid_kinds():
    for code in ("entry", "first", "second"):
        items = PRESETS[code]
        assert items
        assert len({i["code"] for i in items}) == len(items)
        assert {i["kind"] for i in items} <= {
            "number",
            "percent",
            "boolean",
            "text",
            "file",
        }
    shared = {i["code"] for i in PRESETS["first"]} & {
        i["code"] for i in PRESETS["entry"]
    }
    assert {"pupils", "failing_share", "vacancies"} <= shared


def test_stage_created_from_preset_copy_or_empty(world):
    staff = world.users["regional_staff"]
    base = {
        "by": staff,
        "region": world.stage.region,
        "project": world.stage.project,
        "title": "",
        "opens_on": datetime.date(2023, 2, 1),
        "closes_on": datetime.date(2023, 2, 28),
    }
    entry = services.stage_create(**base, year=2023, stage_type=stage_type("entry"))
    assert codes(entry) == [i["code"] for i in PRESETS["entry"]]
    percent = entry.fields.get(code="teachers_diagnosed_share")
    assert (percent.min_value, percent.max_value) == (0, 100)
    copy = services.stage_create(
        **base, year=2024, stage_type=stage_type("entry"), copy_from=world.stage
    )
    assert codes(copy) == codes(world.stage)
    empty = services.stage_create(
        **base, year=2025, stage_type=stage_type("entry"), use_preset=False
    )
    assert codes(empty) == []
    with pytest.raises(ValidationError) as caught:
        services.stage_create(**base, year=2023, stage_type=stage_type("entry"))
    assert caught.value.error_dict["stage_type"][0].code == "stage_exists"
    with pytest.raises(ValidationError) as caught:
        services.stage_create(
            **{**base, "closes_on": datetime.date(2023, 1, 1)},
            year=2026,
            stage_type=stage_type("entry"),
        )
    assert caught.value.error_dict["closes_on"][0].code == "dates_order"


def test_create_page_keeps_input_on_error(client, world):
    client.force_login(world.users["regional_staff"])
    response = client.post(
        reverse("monitoring:stage-create"),
        {
            "region": world.stage.region.pk,
            "project": world.stage.project.pk,
            "year": 2022,
            "stage_type": world.stage.stage_type.pk,
            "title": "Июньский этап",
            "opens_on": "2022-06-01",
            "closes_on": "2022-06-30",
            "start_from": "preset",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        _("This region already has this stage for %(year)s.") % {"year": 2022} in text
    )
    assert 'value="Июньский этап"' in text


def test_reorder_edit_and_limits(client, world):
    client.force_login(world.users["regional_staff"])
    first, second = codes(world.stage)[:2]
    field = world.stage.fields.get(code=second)
    client.post(
        reverse("monitoring:field-move", args=[world.stage.pk, field.pk]),
        {"version": 1, "up": "1"},
    )
    assert codes(world.stage)[:2] == [second, first]
    world.stage.refresh_from_db()
    response = client.post(
        reverse("monitoring:field-edit", args=[world.stage.pk, field.pk]),
        {
            "label": "Доля",
            "kind": "percent",
            "min_value": "0",
            "max_value": "120",
            "version": world.stage.version,
        },
    )
    assert response.status_code == 400
    assert _("A percentage lies between 0 and 100.") in response.content.decode()
    response = client.post(
        reverse("monitoring:field-edit", args=[world.stage.pk, field.pk]),
        {
            "label": "Доля",
            "kind": "percent",
            "min_value": "1",
            "max_value": "",
            "version": world.stage.version,
        },
    )
    assert response.status_code == 302
    field.refresh_from_db()
    assert (field.min_value, field.max_value) == (1, 100)


def test_kind_cannot_change_once_answered(world):
    form(world.stage, world.schools["a1"], pupils=5)
    with pytest.raises(ValidationError) as caught:
        services.field_update(
            by=world.users["regional_staff"],
            field=world.fields["pupils"],
            version=world.stage.version,
            data=services.FieldData(label="Обучающиеся", kind="text"),
        )
    assert caught.value.error_dict["kind"][0].code == "has_answers"


def test_publish_needs_indicators_and_withdraw_needs_no_forms(world):
    staff = world.users["regional_staff"]
    hidden = world.hidden
    with pytest.raises(ValidationError) as caught:
        services.stage_publish(by=staff, stage=hidden, version=hidden.version)
    assert caught.value.code == "empty_form"
    MonitoringField.objects.create(stage=hidden, code="x", label="X", kind="number")
    hidden = services.stage_publish(by=staff, stage=hidden, version=hidden.version)
    assert hidden.is_published
    form(world.stage, world.schools["a1"], pupils=1)
    with pytest.raises(ValidationError) as caught:
        services.stage_publish(
            by=staff, stage=world.stage, version=world.stage.version, publish=False
        )
    assert caught.value.code == "has_submissions"


def test_stale_stage_version_is_refused(client, world):
    staff, coordinator = (
        world.users["regional_staff"],
        world.users["regional_coordinator"],
    )
    services.field_add(
        by=coordinator,
        stage=world.stage,
        version=1,
        data=services.FieldData(label="Первый", kind="number"),
    )
    with pytest.raises(ValidationError) as caught:
        services.field_add(
            by=staff,
            stage=world.stage,
            version=1,
            data=services.FieldData(label="Второй", kind="number"),
        )
    assert caught.value.code == "stale"
    client.force_login(staff)
    response = client.post(
        reverse("monitoring:field-add", args=[world.stage.pk]),
        {"label": "Второй", "kind": "number", "version": 1},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Второй" in text  # the input stays
    assert not world.stage.fields.filter(label="Второй").exists()


def test_stale_form_version_is_refused_and_keeps_nothing(world):
    user, school = world.users["school_a1"], world.schools["a1"]
    key = f"f_{world.fields['pupils'].pk}"
    sub = services.submission_save(
        by=user, stage=world.stage, school=school, values={key: "1"}
    )
    services.submission_save(
        by=user,
        stage=world.stage,
        school=school,
        values={key: "2"},
        version=sub.version,
    )
    with pytest.raises(ValidationError) as caught:
        services.submission_save(
            by=user,
            stage=world.stage,
            school=school,
            values={key: "3"},
            version=sub.version,
        )
    assert caught.value.code == "stale"
    sub.refresh_from_db()
    assert sub.answers.get().number == 2
    # A second window that believes no form exists yet.
    with pytest.raises(ValidationError):
        services.submission_save(
            by=user, stage=world.stage, school=school, values={key: "4"}, version=None
        )


def test_exactly_one_curator_decision_wins(world):
    submission = form(world.stage, world.schools["a1"], pupils=5)
    curator = world.users["curator_a1"]
    stale_copy = type(submission).objects.get(pk=submission.pk)
    services.submission_confirm(by=curator, submission=submission)
    with pytest.raises(ValidationError) as caught:
        services.submission_return(by=curator, submission=stale_copy, comment="Нет")
    assert caught.value.code == "wrong_status"
    with pytest.raises(ValidationError) as caught:
        services.submission_confirm(
            by=curator, submission=stale_copy, version=stale_copy.version
        )
    assert caught.value.code == "stale"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CONFIRMED
    assert submission.events.count() == 1
