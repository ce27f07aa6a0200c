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


def _prepared(
    filterset_class, activities, user, filters, today, *, title, filename, tasks=False
) -> Prepared:
    """The rows the page's own filters (and choices, from the user's scope)
    keep, counted and ready to write."""
    filterset = filterset_class(
        filters, queryset=with_execution(activities), on=today, user=user
    )
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    rows = rows.order_by("deadline_end", "edition_id", "position")
    return Prepared(
        title=title,
        filename=f"{filename}_{today:%Y-%m-%d}.xlsx",
        rows=rows.count(),
        write=lambda out, progress: write_activities(
            rows, out, on=today, tasks=tasks, progress=progress
        ),
    )


@export_kind("activities")
def activity_list(user, filters: QueryDict, today: date) -> Prepared:
    """The activity list with the page's own filters."""
    return _prepared(
        ActivityFilter,
        activities_in_force(user=user),
        user,
        filters,
        today,
        title=_("Activities (list)"),
        filename="meropriyatiya",
    )


@export_kind("my-tasks")
def task_list(user, filters: QueryDict, today: date) -> Prepared:
    """My tasks with the page's own filters."""
    return _prepared(
        TaskFilter,
        my_tasks(user=user, on=today),
        user,
        filters,
        today,
        title=_("My tasks"),
        filename="moi_zadachi",
        tasks=True,
    )
