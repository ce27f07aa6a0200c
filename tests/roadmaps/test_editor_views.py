"""The editor's views: who may open them, htmx and plain-form answers, conflicts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps import editing
from roadmaps.models import Activity, Comment, RoadmapEdition
from schools.models import Role
from tests.factories import (
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SchoolFactory,
    UserFactory,
    roadmap_with_edition,
    user_with_role,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def setup():
    municipality = MunicipalityFactory()
    mouo = OrganisationFactory(municipality=municipality)
    school = SchoolFactory(municipality=municipality)
    other_school = SchoolFactory(municipality=municipality)
    plan = roadmap_with_edition(owner=mouo, activities=3)
    school_plan = roadmap_with_edition(owner=school, activities=2)
    other_plan = roadmap_with_edition(owner=other_school, activities=1)
    curator = UserFactory()
    MembershipFactory(user=curator, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator, school=school)
    return {
        "plan": plan,
        "edition": plan.latest_edition,
        "school_plan": school_plan,
        "other_plan": other_plan,
        "coordinator": user_with_role(Role.MUNICIPAL_COORDINATOR, mouo),
        "school": user_with_role(Role.SCHOOL, school),
        "curator": curator,
        "outsider": user_with_role(Role.MUNICIPAL_COORDINATOR, OrganisationFactory()),
        "observer": user_with_role(Role.FEDERAL_OBSERVER),
    }


def url(name, plan, *args):
    return reverse(f"roadmaps:{name}", args=[plan.pk, *args])


def first(edition) -> Activity:
    return edition.activities.order_by("position").first()


@pytest.mark.parametrize(
    ("user", "plan", "status"),
    [
        ("coordinator", "plan", 200),
        ("outsider", "plan", 404),
        ("school", "plan", 404),  # a municipal draft is not shown to schools
        ("observer", "plan", 403),
        ("curator", "school_plan", 403),
        ("school", "school_plan", 200),
        ("school", "other_plan", 404),
        ("coordinator", "school_plan", 403),
    ],
)
def test_editor_opens_only_for_the_plans_editors(client, setup, user, plan, status):
    client.force_login(setup[user])
    assert client.get(url("roadmap-edit", setup[plan])).status_code == status


def test_post_endpoints_refuse_other_users(client, setup):
    plan, edition = setup["plan"], setup["edition"]
    activity = first(edition)
    posts = [
        url("activity-add", plan),
        url("activity-edit", plan, activity.pk),
        url("activity-delete", plan, activity.pk),
        url("activity-duplicate", plan, activity.pk),
        url("activity-move", plan, activity.pk),
        url("section-add", plan),
        url("activity-bulk", plan),
        url("roadmap-settings", plan),
    ]
    for user, expected in (("outsider", 404), ("observer", 403)):
        client.force_login(setup[user])
        for endpoint in posts:
            response = client.post(endpoint, {"title": "X", "direction": "up"})
            assert response.status_code == expected, (user, endpoint)
    assert edition.activities.count() == 3
    assert not edition.activities.filter(title="X").exists()


def test_add_without_javascript_redirects_back(client, setup):
    plan = setup["plan"]
    client.force_login(setup["coordinator"])
    section = setup["edition"].sections.get()
    response = client.post(
        url("activity-add", plan),
        {
            "title": "Новое",
            "deadline_text": "март-апрель",
            "responsible_text": "ОО",
            "section": section.pk,
        },
    )
    assert response.status_code == 302
    assert response.url.startswith(url("roadmap-edit", plan))
    added = setup["edition"].activities.get(title="Новое")
    assert added.number == "4."


def test_add_with_htmx_returns_the_table_with_the_new_row(client, setup):
    plan = setup["plan"]
    client.force_login(setup["coordinator"])
    response = client.post(
        url("activity-add", plan),
        {"title": "Новое", "deadline_text": "март-апрель"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="editor-table"')
    assert "Новое" in body
    assert "01.03.2022 – 30.04.2022" in body
    assert "<html" not in body


def test_add_with_empty_title_keeps_input_and_shows_russian_error(client, setup):
    plan = setup["plan"]
    client.force_login(setup["coordinator"])
    section = setup["edition"].sections.get()
    data = {
        "title": "  ",
        "deadline_text": "До 15 мая 2022",
        "responsible_text": "ОО",
        "section": section.pk,
    }
    response = client.post(url("activity-add", plan), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#add-row-{section.pk}"
    assert "Назовите мероприятие" in body
    assert 'value="До 15 мая 2022"' in body
    assert setup["edition"].activities.count() == 3
    plain = client.post(url("activity-add", plan), data)
    assert plain.status_code == 200
    assert "Назовите мероприятие" in plain.content.decode()
    assert 'value="До 15 мая 2022"' in plain.content.decode()


def test_edit_form_and_save(client, setup):
    plan = setup["plan"]
    activity = first(setup["edition"])
    client.force_login(setup["coordinator"])
    form = client.get(url("activity-edit", plan, activity.pk), **HTMX)
    assert f'id="activity-{activity.pk}"' in form.content.decode()
    assert form["HX-Retarget"] == f"#activity-{activity.pk}"
    response = client.post(
        url("activity-edit", plan, activity.pk),
        {
            "title": "Изменено",
            "deadline_text": "Декабрь 2021",
            "version": activity.version,
        },
        **HTMX,
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.title, activity.deadline_text) == ("Изменено", "Декабрь 2021")
    assert "вне периода плана" in response.content.decode()


def test_stale_save_shows_both_values_and_lets_the_user_choose(client, setup):
    plan = setup["plan"]
    activity = first(setup["edition"])
    seen = activity.version
    other = user_with_role(
        Role.MUNICIPAL_COORDINATOR, plan.owner, first_name="Пётр", last_name="Другой"
    )
    editing.activity_update(
        by=other, activity=activity, data={"title": "Их вариант"}, version=seen
    )
    client.force_login(setup["coordinator"])
    mine = {"title": "Мой вариант", "version": seen}
    response = client.post(url("activity-edit", plan, activity.pk), mine, **HTMX)
    body = response.content.decode()
    assert 'data-testid="conflict"' in body
    assert "Мой вариант" in body
    assert "Их вариант" in body
    assert "Другой" in body
    activity.refresh_from_db()
    assert activity.title == "Их вариант"
    # The user keeps their own version knowingly.
    response = client.post(
        url("activity-edit", plan, activity.pk),
        {**mine, "overwrite": activity.version},
        **HTMX,
    )
    activity.refresh_from_db()
    assert activity.title == "Мой вариант"


def test_delete_duplicate_move_through_views(client, setup):
    plan, edition = setup["plan"], setup["edition"]
    client.force_login(setup["coordinator"])
    a, b, c = edition.activities.order_by("position")
    client.post(url("activity-move", plan, c.pk), {"direction": "up"}, **HTMX)
    assert list(
        edition.activities.order_by("position").values_list("pk", flat=True)
    ) == [
        a.pk,
        c.pk,
        b.pk,
    ]
    client.post(url("activity-duplicate", plan, a.pk), **HTMX)
    assert edition.activities.count() == 4
    client.post(url("activity-delete", plan, b.pk), {"version": b.version}, **HTMX)
    assert not edition.activities.filter(pk=b.pk).exists()
    numbers = list(
        edition.activities.order_by("position").values_list("number", flat=True)
    )
    assert numbers == ["1.", "2.", "3."]


def test_sections_and_bulk_through_views(client, setup):
    plan, edition = setup["plan"], setup["edition"]
    client.force_login(setup["coordinator"])
    client.post(url("section-add", plan), {"title": "Итоги"}, **HTMX)
    section = edition.sections.get(title="Итоги")
    ids = list(edition.activities.values_list("pk", flat=True))[:2]
    response = client.post(
        url("activity-bulk", plan),
        {"ids": ids, "action": "move", "section": section.pk},
        **HTMX,
    )
    assert response.status_code == 200
    assert set(section.activities.values_list("pk", flat=True)) == set(ids)
    client.post(
        url("section-edit", plan, section.pk),
        {"title": "Подведение итогов", "version": section.version},
        **HTMX,
    )
    section.refresh_from_db()
    assert section.title == "Подведение итогов"
    client.post(url("section-delete", plan, section.pk), {"version": section.version})
    assert not edition.sections.filter(pk=section.pk).exists()
    assert edition.activities.count() == 3


def test_settings_invalid_period_is_shown_and_nothing_changes(client, setup):
    plan = setup["plan"]
    client.force_login(setup["coordinator"])
    response = client.post(
        url("roadmap-settings", plan),
        {
            "title": "Новое название",
            "period_start": "2022-12-31",
            "period_end": "2022-01-01",
            "numbering": "flat",
            "version": setup["edition"].version,
        },
    )
    assert response.status_code == 200
    assert "не может закончиться раньше" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title != "Новое название"


def test_preview_reads_deadline_indicator_and_executors(client, setup):
    plan = setup["plan"]
    client.force_login(setup["coordinator"])
    preview = url("roadmap-preview", plan)
    assert client.get(preview, {"deadline_text": "март-апрель"}).content.decode() == (
        "→ 01.03.2022 – 30.04.2022"
    )
    unknown = client.get(preview, {"deadline_text": "По плану работы Совета"})
    assert unknown.content.decode() == "дата не распознана"
    outside = client.get(preview, {"deadline_text": "Декабрь 2021"}).content.decode()
    assert "вне периода плана" in outside
    target = client.get(preview, {"indicator_text": "Не менее 50 консультаций"})
    assert "не менее 50 консультаций" in target.content.decode()
    chips = client.get(preview, {"responsible_text": "ОО, куратор"}).content.decode()
    assert chips.count('class="chip"') == 2


def test_history_lists_changes_and_restores_a_deleted_row(client, setup):
    plan, edition = setup["plan"], setup["edition"]
    user = setup["coordinator"]
    activity = first(edition)
    editing.activity_update(
        by=user, activity=activity, data={"title": "Новое имя"}, version=None
    )
    editing.activity_delete(by=user, activity=activity, version=None)
    client.force_login(user)
    page = client.get(url("roadmap-history", plan)).content.decode()
    assert "Новое имя" in page
    assert "Мероприятие удалено" in page
    record = Activity.history.get(id=activity.pk, history_type="-")
    response = client.post(url("activity-restore", plan, record.history_id))
    assert response.status_code == 302
    assert edition.activities.filter(pk=activity.pk, title="Новое имя").exists()


def test_history_is_not_shown_above_the_plans_level(client, setup):
    school = setup["school"]
    client.force_login(school)
    approved = roadmap_with_edition(
        owner=setup["plan"].owner, status=RoadmapEdition.Status.APPROVED
    )
    assert client.get(url("roadmap-history", approved)).status_code == 403


def test_curator_comments_on_school_plan(client, setup):
    plan = setup["school_plan"]
    client.force_login(setup["curator"])
    response = client.post(url("comment-add", plan), {"text": "Уточните сроки"})
    assert response.status_code == 302
    assert Comment.objects.get().author == setup["curator"]
    client.force_login(setup["observer"])
    assert client.post(url("comment-add", plan), {"text": "?"}).status_code == 403
    client.force_login(setup["outsider"])
    assert client.post(url("comment-add", plan), {"text": "?"}).status_code == 404
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example"]
)
def test_comment_never_redirects_off_the_portal(client, setup, target):
    plan = setup["school_plan"]
    client.force_login(setup["curator"])
    response = client.post(url("comment-add", plan), {"text": "Срок?", "next": target})
    assert response.status_code == 302
    assert response.url == url("roadmap-detail", plan)


def test_comment_returns_to_the_page_it_came_from(client, setup):
    plan = setup["school_plan"]
    client.force_login(setup["curator"])
    back = url("roadmap-detail", plan) + "#comments"
    response = client.post(url("comment-add", plan), {"text": "Срок?", "next": back})
    assert response.url == back


def test_editor_queries_do_not_grow_with_activities(client, setup):
    mouo = setup["plan"].owner
    user = setup["coordinator"]
    small = roadmap_with_edition(owner=mouo, activities=5)
    large = roadmap_with_edition(owner=mouo, activities=80)
    client.force_login(user)
    client.get(reverse("home"))
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("roadmap-edit", plan))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 16
    assert response.content.decode().count('data-testid="activity-row"') == 80


def test_new_roadmap_page_offers_only_own_bodies(client, setup):
    client.force_login(setup["school"])
    response = client.get(reverse("roadmaps:roadmap-new"))
    owners = list(response.context["form"].fields["owner"].queryset)
    assert owners == [setup["school_plan"].owner]
    client.force_login(setup["observer"])
    assert client.get(reverse("roadmaps:roadmap-new")).status_code == 403
    client.force_login(setup["curator"])
    assert client.get(reverse("roadmaps:roadmap-new")).status_code == 403


def test_new_roadmap_form_creates_a_draft(client, setup):
    client.force_login(setup["coordinator"])
    response = client.post(
        reverse("roadmaps:roadmap-new"),
        {
            "owner": setup["plan"].owner.pk,
            "project": setup["plan"].project.pk,
            "title": "План на 2023 год",
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "numbering": "flat",
            "include_indicator": "on",
            "start": "empty",
        },
    )
    assert response.status_code == 302
    created = setup["plan"].owner.roadmaps.get(title="План на 2023 год")
    assert response.url == url("roadmap-edit", created)
    assert created.latest_edition.column_keys()[-1] == "indicator"


def test_editor_form_ties_activities_to_risk_factors(client, setup, reference_data):
    from monitoring.models import RiskFactor

    plan, edition = setup["plan"], setup["edition"]
    factors = list(RiskFactor.objects.order_by("number"))
    activity = first(edition)
    client.force_login(setup["coordinator"])
    form = client.get(url("activity-edit", plan, activity.pk), **HTMX)
    assert form.content.decode().count('name="risk_factors"') == 10
    response = client.post(
        url("activity-edit", plan, activity.pk),
        {
            "title": activity.title,
            "deadline_text": activity.deadline_text,
            "responsible_text": activity.responsible_text,
            "risk_factors": [factors[2].pk, factors[9].pk],
            "version": activity.version,
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert sorted(f.number for f in activity.risk_factors.all()) == [3, 10]
    page = client.get(url("roadmap-edit", plan)).content.decode()
    assert page.count('data-testid="activity-risk"') == 2
    edit_again = client.get(url("activity-edit", plan, activity.pk), **HTMX)
    assert f'value="{factors[2].pk}" id=' in edit_again.content.decode()
    assert "checked" in edit_again.content.decode()


def test_editor_adds_an_activity_with_risk_factors(client, setup, reference_data):
    from monitoring.models import RiskFactor

    plan, edition = setup["plan"], setup["edition"]
    factor = RiskFactor.objects.get(number=9)
    client.force_login(setup["coordinator"])
    response = client.post(
        url("activity-add", plan),
        {"title": "Родительский всеобуч", "risk_factors": [factor.pk]},
    )
    assert response.status_code == 302
    added = edition.activities.get(title="Родительский всеобуч")
    assert list(added.risk_factors.all()) == [factor]


def test_editor_conflict_shows_risk_factor_difference(client, setup, reference_data):
    from monitoring.models import RiskFactor

    plan, edition = setup["plan"], setup["edition"]
    factors = list(RiskFactor.objects.order_by("number"))
    activity = first(edition)
    seen = activity.version
    editing.activity_update(
        by=setup["coordinator"],
        activity=activity,
        data={"title": activity.title, "risk_factors": [factors[0].pk]},
        version=seen,
    )
    client.force_login(setup["coordinator"])
    response = client.post(
        url("activity-edit", plan, activity.pk),
        {"title": activity.title, "risk_factors": [factors[1].pk], "version": seen},
        **HTMX,
    )
    labels = [d["label"] for d in response.context["differences"]]
    assert "risk_factors" not in labels
    assert any(factors[1].name in d["mine"] for d in response.context["differences"])
    assert [f.number for f in activity.risk_factors.all()] == [1]
