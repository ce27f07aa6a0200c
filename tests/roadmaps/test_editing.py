"""Editing services: every operation, allowed and refused, with its code."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from roadmaps import editing
from roadmaps.editing import EditConflict
from roadmaps.models import Activity, Numbering, RoadmapEdition, Section
from schools.access import Refused
from schools.models import OrganisationKind, Role
from tests.factories import (
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionalBodyFactory,
    SchoolFactory,
    UserFactory,
    kind,
    roadmap_with_edition,
    user_with_role,
)

pytestmark = pytest.mark.django_db
Status = RoadmapEdition.Status


@dataclass
class Plans:
    municipal: object
    regional: object
    school: object
    users: dict


@pytest.fixture
def plans():
    municipality = MunicipalityFactory(name="Колпнянский район")
    region = municipality.region
    dept = RegionalBodyFactory(region=region, name="Департамент образования")
    operator = OrganisationFactory(
        kind=kind(OrganisationKind.REGIONAL_OPERATOR),
        name="Институт развития образования",
        municipality=None,
        region=region,
    )
    mouo = OrganisationFactory(municipality=municipality, name="Отдел образования")
    school = SchoolFactory(municipality=municipality, name="МОУ СШ № 1")
    other_mouo = OrganisationFactory(name="Отдел образования другого района")
    municipal = roadmap_with_edition(owner=mouo, status=Status.DRAFT)
    edition = municipal.latest_edition
    first = Section.objects.create(edition=edition, position=1, title="Первый")
    second = Section.objects.create(edition=edition, position=2, title="Второй")
    coordinator = user_with_role(Role.MUNICIPAL_COORDINATOR, mouo, username="coord")
    for section, titles in ((first, ["А", "Б"]), (second, ["В"])):
        for title in titles:
            editing.activity_add(
                by=coordinator,
                edition=edition,
                section=section,
                data={
                    "title": title,
                    "deadline_text": "март",
                    "responsible_text": "МОУО",
                },
            )
    regional = roadmap_with_edition(owner=dept, status=Status.DRAFT)
    regional_staff = user_with_role(Role.REGIONAL_STAFF, dept, username="staff")
    editing.activity_add(
        by=regional_staff,
        edition=regional.latest_edition,
        data={"title": "Вебинар", "responsible_text": "Региональный координатор"},
    )
    editing.activity_add(
        by=regional_staff,
        edition=regional.latest_edition,
        data={"title": "Приказ", "responsible_text": "Департамент"},
    )
    school_plan = roadmap_with_edition(owner=school, status=Status.DRAFT)
    curator = UserFactory(username="curator")
    MembershipFactory(user=curator, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator, school=school)
    users = {
        "coordinator": coordinator,
        "other_coordinator": user_with_role(
            Role.MUNICIPAL_COORDINATOR, other_mouo, username="other"
        ),
        "school": user_with_role(Role.SCHOOL, school, username="school"),
        "curator": curator,
        "regional_staff": regional_staff,
        "regional_coordinator": user_with_role(
            Role.REGIONAL_COORDINATOR, operator, username="regcoord"
        ),
        "observer": user_with_role(Role.FEDERAL_OBSERVER, username="observer"),
    }
    return Plans(municipal, regional, school_plan, users)


def rows(edition):
    return [
        (a.number, a.title, a.section.title if a.section else None)
        for a in edition.activities.order_by("position").select_related("section")
    ]


def activity(edition, title) -> Activity:
    return edition.activities.get(title=title)


# --- add ---------------------------------------------------------------------


def test_activity_add_appends_to_section_and_derives(plans):
    edition = plans.municipal.latest_edition
    section = edition.sections.get(title="Первый")
    added = editing.activity_add(
        by=plans.users["coordinator"],
        edition=edition,
        section=section,
        data={
            "title": "  Новое  ",
            "deadline_text": "март-апрель",
            "responsible_text": "МОУО, ОО",
            "indicator_text": "Не менее 50 консультаций",
        },
    )
    assert added.title == "Новое"
    assert added.deadline_ranges == [["2022-03-01", "2022-04-30"]]
    assert (added.target_value, added.target_unit) == (50, "консультаций")
    assert {e.role for e in added.executors.all()} == {"municipal_authority", "school"}
    assert rows(edition) == [
        ("1.", "А", "Первый"),
        ("2.", "Б", "Первый"),
        ("3.", "Новое", "Первый"),
        ("4.", "В", "Второй"),
    ]
    assert added.history.first().history_user == plans.users["coordinator"]


def test_activity_add_after_a_row_inserts_there(plans):
    edition = plans.municipal.latest_edition
    editing.activity_add(
        by=plans.users["coordinator"],
        edition=edition,
        data={"title": "Вставка"},
        after=activity(edition, "А"),
    )
    assert [r[1] for r in rows(edition)] == ["А", "Вставка", "Б", "В"]


def test_activity_add_refuses_empty_title(plans):
    with pytest.raises(ValidationError) as exc:
        editing.activity_add(
            by=plans.users["coordinator"],
            edition=plans.municipal.latest_edition,
            data={"title": "   "},
        )
    assert exc.value.error_dict["title"][0].code == "title_required"


@pytest.mark.parametrize(
    ("user", "code"),
    [
        ("other_coordinator", "out_of_scope"),
        # The municipal draft is not shown below the municipality at all.
        ("school", "out_of_scope"),
        ("curator", "out_of_scope"),
        ("observer", "not_editor"),
        ("regional_staff", "not_editor"),
        ("regional_coordinator", "not_editor"),
    ],
)
def test_activity_add_refused_for_wrong_role_or_scope(plans, user, code):
    with pytest.raises(Refused) as exc:
        editing.activity_add(
            by=plans.users[user],
            edition=plans.municipal.latest_edition,
            data={"title": "Чужое"},
        )
    assert exc.value.code == code


def test_frozen_plan_refuses_every_edit(plans):
    edition = plans.municipal.latest_edition
    RoadmapEdition.objects.filter(pk=edition.pk).update(status=Status.SUBMITTED)
    edition.refresh_from_db()
    coordinator = plans.users["coordinator"]
    row = activity(edition, "А")
    attempts = [
        lambda: editing.activity_add(
            by=coordinator, edition=edition, data={"title": "X"}
        ),
        lambda: editing.activity_update(
            by=coordinator, activity=row, data={"title": "X"}, version=row.version
        ),
        lambda: editing.activity_delete(by=coordinator, activity=row, version=None),
        lambda: editing.activity_move(by=coordinator, activity=row, direction="down"),
        lambda: editing.section_add(by=coordinator, edition=edition, title="X"),
        lambda: editing.activities_bulk(
            by=coordinator, edition=edition, ids=[row.pk], action="delete"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "frozen"
    assert [r[1] for r in rows(edition)] == ["А", "Б", "В"]


def test_returned_plan_is_editable(plans):
    edition = plans.municipal.latest_edition
    RoadmapEdition.objects.filter(pk=edition.pk).update(status=Status.RETURNED)
    edition.refresh_from_db()
    editing.activity_add(
        by=plans.users["coordinator"], edition=edition, data={"title": "Г"}
    )
    assert edition.activities.count() == 4


# --- update and conflicts ------------------------------------------------------


def test_activity_update_changes_cells_and_bumps_version(plans):
    edition = plans.municipal.latest_edition
    row = activity(edition, "А")
    updated = editing.activity_update(
        by=plans.users["coordinator"],
        activity=row,
        data={"title": "А2", "deadline_text": "Декабрь 2021", "responsible_text": "ОО"},
        version=row.version,
    )
    assert (updated.title, updated.version) == ("А2", row.version + 1)
    assert updated.deadline_ranges == [["2021-12-01", "2021-12-31"]]
    assert [e.role for e in updated.executors.all()] == ["school"]
    record = updated.history.first()
    delta = record.diff_against(record.prev_record)
    assert {c.field for c in delta.changes} >= {"title", "deadline_text"}


def test_activity_update_with_stale_version_raises_conflict(plans):
    edition = plans.municipal.latest_edition
    row = activity(edition, "А")
    seen = row.version
    editing.activity_update(
        by=plans.users["coordinator"], activity=row, data={"title": "Их"}, version=seen
    )
    with pytest.raises(EditConflict) as exc:
        editing.activity_update(
            by=plans.users["coordinator"],
            activity=row,
            data={"title": "Моё"},
            version=seen,
        )
    assert exc.value.code == "stale"
    assert exc.value.current.title == "Их"
    assert activity(edition, "Их").version == seen + 1


def test_activity_update_can_move_to_another_section(plans):
    edition = plans.municipal.latest_edition
    row = activity(edition, "А")
    second = edition.sections.get(title="Второй")
    editing.activity_update(
        by=plans.users["coordinator"],
        activity=row,
        data={"title": "А", "section": second.pk},
        version=row.version,
    )
    assert rows(edition) == [
        ("1.", "Б", "Первый"),
        ("2.", "В", "Второй"),
        ("3.", "А", "Второй"),
    ]


def test_regional_coordinator_edits_only_activities_assigned_to_it(plans):
    edition = plans.regional.latest_edition
    user = plans.users["regional_coordinator"]
    mine, theirs = activity(edition, "Вебинар"), activity(edition, "Приказ")
    editing.activity_update(
        by=user, activity=mine, data={"title": "Вебинар для кураторов"}, version=None
    )
    with pytest.raises(Refused) as exc:
        editing.activity_update(
            by=user, activity=theirs, data={"title": "X"}, version=None
        )
    assert exc.value.code == "not_editor"
    with pytest.raises(Refused):
        editing.activity_add(by=user, edition=edition, data={"title": "X"})


# --- delete, restore, duplicate, move ---------------------------------------------


def test_activity_delete_renumbers_and_restore_brings_it_back(plans):
    edition = plans.municipal.latest_edition
    row = activity(edition, "Б")
    lineage = row.lineage
    editing.activity_delete(
        by=plans.users["coordinator"], activity=row, version=row.version
    )
    assert rows(edition) == [("1.", "А", "Первый"), ("2.", "В", "Второй")]
    record = Activity.history.filter(id=row.pk, history_type="-").get()
    assert record.history_user == plans.users["coordinator"]
    restored = editing.activity_restore(
        by=plans.users["coordinator"], edition=edition, history_id=record.history_id
    )
    assert (restored.pk, restored.title, restored.lineage) == (row.pk, "Б", lineage)
    assert restored.section.title == "Первый"
    assert [r[1] for r in rows(edition)] == ["А", "Б", "В"]
    with pytest.raises(ValidationError) as exc:
        editing.activity_restore(
            by=plans.users["coordinator"], edition=edition, history_id=record.history_id
        )
    assert exc.value.code == "already_restored"


def test_activity_restore_refuses_a_record_that_is_not_a_deletion(plans):
    edition = plans.municipal.latest_edition
    record = Activity.history.filter(id=activity(edition, "А").pk).first()
    with pytest.raises(ValidationError) as exc:
        editing.activity_restore(
            by=plans.users["coordinator"], edition=edition, history_id=record.history_id
        )
    assert exc.value.code == "not_deleted"


def test_activity_restore_refused_to_non_editor(plans):
    edition = plans.municipal.latest_edition
    row = activity(edition, "Б")
    editing.activity_delete(by=plans.users["coordinator"], activity=row, version=None)
    record = Activity.history.filter(id=row.pk, history_type="-").get()
    with pytest.raises(Refused) as exc:
        editing.activity_restore(
            by=plans.users["regional_staff"],
            edition=edition,
            history_id=record.history_id,
        )
    assert exc.value.code == "not_editor"


def test_activity_delete_with_stale_version_is_refused(plans):
    edition = plans.municipal.latest_edition
    row = activity(edition, "А")
    editing.activity_update(
        by=plans.users["coordinator"], activity=row, data={"title": "А*"}, version=None
    )
    with pytest.raises(EditConflict):
        editing.activity_delete(
            by=plans.users["coordinator"], activity=row, version=row.version
        )
    assert edition.activities.count() == 3


def test_activity_duplicate_inserts_a_copy_below(plans):
    edition = plans.municipal.latest_edition
    copy = editing.activity_duplicate(
        by=plans.users["coordinator"], activity=activity(edition, "А")
    )
    assert rows(edition)[:3] == [
        ("1.", "А", "Первый"),
        ("2.", "А", "Первый"),
        ("3.", "Б", "Первый"),
    ]
    assert copy.lineage != activity(edition, "Б").lineage
    assert copy.deadline_text == "март"


def test_activity_move_up_down_and_across_sections(plans):
    edition = plans.municipal.latest_edition
    by = plans.users["coordinator"]
    editing.activity_move(by=by, activity=activity(edition, "Б"), direction="up")
    assert rows(edition)[:2] == [("1.", "Б", "Первый"), ("2.", "А", "Первый")]
    editing.activity_move(by=by, activity=activity(edition, "А"), direction="down")
    assert rows(edition) == [
        ("1.", "Б", "Первый"),
        ("2.", "А", "Второй"),
        ("3.", "В", "Второй"),
    ]
    editing.activity_move(by=by, activity=activity(edition, "А"), direction="up")
    assert rows(edition) == [
        ("1.", "Б", "Первый"),
        ("2.", "А", "Первый"),
        ("3.", "В", "Второй"),
    ]
    editing.activity_move(
        by=by,
        activity=activity(edition, "Б"),
        section=edition.sections.get(title="Второй"),
    )
    assert rows(edition) == [
        ("1.", "А", "Первый"),
        ("2.", "В", "Второй"),
        ("3.", "Б", "Второй"),
    ]
    # At the very top nothing moves.
    editing.activity_move(by=by, activity=activity(edition, "А"), direction="up")
    assert rows(edition)[0] == ("1.", "А", "Первый")


def test_activity_move_refuses_a_section_of_another_plan(plans):
    foreign = Section.objects.create(
        edition=plans.school.latest_edition, position=1, title="Чужой"
    )
    edition = plans.municipal.latest_edition
    with pytest.raises(ValidationError) as exc:
        editing.activity_move(
            by=plans.users["coordinator"],
            activity=activity(edition, "А"),
            section=foreign,
        )
    assert exc.value.code == "wrong_edition"


# --- numbering -----------------------------------------------------------------


def test_numbering_styles(plans):
    edition = plans.municipal.latest_edition
    by = plans.users["coordinator"]
    roadmap = edition.roadmap

    def switch(style):
        edition.refresh_from_db()
        editing.edition_update_settings(
            by=by,
            edition=edition,
            title=roadmap.title,
            period_start=roadmap.period_start,
            period_end=roadmap.period_end,
            numbering=style,
            optional_columns=set(),
            headers={},
            version=edition.version,
        )

    switch(Numbering.SECTIONS)
    assert [r[0] for r in rows(edition)] == ["1.1.", "1.2.", "2.1."]
    assert list(edition.sections.values_list("number", flat=True)) == ["1.", "2."]
    switch(Numbering.FLAT_PLAIN)
    assert [r[0] for r in rows(edition)] == ["1", "2", "3"]
    switch(Numbering.NONE)
    assert [r[0] for r in rows(edition)] == ["", "", ""]
    edition.refresh_from_db()
    assert "number" not in edition.column_keys()
    switch(Numbering.FLAT)
    edition.refresh_from_db()
    assert edition.column_keys()[0] == "number"


# --- sections ------------------------------------------------------------------


def test_section_add_rename_move_and_delete(plans):
    edition = plans.municipal.latest_edition
    by = plans.users["coordinator"]
    third = editing.section_add(by=by, edition=edition, title="Третий")
    assert list(
        edition.sections.order_by("position").values_list("title", flat=True)
    ) == [
        "Первый",
        "Второй",
        "Третий",
    ]
    third = editing.section_update(
        by=by, section=third, title="Итоги", version=third.version
    )
    editing.section_move(by=by, section=third, direction="up")
    assert list(
        edition.sections.order_by("position").values_list("title", flat=True)
    ) == [
        "Первый",
        "Итоги",
        "Второй",
    ]
    second = edition.sections.get(title="Второй")
    editing.section_delete(by=by, section=second, version=second.version)
    # Its activity joins the section above.
    assert rows(edition)[-1] == ("3.", "В", "Итоги")
    first = edition.sections.get(title="Первый")
    editing.section_delete(
        by=by, section=first, version=first.version, with_activities=True
    )
    assert rows(edition) == [("1.", "В", "Итоги")]


def test_section_update_with_stale_version_conflicts(plans):
    section = plans.municipal.latest_edition.sections.get(title="Первый")
    by = plans.users["coordinator"]
    editing.section_update(
        by=by, section=section, title="Новый", version=section.version
    )
    with pytest.raises(EditConflict):
        editing.section_update(
            by=by, section=section, title="Мой", version=section.version
        )


def test_section_add_refuses_empty_title(plans):
    with pytest.raises(ValidationError) as exc:
        editing.section_add(
            by=plans.users["coordinator"],
            edition=plans.municipal.latest_edition,
            title="",
        )
    assert exc.value.error_dict["title"][0].code == "title_required"


# --- bulk ----------------------------------------------------------------------


def test_bulk_actions(plans):
    edition = plans.municipal.latest_edition
    by = plans.users["coordinator"]
    ids = [activity(edition, "А").pk, activity(edition, "Б").pk]
    assert (
        editing.activities_bulk(
            by=by, edition=edition, ids=ids, action="deadline", value="До 15 мая 2022"
        )
        == 2
    )
    assert {a.deadline_end for a in edition.activities.filter(pk__in=ids)} == {
        datetime.date(2022, 5, 15)
    }
    editing.activities_bulk(
        by=by, edition=edition, ids=ids, action="responsible", value="ОО, куратор"
    )
    assert {e.role for e in activity(edition, "А").executors.all()} == {
        "school",
        "curator",
    }
    second = edition.sections.get(title="Второй")
    editing.activities_bulk(
        by=by, edition=edition, ids=ids, action="move", value=second.pk
    )
    assert rows(edition) == [
        ("1.", "В", "Второй"),
        ("2.", "А", "Второй"),
        ("3.", "Б", "Второй"),
    ]
    editing.activities_bulk(by=by, edition=edition, ids=ids, action="delete")
    assert rows(edition) == [("1.", "В", "Второй")]


def test_bulk_ignores_rows_of_other_plans_and_refuses_empty_selection(plans):
    edition = plans.municipal.latest_edition
    foreign = activity(plans.regional.latest_edition, "Приказ")
    with pytest.raises(ValidationError) as exc:
        editing.activities_bulk(
            by=plans.users["coordinator"],
            edition=edition,
            ids=[foreign.pk],
            action="delete",
        )
    assert exc.value.code == "empty_selection"
    assert Activity.objects.filter(pk=foreign.pk).exists()


def test_bulk_refused_to_non_editor(plans):
    edition = plans.municipal.latest_edition
    with pytest.raises(Refused) as exc:
        editing.activities_bulk(
            by=plans.users["regional_staff"],
            edition=edition,
            ids=[activity(edition, "А").pk],
            action="delete",
        )
    assert exc.value.code == "not_editor"


# --- settings ------------------------------------------------------------------


def test_settings_refuse_a_period_ending_before_it_starts(plans):
    edition = plans.municipal.latest_edition
    with pytest.raises(ValidationError) as exc:
        editing.edition_update_settings(
            by=plans.users["coordinator"],
            edition=edition,
            title="План",
            period_start=datetime.date(2022, 12, 31),
            period_end=datetime.date(2022, 1, 1),
            numbering=Numbering.FLAT,
            optional_columns=set(),
            headers={},
            version=edition.version,
        )
    assert exc.value.error_dict["period_end"][0].code == "period_order"


def test_settings_change_period_rereads_deadlines_and_columns(plans):
    edition = plans.municipal.latest_edition
    editing.edition_update_settings(
        by=plans.users["coordinator"],
        edition=edition,
        title="План на 2023 год",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        numbering=Numbering.FLAT,
        optional_columns={"indicator"},
        headers={"title": "Наименование мероприятия"},
        version=edition.version,
    )
    edition.refresh_from_db()
    assert activity(edition, "А").deadline_ranges == [["2023-03-01", "2023-03-31"]]
    assert edition.columns == [
        {"key": "number", "header": "№"},
        {"key": "title", "header": "Наименование мероприятия"},
        {"key": "deadline", "header": "Срок"},
        {"key": "responsible", "header": "Ответственные"},
        {"key": "indicator", "header": "Показатель реализации"},
    ]
    assert edition.roadmap.title == "План на 2023 год"
    with pytest.raises(EditConflict):
        editing.edition_update_settings(
            by=plans.users["coordinator"],
            edition=edition,
            title="Другое",
            period_start=datetime.date(2023, 1, 1),
            period_end=datetime.date(2023, 12, 31),
            numbering=Numbering.FLAT,
            optional_columns=set(),
            headers={},
            version=edition.version - 1,
        )


# --- comments ------------------------------------------------------------------


def test_curator_comments_on_the_school_plan_but_cannot_edit_it(plans):
    edition = plans.school.latest_edition
    comment = editing.comment_add(
        by=plans.users["curator"], edition=edition, text="Уточните сроки"
    )
    assert comment.author == plans.users["curator"]
    with pytest.raises(Refused) as exc:
        editing.activity_add(
            by=plans.users["curator"], edition=edition, data={"title": "X"}
        )
    assert exc.value.code == "not_editor"


def test_observer_and_foreign_users_cannot_comment(plans):
    edition = plans.school.latest_edition
    with pytest.raises(Refused) as exc:
        editing.comment_add(by=plans.users["observer"], edition=edition, text="?")
    assert exc.value.code == "not_commenter"
    with pytest.raises(Refused) as exc:
        editing.comment_add(
            by=plans.users["other_coordinator"], edition=edition, text="?"
        )
    assert exc.value.code == "out_of_scope"


# --- risk factors --------------------------------------------------------------


def _factors():
    from monitoring.models import RiskFactor

    return list(RiskFactor.objects.filter(is_active=True).order_by("number"))


def test_activity_tied_to_risk_factors_on_add_and_update(plans, reference_data):
    f = _factors()
    edition = plans.municipal.latest_edition
    user = plans.users["coordinator"]
    added = editing.activity_add(
        by=user,
        edition=edition,
        data={"title": "Курсы ПК", "risk_factors": [f[2].pk, f[4].pk]},
    )
    assert sorted(x.number for x in added.risk_factors.all()) == [3, 5]
    updated = editing.activity_update(
        by=user,
        activity=added,
        data={"title": "Курсы ПК", "risk_factors": [f[9].pk]},
        version=added.version,
    )
    assert [x.number for x in updated.risk_factors.all()] == [10]
    assert updated.version == added.version + 1
    # A caller that does not speak of risk factors leaves them alone.
    again = editing.activity_update(
        by=user, activity=updated, data={"title": "Курсы"}, version=updated.version
    )
    assert [x.number for x in again.risk_factors.all()] == [10]


def test_tying_refuses_unknown_or_retired_factors_and_keeps_retired_ones(
    plans, reference_data
):
    f = _factors()
    edition = plans.municipal.latest_edition
    user = plans.users["coordinator"]
    target = activity(edition, "А")
    with pytest.raises(ValidationError) as exc:
        editing.activity_update(
            by=user,
            activity=target,
            data={"title": "А", "risk_factors": [999999]},
            version=target.version,
        )
    assert exc.value.error_dict["risk_factors"][0].code == "unknown_factor"
    target.risk_factors.add(f[0], f[1])
    f[0].is_active = False
    f[0].save()
    with pytest.raises(ValidationError):
        editing.activity_update(
            by=user,
            activity=target,
            data={"title": "А", "risk_factors": [f[0].pk]},
            version=target.version,
        )
    saved = editing.activity_update(
        by=user,
        activity=target,
        data={"title": "А", "risk_factors": []},
        version=target.version,
    )
    assert [x.number for x in saved.risk_factors.all()] == [1]


def test_tying_with_a_stale_version_is_refused(plans, reference_data):
    f = _factors()
    edition = plans.municipal.latest_edition
    user = plans.users["coordinator"]
    target = activity(edition, "Б")
    seen = target.version
    editing.activity_update(
        by=user, activity=target, data={"title": "Б", "risk_factors": []}, version=seen
    )
    with pytest.raises(EditConflict):
        editing.activity_update(
            by=user,
            activity=target,
            data={"title": "Б", "risk_factors": [f[3].pk]},
            version=seen,
        )
    assert not target.risk_factors.exists()


def test_duplicate_copies_risk_factors(plans, reference_data):
    f = _factors()
    edition = plans.municipal.latest_edition
    original = activity(edition, "В")
    original.risk_factors.add(f[6], f[7])
    copy = editing.activity_duplicate(by=plans.users["coordinator"], activity=original)
    assert copy.pk != original.pk
    assert sorted(x.number for x in copy.risk_factors.all()) == [7, 8]


def test_new_edition_copies_risk_factors(plans, reference_data):
    from roadmaps import workflow
    from tests.factories import OrderFactory

    f = _factors()
    roadmap = plans.municipal
    edition = roadmap.latest_edition
    activity(edition, "А").risk_factors.add(f[2])
    activity(edition, "В").risk_factors.add(f[2], f[9])
    edition.status = Status.APPROVED
    edition.approving_order = OrderFactory(issuer=roadmap.owner)
    edition.save()
    roadmap.current_edition = edition
    roadmap.save()
    new = workflow.edition_start_new(by=plans.users["coordinator"], roadmap=roadmap)
    tags = {
        a.title: sorted(x.number for x in a.risk_factors.all())
        for a in new.activities.all()
    }
    assert tags == {"А": [3], "Б": [], "В": [3, 10]}
    # The copies are new rows: the approved edition keeps its own tags.
    assert activity(edition, "В").risk_factors.count() == 2
