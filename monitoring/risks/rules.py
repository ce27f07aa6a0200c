"""Object-level rights of risk profiles, registered in schools.access (see ready()).

The school (its director or school coordinator) fills its profile and submits
it; the curator assigned to the school for the profile's year verifies it or
returns it for revision; everyone whose territory holds the school reads it.
Only drafts and returned profiles change.
"""

from __future__ import annotations

from monitoring.models import ProfileStatus, RiskProfile
from schools.access import rule, scope_for
from schools.models import CuratorAssignment, Organisation, Role

SCHOOL = "school"  # the school itself
CURATOR = "curator"  # a curator assigned to the school for the profile's year

EDITABLE = (ProfileStatus.DRAFT, ProfileStatus.RETURNED)

# action -> (actor kind, statuses it may move the profile from, target status)
MOVES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "submit": (SCHOOL, EDITABLE, ProfileStatus.SUBMITTED),
    "verify": (CURATOR, (ProfileStatus.SUBMITTED,), ProfileStatus.VERIFIED),
    "return": (
        CURATOR,
        (ProfileStatus.SUBMITTED, ProfileStatus.VERIFIED),
        ProfileStatus.RETURNED,
    ),
}


def school_in_scope(user, school: Organisation) -> bool:
    """The school lies in the user's territory (no query: the scope is cached)."""
    scope = scope_for(user)
    if scope.everything:
        return True
    return (
        school.region_id in scope.region_ids
        or (
            school.municipality_id is not None
            and school.municipality_id in scope.municipality_ids
        )
        or school.pk in scope.school_ids
    )


def actor_kinds(user, profile: RiskProfile) -> set[str]:
    """How the user stands towards the profile: the school, its curator, both."""
    scope = scope_for(user)
    kinds = set()
    if scope.holds(Role.SCHOOL, organisation=profile.school_id):
        kinds.add(SCHOOL)
    if (
        Role.CURATOR in scope.roles
        and CuratorAssignment.objects.filter(
            curator=user,
            school_id=profile.school_id,
            project_id=profile.project_id,
            year=profile.year,
        ).exists()
    ):
        kinds.add(CURATOR)
    return kinds


def allowed_moves(user, profile: RiskProfile, kinds: set[str] | None = None):
    """The moves the user may make on the profile in its present status."""
    if kinds is None:
        kinds = actor_kinds(user, profile)
    if profile.pk is None:
        return []
    return [
        action
        for action, (actor, sources, _target) in MOVES.items()
        if actor in kinds and profile.status in sources
    ]


@rule(RiskProfile, "view")
def profile_view(user, profile: RiskProfile) -> bool:
    return school_in_scope(user, profile.school)


@rule(RiskProfile, "edit")
def profile_edit(user, profile: RiskProfile) -> bool:
    return (
        profile.status in EDITABLE
        and school_in_scope(user, profile.school)
        and scope_for(user).holds(Role.SCHOOL, organisation=profile.school_id)
    )


def _move_rule(action):
    def check(user, profile: RiskProfile) -> bool:
        return school_in_scope(user, profile.school) and action in allowed_moves(
            user, profile
        )

    return check


for _action in MOVES:
    rule(RiskProfile, _action)(_move_rule(_action))
