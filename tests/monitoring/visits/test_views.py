"""The visits pages: input kept on refusal, overdue highlighted, filters, counts."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from monitoring.models import CuratorVisit, ScheduleStatus
from monitoring.visits import services

from .factories import YEAR, VisitFactory, build_world, curator_of

pytestmark = pytest.mark.django_db
D = datetime.date


def schedule_url(w):
    return reverse("monitoring:schedule-detail", args=[w.bodies["mun_a"].pk, YEAR])


def ru(msgid: str) -> str:
    with translation.override("ru"):
        return gettext(msgid)


def test_plan_not_assigned_pair_keeps_input_with_message(client, world):
    client.force_login(world.users["coordinator_a"])
    response = client.post(
        schedule_url(world),
        {
            "do": "plan",
            "curator": world.users["curator"].pk,
            "school": world.bodies["a3"].pk,  # assigned to the other curator
            "planned_on": f"{YEAR}-10-05",
            "purpose": "Консультация по дорожной карте",
        },
    )
    assert response.status_code == 200
    form = response.context["plan_form"]
    assert [e.code for e in form.errors.as_data()["curator"]] == ["not_assigned"]
    html = response.content.decode()
    assert 'value="Консультация по дорожной карте"' in html
    assert f'value="{YEAR}-10-05"' in html
    assert "field-error" in html
    assert CuratorVisit.objects.count() == 1


def test_plan_date_out_of_year_keeps_input_with_message(client, world):
    client.force_login(world.users["curator"])
    response = client.post(
        schedule_url(world),
        {
            "do": "plan",
            "curator": world.users["curator"].pk,
            "school": world.bodies["a2"].pk,
            "planned_on": f"{YEAR + 1}-01-15",
            "purpose": "Посещение уроков",
        },
    )
    assert response.status_code == 200
    errors = response.context["plan_form"].errors["planned_on"]
    expected = ru(
        "The planned date must fall within the project year %(year)s "
        "(from 01.01.%(year)s to 31.12.%(year)s)."
    ) % {"year": YEAR}
    assert errors == [expected]
    assert expected in response.content.decode()
    assert 'value="Посещение уроков"' in response.content.decode()


def test_plan_first_visit_starts_the_schedule(client, world):
    mun_b = world.bodies["mun_b"]
    client.force_login(world.users["curator_b"])
    url = reverse("monitoring:schedule-detail", args=[mun_b.pk, YEAR])
    page = client.get(url)
    assert page.context["schedule"] is None
    assert page.context["plan_form"] is not None
    response = client.post(
        url,
        {
            "do": "plan",
            "curator": world.users["curator_b"].pk,
            "school": world.bodies["b1"].pk,
            "planned_on": f"{YEAR}-03-10",
            "purpose": "Первичное посещение школы",
        },
    )
    assert response.status_code == 302
    visit = CuratorVisit.objects.get(school=world.bodies["b1"])
    assert visit.schedule.status == ScheduleStatus.DRAFT
    first = visit.schedule.history.earliest("history_id")
    assert first.history_change_reason == "created"


def test_plan_refused_input_does_not_start_a_schedule(client, world):
    mun_b = world.bodies["mun_b"]
    client.force_login(world.users["curator_b"])
    url = reverse("monitoring:schedule-detail", args=[mun_b.pk, YEAR])
    client.post(
        url,
        {
            "do": "plan",
            "curator": world.users["curator_b"].pk,
            "school": world.bodies["b1"].pk,
            "planned_on": f"{YEAR - 1}-03-10",
            "purpose": "Первичное посещение школы",
        },
    )
    assert not mun_b.visit_schedules.exists()


def test_record_future_date_keeps_notes_with_message(client):
    w = build_world(status=ScheduleStatus.APPROVED)
    client.force_login(w.users["curator"])
    url = reverse("monitoring:visit-detail", args=[w.visit.pk])
    response = client.post(
        url,
        {
            "do": "record",
            "held_on": f"{YEAR}-06-20",
            "notes": "Посещены уроки.",
            "version": 1,
        },
    )
    assert response.status_code == 200
    expected = ru("The visit cannot be held on a future date.")
    assert response.context["record_form"].errors["held_on"] == [expected]
    assert "Посещены уроки." in response.content.decode()
    w.visit.refresh_from_db()
    assert w.visit.held_on is None


def test_record_stale_form_shows_conflict_and_keeps_input(client):
    w = build_world(status=ScheduleStatus.APPROVED)
    services.visit_record(
        by=w.users["curator"], visit=w.visit, held_on=D(YEAR, 5, 20), notes="Первая"
    )
    client.force_login(w.users["curator"])
    url = reverse("monitoring:visit-detail", args=[w.visit.pk])
    response = client.post(
        url,
        {"do": "record", "held_on": f"{YEAR}-05-21", "notes": "Вторая", "version": 1},
    )
    assert response.status_code == 200
    assert response.context["conflict"] is True
    html = response.content.decode()
    assert "Вторая" in html
    assert "Первая" in html
    w.visit.refresh_from_db()
    assert w.visit.notes == "Первая"
    # Saving again (the form now carries the saved version) wins.
    response = client.post(
        url,
        {"do": "record", "held_on": f"{YEAR}-05-21", "notes": "Вторая", "version": 2},
    )
    assert response.status_code == 302
    w.visit.refresh_from_db()
    assert w.visit.notes == "Вторая"


def test_edit_on_approved_schedule_explains_reopening(client):
    w = build_world(status=ScheduleStatus.APPROVED)
    client.force_login(w.users["curator"])
    url = reverse("monitoring:visit-detail", args=[w.visit.pk])
    response = client.post(
        url,
        {
            "do": "edit",
            "curator": w.users["curator"].pk,
            "school": w.bodies["a1"].pk,
            "planned_on": f"{YEAR}-09-20",
            "purpose": "x",
            "version": 1,
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        ru(
            "The schedule is approved or awaits approval: planned visits change "
            "only after the municipal coordinator reopens it."
        )
    ]


def test_approve_with_stale_page_says_so(client, world):
    client.force_login(world.users["coordinator_a"])
    services.visit_plan(
        by=world.users["curator"],
        schedule=world.schedule,
        curator=world.users["curator"],
        school=world.bodies["a2"],
        planned_on=D(YEAR, 10, 1),
    )
    response = client.post(
        schedule_url(world), {"do": "approve", "version": 1}, follow=True
    )
    world.schedule.refresh_from_db()
    assert world.schedule.status == ScheduleStatus.DRAFT
    assert [str(m) for m in response.context["messages"]] == [
        ru("The schedule changed since you opened it. Review it and try again.")
    ]


def overdue_world():
    w = build_world(status=ScheduleStatus.APPROVED)
    curator, a1 = w.users["curator"], w.bodies["a1"]
    kwargs = {"schedule": w.schedule, "curator": curator, "school": a1}
    w.visit.delete()
    return w, {
        "held": VisitFactory(
            planned_on=D(YEAR, 3, 10), held_on=D(YEAR, 3, 11), notes="Да", **kwargs
        ),
        "late": VisitFactory(planned_on=D(YEAR, 5, 31), **kwargs),
        "due_today": VisitFactory(planned_on=D(YEAR, 6, 1), **kwargs),
        "ahead": VisitFactory(planned_on=D(YEAR, 11, 10), **kwargs),
    }


def states_on(client, day):
    with mock.patch("monitoring.progress.today", return_value=day):
        response = client.get(reverse("monitoring:visit-list"))
    rows = response.context["table"].page.object_list
    return {row.record.planned_on: row.record.state for row in rows}, response


def test_overdue_at_fixed_dates(client):
    w, _v = overdue_world()
    client.force_login(w.users["coordinator_a"])
    states, response = states_on(client, D(YEAR, 6, 1))
    assert states == {
        D(YEAR, 3, 10): "held",
        D(YEAR, 5, 31): "overdue",
        D(YEAR, 6, 1): "planned",  # due today is not overdue yet
        D(YEAR, 11, 10): "planned",
    }
    html = response.content.decode()
    assert html.count("visit-row visit-overdue") == 1
    assert 'data-testid="count-overdue">1<' in html
    states, response = states_on(client, D(YEAR, 12, 1))
    assert list(states.values()).count("overdue") == 3
    assert 'data-testid="count-overdue">3<' in response.content.decode()
    assert 'data-testid="count-held">1<' in response.content.decode()


def test_overdue_highlighted_on_schedule_and_visit_pages(client):
    w, v = overdue_world()
    client.force_login(w.users["curator"])
    page = client.get(schedule_url(w)).content.decode()
    assert page.count('class="visit-row visit-overdue"') == 1
    assert 'data-testid="count-overdue">1<' in page
    visit_page = client.get(reverse("monitoring:visit-detail", args=[v["late"].pk]))
    assert visit_page.context["state"] == "overdue"
    assert 'class="panel visit-overdue"' in visit_page.content.decode()


@pytest.mark.parametrize(
    ("state", "expected"),
    [("held", ["held"]), ("overdue", ["late"]), ("planned", ["due_today", "ahead"])],
)
def test_list_state_filter(client, state, expected):
    w, v = overdue_world()
    client.force_login(w.users["regional_staff"])
    response = client.get(reverse("monitoring:visit-list"), {"state": state})
    listed = [row.record.pk for row in response.context["table"].page.object_list]
    assert listed == [v[name].pk for name in expected]
    # The counts ignore the state filter, so every state can be chosen from them.
    counts = {link["state"]: link["count"] for link in response.context["state_links"]}
    assert counts == {"planned": 2, "held": 1, "overdue": 1}


def test_list_filters_municipality_curator_school_year(client, world):
    other = VisitFactory(
        schedule__municipality=world.bodies["mun_b"],
        curator=world.users["curator_b"],
        school=world.bodies["b1"],
    )
    VisitFactory(
        schedule__municipality=world.bodies["mun_a"],
        schedule__year=YEAR - 1,
        curator=world.users["curator"],
        school=world.bodies["a2"],
        planned_on=D(YEAR - 1, 4, 1),
    )
    client.force_login(world.users["regional_staff"])
    url = reverse("monitoring:visit-list")

    def listed(**params):
        response = client.get(url, params)
        return {row.record.pk for row in response.context["table"].page.object_list}

    assert listed(municipality=world.bodies["mun_b"].pk) == {other.pk}
    assert listed(curator=world.users["curator_b"].pk) == {other.pk}
    assert listed(school=world.bodies["a1"].pk) == {world.visit.pk}
    assert listed(year=YEAR, municipality=world.bodies["mun_a"].pk) == {world.visit.pk}
    # A municipality outside the user's visits is not a valid choice: nothing.
    assert listed(municipality=world.bodies["mun_c"].pk) == set()


def test_list_is_paginated(client, world):
    for day in range(1, 61):
        VisitFactory(
            schedule=world.schedule,
            curator=world.users["curator"],
            school=world.bodies["a1"],
            planned_on=D(YEAR, 1, 1) + datetime.timedelta(days=day),
        )
    client.force_login(world.users["coordinator_a"])
    response = client.get(reverse("monitoring:visit-list"))
    assert len(response.context["table"].page.object_list) == 50
    assert response.context["table"].paginator.count == 61


def test_schedule_page_shows_steps_by_role(client, world):
    client.force_login(world.users["coordinator_a"])
    assert client.get(schedule_url(world)).context["steps"] == ["approve"]
    client.force_login(world.users["curator"])
    assert client.get(schedule_url(world)).context["steps"] == ["submit"]


def test_schedule_page_curator_sees_only_own_visits(client, world):
    VisitFactory(
        schedule=world.schedule,
        curator=world.users["other_curator"],
        school=world.bodies["a3"],
    )
    client.force_login(world.users["curator"])
    visits = client.get(schedule_url(world)).context["visits"]
    assert [v.pk for v in visits] == [world.visit.pk]
    client.force_login(world.users["coordinator_a"])
    assert len(client.get(schedule_url(world)).context["visits"]) == 2


def test_curator_plan_form_offers_only_own_schools(client, world):
    client.force_login(world.users["curator"])
    form = client.get(schedule_url(world)).context["plan_form"]
    schools = set(form.fields["school"].queryset)
    assert schools == {world.bodies["a1"], world.bodies["a2"]}
    assert list(form.fields["curator"].queryset) == [world.users["curator"]]


def test_schedule_list_shows_counts_and_start_links(client, world):
    curator_of(world.bodies["a1"], year=YEAR + 1, username="next_year")
    client.force_login(world.users["coordinator_a"])
    response = client.get(reverse("monitoring:schedule-list"))
    rows = list(response.context["page"].object_list)
    assert [(s.municipality.name, s.year, s.n_planned) for s in rows] == [
        ("Район А", YEAR, 1)
    ]
    starts = [(p["municipality"], p["year"]) for p in response.context["plannable"]]
    assert starts == [("Район А", YEAR + 1)]


def test_foreign_schedule_and_unknown_year_are_not_found(client, world):
    client.force_login(world.users["coordinator_a"])
    other = reverse("monitoring:schedule-detail", args=[world.bodies["mun_c"].pk, YEAR])
    assert client.get(other).status_code == 404
    bad_year = reverse("monitoring:schedule-detail", args=[world.bodies["mun_a"].pk, 1])
    assert client.get(bad_year).status_code == 404
    assert client.get(schedule_url(world), {"project": "nope"}).status_code == 404
