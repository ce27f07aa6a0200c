"""Schools, curators and double clicks on monitoring at the same moment, on real
connections: exactly one transition, no duplicate rows, no lost answer, and
never a crash (an IntegrityError would be a server error)."""

import datetime
from unittest import mock

import pytest

from monitoring.execution import services as execution
from monitoring.models import (
    ActivityReport,
    MonitoringAnswer,
    MonitoringSubmission,
    ProfileStatus,
    ReportDecision,
    ReportEvidence,
    RiskLevel,
    RiskProfile,
    RiskProfileEntry,
    SubmissionEvent,
    SubmissionStatus,
)
from monitoring.risks import services as risks
from monitoring.stages import services as stages
from roadmaps.models import Notification, WorkflowAction
from schools.models import Role
from tests.factories import (
    CuratorAssignmentFactory,
    MembershipFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    user_with_role,
)
from tests.monitoring.execution import factories as execution_world
from tests.monitoring.risks.factories import curator_of, factors
from tests.monitoring.stages import factories as stage_world
from tests.races import run_together, skip_unless_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


@pytest.fixture
def pinned_today():
    """One "today" (mid-June 2022) for every service, in every thread."""
    day = datetime.date(2022, 6, 15)
    targets = (
        "monitoring.progress.today",
        "monitoring.stages.rules.today",
        "monitoring.stages.services.today",
        "monitoring.risks.services.today",
    )
    patches = [mock.patch(target, return_value=day) for target in targets]
    for p in patches:
        p.start()
    yield day
    for p in reversed(patches):
        p.stop()


# --- the monitoring form of a stage -------------------------------------------


@pytest.fixture
def forms(pinned_today):
    """The stage world with a user for school А2 too; the curator of А1
    curates А2 as well."""
    world = stage_world.build_world()
    a2 = world.schools["a2"]
    world.users["school_a2"] = user_with_role(Role.SCHOOL, a2, username="school_a2")
    CuratorAssignmentFactory(
        curator=world.users["curator_a1"], school=a2, project=world.stage.project
    )
    return world


def complete(world, pupils="120", note=""):
    """Values of every required indicator (and a note)."""
    key = {code: stages.field_key(f) for code, f in world.fields.items()}
    return {
        key["pupils"]: pupils,
        key["failing"]: "12,5",
        key["plan_ok"]: "yes",
        key["note"]: note,
    }


def send(world, school_key, *, version=None, submit=True, **values):
    return lambda: stages.submission_save(
        by=world.users[f"school_{school_key}"],
        stage=world.stage,
        school=world.schools[school_key],
        values=complete(world, **values),
        version=version,
        submit=submit,
    )


def sent_events(submission) -> int:
    return SubmissionEvent.objects.filter(
        submission=submission, action=WorkflowAction.SUBMIT
    ).count()


def test_two_schools_send_their_forms_at_the_same_second(forms):
    outcomes = run_together(send(forms, "a1"), send(forms, "a2"))

    assert outcomes == ["ok", "ok"]
    submissions = MonitoringSubmission.objects.filter(stage=forms.stage)
    assert sorted(submissions.values_list("school", flat=True)) == sorted(
        [forms.schools["a1"].pk, forms.schools["a2"].pk]
    )
    for submission in submissions:
        assert submission.status == SubmissionStatus.SUBMITTED
        assert sent_events(submission) == 1
        assert submission.answers.count() == 3  # pupils, failing, plan_ok
    # The curator of both schools hears once from each.
    texts = Notification.objects.filter(user=forms.users["curator_a1"])
    for key in ("a1", "a2"):
        name = forms.schools[key].display_name
        assert sum(name in t for t in texts.values_list("text", flat=True)) == 1


def test_indicator_deleted_while_a_school_answers_it(forms):
    """The manager deletes an unanswered indicator as a school answers it:
    either the answer comes first (the deletion is refused) or the deletion
    does (the school's save no longer has the indicator); never a crash."""
    field = forms.fields["note"]
    field_pk = field.pk
    delete = lambda: stages.field_delete(  # noqa: E731
        by=forms.users["regional_staff"],
        field=field,
        version=forms.stage.version,
    )
    outcomes = run_together(send(forms, "a1", submit=False, note="пояснение"), delete)

    assert outcomes[0] == "ok", outcomes
    answered = MonitoringAnswer.objects.filter(field_id=field_pk).exists()
    if outcomes[1] == "ok":
        assert not answered
        assert not type(field).objects.filter(pk=field_pk).exists()
    else:
        assert outcomes[1] == "has_answers", outcomes
        assert answered


def test_double_clicked_send_of_a_new_form_makes_one_form(forms):
    outcomes = run_together(send(forms, "a1"), send(forms, "a1"))

    assert sorted(outcomes) == ["ok", "stale"]
    submission = MonitoringSubmission.objects.get(stage=forms.stage)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert sent_events(submission) == 1
    assert MonitoringAnswer.objects.filter(submission=submission).count() == 3
    assert Notification.objects.filter(user=forms.users["curator_a1"]).count() == 1


def test_double_clicked_send_of_a_draft_makes_one_transition(forms):
    draft = send(forms, "a1", submit=False)()
    seen = draft.version

    outcomes = run_together(
        send(forms, "a1", version=seen), send(forms, "a1", version=seen)
    )

    assert sorted(outcomes) == ["ok", "stale"]
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.SUBMITTED
    assert draft.version == seen + 1
    assert sent_events(draft) == 1
    assert MonitoringAnswer.objects.filter(submission=draft).count() == 3


def test_two_windows_saving_one_draft_lose_nothing(forms):
    """One save wins whole; the other is refused as stale, never mixed in."""
    draft = send(forms, "a1", submit=False)()
    seen = draft.version
    pupils = forms.fields["pupils"]
    note = forms.fields["note"]

    outcomes = run_together(
        send(forms, "a1", version=seen, submit=False, pupils="10", note="А"),
        send(forms, "a1", version=seen, submit=False, pupils="20", note="Б"),
    )

    assert sorted(outcomes) == ["ok", "stale"]
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT
    assert draft.version == seen + 1
    saved = {a.field_id: a for a in draft.answers.all()}
    assert len(saved) == 4
    assert (int(saved[pupils.pk].number), saved[note.pk].text) in {
        (10, "А"),
        (20, "Б"),
    }


def test_curator_deciding_a_form_twice_at_once_decides_once(forms):
    submission = send(forms, "a1")()
    curator = forms.users["curator_a1"]

    outcomes = run_together(
        lambda: stages.submission_confirm(by=curator, submission=submission),
        lambda: stages.submission_return(
            by=curator, submission=submission, comment="Уточните долю"
        ),
    )

    assert sorted(outcomes) == ["ok", "wrong_status"]
    submission.refresh_from_db()
    assert submission.status in {SubmissionStatus.CONFIRMED, SubmissionStatus.RETURNED}
    decisions = SubmissionEvent.objects.filter(submission=submission).exclude(
        action=WorkflowAction.SUBMIT
    )
    assert decisions.count() == 1
    assert Notification.objects.filter(user=forms.users["school_a1"]).count() == 1


# --- activity reports -----------------------------------------------------------


@pytest.fixture
def reports(pinned_today):
    """The execution world with a second curator of school А1."""
    world = execution_world.build_world()
    second = UserFactory(username="curator_a1_bis")
    MembershipFactory(user=second, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=second, school=world.bodies["a1"], year=2022)
    world.users["curator_a1_bis"] = second
    return world


def report_by(world, who="school_a1", key="S_school"):
    return lambda: execution.report_create(
        by=world.users[who],
        activity=world.activities[key],
        result="done",
        done_on=datetime.date(2022, 6, 10),
        files=[execution_world.pdf()],
    )


def test_double_clicked_report_makes_one_report(reports):
    outcomes = run_together(report_by(reports), report_by(reports))

    assert sorted(outcomes) == ["ok", "stale"]
    activity = reports.activities["S_school"]
    report = ActivityReport.objects.get(lineage=activity.lineage)
    assert report.is_latest
    assert report.decision == ReportDecision.PENDING
    assert ReportEvidence.objects.filter(report__lineage=activity.lineage).count() == 1
    # Each curator is told about the one report once.
    for who in ("curator_a1", "curator_a1_bis"):
        assert Notification.objects.filter(user=reports.users[who]).count() == 1


def test_two_curators_deciding_one_report_at_once_decide_once(reports):
    report_by(reports)()
    report = ActivityReport.objects.get(activity=reports.activities["S_school"])
    seen = report.version

    def decide(who, decision, comment=""):
        return lambda: execution.report_decide(
            by=reports.users[who],
            report=report,
            decision=decision,
            comment=comment,
            version=report.version,
        )

    outcomes = run_together(
        decide("curator_a1", ReportDecision.CONFIRMED),
        decide("curator_a1_bis", ReportDecision.REJECTED, "Нет протокола"),
    )

    assert sorted(outcomes) == ["ok", "stale"]
    report.refresh_from_db()
    assert report.version == seen + 1
    assert report.decision in {ReportDecision.CONFIRMED, ReportDecision.REJECTED}
    assert Notification.objects.filter(user=reports.users["school_a1"]).count() == 1


def test_curator_double_clicking_confirm_decides_once(reports):
    report_by(reports)()
    report = ActivityReport.objects.get(activity=reports.activities["S_school"])
    seen = report.version
    curator = reports.users["curator_a1"]

    def confirm():
        execution.report_decide(
            by=curator, report=report, decision=ReportDecision.CONFIRMED
        )

    outcomes = run_together(confirm, confirm)

    assert sorted(outcomes) == ["not_pending", "ok"]
    report.refresh_from_db()
    assert (report.decision, report.version) == (ReportDecision.CONFIRMED, seen + 1)
    assert report.history.filter(decision=ReportDecision.CONFIRMED).count() == 1


# --- risk profiles --------------------------------------------------------------


@pytest.fixture
def risk_school(reference_data, pinned_today):
    """A school with two users, its curator and the first two factors."""
    school = SchoolFactory()
    users = [user_with_role(Role.SCHOOL, school) for _ in range(2)]
    return school, users, curator_of(school), factors()[:2]


def save_profile(school, user, chosen, level, version=0):
    entries = {
        f.pk: risks.EntryInput(level=level, is_chosen=True, note=user.username)
        for f in chosen
    }
    return lambda: risks.risk_profile_save(
        by=user,
        school=school,
        project=ProjectFactory(),
        year=2022,
        diagnosed_on=datetime.date(2022, 3, 1),
        entries=entries,
        version=version,
    )


def test_two_first_savers_of_one_risk_profile_make_one_profile(risk_school):
    school, (first, second), _curator, chosen = risk_school

    outcomes = run_together(
        save_profile(school, first, chosen, RiskLevel.HIGH),
        save_profile(school, second, chosen, RiskLevel.MEDIUM),
    )

    assert sorted(outcomes) == ["ok", "stale"]
    profile = RiskProfile.objects.get(school=school, year=2022)
    entries = RiskProfileEntry.objects.filter(profile=profile)
    assert entries.count() == len(chosen)
    # Every entry is the winner's: one level, one note, no mix.
    assert len(set(entries.values_list("level", "note"))) == 1


def test_double_clicked_risk_profile_submit_submits_once(risk_school):
    school, (user, _other), curator, chosen = risk_school
    profile = save_profile(school, user, chosen, RiskLevel.HIGH)()

    def submit():
        risks.risk_profile_submit(by=user, profile=profile, version=profile.version)

    outcomes = run_together(submit, submit)

    assert sorted(outcomes) == ["ok", "wrong_status"]
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SUBMITTED
    assert profile.history.filter(history_change_reason="submitted").count() == 1
    assert Notification.objects.filter(user=curator).count() == 1
