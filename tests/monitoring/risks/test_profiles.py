"""Risk profiles: who fills, submits, verifies and returns; validation; history."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from monitoring.models import ProfileStatus, RiskLevel, RiskProfile
from monitoring.risks import services
from monitoring.risks.services import EntryInput
from roadmaps.models import Notification, SchoolDocument
from schools.access import Refused, can
from schools.models import Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionalBodyFactory,
    SchoolFactory,
    user_with_role,
)

from .factories import approved_plan, curator_of, factors, profile_with

pytestmark = pytest.mark.django_db
TODAY = date(2022, 3, 1)


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("monitoring.risks.services.today", return_value=TODAY):
        yield


@pytest.fixture
def world(reference_data):
    municipality = MunicipalityFactory()
    other_mun = MunicipalityFactory(region=municipality.region)
    school = SchoolFactory(municipality=municipality, name="МОУ СШ п.ст. Налейка")
    neighbour = SchoolFactory(municipality=municipality)
    foreign = SchoolFactory(municipality=MunicipalityFactory())
    mouo = OrganisationFactory(municipality=municipality)
    dept = RegionalBodyFactory(region=municipality.region)
    return {
        "school_obj": school,
        "neighbour_obj": neighbour,
        "foreign_obj": foreign,
        "project": ProjectFactory(),
        "school": user_with_role(Role.SCHOOL, school),
        "neighbour": user_with_role(Role.SCHOOL, neighbour),
        "curator": curator_of(school),
        "other_curator": curator_of(neighbour),
        "coordinator": user_with_role(Role.MUNICIPAL_COORDINATOR, mouo),
        "other_coordinator": user_with_role(
            Role.MUNICIPAL_COORDINATOR, OrganisationFactory(municipality=other_mun)
        ),
        "regional": user_with_role(Role.REGIONAL_STAFF, dept),
        "observer": user_with_role(Role.FEDERAL_OBSERVER),
        "administrator": user_with_role(Role.ADMINISTRATOR),
    }


def entries(chosen=(), levels=None):
    levels = levels or {}
    return {
        f.pk: EntryInput(
            level=levels.get(
                f.number, RiskLevel.HIGH if f.number in chosen else "none"
            ),
            is_chosen=f.number in chosen,
        )
        for f in factors()
    }


def save(world, user="school", chosen=(3, 8), version=0, **kw):
    return services.risk_profile_save(
        by=world[user],
        school=world["school_obj"],
        project=world["project"],
        year=2022,
        diagnosed_on=kw.pop("diagnosed_on", date(2022, 2, 15)),
        entries=kw.pop("entries", None) or entries(chosen),
        version=version,
    )


def url(school, year=2022):
    return reverse("monitoring:risk-profile", args=[school.pk]) + f"?year={year}"


# --- services -------------------------------------------------------------------


def test_save_creates_a_draft_with_an_entry_per_factor(world):
    profile = save(world)
    assert profile.status == ProfileStatus.DRAFT
    assert profile.version == 1
    chosen = profile.entries.filter(is_chosen=True)
    assert sorted(e.factor.number for e in chosen) == [3, 8]
    assert profile.entries.count() == 10
    record = profile.history.first()
    assert record.history_user == world["school"]
    assert record.history_change_reason == "saved"


@pytest.mark.parametrize(
    "user",
    ["curator", "coordinator", "regional", "observer", "neighbour", "other_curator"],
)
def test_only_the_school_itself_fills_its_profile(world, user):
    with pytest.raises(Refused):
        save(world, user=user)
    assert not RiskProfile.objects.exists()


def test_a_foreign_school_user_is_refused_as_out_of_scope(world):
    with pytest.raises(Refused) as exc:
        services.risk_profile_save(
            by=world["neighbour"],
            school=world["foreign_obj"],
            project=world["project"],
            year=2022,
            diagnosed_on=None,
            entries=entries(),
            version=0,
        )
    assert exc.value.code == "out_of_scope"


def test_a_chosen_factor_needs_a_level_other_than_not_a_risk(world):
    with pytest.raises(ValidationError) as exc:
        save(world, entries=entries(chosen=(3,), levels={3: RiskLevel.NONE}))
    factor = factors()[2]
    errors = exc.value.error_dict[f"level_{factor.pk}"]
    assert errors[0].code == "chosen_without_level"
    assert not RiskProfile.objects.exists()


def test_self_diagnostics_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError) as exc:
        save(world, diagnosed_on=date(2022, 3, 2))
    assert exc.value.error_dict["diagnosed_on"][0].code == "future_date"


def test_more_than_three_chosen_factors_warn_but_save(world):
    profile = save(world, chosen=(1, 2, 3, 4))
    assert profile.entries.filter(is_chosen=True).count() == 4
    assert "4" in services.chosen_warning(4)
    assert services.chosen_warning(3) == ""


def test_a_stale_version_is_refused(world):
    profile = save(world)
    save(world, version=profile.version, chosen=(3,))
    with pytest.raises(ValidationError) as exc:
        save(world, version=profile.version, chosen=(8,))
    assert exc.value.code == "stale"
    # A second "new" form (version 0) does not overwrite an existing profile.
    with pytest.raises(ValidationError) as exc:
        save(world, version=0)
    assert exc.value.code == "stale"


def test_submit_needs_a_date_and_a_chosen_factor(world):
    profile = save(world, chosen=(), diagnosed_on=None)
    with pytest.raises(ValidationError) as exc:
        services.risk_profile_submit(by=world["school"], profile=profile)
    codes = {k: v[0].code for k, v in exc.value.error_dict.items()}
    assert codes == {
        "diagnosed_on": "diagnosed_on_required",
        "__all__": "nothing_chosen",
    }


def test_submit_verify_notify_and_keep_history(
    world, django_capture_on_commit_callbacks
):
    profile = save(world)
    with django_capture_on_commit_callbacks(execute=True):
        profile = services.risk_profile_submit(by=world["school"], profile=profile)
    assert profile.status == ProfileStatus.SUBMITTED
    assert Notification.objects.get().user == world["curator"]
    with django_capture_on_commit_callbacks(execute=True):
        profile = services.risk_profile_verify(
            by=world["curator"], profile=profile, version=profile.version
        )
    assert profile.status == ProfileStatus.VERIFIED
    assert profile.verified_by == world["curator"]
    assert Notification.objects.filter(user=world["school"]).count() == 1
    reasons = list(
        profile.history.order_by("history_date").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == ["saved", "submitted", "verified"]


@pytest.mark.parametrize(
    ("user", "action", "allowed"),
    [
        ("curator", "verify", True),
        ("curator", "return", True),
        ("school", "verify", False),
        ("coordinator", "verify", False),
        ("regional", "return", False),
        ("observer", "verify", False),
        ("other_curator", "verify", False),
        ("school", "submit", False),  # already submitted
        ("curator", "submit", False),
    ],
)
def test_moves_of_a_submitted_profile(world, user, action, allowed):
    profile = profile_with(
        world["school_obj"], factors()[:2], status=ProfileStatus.SUBMITTED
    )
    assert can(world[user], action, profile) is allowed


def test_a_curator_of_another_year_may_not_verify(world):
    profile = profile_with(
        world["school_obj"], factors()[:2], status=ProfileStatus.SUBMITTED, year=2023
    )
    assert not can(world["curator"], "verify", profile)


def test_return_needs_a_comment_and_makes_the_profile_editable(world):
    profile = profile_with(
        world["school_obj"], factors()[:2], status=ProfileStatus.SUBMITTED
    )
    with pytest.raises(ValidationError) as exc:
        services.risk_profile_return(by=world["curator"], profile=profile, comment=" ")
    assert exc.value.error_dict["comment"][0].code == "comment_required"
    profile = services.risk_profile_return(
        by=world["curator"], profile=profile, comment="Уточните уровень фактора 2"
    )
    assert profile.status == ProfileStatus.RETURNED
    assert can(world["school"], "edit", profile)
    assert can(world["school"], "submit", profile)
    again = save(world, version=profile.version, chosen=(1,))
    assert again.status == ProfileStatus.RETURNED


def test_a_verified_profile_cannot_be_changed_by_the_school(world):
    profile_with(world["school_obj"], factors()[:2], status=ProfileStatus.VERIFIED)
    with pytest.raises(ValidationError) as exc:
        save(world, version=None)
    assert exc.value.code == "not_editable"


def test_only_one_transition_wins(world):
    profile = profile_with(
        world["school_obj"], factors()[:2], status=ProfileStatus.SUBMITTED
    )
    seen = profile.version
    services.risk_profile_verify(by=world["curator"], profile=profile, version=seen)
    # A second decision made on the page as it was: the row is re-read locked.
    with pytest.raises(ValidationError) as exc:
        services.risk_profile_verify(by=world["curator"], profile=profile)
    assert exc.value.code == "wrong_status"
    with pytest.raises(ValidationError) as exc:
        services.risk_profile_return(
            by=world["curator"], profile=profile, comment="Уточните", version=seen
        )
    assert exc.value.code == "stale"
    assert RiskProfile.objects.get().status == ProfileStatus.VERIFIED


# --- views ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("school", 200),
        ("curator", 200),
        ("coordinator", 200),
        ("regional", 200),
        ("observer", 200),
        ("neighbour", 404),
        ("other_curator", 404),
        ("other_coordinator", 404),
        ("administrator", 404),
    ],
)
def test_profile_page_is_read_only_in_the_scope(client, world, user, status):
    profile_with(world["school_obj"], factors()[:3])
    client.force_login(world[user])
    assert client.get(url(world["school_obj"])).status_code == status


def test_school_fills_and_submits_through_the_page(client, world):
    client.force_login(world["school"])
    fs = factors()
    data = {"do": "submit", "year": 2022, "version": 0, "diagnosed_on": "2022-02-15"}
    for f in fs:
        data[f"level_{f.pk}"] = "high" if f.number in (3, 8, 10) else "none"
        if f.number in (3, 8, 10):
            data[f"chosen_{f.pk}"] = "on"
    response = client.post(url(world["school_obj"]), data)
    assert response.status_code == 302
    profile = RiskProfile.objects.get()
    assert profile.status == ProfileStatus.SUBMITTED
    assert sorted(
        profile.entries.filter(is_chosen=True).values_list("factor__number", flat=True)
    ) == [3, 8, 10]
    page = client.get(response.url)
    assert page.context["status"] == ProfileStatus.SUBMITTED
    assert not page.context["can_edit"]


def test_page_keeps_input_and_shows_errors(client, world):
    client.force_login(world["school"])
    fs = factors()
    data = {"do": "save", "year": 2022, "version": 0, "diagnosed_on": "2022-02-15"}
    for f in fs:
        data[f"level_{f.pk}"] = "none"
        data[f"note_{f.pk}"] = "заметка" if f.number == 2 else ""
    data[f"chosen_{fs[1].pk}"] = "on"
    response = client.post(url(world["school_obj"]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"level_{fs[1].pk}"]
    assert form[f"note_{fs[1].pk}"].value() == "заметка"
    assert not RiskProfile.objects.exists()


def test_more_than_three_shows_a_warning(client, world):
    client.force_login(world["school"])
    data = {"do": "save", "year": 2022, "version": 0, "diagnosed_on": ""}
    for f in factors():
        data[f"level_{f.pk}"] = "medium" if f.number <= 4 else "none"
        if f.number <= 4:
            data[f"chosen_{f.pk}"] = "on"
    response = client.post(url(world["school_obj"]), data, follow=True)
    levels = [m.level_tag for m in response.context["messages"]]
    assert "warning" in levels
    assert RiskProfile.objects.get().entries.filter(is_chosen=True).count() == 4


@pytest.mark.parametrize(
    ("user", "do", "status"),
    [
        ("curator", "save", 403),
        ("coordinator", "save", 403),
        ("school", "verify", 403),
        ("observer", "return", 403),
        ("neighbour", "save", 404),
    ],
)
def test_page_refuses_posts_of_others(client, world, user, do, status):
    profile = profile_with(
        world["school_obj"], factors()[:2], status=ProfileStatus.SUBMITTED
    )
    client.force_login(world[user])
    response = client.post(
        url(world["school_obj"]),
        {"do": do, "action": do, "comment": "x", "version": profile.version},
    )
    assert response.status_code == status
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SUBMITTED


def test_curator_returns_with_a_comment_through_the_page(client, world):
    profile = profile_with(
        world["school_obj"], factors()[:2], status=ProfileStatus.SUBMITTED
    )
    client.force_login(world["curator"])
    response = client.post(
        url(world["school_obj"]),
        {"do": "return", "action": "return", "comment": "", "version": profile.version},
    )
    assert response.status_code == 200
    assert response.context["decision"].errors["comment"]
    response = client.post(
        url(world["school_obj"]),
        {
            "do": "return",
            "action": "return",
            "comment": "Нет данных анкетирования",
            "version": profile.version,
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.RETURNED
    page = client.get(url(world["school_obj"]))
    assert "Нет данных анкетирования" in page.content.decode()


def test_page_shows_programme_status_and_covering_activities(client, world):
    fs = factors()
    profile_with(world["school_obj"], [fs[2], fs[7]], status=ProfileStatus.VERIFIED)
    plan = approved_plan(world["school_obj"], [fs[2]])
    SchoolDocument.objects.create(
        school=world["school_obj"],
        project=world["project"],
        year=2022,
        kind=SchoolDocument.Kind.ANTI_RISK,
        risk_factor=fs[2],
        title="Антирисковая программа",
        file="x.pdf",
        status=SchoolDocument.Status.AGREED,
        uploaded_by=world["school"],
    )
    client.force_login(world["coordinator"])
    response = client.get(url(world["school_obj"]))
    items = {i.entry.factor.number: i for i in response.context["coverage"]}
    assert items[3].covered
    assert items[3].programme_status == "agreed"
    assert [a.pk for a in items[3].own] == [
        plan.current_edition.activities.get(risk_factors=fs[2]).pk
    ]
    assert not items[8].covered
    assert items[8].programme is None
    assert response.content.decode().count('data-testid="risk-gap"') == 1


def test_history_is_shown(client, world):
    profile = save(world)
    services.risk_profile_submit(by=world["school"], profile=profile)
    client.force_login(world["curator"])
    history = reverse("monitoring:risk-profile-history", args=[profile.school_id])
    response = client.get(history, {"year": 2022})
    codes = [m["code"] for m in response.context["history_moves"]]
    assert codes == ["submitted", "saved"]
    assert len(response.context["history_changes"]) == 10
    client.force_login(world["neighbour"])
    assert client.get(history, {"year": 2022}).status_code == 404


def test_profile_page_queries_are_bounded(client, world, django_assert_max_num_queries):
    fs = factors()
    profile = save(world)
    approved_plan(world["school_obj"], fs[:5], extra=20)
    client.force_login(world["curator"])
    client.get(reverse("home"))
    with django_assert_max_num_queries(12):
        response = client.get(url(world["school_obj"]))
    assert response.status_code == 200
    assert response.context["profile"] == profile
