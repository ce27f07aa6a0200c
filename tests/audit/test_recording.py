"""A change made through each service appears in the log: who, when, what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.execution import services as execution
from monitoring.models import SubmissionStatus
from monitoring.stages import services as stages
from roadmaps import editing, workflow
from roadmaps.models import RoadmapEdition, WorkflowAction
from schools.models import CuratorAssignment, Membership, Role
from tests.factories import (
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    roadmap_with_edition,
    user_with_role,
)
from tests.monitoring.execution.factories import build_world as execution_world
from tests.monitoring.stages.factories import build_world as stages_world

pytestmark = pytest.mark.django_db


def find(entries, kind, action, who=None):
    """The newest entry of a kind and action (by whom), or fail."""
    for e in entries:
        if e.kind == kind and e.action == action and (who is None or e.who == who):
            return e
    raise AssertionError(f"no {kind} {action} by {who} in {entries}")


def changes(entry) -> dict[str, tuple[str, str]]:
    return {c.field: (c.old, c.new) for c in entry.changes}


def test_a_plan_edit_is_logged_with_its_editor_time_and_fields(log):
    mouo = OrganisationFactory()
    editor = user_with_role(Role.MUNICIPAL_COORDINATOR, mouo, username="editor")
    roadmap = roadmap_with_edition(owner=mouo, activities=1)
    row = roadmap.latest_edition.activities.get()
    before = timezone.now()
    editing.activity_update(
        by=editor,
        activity=row,
        data={
            "title": "Семинар для директоров",
            "deadline_text": row.deadline_text,
            "responsible_text": row.responsible_text,
        },
        version=row.version,
    )
    after = timezone.now()
    e = find(log(), "мероприятие", "~", "editor")
    assert before <= e.at <= after
    assert e.action_label == "изменено"
    assert changes(e)["мероприятие"] == (row.title, "Семинар для директоров")
    assert e.label.endswith("Семинар для директоров")
    assert e.link == reverse("roadmaps:edition-detail", args=[roadmap.pk, 1])


def test_approval_by_order_logs_the_order_the_move_and_the_status(client, log):
    municipality = MunicipalityFactory()
    mouo = OrganisationFactory(municipality=municipality)
    school = SchoolFactory(municipality=municipality)
    school_user = user_with_role(Role.SCHOOL, school, username="school")
    curator = UserFactory(username="curator")
    MembershipFactory(user=curator, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator, school=school, year=2022)
    coordinator = user_with_role(Role.MUNICIPAL_COORDINATOR, mouo, username="coord")
    edition = roadmap_with_edition(owner=school, activities=1).latest_edition
    workflow.edition_submit(by=school_user, edition=edition)
    workflow.edition_agree(by=curator, edition=edition, comment="Согласовано")
    client.force_login(coordinator)
    response = client.post(
        reverse("roadmaps:edition-approve", args=[edition.roadmap_id, 1]),
        {
            "issuer": mouo.pk,
            "number": "15",
            "date": "2022-03-01",
            "title": "Об утверждении школьных дорожных карт",
            "clauses": "1. Утвердить дорожную карту.\n2. Контроль оставляю за собой.",
            "comment": "Утверждаю",
        },
    )
    assert response.status_code == 302
    entries = log()
    order = find(entries, "приказ", "+", "coord")
    assert order.label == "Приказ от 01.03.2022 № 15"
    assert changes(order)["номер"] == ("", "15")
    assert changes(order)["издавший орган"] == ("", mouo.name)
    clauses = {e.label for e in entries if e.kind == "пункт" and e.who == "coord"}
    assert clauses == {
        "1. Утвердить дорожную карту.",
        "2. Контроль оставляю за собой.",
    }
    status = find(entries, "редакция", "~", "coord")
    assert changes(status)["статус"] == (
        "согласована куратором",
        "утверждена",
    )
    assert changes(status)["приказ об утверждении"] == ("—", "№ 15")
    moves = [e for e in entries if e.action == "event"]
    assert [(m.who, m.action_label) for m in moves] == [
        ("coord", str(WorkflowAction.APPROVE.label)),
        ("curator", str(WorkflowAction.AGREE.label)),
        ("school", str(WorkflowAction.SUBMIT.label)),
    ]
    assert changes(moves[0])["статус"] == ("согласована куратором", "утверждена")
    assert (moves[0].comment, moves[1].comment) == ("Утверждаю", "Согласовано")
    assert moves[0].link == reverse(
        "roadmaps:edition-detail", args=[edition.roadmap_id, 1]
    )


def test_a_report_decision_is_logged_with_the_curator(log):
    w = execution_world()
    report = execution.report_create(
        by=w.users["school_a1"],
        activity=w.activities["S_school"],
        result="done",
        done_on=datetime.date(2022, 5, 10),
        comment="Проведено",
    )
    execution.report_decide(
        by=w.users["curator_a1"], report=report, decision="rejected", comment="Нет акта"
    )
    entries = log()
    created = find(entries, "отчёт о мероприятии", "+", "school_a1")
    assert changes(created)["комментарий"] == ("", "Проведено")
    decided = find(entries, "отчёт о мероприятии", "~", "curator_a1")
    assert changes(decided)["решение куратора"] == (
        "ожидает подтверждения",
        "отклонено",
    )
    assert changes(decided)["комментарий куратора"] == ("—", "Нет акта")
    assert decided.link == reverse(
        "monitoring:activity-reports", args=[w.activities["S_school"].pk]
    )


def test_a_monitoring_form_sent_by_the_school_is_logged(log):
    w = stages_world()
    school, user = w.schools["a1"], w.users["school_a1"]
    values = {
        stages.field_key(w.fields["pupils"]): "120",
        stages.field_key(w.fields["failing"]): "12,5",
        stages.field_key(w.fields["plan_ok"]): "yes",
    }
    stages.submission_save(
        by=user, stage=w.stage, school=school, values=values, submit=True
    )
    entries = log(user="school_a1")
    sent = find(entries, "форма мониторинга", "~", "school_a1")
    sent_status = ("черновик", str(SubmissionStatus.SUBMITTED.label))
    assert changes(sent)["статус"] == sent_status
    answers = {
        e.label: changes(e) for e in entries if e.kind == "ответ" and e.action == "+"
    }
    assert answers["Школа А1 — Показатель pupils"]["номер"] == ("", "120")
    assert answers["Школа А1 — Показатель failing"]["номер"] == ("", "12.5")
    assert answers["Школа А1 — Показатель plan_ok"]["да / нет"] == ("", "да")
    move = find(entries, "форма мониторинга", "event", "school_a1")
    assert move.action_label == str(WorkflowAction.SUBMIT.label)
    assert changes(move)["статус"] == sent_status
    link = reverse("monitoring:submission-detail", args=[w.stage.pk, school.pk])
    assert sent.link == move.link == link


def test_a_role_changed_in_the_admin_is_logged_with_the_admin(client, superuser, log):
    user = UserFactory(username="ivanov")
    body = OrganisationFactory(name="МОУО Колпна")
    membership = MembershipFactory(user=user, organisation=body)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:schools_membership_change", args=[membership.pk]),
        {
            "user": user.pk,
            "role": Role.MUNICIPAL_COORDINATOR,
            "organisation": body.pk,
            "position": "Главный специалист",
            "can_approve": "on",
        },
    )
    assert response.status_code == 302
    e = find(log(kind="schools.membership"), "роль пользователя", "~", "root")
    position = str(Membership._meta.get_field("position").verbose_name)
    assert changes(e) == {
        position: ("—", "Главный специалист"),
        "утверждает планы приказами": ("нет", "да"),
    }
    assert e.label == "ivanov — муниципальный координатор — МОУО Колпна"
    assert e.link == reverse("admin:schools_membership_change", args=[membership.pk])


def test_a_curator_assignment_added_and_removed_in_the_admin(client, superuser, log):
    curator = UserFactory(username="kurator")
    school = SchoolFactory(name="МОУ СШ Налейка")
    project = ProjectFactory()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:schools_curatorassignment_add"),
        {
            "curator": curator.pk,
            "school": school.pk,
            "project": project.pk,
            "year": 2023,
        },
    )
    assert response.status_code == 302
    assignment = CuratorAssignment.objects.get(curator=curator)
    client.post(
        reverse("admin:schools_curatorassignment_delete", args=[assignment.pk]),
        {"post": "yes"},
    )
    assert not CuratorAssignment.objects.filter(pk=assignment.pk).exists()
    entries = log(kind="schools.curatorassignment", user="root")
    assert [e.action for e in entries] == ["-", "+"]
    assert entries[0].label == "kurator — МОУ СШ Налейка — 2023"
    assert changes(entries[1])["год"] == ("", "2023")
    assert entries[0].action_label == "удалено"
    assert entries[0].link is None  # the assignment is gone
    assert entries[1].link == reverse(
        "admin:schools_curatorassignment_change", args=[assignment.pk]
    )


def test_an_edition_moved_without_a_request_is_logged_with_its_actor(log):
    edition = roadmap_with_edition(
        owner=OrganisationFactory(), activities=1
    ).latest_edition
    coordinator = user_with_role(
        Role.MUNICIPAL_COORDINATOR, edition.roadmap.owner, username="owner"
    )
    workflow.edition_submit(by=coordinator, edition=edition, comment="Прошу утвердить")
    e = find(log(action="~", kind="roadmaps.roadmapedition"), "редакция", "~")
    assert e.who == "owner"
    assert changes(e)["статус"] == (
        "черновик",
        str(RoadmapEdition.Status.SUBMITTED.label),
    )
