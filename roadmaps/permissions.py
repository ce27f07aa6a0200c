"""Object-level rights on roadmaps and orders (registered in schools.access).

Edit rights follow DOMAIN.md: the regional department edits the regional
plan-graph, a municipal coordinator its municipality's roadmaps, a school its
own; the regional coordinator only the regional activities assigned to it; a
curator comments but never edits; the observer and the administrator only
read. Only drafts and returned editions change.
"""

from schools.access import rule, scope_for
from schools.models import Organisation, OrganisationKind, Role

from .models import (
    Activity,
    ExecutorRole,
    Level,
    Order,
    Roadmap,
    RoadmapEdition,
    Section,
)


def has_full_view(user, roadmap: Roadmap) -> bool:
    """True when the plan lies in the user's own territory (drafts included),
    not merely above it."""
    scope = scope_for(user)
    return (
        scope.everything
        or roadmap.region_id in scope.region_ids
        or (
            roadmap.municipality_id is not None
            and roadmap.municipality_id in scope.municipality_ids
        )
        or roadmap.owner_id in scope.school_ids
    )


def is_plan_editor(user, roadmap: Roadmap) -> bool:
    """The user writes this plan: the right role at the plan's own level."""
    scope = scope_for(user)
    if roadmap.level == Level.REGIONAL:
        return scope.holds(Role.REGIONAL_STAFF, region=roadmap.region_id)
    if roadmap.level == Level.MUNICIPAL:
        return roadmap.municipality_id is not None and scope.holds(
            Role.MUNICIPAL_COORDINATOR, municipality=roadmap.municipality_id
        )
    return scope.holds(Role.SCHOOL, organisation=roadmap.owner_id)


def may_open_editor(user, roadmap: Roadmap) -> bool:
    """Plan editors, and regional coordinators for the regional plan-graph."""
    if is_plan_editor(user, roadmap):
        return True
    return roadmap.level == Level.REGIONAL and scope_for(user).holds(
        Role.REGIONAL_COORDINATOR, region=roadmap.region_id
    )


@rule(Roadmap, "view")
def roadmap_view(user, roadmap: Roadmap) -> bool:
    return Roadmap.objects.visible_to(user).filter(pk=roadmap.pk).exists()


@rule(RoadmapEdition, "view")
def edition_view(user, edition: RoadmapEdition) -> bool:
    roadmap = edition.roadmap
    if has_full_view(user, roadmap):
        return True
    # Above one's own level only what is (or was) in force is shown.
    return edition.is_frozen and roadmap_view(user, roadmap)


@rule(Roadmap, "edit")
def roadmap_edit(user, roadmap: Roadmap) -> bool:
    return is_plan_editor(user, roadmap)


@rule(RoadmapEdition, "edit")
def edition_edit(user, edition: RoadmapEdition) -> bool:
    return edition.is_editable and is_plan_editor(user, edition.roadmap)


@rule(Section, "edit")
def section_edit(user, section: Section) -> bool:
    return edition_edit(user, section.edition)


REGIONAL_COORDINATOR_ROLES = {
    ExecutorRole.REGIONAL_COORDINATOR,
    ExecutorRole.REGIONAL_OPERATOR,
}


def assigned_to_regional_coordinator(user, activity: Activity) -> bool:
    """A regional activity whose executors name the user's body or role."""
    roadmap = activity.edition.roadmap
    scope = scope_for(user)
    if roadmap.level != Level.REGIONAL or not scope.holds(
        Role.REGIONAL_COORDINATOR, region=roadmap.region_id
    ):
        return False
    own = {
        org
        for role, org, _region, _mun in scope.memberships
        if role == Role.REGIONAL_COORDINATOR
    }
    for executor in activity.executors.all():
        if executor.role in REGIONAL_COORDINATOR_ROLES:
            return True
        if executor.organisation_id in own:
            return True
    return False


@rule(Activity, "edit")
def activity_edit(user, activity: Activity) -> bool:
    edition = activity.edition
    if not edition.is_editable:
        return False
    return is_plan_editor(user, edition.roadmap) or assigned_to_regional_coordinator(
        user, activity
    )


@rule(RoadmapEdition, "comment")
def edition_comment(user, edition: RoadmapEdition) -> bool:
    """Everyone who works in the plan's territory may remark on it."""
    scope = scope_for(user)
    working = scope.roles - {Role.FEDERAL_OBSERVER, Role.ADMINISTRATOR}
    return bool(working) and has_full_view(user, edition.roadmap)


# Which kinds of body each role may open a new plan for.
CREATE_KINDS = {
    Role.REGIONAL_STAFF: {
        OrganisationKind.REGIONAL_AUTHORITY,
        OrganisationKind.REGIONAL_OPERATOR,
    },
    Role.MUNICIPAL_COORDINATOR: {
        OrganisationKind.MUNICIPAL_AUTHORITY,
        OrganisationKind.METHODOLOGICAL_CENTRE,
    },
    Role.SCHOOL: {OrganisationKind.SCHOOL},
}


@rule(Organisation, "create_roadmap")
def organisation_create_roadmap(user, org: Organisation) -> bool:
    scope = scope_for(user)
    kind = org.kind.code
    if kind in CREATE_KINDS[Role.REGIONAL_STAFF]:
        return org.municipality_id is None and scope.holds(
            Role.REGIONAL_STAFF, region=org.region_id
        )
    if kind in CREATE_KINDS[Role.MUNICIPAL_COORDINATOR]:
        return org.municipality_id is not None and scope.holds(
            Role.MUNICIPAL_COORDINATOR, municipality=org.municipality_id
        )
    if kind in CREATE_KINDS[Role.SCHOOL]:
        return scope.holds(Role.SCHOOL, organisation=org.pk)
    return False


@rule(Order, "view")
def order_view(user, order: Order) -> bool:
    return Order.objects.visible_to(user).filter(pk=order.pk).exists()
