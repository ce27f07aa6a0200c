"""Reads of activity execution that pages, exports and rules share.

Who may report on an activity is one QuerySet condition (`reportable_q`), so
the plan page, «my tasks», the rules and the services agree, and a page asks
it for every row inside the query that loads the rows.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat, ExtractYear
from django.http import Http404

from monitoring import progress
from monitoring.models import ActivityReport, ReportDecision, ReportEvidence
from roadmaps.models import (
    Activity,
    ActivityExecutor,
    ExecutorRole,
    Level,
    RoadmapEdition,
)
from roadmaps.querysets import roadmap_q
from schools.access import scope_for
from schools.models import CuratorAssignment, Role

ExecState = progress.ExecState

# Roles that never report (they read only).
READ_ONLY_ROLES = {Role.FEDERAL_OBSERVER, Role.ADMINISTRATOR}
MUNICIPAL_EXECUTOR_ROLES = (
    ExecutorRole.MUNICIPAL_AUTHORITY,
    ExecutorRole.MUNICIPAL_COORDINATOR,
    ExecutorRole.METHODOLOGICAL_CENTRE,
)
REGIONAL_COORDINATOR_EXECUTOR_ROLES = (
    ExecutorRole.REGIONAL_OPERATOR,
    ExecutorRole.REGIONAL_COORDINATOR,
)
# Separates "number<US>name" pairs of risk factors packed by the database.
RISK_SEP = "\x1e"
RISK_FIELD_SEP = "\x1f"


def _executor(prefix: str = "", **lookups) -> Exists:
    return Exists(
        ActivityExecutor.objects.filter(activity_id=OuterRef(f"{prefix}pk"), **lookups)
    )


def curator_assigned(user, *, roadmap: str) -> Exists:
    """The user (or a user id) curates the school owning the roadmap at
    OuterRef(`roadmap`), in its project and year."""
    return Exists(
        CuratorAssignment.objects.filter(
            curator=user,
            school_id=OuterRef(f"{roadmap}owner_id"),
            project_id=OuterRef(f"{roadmap}project_id"),
            year=ExtractYear(OuterRef(f"{roadmap}period_start")),
        )
    )


def _executor_grants(held) -> list[tuple[dict, dict]]:
    """What the held memberships let a user report on: pairs of lookups on
    the executor and on its activity's plan (one pair per kind of grant)."""
    grants = []
    bodies = {org for _role, org, _r, _m in held if org}
    if bodies:
        grants.append(({"organisation_id__in": bodies}, {}))
    schools = {org for role, org, _r, _m in held if role == Role.SCHOOL and org}
    if schools:
        grants.append(
            (
                {"role": ExecutorRole.SCHOOL},
                {"level": Level.SCHOOL, "owner_id__in": schools},
            )
        )
    municipalities = {
        mun for role, _o, _r, mun in held if role == Role.MUNICIPAL_COORDINATOR and mun
    }
    if municipalities:
        grants.append(
            (
                {"role__in": MUNICIPAL_EXECUTOR_ROLES},
                {"level": Level.MUNICIPAL, "municipality_id__in": municipalities},
            )
        )
    staff = {reg for role, _o, reg, _m in held if role == Role.REGIONAL_STAFF and reg}
    if staff:
        grants.append(({"role": ExecutorRole.DEPARTMENT}, {"region_id__in": staff}))
    coordinators = {
        reg for role, _o, reg, _m in held if role == Role.REGIONAL_COORDINATOR and reg
    }
    if coordinators:
        grants.append(
            (
                {"role__in": REGIONAL_COORDINATOR_EXECUTOR_ROLES},
                {"region_id__in": coordinators},
            )
        )
    return grants


def reportable_q(user, prefix: str = "") -> Q:
    """Activities (at `prefix`) the user may report on, whatever their edition.

    Executors named by body: a user of that body. Executors named by role:
    the users holding that role in the plan's own territory. School plans:
    also the school's curator for the plan's project and year.
    """
    scope = scope_for(user)
    plan = f"{prefix}edition__roadmap__"
    nothing = Q(pk__in=[])
    held = [m for m in scope.memberships if m[0] not in READ_ONLY_ROLES]
    if not held and Role.CURATOR not in scope.roles:
        return nothing
    q = nothing
    for executor, plan_lookups in _executor_grants(held):
        on_plan = {f"{plan}{key}": value for key, value in plan_lookups.items()}
        q |= Q(**on_plan) & _executor(prefix, **executor)
    if Role.CURATOR in scope.roles:
        q |= Q(**{f"{plan}level": Level.SCHOOL}) & curator_assigned(user, roadmap=plan)
    return q


def decidable_q(user, prefix: str = "") -> Q:
    """Reports (at `prefix`) waiting for this user's confirmation as curator."""
    if Role.CURATOR not in scope_for(user).roles:
        return Q(pk__in=[])
    plan = f"{prefix}roadmap__"
    return Q(
        **{
            f"{prefix}is_latest": True,
            f"{prefix}decision": ReportDecision.PENDING,
            f"{plan}level": Level.SCHOOL,
            f"{plan}current_edition__isnull": False,
        }
    ) & curator_assigned(user, roadmap=plan)


def reports_visible(*, user):
    """Reports of the roadmaps the user may read."""
    q = roadmap_q(scope_for(user), prefix="roadmap__")
    if q is None:
        return ActivityReport.objects.none()
    return ActivityReport.objects.filter(q)


def editions_in_force(*, user):
    """Editions in force of the roadmaps the user may read."""
    q = roadmap_q(scope_for(user), prefix="roadmap__")
    if q is None:
        return RoadmapEdition.objects.none()
    return RoadmapEdition.objects.filter(q, status=RoadmapEdition.Status.APPROVED)


def activities_in_force(*, user):
    """Activities of the editions in force that the user may read.

    Narrowed as `edition IN (editions …)`, not by joining each activity to
    its plan: PostgreSQL then estimates how many editions a scope or a
    filter leaves (a region's few hundred, or the country's) and picks
    between reading those editions' activities and walking the deadline
    index, instead of walking the index for a region's rows.
    """
    return Activity.objects.filter(edition__in=editions_in_force(user=user))


def _risk_list():
    through = Activity.risk_factors.through.objects.filter(activity_id=OuterRef("pk"))
    return Subquery(
        through.order_by()
        .values("activity_id")
        .annotate(
            s=StringAgg(
                Concat(
                    Cast("riskfactor__number", CharField()),
                    Value(RISK_FIELD_SEP),
                    "riskfactor__name",
                    output_field=CharField(),
                ),
                delimiter=Value(RISK_SEP),
            )
        )
        .values("s")[:1],
        output_field=CharField(),
    )


def with_execution(activities, *, user=None):
    """Annotate the execution state's inputs, the latest report's actual value
    and evidence count, the risk factors, and (given a user) `may_report`."""
    latest = progress.latest_reports()
    evidence = (
        ReportEvidence.objects.filter(
            report__roadmap_id=OuterRef("edition__roadmap_id"),
            report__lineage=OuterRef("lineage"),
            report__is_latest=True,
        )
        .order_by()
        .values("report_id")
        .annotate(c=Count("pk"))
        .values("c")[:1]
    )
    activities = progress.with_progress(activities).annotate(
        latest_actual=Subquery(latest.values("actual_value")[:1]),
        latest_done_on=Subquery(latest.values("done_on")[:1]),
        evidence_count=Subquery(evidence),
        risk_list=_risk_list(),
    )
    if user is not None:
        activities = activities.annotate(
            may_report=ExpressionWrapper(
                reportable_q(user) & progress.in_force_q(), output_field=BooleanField()
            )
        )
    return activities


def risks_of(activity) -> list[tuple[str, str]]:
    """(number, name) of the risk factors packed by `with_execution`."""
    packed = getattr(activity, "risk_list", None) or ""
    pairs = []
    for item in packed.split(RISK_SEP):
        if item:
            number, _sep, name = item.partition(RISK_FIELD_SEP)
            pairs.append((number, name))
    # Older SQLite cannot order inside an aggregate: sort here.
    return sorted(pairs, key=lambda pair: int(pair[0]) if pair[0].isdigit() else 0)


# --- filters by execution state -------------------------------------------------


def _latest(prefix="", **lookups) -> Exists:
    return Exists(progress.latest_reports(prefix).filter(**lookups))


def state_q(state: str, on: date, prefix: str = "") -> Q:
    """Activities in the given execution state, by progress.py's rules.

    `overdue` is progress.overdue_q (also partly/not done/rejected ones whose
    deadline passed), so that a list and a dashboard count the same rows.
    """
    p = prefix
    reported = _latest(p)
    not_rejected = ~Q(decision=ReportDecision.REJECTED)
    if state == ExecState.DONE:
        return Q(progress.done_exists(p))
    if state == ExecState.AWAITING:
        return Q(_latest(p, result="done", decision=ReportDecision.PENDING))
    if state == ExecState.REJECTED:
        return Q(_latest(p, decision=ReportDecision.REJECTED))
    if state in (ExecState.PARTLY, ExecState.NOT_DONE):
        latest = progress.latest_reports(p).filter(not_rejected, result=state)
        return Q(Exists(latest))
    if state == ExecState.OVERDUE:
        return progress.overdue_q(on, p)
    unreported = ~Q(reported)
    if state == ExecState.NO_DATE:
        return unreported & Q(**{f"{p}deadline_end__isnull": True})
    if state == ExecState.PLANNED:
        return unreported & Q(**{f"{p}deadline_start__gt": on})
    if state == ExecState.DUE:
        return (
            unreported
            & Q(**{f"{p}deadline_end__gte": on})
            & (
                Q(**{f"{p}deadline_start__lte": on})
                | Q(**{f"{p}deadline_start__isnull": True})
            )
        )
    return Q()


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_q(year: int, month: int, prefix: str = "") -> Q:
    """Activities whose understood deadline touches the month."""
    first, last = month_bounds(year, month)
    return Q(
        **{f"{prefix}deadline_start__lte": last, f"{prefix}deadline_end__gte": first}
    )


# --- my tasks -------------------------------------------------------------------

TASK_CONFIRM = "confirm"
TASK_REDO = "redo"
TASK_OVERDUE = "overdue"
TASK_DUE = "due"
# The kinds, in the order the page lists them.
TASKS = (TASK_DUE, TASK_OVERDUE, TASK_CONFIRM, TASK_REDO)


def task_parts(user, on: date) -> dict[str, Q]:
    """The four kinds of a user's tasks, as conditions on activities in force."""
    mine = reportable_q(user)
    first, last = month_bounds(on.year, on.month)
    standing_done = progress.done_reported_exists()
    pending_mine = Exists(
        ActivityReport.objects.filter(
            decidable_q(user),
            roadmap_id=OuterRef("edition__roadmap_id"),
            lineage=OuterRef("lineage"),
        )
    )
    redo = _latest(decision=ReportDecision.REJECTED)
    redo_mine = Exists(
        progress.latest_reports().filter(
            decision=ReportDecision.REJECTED, reporter=user
        )
    )
    return {
        TASK_CONFIRM: Q(pending_mine),
        TASK_REDO: (mine & Q(redo)) | Q(redo_mine),
        TASK_OVERDUE: mine & progress.overdue_q(on),
        TASK_DUE: mine
        & Q(deadline_start__lte=last, deadline_end__gte=max(first, on))
        & ~Q(standing_done),
    }


def task_candidates(user):
    """Ids of the activities that may make the user's tasks: a superset of
    every part of `task_parts`, as a UNION of narrow, index-driven sets.

    `task_parts` stays the definition; this only spares the database from
    testing it on every activity in force (the paginator's count and the
    counters repeat the query). None when the user can have no task.
    """
    scope = scope_for(user)
    held = [m for m in scope.memberships if m[0] not in READ_ONLY_ROLES]
    executors = ActivityExecutor.objects.order_by()
    plan = "activity__edition__roadmap__"
    sets = [
        executors.filter(
            **executor, **{f"{plan}{key}": value for key, value in on_plan.items()}
        )
        for executor, on_plan in _executor_grants(held)
    ]
    ids = [qs.values("activity_id") for qs in sets]
    activities = Activity.objects.order_by()
    if Role.CURATOR in scope.roles and scope.assignments:
        # Reportable as curator and awaiting the curator's decision: both are
        # on the school plans of the assigned schools.
        assigned = {school for school, _project, _year in scope.assignments}
        ids.append(
            activities.filter(
                edition__roadmap__level=Level.SCHOOL,
                edition__roadmap__owner_id__in=assigned,
            ).values("pk")
        )
    # The user's rejected reports, whatever the user's roles today.
    rejected = ActivityReport.objects.order_by().filter(
        reporter=user, is_latest=True, decision=ReportDecision.REJECTED
    )
    ids.append(
        activities.filter(
            edition__roadmap_id__in=rejected.values("roadmap_id"),
            lineage__in=rejected.values("lineage"),
        ).values("pk")
    )
    first, *rest = ids
    return first.union(*rest).order_by() if rest else first


def my_tasks(*, user, on: date, kind: str | None = None):
    """Activities in force that make the user's tasks (one kind, or all)."""
    parts = task_parts(user, on)
    if kind in parts:
        condition = parts[kind]
    else:
        condition = Q(pk__in=[])
        for part in parts.values():
            condition |= part
    activities = (
        activities_in_force(user=user)
        .filter(pk__in=task_candidates(user))
        .filter(condition)
    )
    return activities.annotate(
        **{
            f"task_{name}": ExpressionWrapper(part, output_field=BooleanField())
            for name, part in parts.items()
        }
    )


# Every task at once: the key of `task_counts` for the unfiltered list.
TASK_ANY = "any"


def task_counts(*, user, on) -> dict[str, int]:
    """How many activities make each kind of the user's tasks, and how many
    make any of them, in one query.

    The counts are summed over `my_tasks`' rows, where each kind is a column
    computed once per row: counting with one FILTER per kind would make the
    database test every kind's subqueries again for each count.
    """
    rows = my_tasks(user=user, on=on).values(*(f"task_{code}" for code in TASKS))
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a user who can have no task
        return dict.fromkeys((TASK_ANY, *TASKS), 0)
    quote = connection.ops.quote_name
    sums = ", ".join(
        f"COALESCE(SUM(CAST(t.{quote(f'task_{code}')} AS INTEGER)), 0)"
        for code in TASKS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), {sums} FROM ({sql}) t", params)  # noqa: S608 (compiled by the ORM, values as parameters)
        total, *found = cursor.fetchone()
    return {TASK_ANY: total, **{c: n or 0 for c, n in zip(TASKS, found, strict=True)}}


def activity_get_visible(*, user, pk: int) -> Activity:
    """One activity the user may read (any edition it may read), or 404."""
    from roadmaps.permissions import edition_view

    activity = (
        Activity.objects.visible_to(user)
        .select_related(
            "edition",
            "edition__roadmap",
            "edition__roadmap__owner",
            "edition__roadmap__project",
            "section",
        )
        .filter(pk=pk)
        .first()
    )
    if activity is None or not edition_view(user, activity.edition):
        raise Http404
    return activity
