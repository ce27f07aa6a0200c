"""Opening a new plan: empty, from a template, or from the plan one level up."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from schools.access import Refused, can
from schools.models import Organisation, Project

from .derive import PlanContext, apply_derived, save_executors
from .editing import build_columns, edition_renumber, plan_header_errors
from .executors import ExecutorRole
from .imports import LEVEL_OF_KIND_LEVEL, search_text_for
from .models import (
    Activity,
    ActivityExecutor,
    Level,
    Numbering,
    Roadmap,
    RoadmapEdition,
    RoadmapTemplate,
    Section,
)

# Whom an upper-level activity must name to be taken into a plan one level down.
TAKEN_ROLES = {
    Level.MUNICIPAL: {
        ExecutorRole.MUNICIPAL_AUTHORITY,
        ExecutorRole.MUNICIPAL_COORDINATOR,
    },
    Level.SCHOOL: {ExecutorRole.SCHOOL, ExecutorRole.CURATOR},
}
UPPER_LEVEL = {Level.MUNICIPAL: Level.REGIONAL, Level.SCHOOL: Level.MUNICIPAL}


def upper_sources(*, user, owner: Organisation):
    """Plans in force one level above the owner, in its territory, readable."""
    level = LEVEL_OF_KIND_LEVEL.get(owner.kind.level)
    upper = UPPER_LEVEL.get(level)
    if upper is None:
        return Roadmap.objects.none()
    plans = Roadmap.objects.visible_to(user).in_force().filter(level=upper)
    if upper == Level.REGIONAL:
        plans = plans.filter(region_id=owner.region_id)
    else:
        plans = plans.filter(municipality_id=owner.municipality_id)
    return plans.select_related("owner", "current_edition")


def taken_activities(*, edition: RoadmapEdition, owner: Organisation) -> list[Activity]:
    """The upper plan's activities addressed to the owner's level."""
    level = LEVEL_OF_KIND_LEVEL[owner.kind.level]
    roles = {str(r) for r in TAKEN_ROLES.get(level, ())}
    in_territory = set(
        Organisation.objects.filter(municipality_id=owner.municipality_id).values_list(
            "pk", flat=True
        )
        if level == Level.MUNICIPAL
        else [owner.pk]
    )
    addressed = ActivityExecutor.objects.filter(activity__edition=edition).values_list(
        "activity_id", "role", "organisation_id"
    )
    wanted = {
        activity_id
        for activity_id, role, org_id in addressed
        if role in roles or org_id in in_territory
    }
    return list(
        edition.activities.filter(pk__in=wanted)
        .select_related("section")
        .prefetch_related("risk_factors")
        .order_by("position")
    )


def _copy_rows(
    *, edition: RoadmapEdition, groups, by, ctx: PlanContext
) -> list[Activity]:
    """groups: [(section title or None, [dict of cells + optional source])]."""
    activities = []
    position = 0
    for s_position, (title, rows) in enumerate(groups, start=1):
        section = None
        if title:
            section = Section(edition=edition, position=s_position, title=title)
            section._history_user = by
            section.save()
        for row in rows:
            position += 1
            activity = Activity(
                edition=edition,
                section=section,
                position=position,
                title=row["title"],
                description=row.get("description", ""),
                deadline_text=row.get("deadline_text", ""),
                responsible_text=row.get("responsible", ""),
                indicator_text=row.get("indicator", ""),
                source_activity=row.get("source"),
            )
            apply_derived(activity, ctx)
            activities.append(activity)
    activities = bulk_create_with_history(activities, Activity, default_user=by)
    save_executors(activities, ctx)
    # A taken activity addresses the same risk factors as its source.
    Tag = Activity.risk_factors.through
    flat = [row for _title, group in groups for row in group]
    Tag.objects.bulk_create(
        Tag(activity_id=activity.pk, riskfactor_id=factor_id)
        for activity, row in zip(activities, flat, strict=True)
        for factor_id in row.get("risk_factor_ids", ())
    )
    return activities


def _groups_from_upper(activities: list[Activity]):
    groups: list[tuple[str | None, list[dict]]] = []
    for a in activities:
        title = a.section.title if a.section else None
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(
            {
                "title": a.title,
                "description": a.description,
                "deadline_text": a.deadline_text,
                "responsible": a.responsible_text,
                "indicator": a.indicator_text,
                "source": a,
                "risk_factor_ids": [f.pk for f in a.risk_factors.all()],
            }
        )
    return groups


def _groups_from_template(template: RoadmapTemplate):
    return [
        (s.get("title"), list(s.get("activities", [])))
        for s in template.content.get("sections", [])
    ]


@transaction.atomic
def roadmap_create(
    *,
    by,
    owner: Organisation,
    project: Project,
    title: str,
    period_start,
    period_end,
    numbering: str = Numbering.FLAT,
    optional_columns: set[str] = frozenset(),
    template: RoadmapTemplate | None = None,
    source: Roadmap | None = None,
) -> Roadmap:
    """Open a draft plan for a body, empty or filled from a template or the
    plan one level up (each taken activity keeps a link to its source)."""
    if not can(by, "create_roadmap", owner):
        raise Refused("not_editor")
    errors = plan_header_errors(title, period_start, period_end)
    level = LEVEL_OF_KIND_LEVEL[owner.kind.level]
    if template is not None and template.level != level:
        errors["template"] = ValidationError(
            _("This template is for plans of another level."), code="template_level"
        )
    if (
        source is not None
        and not upper_sources(user=by, owner=owner).filter(pk=source.pk).exists()
    ):
        errors["source"] = ValidationError(
            _("Choose a plan in force one level above this body."),
            code="source_not_upper",
        )
    if errors:
        raise ValidationError(errors)
    roadmap = Roadmap(
        owner=owner,
        level=level,
        region_id=owner.region_id,
        municipality_id=owner.municipality_id,
        project=project,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )
    roadmap.search_text = search_text_for(roadmap)
    roadmap._history_user = by
    roadmap.save()
    if template is not None:
        optional_columns = set(optional_columns) | set(
            template.content.get("optional_columns", [])
        )
    edition = RoadmapEdition(
        roadmap=roadmap,
        number=1,
        numbering=numbering,
        columns=build_columns(numbering=numbering, optional=set(optional_columns)),
    )
    edition._history_user = by
    edition.save()
    ctx = PlanContext.for_owner(owner, (period_start, period_end))
    if template is not None:
        _copy_rows(
            edition=edition, groups=_groups_from_template(template), by=by, ctx=ctx
        )
    elif source is not None:
        upper = taken_activities(edition=source.current_edition, owner=owner)
        _copy_rows(edition=edition, groups=_groups_from_upper(upper), by=by, ctx=ctx)
    edition_renumber(edition)
    roadmap.latest_edition = edition
    roadmap.save(update_fields=["latest_edition"])
    return roadmap
