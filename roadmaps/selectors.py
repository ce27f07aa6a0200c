"""Reads that the roadmap views share; each applies the user's scope."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from schools.access import scope_for
from schools.models import Organisation, Role

from .models import Activity, ActivityExecutor, Order, Roadmap, RoadmapEdition
from .permissions import CREATE_KINDS, has_full_view

# What every page of a plan or a list of plans shows about it.
PLAN_RELATED = ("owner", "owner__kind", "region", "municipality", "project")


def roadmap_list_visible(*, user):
    """Roadmaps the user may read, with what the list shows, in one query."""
    activity_count = (
        Activity.objects.filter(edition=OuterRef("latest_edition"))
        .order_by()
        .values("edition")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return (
        Roadmap.objects.visible_to(user)
        .select_related(*PLAN_RELATED, "latest_edition")
        # Long texts no list shows: fifty rows of them cost more than the rest.
        .defer(
            "search_text",
            "owner__aliases",
            "owner__address",
            "latest_edition__columns",
            "latest_edition__appendix_text",
        )
        .annotate(
            activity_count=Coalesce(
                Subquery(activity_count, output_field=IntegerField()), 0
            )
        )
    )


def roadmap_get_visible(*, user, pk: int, related=()) -> Roadmap:
    """One roadmap the user may read (with `related` besides the plan's
    bodies and project, in the same query), or 404."""
    roadmap = (
        Roadmap.objects.visible_to(user)
        .select_related(*PLAN_RELATED, *related)
        .filter(pk=pk)
        .first()
    )
    if roadmap is None:
        raise Http404
    return roadmap


def roadmap_for_editor(*, user, pk: int) -> Roadmap:
    """`roadmap_get_visible` with the edition the editor writes, in one query."""
    return roadmap_get_visible(user=user, pk=pk, related=("latest_edition",))


def activity_for_editor(
    *, edition: RoadmapEdition, pk: int, executors: bool = False
) -> Activity:
    """One activity of the edition with its risk factors (and, for the row as
    the editor shows it, its executors in order), or 404."""
    lookups: list = ["risk_factors"]
    if executors:
        lookups.append(
            Prefetch(
                "executors",
                queryset=ActivityExecutor.objects.select_related(
                    "organisation"
                ).order_by("position"),
            )
        )
    activity = (
        Activity.objects.filter(pk=pk, edition=edition)
        .prefetch_related(*lookups)
        .first()
    )
    if activity is None:
        raise Http404
    activity.edition = edition
    return activity


def editions_visible(*, user, roadmap: Roadmap) -> list[RoadmapEdition]:
    """The roadmap's editions the user may read, oldest first."""
    editions = roadmap.editions.select_related(
        "approving_order", "approving_order__issuer"
    ).order_by("number")
    if not has_full_view(user, roadmap):
        editions = editions.filter(status__in=RoadmapEdition.FROZEN)
    return list(editions)


def edition_for_display(
    *, edition: RoadmapEdition, execution_for=None
) -> RoadmapEdition:
    """Prefetch the edition's sections, activities and executors onto it.

    With `execution_for` (a user), activities also carry their execution
    (monitoring.execution.selectors.with_execution), in the same query.
    """
    activities = Activity.objects.order_by("position").prefetch_related(
        Prefetch(
            "executors",
            queryset=ActivityExecutor.objects.select_related("organisation").order_by(
                "position"
            ),
        )
    )
    if execution_for is not None:
        from monitoring.execution.selectors import with_execution

        activities = with_execution(activities, user=execution_for)
    prefetch_related_objects(
        [edition], "sections", Prefetch("activities", queryset=activities)
    )
    return edition


def edition_rows(edition: RoadmapEdition) -> list[tuple[str, object]]:
    """("section", Section) and ("activity", Activity) rows in document order."""
    rows: list[tuple[str, object]] = []
    sections = sorted(edition.sections.all(), key=lambda s: s.position)
    by_section: dict[int | None, list[Activity]] = {}
    for activity in edition.activities.all():
        by_section.setdefault(activity.section_id, []).append(activity)
    rows.extend(("activity", a) for a in by_section.get(None, []))
    for section in sections:
        rows.append(("section", section))
        rows.extend(("activity", a) for a in by_section.get(section.pk, []))
    return rows


def order_get_visible(*, user, pk: int) -> Order:
    """One order the user may read, with everything its page shows, or 404."""
    order = (
        Order.objects.visible_to(user)
        .select_related("issuer", "issuer__region", "amends")
        .prefetch_related(
            "clauses",
            "references__target",
            "based_on",
            "amended_by",
        )
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    return order


def order_editions_visible(*, user, order: Order) -> list[RoadmapEdition]:
    """Editions the order approved that the user may read."""
    visible = Roadmap.objects.visible_to(user).values("pk")
    return list(
        order.approved_editions.filter(roadmap__in=visible).select_related("roadmap")
    )


def owners_creatable_by(*, user):
    """Bodies the user may open a plan for."""
    scope = scope_for(user)
    bodies = Organisation.objects.none()
    for role, org_id, region_id, municipality_id in scope.memberships:
        kinds = CREATE_KINDS.get(role)
        if not kinds:
            continue
        if role == Role.REGIONAL_STAFF:
            part = Organisation.objects.filter(
                region_id=region_id, municipality__isnull=True, kind__code__in=kinds
            )
        elif role == Role.MUNICIPAL_COORDINATOR:
            part = Organisation.objects.filter(
                municipality_id=municipality_id, kind__code__in=kinds
            )
        else:
            part = Organisation.objects.filter(pk=org_id)
        bodies = bodies | part
    return bodies.select_related("kind", "municipality").order_by("name").distinct()


def _waiting_q(user, *, owner: str, year_field: str, plans: bool):
    """Rows (editions or documents) waiting for this user's decision."""
    from schools.models import CuratorAssignment

    scope = scope_for(user)
    q = Q(pk__in=[])
    if Role.CURATOR in scope.roles:
        assigned = CuratorAssignment.objects.filter(
            curator=user, school_id=OuterRef(owner), year=OuterRef(year_field)
        )
        q |= Q(status="submitted", **{f"{owner}__kind__code": "school"}) & Q(
            Exists(assigned)
        )
    municipalities = {
        mun
        for role, _o, _r, mun in scope.memberships
        if role == Role.MUNICIPAL_COORDINATOR and mun
    }
    if municipalities:
        q |= Q(
            status="agreed",
            **{
                f"{owner}__kind__code": "school",
                f"{owner}__municipality_id__in": municipalities,
            },
        )
    regions = {
        region
        for role, _o, region, _m in scope.memberships
        if role in (Role.REGIONAL_STAFF, Role.REGIONAL_COORDINATOR) and region
    }
    if regions and plans:
        q |= Q(
            status="submitted",
            roadmap__level="municipal",
            roadmap__region_id__in=regions,
        )
    return q


def _waiting_querysets(*, user):
    from django.db.models.functions import ExtractYear

    from .models import SchoolDocument

    editions = (
        RoadmapEdition.objects.annotate(plan_year=ExtractYear("roadmap__period_start"))
        .filter(
            _waiting_q(user, owner="roadmap__owner", year_field="plan_year", plans=True)
        )
        .exclude(submitted_by=user)
        .select_related("roadmap", "roadmap__owner", "submitted_by")
        .order_by("status_changed_at", "pk")
    )
    documents = (
        SchoolDocument.objects.filter(
            _waiting_q(user, owner="school", year_field="year", plans=False)
        )
        .select_related("school", "submitted_by")
        .order_by("status_changed_at", "pk")
    )
    return editions, documents


def inbox_waiting(*, user, limit: int = 200) -> tuple[list, list]:
    """Editions and school documents waiting for the user's decision, oldest first."""
    editions, documents = _waiting_querysets(user=user)
    return list(editions[:limit]), list(documents[:limit])


def _inbox_rows(*, user):
    """A UNION of the pk of everything waiting for the user (not run)."""
    from monitoring.inbox import waiting

    editions, documents = _waiting_querysets(user=user)
    others = [qs.order_by().values("pk") for qs in waiting(user).values()]
    return (
        editions.order_by()
        .values("pk")
        .union(documents.order_by().values("pk"), *others, all=True)
        .order_by()
    )


def inbox_count(*, user) -> int:
    """How many decisions wait for the user (for the navigation), in one query:
    plans and school documents, and monitoring's reports, forms, risk profiles
    and visit schedules (monitoring/inbox.py)."""
    return _inbox_rows(user=user).count()


def navigation_counts(*, user) -> tuple[int, int]:
    """(decisions waiting in the inbox, unread notifications) in one query."""
    from .notifications import unread_notifications

    parts, params = [], []
    for rows in (
        _inbox_rows(user=user),
        unread_notifications(user).order_by().values("pk"),
    ):
        try:
            sql, sql_params = rows.query.sql_with_params()
        except EmptyResultSet:  # nothing can wait (e.g. no role at all)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) rows_)")  # noqa: S608
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        inbox, unread = cursor.fetchone()
    return inbox, unread


def my_plans_in_approval(*, user):
    """The latest editions of the plans of the user's own bodies, with status."""
    scope = scope_for(user)
    own = {org for _role, org, _r, _m in scope.memberships if org}
    return (
        RoadmapEdition.objects.filter(roadmap__owner_id__in=own)
        .filter(roadmap__latest_edition=F("pk"))
        .select_related("roadmap", "roadmap__owner")
        .order_by("-status_changed_at", "-pk")[:200]
    )


def may_create_plans(*, user) -> bool:
    """Whether the user holds a role that opens plans (no query: the scope)."""
    return bool(scope_for(user).roles & set(CREATE_KINDS))
