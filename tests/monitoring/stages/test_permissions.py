"""Who may see, define, fill, confirm and follow monitoring stages (matrix)."""

import pytest
from django.urls import reverse

from monitoring.models import MonitoringField, MonitoringSubmission, SubmissionStatus
from monitoring.stages import services
from monitoring.stages.querysets import stages_visible_to, submissions_visible_to
from schools.access import Refused

from .factories import form, stage_type

pytestmark = pytest.mark.django_db

ROLES = [
    "observer",
    "administrator",
    "regional_staff",
    "regional_coordinator",
    "municipal_a",
    "school_a1",
    "school_a3",
    "curator_a1",
    "curator_c1",
    "foreign_staff",
    "foreign_municipal",
    "nobody",
]

# role -> (published stage, unpublished stage, foreign region's stage)
DETAIL = {
    "observer": (200, 200, 200),
    "administrator": (200, 200, 200),
    "regional_staff": (200, 200, 404),
    "regional_coordinator": (200, 200, 404),
    "municipal_a": (200, 404, 404),
    "school_a1": (200, 404, 404),
    "school_a3": (200, 404, 404),
    "curator_a1": (200, 404, 404),
    "curator_c1": (404, 404, 200),
    "foreign_staff": (404, 404, 200),
    "foreign_municipal": (404, 404, 200),
    "nobody": (404, 404, 404),
}


@pytest.mark.parametrize("role", ROLES)
def test_stage_detail_scope(client, world, role):
    client.force_login(world.users[role])
    got = tuple(
        client.get(reverse("monitoring:stage-detail", args=[s.pk])).status_code
        for s in (world.stage, world.hidden, world.foreign)
    )
    assert got == DETAIL[role]


@pytest.mark.parametrize("role", ROLES)
def test_stage_list_shows_exactly_the_visible_stages(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("monitoring:stage-list"))
    assert response.status_code == 200
    shown = {s.pk for s in response.context["stages"]}
    expected = {
        s.pk
        for s, code in zip(
            (world.stage, world.hidden, world.foreign), DETAIL[role], strict=True
        )
        if code == 200
    }
    assert shown == expected
    assert set(stages_visible_to(world.users[role]).values_list("pk", flat=True)) == (
        expected
    )


# role -> completion page status and the schools it lists (of the region-1 stage)
COMPLETION = {
    "observer": (200, {"a1", "a2", "b1"}),
    "administrator": (403, None),
    "regional_staff": (200, {"a1", "a2", "b1"}),
    "regional_coordinator": (200, {"a1", "a2", "b1"}),
    "municipal_a": (200, {"a1", "a2"}),
    "school_a1": (200, {"a1"}),
    "school_a3": (200, set()),
    "curator_a1": (200, {"a1"}),
    "curator_c1": (404, None),
    "foreign_staff": (404, None),
    "foreign_municipal": (404, None),
    "nobody": (404, None),
}


@pytest.mark.parametrize("role", ROLES)
def test_completion_scope(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("monitoring:stage-completion", args=[world.stage.pk]))
    status, schools = COMPLETION[role]
    assert response.status_code == status
    export = client.get(reverse("monitoring:stage-export", args=[world.stage.pk]))
    assert export.status_code == status
    if schools is None:
        return
    names = {world.schools[k].pk for k in schools}
    assert {r.pk for r in response.context["page"].object_list} == names
    assert response.context["counts"]["total"] == len(names)


# role -> may add an indicator to the region-1 stage: 302 yes, 403 no, 404 unseen
MANAGE = {
    "observer": 403,
    "administrator": 302,
    "regional_staff": 302,
    "regional_coordinator": 302,
    "municipal_a": 403,
    "school_a1": 403,
    "school_a3": 403,
    "curator_a1": 403,
    "curator_c1": 404,
    "foreign_staff": 404,
    "foreign_municipal": 404,
    "nobody": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_form_builder_rights(client, world, role):
    client.force_login(world.users[role])
    before = world.stage.fields.count()
    response = client.post(
        reverse("monitoring:field-add", args=[world.stage.pk]),
        {"label": "Новый показатель", "kind": "number", "version": 1},
    )
    assert response.status_code == MANAGE[role]
    assert world.stage.fields.count() == before + (1 if MANAGE[role] == 302 else 0)


@pytest.mark.parametrize(
    ("role", "region", "allowed"),
    [
        ("administrator", "own", True),
        ("administrator", "foreign", True),
        ("regional_staff", "own", True),
        ("regional_staff", "foreign", False),
        ("regional_coordinator", "own", True),
        ("municipal_a", "own", False),
        ("school_a1", "own", False),
        ("curator_a1", "own", False),
        ("observer", "own", False),
    ],
)
def test_who_creates_stages(world, role, region, allowed):
    target = world.stage.region if region == "own" else world.foreign.region
    kwargs = {
        "by": world.users[role],
        "region": target,
        "project": world.stage.project,
        "year": 2023,
        "stage_type": stage_type("entry"),
        "title": "Входное анкетирование 2023",
        "opens_on": world.stage.opens_on.replace(year=2023, month=2),
        "closes_on": world.stage.closes_on.replace(year=2023, month=2, day=28),
    }
    if allowed:
        stage = services.stage_create(**kwargs)
        assert stage.fields.count() > 0  # started from the ready-made set
    else:
        with pytest.raises(Refused):
            services.stage_create(**kwargs)


def test_create_page_is_refused_to_others(client, world):
    client.force_login(world.users["municipal_a"])
    assert client.get(reverse("monitoring:stage-create")).status_code == 403
    client.force_login(world.users["regional_staff"])
    page = client.get(reverse("monitoring:stage-create"))
    assert page.status_code == 200
    # Only the staff's own region is offered.
    assert list(page.context["form"].fields["region"].queryset) == [world.stage.region]


def fill_url(world, school_key):
    return reverse(
        "monitoring:submission-detail",
        args=[world.stage.pk, world.schools[school_key].pk],
    )


# role -> status of saving a draft of school a1's form
FILL = {
    "observer": 403,
    "administrator": 404,
    "regional_staff": 403,
    "regional_coordinator": 403,
    "municipal_a": 403,
    "school_a1": 302,
    "school_a3": 404,
    "curator_a1": 403,
    "curator_c1": 404,
    "foreign_staff": 404,
    "foreign_municipal": 404,
    "nobody": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_fills_the_school_form(client, world, role):
    client.force_login(world.users[role])
    key = f"f_{world.fields['pupils'].pk}"
    response = client.post(fill_url(world, "a1"), {"do": "draft", key: "120"})
    assert response.status_code == FILL[role]
    saved = MonitoringSubmission.objects.filter(
        stage=world.stage, school=world.schools["a1"]
    ).exists()
    assert saved == (FILL[role] == 302)


def test_school_cannot_fill_before_opening_or_unpublished(client, world, on):
    import datetime

    client.force_login(world.users["school_a1"])
    key = f"f_{world.fields['pupils'].pk}"
    on(datetime.date(2022, 5, 20))
    response = client.post(fill_url(world, "a1"), {"do": "draft", key: "1"})
    assert response.status_code == 400
    assert not MonitoringSubmission.objects.exists()
    on(datetime.date(2022, 7, 20))  # after closing: accepted, marked late
    assert client.post(fill_url(world, "a1"), {"do": "draft", key: "1"}).status_code
    submission = MonitoringSubmission.objects.get()
    assert submission.status == SubmissionStatus.DRAFT
    hidden = reverse(
        "monitoring:submission-detail",
        args=[world.hidden.pk, world.schools["a1"].pk],
    )
    assert client.post(hidden, {"do": "draft"}).status_code == 404


# role -> status of the curator's confirmation of a1's sent form
DECIDE = {
    "observer": 403,
    "administrator": 404,
    "regional_staff": 403,
    "regional_coordinator": 403,
    "municipal_a": 403,
    "school_a1": 403,
    "school_a3": 404,
    "curator_a1": 302,
    "curator_c1": 404,
    "foreign_staff": 404,
    "foreign_municipal": 404,
    "nobody": 404,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("decision", ["confirm", "return"])
def test_who_confirms_or_returns(client, world, role, decision):
    submission = form(world.stage, world.schools["a1"], pupils=100)
    client.force_login(world.users[role])
    response = client.post(
        reverse(
            "monitoring:submission-decide",
            args=[world.stage.pk, world.schools["a1"].pk],
        ),
        {"decision": decision, "comment": "Уточните долю неуспевающих"},
    )
    assert response.status_code == DECIDE[role]
    submission.refresh_from_db()
    expected = {
        "confirm": SubmissionStatus.CONFIRMED,
        "return": SubmissionStatus.RETURNED,
    }[decision]
    assert submission.status == (
        expected if DECIDE[role] == 302 else SubmissionStatus.SUBMITTED
    )


@pytest.mark.parametrize("role", ROLES)
def test_submissions_visible_to_matches_completion(world, role):
    for key in ("a1", "a2", "b1"):
        form(world.stage, world.schools[key])
    form(world.foreign, world.schools["c1"])
    visible = submissions_visible_to(world.users[role])
    seen = {s.school_id for s in visible}
    expected = COMPLETION[role][1] or set()
    if role in ("curator_c1", "foreign_staff", "foreign_municipal"):
        expected = {"c1"}
    if role == "observer":
        expected = {"a1", "a2", "b1", "c1"}
    assert seen == {world.schools[k].pk for k in expected}


def test_indicator_with_answers_cannot_be_deleted(client, world):
    form(world.stage, world.schools["a1"], pupils=100)
    client.force_login(world.users["regional_staff"])
    field = world.fields["pupils"]
    response = client.post(
        reverse("monitoring:field-delete", args=[world.stage.pk, field.pk]),
        {"version": 1},
        follow=True,
    )
    assert MonitoringField.objects.filter(pk=field.pk).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("Показатель pupils" in m for m in messages)
    unused = world.fields["note"]
    client.post(
        reverse("monitoring:field-delete", args=[world.stage.pk, unused.pk]),
        {"version": 1},
    )
    assert not MonitoringField.objects.filter(pk=unused.pk).exists()
