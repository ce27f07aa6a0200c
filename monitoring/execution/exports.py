"""The activity list and «my tasks» as Excel (write-only, formula-safe)."""

from __future__ import annotations

from datetime import date
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from monitoring.models import ReportDecision
from roadmaps.exports.lists import CHUNK, safe, write_header
from roadmaps.models import Level

from .display import execution_of
from .filters import TASK_CHOICES

COLUMNS = [
    (gettext_lazy("Region"), 22),
    (gettext_lazy("Municipality"), 22),
    (gettext_lazy("Body"), 36),
    (gettext_lazy("Level"), 12),
    (gettext_lazy("Roadmap"), 40),
    (gettext_lazy("No."), 7),
    (gettext_lazy("Activity"), 60),
    (gettext_lazy("Deadline"), 18),
    (gettext_lazy("From"), 11),
    (gettext_lazy("To"), 11),
    (gettext_lazy("Responsible"), 30),
    (gettext_lazy("Indicator"), 30),
    (gettext_lazy("Execution"), 20),
    (gettext_lazy("Overdue"), 10),
    (gettext_lazy("Report date"), 11),
    (gettext_lazy("Actual value"), 12),
    (gettext_lazy("Target"), 22),
    (gettext_lazy("Target met"), 10),
    (gettext_lazy("Curator's decision"), 20),
    (gettext_lazy("Evidence"), 10),
    (gettext_lazy("Risk factors"), 16),
]
TASK_COLUMN = (gettext_lazy("Task"), 24)


def task_labels(activity) -> list[tuple[str, str]]:
    """(code, label) of the kinds of task an activity makes for the user."""
    return [
        (code, str(label))
        for code, label in TASK_CHOICES
        if getattr(activity, f"task_{code}", False)
    ]


def write_activities(
    activities, out: IO[bytes], *, on: date, tasks=False, progress=None
) -> int:
    """Activities (already filtered and scoped, annotated by with_execution)."""
    columns = [TASK_COLUMN, *COLUMNS] if tasks else COLUMNS
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("My tasks") if tasks else _("Activities"))
    write_header(ws, columns)
    levels = dict(Level.choices)
    decisions = dict(ReportDecision.choices)
    yes, no = _("yes"), _("no")
    rows = activities.select_related(
        "edition__roadmap__owner",
        "edition__roadmap__region",
        "edition__roadmap__municipality",
    )
    written = 0
    for activity in rows.iterator(chunk_size=CHUNK):
        roadmap = activity.edition.roadmap
        execution = execution_of(activity, on)
        decision = getattr(activity, "latest_decision", None)
        row = [
            safe(roadmap.region.name if roadmap.region else ""),
            safe(roadmap.municipality.name if roadmap.municipality else ""),
            safe(roadmap.owner.name),
            str(levels.get(roadmap.level, roadmap.level)),
            safe(roadmap.title),
            safe(activity.number),
            safe(activity.title),
            safe(activity.deadline_text),
            activity.deadline_start,
            activity.deadline_end,
            safe(activity.responsible_text),
            safe(activity.indicator_text),
            str(execution.progress.label),
            yes if execution.progress.overdue else "",
            execution.done_on,
            getattr(activity, "latest_actual", None),
            safe(execution.target),
            ""
            if execution.target_met is None
            else (yes if execution.target_met else no),
            str(decisions[decision]) if decision else "",
            execution.evidence_count,
            ", ".join(number for number, _name in execution.risks),
        ]
        if tasks:
            row.insert(0, ", ".join(label for _c, label in task_labels(activity)))
        ws.append(row)
        written += 1
        if progress is not None:
            progress(written)
    wb.save(out)
    return written
