"""Which stages, forms and schools of monitoring a user may read.

The models live in monitoring/models.py without custom managers, so the
scoped querysets are built here from `schools.access.scope_for`:

- the federal observer reads everything; the administrator, who defines
  stages for any region, reads every stage but no school's form;
- regional staff and coordinators read every stage of their region and every
  form of its schools;
- municipal coordinators, schools and curators read the published stages of
  their region; the forms of their municipality's schools, of their own
  school, or of the schools assigned to them for the stage's year.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from monitoring.models import MonitoringStage, MonitoringSubmission
from schools.access import Scope, scope_for
from schools.models import CuratorAssignment, Organisation, ProjectParticipation, Role


def own_school_ids(scope: Scope) -> set[int]:
    """Schools the user acts for with the school role (not as a curator)."""
    return {
        org for role, org, _r, _m in scope.memberships if role == Role.SCHOOL and org
    }


def stages_visible_to(user) -> QuerySet[MonitoringStage]:
    """Stages the user may read."""
    scope = scope_for(user)
    stages = MonitoringStage.objects.all()
    if scope.everything or Role.ADMINISTRATOR in scope.roles:
        return stages
    q = Q(pk__in=[])
    if scope.region_ids:
        q |= Q(region_id__in=scope.region_ids)
    if scope.upper_region_ids:
        q |= Q(region_id__in=scope.upper_region_ids, is_published=True)
    return stages.filter(q)


def school_q(user, stage: MonitoringStage, prefix: str = "") -> Q | None:
    """Schools (at `prefix`) whose form of `stage` the user may read.

    None means none at all.
    """
    scope = scope_for(user)
    p = prefix
    if scope.everything or stage.region_id in scope.region_ids:
        return Q()
    parts = []
    if scope.municipality_ids:
        parts.append(Q(**{f"{p}municipality_id__in": scope.municipality_ids}))
    own = own_school_ids(scope)
    if own:
        parts.append(Q(**{f"{p}pk__in": own}))
    if Role.CURATOR in scope.roles:
        assigned = CuratorAssignment.objects.filter(
            curator=user, project_id=stage.project_id, year=stage.year
        ).values("school_id")
        parts.append(Q(**{f"{p}pk__in": assigned}))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def participating_schools(stage: MonitoringStage) -> QuerySet[Organisation]:
    """Schools of the stage's region taking part in its project that year."""
    return Organisation.objects.filter(
        Exists(
            ProjectParticipation.objects.filter(
                school=OuterRef("pk"), project_id=stage.project_id, year=stage.year
            )
        ),
        region_id=stage.region_id,
        kind__code="school",
    )


def schools_in_scope(user, stage: MonitoringStage) -> QuerySet[Organisation]:
    """Participating schools of the stage the user may see the forms of."""
    q = school_q(user, stage)
    schools = participating_schools(stage)
    return schools.none() if q is None else schools.filter(q)


def submissions_visible_to(user, stage: MonitoringStage | None = None):
    """Forms the user may read (of one stage, or of every stage they see)."""
    subs = MonitoringSubmission.objects.all()
    if stage is not None:
        q = school_q(user, stage, prefix="school__")
        return subs.none() if q is None else subs.filter(q, stage=stage)
    scope = scope_for(user)
    if scope.everything:
        return subs
    q = Q(pk__in=[])
    if scope.region_ids:
        q |= Q(school__region_id__in=scope.region_ids)
    if scope.municipality_ids:
        q |= Q(school__municipality_id__in=scope.municipality_ids)
    own = own_school_ids(scope)
    if own:
        q |= Q(school_id__in=own)
    if Role.CURATOR in scope.roles:
        q |= Exists(
            CuratorAssignment.objects.filter(
                curator=user,
                school=OuterRef("school"),
                project=OuterRef("stage__project"),
                year=OuterRef("stage__year"),
            )
        )
    return subs.filter(q, stage__in=stages_visible_to(user))
