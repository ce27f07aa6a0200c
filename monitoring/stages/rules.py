"""Object-level rights of stages, registered in schools.access (see ready()).

- define a stage and its form: regional staff and regional coordinators of
  the stage's region (the regional operator runs monitoring), administrators
  for any region;
- fill a form: the school's own users, for a published stage of its region
  in a year it takes part in the project, from the opening date on (late
  forms are accepted and marked); only drafts and returned forms change;
- confirm or return a submitted form: the curator assigned to the school for
  the stage's project and year;
- completion and consolidated values: the observer, the region, the
  municipality (its schools), curators (their schools) and schools (their own).
"""

from __future__ import annotations

from monitoring.models import MonitoringStage, MonitoringSubmission, SubmissionStatus
from monitoring.progress import today
from schools.access import rule, scope_for
from schools.models import ProjectParticipation, Role

from .querysets import own_school_ids

EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
COMPLETION_ROLES = {
    Role.FEDERAL_OBSERVER,
    Role.REGIONAL_STAFF,
    Role.REGIONAL_COORDINATOR,
    Role.MUNICIPAL_COORDINATOR,
    Role.CURATOR,
    Role.SCHOOL,
}


@rule(MonitoringStage, "view")
def stage_view(user, stage: MonitoringStage) -> bool:
    scope = scope_for(user)
    if scope.everything or Role.ADMINISTRATOR in scope.roles:
        return True
    if stage.region_id in scope.region_ids:
        return True
    return stage.is_published and stage.region_id in scope.upper_region_ids


def may_manage_region(user, region_id: int) -> bool:
    """Regional staff or coordinator of the region, or an administrator."""
    scope = scope_for(user)
    return (
        Role.ADMINISTRATOR in scope.roles
        or scope.holds(Role.REGIONAL_STAFF, region=region_id)
        or scope.holds(Role.REGIONAL_COORDINATOR, region=region_id)
    )


def may_create_stages(user) -> bool:
    """The user defines stages somewhere."""
    roles = scope_for(user).roles
    return bool(
        roles & {Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.REGIONAL_COORDINATOR}
    )


@rule(MonitoringStage, "manage")
def stage_manage(user, stage: MonitoringStage) -> bool:
    return may_manage_region(user, stage.region_id)


@rule(MonitoringStage, "view_completion")
def stage_view_completion(user, stage: MonitoringStage) -> bool:
    scope = scope_for(user)
    return stage_view(user, stage) and bool(scope.roles & COMPLETION_ROLES)


def is_assigned_curator(user, school_id: int, stage: MonitoringStage) -> bool:
    """The user is the school's curator for the stage's project and year."""
    return scope_for(user).assigned(
        school_id, year=stage.year, project=stage.project_id
    )


def takes_part(school_id: int, stage: MonitoringStage) -> bool:
    return ProjectParticipation.objects.filter(
        school_id=school_id, project_id=stage.project_id, year=stage.year
    ).exists()


@rule(MonitoringSubmission, "fill")
def submission_fill(user, submission: MonitoringSubmission) -> bool:
    """`submission` may be unsaved: the form a school is about to start."""
    stage = submission.stage
    scope = scope_for(user)
    return (
        submission.school_id in own_school_ids(scope)
        and stage.is_published
        and submission.school.region_id == stage.region_id
        and stage.opens_on <= today()
        and submission.status in EDITABLE
        and takes_part(submission.school_id, stage)
    )


@rule(MonitoringSubmission, "decide")
def submission_decide(user, submission: MonitoringSubmission) -> bool:
    return submission.status == SubmissionStatus.SUBMITTED and is_assigned_curator(
        user, submission.school_id, submission.stage
    )
