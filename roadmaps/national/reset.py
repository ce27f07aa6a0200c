"""Delete what the generator made (and only that), fast, with plain SQL.

Generated regions have codes starting with "gen-" and generated users
usernames starting with "gen."; everything else hangs off those. Rows that
other people added later to generated plans (comments, reports, events,
uploads) go with them; demo and real data are never touched.
"""

# Every statement is built from model table names and fixed prefixes, never
# from input: S608 does not apply.
# ruff: noqa: S608

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models

from monitoring.models import (
    ActivityReport,
    CuratorVisit,
    MonitoringAnswer,
    MonitoringField,
    MonitoringStage,
    MonitoringSubmission,
    ReportEvidence,
    RiskProfile,
    RiskProfileEntry,
    SubmissionEvent,
    VisitSchedule,
)
from schools.models import (
    CuratorAssignment,
    Membership,
    Municipality,
    Organisation,
    ProjectParticipation,
    Region,
)

from ..models import (
    Activity,
    ActivityExecutor,
    Comment,
    DocumentEvent,
    EditionEvent,
    ImportUpload,
    Order,
    OrderClause,
    OrderReference,
    Roadmap,
    RoadmapEdition,
    SchoolDocument,
    Section,
)
from .state import REGION_PREFIX, USER_PREFIX


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def delete_generated() -> int:
    """Delete generated data; return the number of regions removed."""
    regions = f"SELECT id FROM {_t(Region)} WHERE code LIKE '{REGION_PREFIX}%'"
    orgs = f"SELECT id FROM {_t(Organisation)} WHERE region_id IN ({regions})"
    munis = f"SELECT id FROM {_t(Municipality)} WHERE region_id IN ({regions})"
    roadmaps = f"SELECT id FROM {_t(Roadmap)} WHERE region_id IN ({regions})"
    editions = f"SELECT id FROM {_t(RoadmapEdition)} WHERE roadmap_id IN ({roadmaps})"
    activities = f"SELECT id FROM {_t(Activity)} WHERE edition_id IN ({editions})"
    orders = f"SELECT id FROM {_t(Order)} WHERE issuer_id IN ({orgs})"
    stages = f"SELECT id FROM {_t(MonitoringStage)} WHERE region_id IN ({regions})"
    # A school fills only its own region's stages: both lists are the same
    # forms, taken twice to stay out of an OR the planner cannot hash.
    by_stage = f"SELECT id FROM {_t(MonitoringSubmission)} WHERE stage_id IN ({stages})"
    by_school = f"SELECT id FROM {_t(MonitoringSubmission)} WHERE school_id IN ({orgs})"
    profiles = f"SELECT id FROM {_t(RiskProfile)} WHERE school_id IN ({orgs})"
    schedules = f"SELECT id FROM {_t(VisitSchedule)} WHERE municipality_id IN ({munis})"
    reports = f"SELECT id FROM {_t(ActivityReport)} WHERE roadmap_id IN ({roadmaps})"
    documents = f"SELECT id FROM {_t(SchoolDocument)} WHERE school_id IN ({orgs})"
    risk_links = Activity.risk_factors.through
    based_on = Order.based_on.through
    statements = [
        f"DELETE FROM {_t(ReportEvidence)} WHERE report_id IN ({reports})",
        f"DELETE FROM {_t(ActivityReport)} WHERE roadmap_id IN ({roadmaps})",
        f"DELETE FROM {_t(risk_links)} WHERE activity_id IN ({activities})",
        f"DELETE FROM {_t(ActivityExecutor)} WHERE activity_id IN ({activities})",
        f"DELETE FROM {_t(ActivityExecutor)} WHERE organisation_id IN ({orgs})",
        f"DELETE FROM {_t(Comment)} WHERE edition_id IN ({editions})",
        f"DELETE FROM {_t(EditionEvent)} WHERE edition_id IN ({editions})",
        f"UPDATE {_t(Roadmap)} SET current_edition_id = NULL, "
        f"latest_edition_id = NULL WHERE id IN ({roadmaps})",
        f"UPDATE {_t(Activity)} SET source_activity_id = NULL "
        f"WHERE source_activity_id IN ({activities})",
        f"DELETE FROM {_t(Activity)} WHERE edition_id IN ({editions})",
        f"DELETE FROM {_t(Section)} WHERE edition_id IN ({editions})",
        f"UPDATE {_t(RoadmapEdition)} SET replaces_id = NULL "
        f"WHERE roadmap_id IN ({roadmaps})",
        f"DELETE FROM {_t(RoadmapEdition)} WHERE roadmap_id IN ({roadmaps})",
        f"DELETE FROM {_t(ImportUpload)} WHERE owner_id IN ({orgs})",
        f"DELETE FROM {_t(ImportUpload)} WHERE target_id IN ({roadmaps})",
        f"DELETE FROM {_t(Roadmap)} WHERE region_id IN ({regions})",
        f"DELETE FROM {_t(based_on)} WHERE from_order_id IN ({orders})",
        f"DELETE FROM {_t(based_on)} WHERE to_order_id IN ({orders})",
        f"UPDATE {_t(OrderReference)} SET target_id = NULL "
        f"WHERE target_id IN ({orders})",
        f"DELETE FROM {_t(OrderReference)} WHERE order_id IN ({orders})",
        f"DELETE FROM {_t(OrderClause)} WHERE order_id IN ({orders})",
        f"UPDATE {_t(Order)} SET amends_id = NULL WHERE amends_id IN ({orders})",
        f"DELETE FROM {_t(Order)} WHERE issuer_id IN ({orgs})",
        *(
            f"DELETE FROM {_t(model)} WHERE {column} IN ({submissions})"
            for submissions in (by_stage, by_school)
            for model, column in (
                (SubmissionEvent, "submission_id"),
                (MonitoringAnswer, "submission_id"),
                (MonitoringSubmission, "id"),
            )
        ),
        f"DELETE FROM {_t(MonitoringField)} WHERE stage_id IN ({stages})",
        f"DELETE FROM {_t(MonitoringStage)} WHERE region_id IN ({regions})",
        f"DELETE FROM {_t(RiskProfileEntry)} WHERE profile_id IN ({profiles})",
        f"DELETE FROM {_t(RiskProfile)} WHERE school_id IN ({orgs})",
        f"DELETE FROM {_t(CuratorVisit)} WHERE schedule_id IN ({schedules})",
        f"DELETE FROM {_t(CuratorVisit)} WHERE school_id IN ({orgs})",
        f"DELETE FROM {_t(VisitSchedule)} WHERE municipality_id IN ({munis})",
        f"DELETE FROM {_t(DocumentEvent)} WHERE document_id IN ({documents})",
        f"DELETE FROM {_t(SchoolDocument)} WHERE school_id IN ({orgs})",
        f"DELETE FROM {_t(ProjectParticipation)} WHERE school_id IN ({orgs})",
        f"DELETE FROM {_t(CuratorAssignment)} WHERE school_id IN ({orgs})",
        f"DELETE FROM {_t(Membership)} WHERE organisation_id IN ({orgs})",
        f"UPDATE {_t(Organisation)} SET parent_id = NULL WHERE id IN ({orgs})",
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Room to hash the id lists instead of rescanning them per row.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(regions)
        count = len(cursor.fetchall())
        for sql in statements:
            cursor.execute(sql)
        # Bodies and territories last, once nothing points at them.
        cursor.execute(f"DELETE FROM {_t(Organisation)} WHERE region_id IN ({regions})")
        cursor.execute(f"DELETE FROM {_t(Municipality)} WHERE region_id IN ({regions})")
        cursor.execute(f"DELETE FROM {_t(Region)} WHERE code LIKE '{REGION_PREFIX}%'")
    _delete_users()
    return count


def _delete_users() -> None:
    """Generated users and whatever still points at them."""
    User = get_user_model()
    users = f"SELECT id FROM {_t(User)} WHERE username LIKE '{USER_PREFIX}%'"
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model is User:
                continue
            for field in model._meta.concrete_fields:
                if not (
                    isinstance(field, models.ForeignKey)
                    and field.remote_field.model is User
                ):
                    continue
                column = connection.ops.quote_name(field.column)
                if field.null:
                    cursor.execute(
                        f"UPDATE {_t(model)} SET {column} = NULL "
                        f"WHERE {column} IN ({users})"
                    )
                else:
                    cursor.execute(
                        f"DELETE FROM {_t(model)} WHERE {column} IN ({users})"
                    )
        cursor.execute(f"DELETE FROM {_t(User)} WHERE username LIKE '{USER_PREFIX}%'")
