"""The activity list and my tasks as Excel, through the export jobs: streamed
when small, generated in the background with progress when large."""

from __future__ import annotations

from datetime import date

from django.http import QueryDict
from django.utils.translation import gettext as _

from roadmaps.exports.jobs import Prepared, export_kind

from .exports import write_activities
from .filters import ActivityFilter, TaskFilter
from .selectors import activities_in_force, my_tasks, with_execution


def _filtered(filterset):
    if not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


@export_kind("activities")
def activity_list(user, filters: QueryDict, today: date) -> Prepared:
    """The activity list with the page's own filters."""
    visible = activities_in_force(user=user)
    filterset = ActivityFilter(
        filters, queryset=with_execution(visible), on=today, visible=visible
    )
    rows = _filtered(filterset).order_by("deadline_end", "edition_id", "position")
    return Prepared(
        title=_("Activities (list)"),
        filename=f"meropriyatiya_{today:%Y-%m-%d}.xlsx",
        rows=rows.count(),
        write=lambda out, progress: write_activities(
            rows, out, on=today, progress=progress
        ),
    )


@export_kind("my-tasks")
def task_list(user, filters: QueryDict, today: date) -> Prepared:
    """My tasks with the page's own filters."""
    filterset = TaskFilter(
        filters,
        queryset=with_execution(my_tasks(user=user, on=today)),
        on=today,
        visible=activities_in_force(user=user),
    )
    rows = _filtered(filterset).order_by("deadline_end", "edition_id", "position")
    return Prepared(
        title=_("My tasks"),
        filename=f"moi_zadachi_{today:%Y-%m-%d}.xlsx",
        rows=rows.count(),
        write=lambda out, progress: write_activities(
            rows, out, on=today, tasks=True, progress=progress
        ),
    )
