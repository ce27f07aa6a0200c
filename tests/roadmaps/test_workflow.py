"""Approval up the hierarchy: the whole matrix of moves, editions, orders, mail."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from roadmaps import workflow
from roadmaps.models import (
    ActivityExecutor,
    EditionEvent,
    Notification,
    Order,
    RoadmapEdition,
)
from roadmaps.orders import (
    edition_approve_with_order,
    order_register,
    order_suggest_number,
)
from schools.models import OrganisationKind, Profile, Role
from tests.factories import (
    ActivityFactory,
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    RegionalBodyFactory,
    SchoolFactory,
    UserFactory,
    kind,
    roadmap_with_edition,
    user_with_role,
)

pytestmark = pytest.mark.django_db
S = RoadmapEdition.Status
STATUSES = [S.DRAFT, S.SUBMITTED, S.AGREED, S.RETURNED, S.APPROVED, S.SUPERSEDED]

# The rules as DOMAIN.md and the issue state them, written out independently
# of roadmaps.workflow.MOVES: (level, action) -> actor -> statuses it moves from.
EXPECTED = {
    ("school", "submit"): {"school": {S.DRAFT, S.RETURNED}},
    ("school", "agree"): {"curator": {S.SUBMITTED}},
    ("school", "approve"): {"municipal": {S.AGREED}},
    ("school", "return"): {
        "curator": {S.SUBMITTED},
        "municipal": {S.SUBMITTED, S.AGREED},
    },
    ("municipal", "submit"): {"municipal": {S.DRAFT, S.RETURNED}},
    ("municipal", "approve"): {
        "regional_staff": {S.SUBMITTED},
        "approver": {S.SUBMITTED},
        "regional_coordinator": {S.SUBMITTED},
    },
    ("municipal", "return"): {
        "regional_staff": {S.SUBMITTED},
        "approver": {S.SUBMITTED},
        "regional_coordinator": {S.SUBMITTED},
    },
    ("regional", "submit"): {},
    ("regional", "agree"): {},
    ("regional", "return"): {},
    ("regional", "approve"): {"approver": {S.DRAFT, S.RETURNED}},
    ("municipal", "agree"): {},
}
ACTORS = [
    "school",
    "other_school",
    "curator",
    "other_curator",
    "municipal",
    "other_municipal",
    "regional_staff",
    "approver",
    "regional_coordinator",
    "observer",
    "administrator",
]


@pytest.fixture
def world():
    municipality = MunicipalityFactory()
    region = municipality.region
    dept = RegionalBodyFactory(region=region)
    operator = OrganisationFactory(
        kind=kind(OrganisationKind.REGIONAL_OPERATOR),
        municipality=None,
        region=region,
    )
    mouo = OrganisationFactory(municipality=municipality)
    school = SchoolFactory(municipality=municipality)
    other_school = SchoolFactory(municipality=municipality)
    elsewhere = OrganisationFactory()
    curator, other_curator = UserFactory(), UserFactory()
    for user, assigned in ((curator, school), (other_curator, other_school)):
        MembershipFactory(user=user, role=Role.CURATOR, organisation=None)
        CuratorAssignmentFactory(curator=user, school=assigned, year=2022)
    approver = UserFactory()
    MembershipFactory(
        user=approver, role=Role.REGIONAL_STAFF, organisation=dept, can_approve=True
    )
    users = {
        "school": user_with_role(Role.SCHOOL, school),
        "other_school": user_with_role(Role.SCHOOL, other_school),
        "curator": curator,
        "other_curator": other_curator,
        "municipal": user_with_role(Role.MUNICIPAL_COORDINATOR, mouo),
        "other_municipal": user_with_role(Role.MUNICIPAL_COORDINATOR, elsewhere),
        "regional_staff": user_with_role(Role.REGIONAL_STAFF, dept),
        "approver": approver,
        "regional_coordinator": user_with_role(Role.REGIONAL_COORDINATOR, operator),
        "observer": user_with_role(Role.FEDERAL_OBSERVER),
        "administrator": user_with_role(Role.ADMINISTRATOR),
    }
    owners = {"school": school, "municipal": mouo, "regional": dept}
    return users, owners


def plan_in(owner, status):
    order = OrderFactory(issuer=owner) if status in RoadmapEdition.FROZEN else None
    roadmap = roadmap_with_edition(owner=owner, status=status, order=order)
    edition = roadmap.latest_edition
    ActivityFactory(edition=edition)
    return edition


def attempt(user, edition, action):
    order = OrderFactory(issuer=edition.roadmap.owner) if action == "approve" else None
    workflow.edition_move(
        by=user, edition=edition, action=action, comment="Исправьте сроки", order=order
    )


@pytest.mark.parametrize(("level", "action"), sorted(EXPECTED))
def test_workflow_matrix(world, level, action):
    users, owners = world
    outcomes = {}
    for actor in ACTORS:
        for status in STATUSES:
            edition = plan_in(owners[level], status)
            allowed = status in EXPECTED[(level, action)].get(actor, set())
            try:
                with transaction.atomic():
                    attempt(users[actor], edition, action)
                    raise _Rollback
            except _Rollback:
                happened = True
            except (ValidationError, PermissionDenied):
                happened = False
            outcomes[(actor, status)] = happened
            assert happened == allowed, (level, action, actor, status)
    assert any(outcomes.values()) == bool(EXPECTED[(level, action)])


class _Rollback(Exception):
    pass


def test_refusals_carry_codes(world):
    users, owners = world
    edition = plan_in(owners["school"], S.SUBMITTED)
    with pytest.raises(PermissionDenied) as exc:
        workflow.edition_agree(by=users["municipal"], edition=edition)
    assert exc.value.code == "not_actor"
    with pytest.raises(PermissionDenied) as exc:
        workflow.edition_agree(by=users["other_municipal"], edition=edition)
    assert exc.value.code == "out_of_scope"
    agreed = plan_in(owners["school"], S.AGREED)
    with pytest.raises(ValidationError) as exc:
        workflow.edition_agree(by=users["curator"], edition=agreed)
    assert exc.value.code == "wrong_status"


def test_return_requires_a_comment(world):
    users, owners = world
    edition = plan_in(owners["school"], S.SUBMITTED)
    for comment in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            workflow.edition_return(
                by=users["curator"], edition=edition, comment=comment
            )
        assert exc.value.error_dict["comment"][0].code == "comment_required"
    edition.refresh_from_db()
    assert edition.status == S.SUBMITTED
    workflow.edition_return(
        by=users["curator"], edition=edition, comment="Добавьте ВПР"
    )
    event = EditionEvent.objects.get(edition=edition)
    assert (event.from_status, event.to_status, event.comment) == (
        S.SUBMITTED,
        S.RETURNED,
        "Добавьте ВПР",
    )
    assert event.actor == users["curator"]


def test_submitter_cannot_approve(world):
    users, owners = world
    mouo = owners["municipal"]
    both = UserFactory()
    MembershipFactory(user=both, role=Role.MUNICIPAL_COORDINATOR, organisation=mouo)
    MembershipFactory(
        user=both, role=Role.REGIONAL_STAFF, organisation=owners["regional"]
    )
    edition = plan_in(mouo, S.DRAFT)
    workflow.edition_submit(by=both, edition=edition)
    with pytest.raises(ValidationError) as exc:
        workflow.edition_approve(
            by=both, edition=edition, order=OrderFactory(issuer=mouo)
        )
    assert exc.value.code == "own_submission"
    workflow.edition_approve(
        by=users["regional_staff"], edition=edition, order=OrderFactory(issuer=mouo)
    )


def test_empty_plan_cannot_be_submitted(world):
    users, owners = world
    edition = roadmap_with_edition(owner=owners["school"]).latest_edition
    with pytest.raises(ValidationError) as exc:
        workflow.edition_submit(by=users["school"], edition=edition)
    assert exc.value.code == "empty_plan"


def test_school_plan_full_path_and_events(world):
    users, owners = world
    edition = plan_in(owners["school"], S.DRAFT)
    workflow.edition_submit(by=users["school"], edition=edition)
    workflow.edition_agree(by=users["curator"], edition=edition)
    workflow.edition_return(
        by=users["municipal"], edition=edition, comment="Нет сроков"
    )
    workflow.edition_submit(by=users["school"], edition=edition)
    workflow.edition_agree(by=users["curator"], edition=edition)
    order = OrderFactory(issuer=owners["municipal"], number="17")
    workflow.edition_approve(by=users["municipal"], edition=edition, order=order)
    edition.refresh_from_db()
    assert edition.status == S.APPROVED
    assert edition.roadmap.current_edition == edition
    assert edition.approving_order == order
    order.refresh_from_db()
    assert order.status == Order.Status.SIGNED
    moves = list(edition.events.values_list("action", "to_status"))
    assert moves == [
        ("submit", S.SUBMITTED),
        ("agree", S.AGREED),
        ("return", S.RETURNED),
        ("submit", S.SUBMITTED),
        ("agree", S.AGREED),
        ("approve", S.APPROVED),
    ]


# --- editions ------------------------------------------------------------------


def test_new_edition_replaces_the_old_only_when_approved(world):
    users, owners = world
    mouo = owners["municipal"]
    first = plan_in(mouo, S.APPROVED)
    roadmap = first.roadmap
    original = first.activities.get()
    ActivityExecutor.objects.create(activity=original, role="school")
    second = workflow.edition_start_new(by=users["municipal"], roadmap=roadmap)
    roadmap.refresh_from_db()
    assert (second.number, second.status, second.replaces) == (2, S.DRAFT, first)
    assert roadmap.current_edition == first
    copy = second.activities.get()
    assert (copy.lineage, copy.title) == (original.lineage, original.title)
    assert [e.role for e in copy.executors.all()] == ["school"]
    with pytest.raises(ValidationError) as exc:
        workflow.edition_start_new(by=users["municipal"], roadmap=roadmap)
    assert exc.value.code == "edition_in_work"
    workflow.edition_submit(by=users["municipal"], edition=second)
    workflow.edition_approve(
        by=users["regional_staff"], edition=second, order=OrderFactory(issuer=mouo)
    )
    first.refresh_from_db()
    roadmap.refresh_from_db()
    assert first.status == S.SUPERSEDED
    assert roadmap.current_edition == second


def test_frozen_editions_refuse_edits(world):
    from roadmaps import editing

    users, owners = world
    edition = plan_in(owners["municipal"], S.APPROVED)
    for status in (S.APPROVED, S.SUBMITTED, S.SUPERSEDED):
        RoadmapEdition.objects.filter(pk=edition.pk).update(status=status)
        edition.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            editing.activity_add(
                by=users["municipal"], edition=edition, data={"title": "X"}
            )
        assert exc.value.code == "frozen"


def test_start_new_edition_refused_to_non_editors(world):
    users, owners = world
    roadmap = plan_in(owners["municipal"], S.APPROVED).roadmap
    with pytest.raises(PermissionDenied) as exc:
        workflow.edition_start_new(by=users["regional_staff"], roadmap=roadmap)
    assert exc.value.code == "not_editor"
    draft = plan_in(owners["municipal"], S.DRAFT).roadmap
    with pytest.raises(ValidationError) as exc:
        workflow.edition_start_new(by=users["municipal"], roadmap=draft)
    assert exc.value.code == "nothing_in_force"


# --- orders --------------------------------------------------------------------


def test_order_numbers_are_suggested_after_the_last_one(world):
    _users, owners = world
    issuer = owners["regional"]
    assert order_suggest_number(issuer=issuer, year=2021) == "1"
    OrderFactory(issuer=issuer, number="189-ОД", date=datetime.date(2021, 3, 16))
    OrderFactory(issuer=issuer, number="421-ОД", date=datetime.date(2021, 8, 1))
    OrderFactory(issuer=issuer, number="500-ОД", date=datetime.date(2020, 8, 1))
    assert order_suggest_number(issuer=issuer, year=2021) == "422-ОД"
    assert order_suggest_number(issuer=issuer, year=2022) == "1"


def test_order_register_refuses_a_taken_number(world):
    users, owners = world
    edition = plan_in(owners["municipal"], S.SUBMITTED)
    OrderFactory(
        issuer=owners["municipal"], number="43", date=datetime.date(2022, 3, 5)
    )
    with pytest.raises(ValidationError) as exc:
        order_register(
            by=users["regional_staff"],
            edition=edition,
            issuer=owners["municipal"],
            number="43",
            date_=datetime.date(2022, 9, 1),
            title="Об утверждении",
            clauses="1. Утвердить.",
        )
    error = exc.value.error_dict["number"][0]
    assert error.code == "number_taken"
    assert "44" in error.messages[0]


def test_approval_with_order_writes_the_appendix_headers(world):
    users, owners = world
    dept = owners["regional"]
    dept.name = "Департамент Смоленской области по образованию и науке"
    dept.name_genitive = "Департамента Смоленской области по образованию и науке"
    dept.save()
    first = plan_in(dept, S.DRAFT)
    edition_approve_with_order(
        by=users["approver"],
        edition=first,
        issuer=dept,
        number="189-ОД",
        date_=datetime.date(2021, 3, 16),
        title="Об утверждении плана-графика",
        clauses="1. Утвердить план-график (приложение).\n2. Контроль за собой.",
        signatory_position="Начальник Департамента",
        signatory_name="Е.П. Талкина",
    )
    first.refresh_from_db()
    assert first.appendix_text == (
        "Приложение к приказу Департамента Смоленской области по образованию и науке "
        "от 16.03.2021 № 189-ОД"
    )
    assert list(first.approving_order.clauses.values_list("number", flat=True)) == [
        "1.",
        "2.",
    ]
    second = workflow.edition_start_new(
        by=users["regional_staff"], roadmap=first.roadmap
    )
    order = edition_approve_with_order(
        by=users["approver"],
        edition=second,
        issuer=dept,
        number="422-ОД",
        date_=datetime.date(2021, 8, 17),
        title="О внесении изменения в план-график",
        clauses="1. Внести изменение, изложив его в новой редакции.",
    ).approving_order
    second.refresh_from_db()
    assert second.appendix_text == (
        "Приложение к приказу Департамента Смоленской области по образованию и науке "
        "от 16.03.2021 № 189-ОД\n(в ред. от 17.08.2021 № 422-ОД)"
    )
    assert order.amends == first.approving_order
    assert order.references.get(relation="amends").target == first.approving_order


def test_failed_approval_registers_no_order(world):
    users, owners = world
    edition = plan_in(owners["municipal"], S.DRAFT)  # not yet submitted
    with pytest.raises(ValidationError):
        edition_approve_with_order(
            by=users["regional_staff"],
            edition=edition,
            issuer=owners["municipal"],
            number="7",
            date_=datetime.date(2022, 2, 1),
            title="Об утверждении",
            clauses="1. Утвердить.",
        )
    assert not Order.objects.filter(number="7").exists()


# --- notifications ------------------------------------------------------------------


def test_mail_is_sent_after_commit(world, django_capture_on_commit_callbacks):
    users, owners = world
    users["curator"].email = "curator@example.ru"
    users["curator"].save()
    edition = plan_in(owners["school"], S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.edition_submit(by=users["school"], edition=edition)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["curator@example.ru"]]
    assert "на согласование" in mail.outbox[0].subject
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {users["curator"].username, users["municipal"].username}


def test_no_mail_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    users, owners = world
    users["curator"].email = "curator@example.ru"
    users["curator"].save()
    edition = plan_in(owners["school"], S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                workflow.edition_submit(by=users["school"], edition=edition)
                raise _Rollback
        except _Rollback:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0
    edition.refresh_from_db()
    assert edition.status == S.DRAFT


def test_user_can_switch_mail_off(world, django_capture_on_commit_callbacks):
    users, owners = world
    curator = users["curator"]
    curator.email = "curator@example.ru"
    curator.save()
    Profile.objects.create(user=curator, email_notifications=False)
    edition = plan_in(owners["school"], S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.edition_submit(by=users["school"], edition=edition)
    assert mail.outbox == []
    assert Notification.objects.filter(user=curator).count() == 1
