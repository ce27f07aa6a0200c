"""Table exports: the filtered roadmap list and the consolidated workbook.

Written with openpyxl's write-only mode row by row from `.iterator()`
querysets, so memory stays flat whatever the number of plans or activities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from monitoring import progress as monitoring_progress

from ..models import Activity, Level, RoadmapEdition

CHUNK = 2000


def write_header(ws, columns, *, freeze: str = "A2") -> None:
    """The bold, wrapped header row of a write-only sheet from (title, width)
    pairs, with the column widths; the panes freeze below it (and left of
    `freeze`'s column). Titles go through `safe`: some are typed by users."""
    for i, (_title, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    row = []
    for title, _width in columns:
        cell = WriteOnlyCell(ws, value=safe(str(title)))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row.append(cell)
    ws.append(row)
    ws.freeze_panes = freeze


def safe(value):
    """Text that a spreadsheet would take for a formula is written as text.

    Control characters an Excel file cannot hold (a vertical tab is Word's
    line break in copied text) are dropped: openpyxl refuses them, which
    would fail the whole export.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


PLAN_COLUMNS = [
    (_("Roadmap"), 60),
    (_("Body"), 40),
    (_("Level"), 14),
    (_("Region"), 24),
    (_("Municipality"), 24),
    (_("Year"), 8),
    (_("Project"), 16),
    (_("Status"), 22),
    (_("Edition"), 9),
    (_("Approving order"), 26),
    (_("Activities"), 12),
    (_("Done, %"), 11),
    (_("Overdue"), 11),
]


def _count(activities) -> Subquery:
    return Subquery(
        activities.order_by().values("edition").annotate(c=Count("pk")).values("c"),
        output_field=IntegerField(),
    )


def _plan_rows(roadmaps, today: date):
    """Rows of the plans sheet. Execution counts read the edition in force (one
    subquery each, whatever the number of plans) by monitoring.progress."""
    in_force = Activity.objects.filter(edition=OuterRef("current_edition"))
    rows = roadmaps.annotate(
        in_force_count=_count(in_force),
        done_count=_count(in_force.filter(monitoring_progress.done_exists())),
        overdue_count=_count(in_force.filter(monitoring_progress.overdue_q(today))),
    ).values_list(
        "title",
        "owner__name",
        "level",
        "region__name",
        "municipality__name",
        "period_start",
        "project__short_name",
        "latest_edition__status",
        "latest_edition__number",
        "current_edition__approving_order__date",
        "current_edition__approving_order__number",
        "activity_count",
        "current_edition",
        "in_force_count",
        "done_count",
        "overdue_count",
    )
    levels = dict(Level.choices)
    statuses = dict(RoadmapEdition.Status.choices)
    for (
        title,
        owner,
        level,
        region,
        municipality,
        start,
        project,
        status,
        number,
        order_date,
        order_number,
        count,
        current,
        in_force_count,
        done,
        overdue,
    ) in rows.iterator(chunk_size=CHUNK):
        order = f"{order_date:%d.%m.%Y} № {safe(order_number)}" if order_number else ""
        share = None
        if current is not None and in_force_count:
            share = round(100 * (done or 0) / in_force_count, 1)
        yield [
            safe(title),
            safe(owner),
            str(levels.get(level, level)),
            safe(region or ""),
            safe(municipality or ""),
            start.year,
            safe(project or ""),
            str(statuses.get(status, status or "")),
            number,
            order,
            count or 0,
            share,
            (overdue or 0) if current is not None else None,
        ]


def write_roadmap_list(roadmaps, out: IO[bytes], *, today: date, progress=None) -> int:
    """The roadmap list (already filtered and scoped) as a workbook."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Roadmaps"))
    write_header(ws, PLAN_COLUMNS)
    written = 0
    for row in _plan_rows(roadmaps, today):
        ws.append(row)
        written += 1
        if progress is not None:
            progress(written)
    wb.save(out)
    return written


ACTIVITY_COLUMNS = [
    (_("Body"), 36),
    (_("Roadmap"), 40),
    (_("Edition"), 9),
    (_("Section"), 30),
    (_("No."), 7),
    (_("Activity"), 60),
    (_("Deadline"), 18),
    (_("From"), 11),
    (_("To"), 11),
    (_("Responsible"), 36),
    (_("Indicator"), 36),
    (_("Execution"), 22),
    (_("Overdue"), 10),
]


def write_consolidated(roadmaps, out: IO[bytes], *, today: date, progress=None) -> int:
    """Every plan in scope, then every activity of their latest editions.

    Execution (state, overdue) is given for the activities of editions in
    force; a draft's activities are not carried out yet.
    """
    wb = Workbook(write_only=True)
    plans = wb.create_sheet(_("Plans"))
    write_header(plans, PLAN_COLUMNS)
    done_rows = 0
    for row in _plan_rows(roadmaps, today):
        plans.append(row)
        done_rows += 1
        if progress is not None:
            progress(done_rows)
    sheet = wb.create_sheet(_("Activities"))
    write_header(sheet, ACTIVITY_COLUMNS)
    activities = (
        monitoring_progress.with_progress(
            Activity.objects.filter(edition__in=roadmaps.values("latest_edition"))
        )
        .order_by("edition__roadmap__owner__name", "edition_id", "position")
        .values_list(
            "edition__roadmap__owner__name",
            "edition__roadmap__title",
            "edition__number",
            "section__title",
            "number",
            "title",
            "deadline_text",
            "deadline_start",
            "deadline_end",
            "responsible_text",
            "indicator_text",
            "edition__status",
            "latest_result",
            "latest_decision",
        )
    )
    written = 0
    yes = _("yes")
    for (
        owner,
        title,
        edition,
        section,
        number,
        activity,
        deadline,
        start,
        end,
        responsible,
        indicator,
        edition_status,
        result,
        decision,
    ) in activities.iterator(chunk_size=CHUNK):
        state = overdue = ""
        if edition_status == RoadmapEdition.Status.APPROVED:
            found = monitoring_progress.progress_of(
                _Row(end, start, result, decision), today
            )
            state = str(found.label)
            overdue = yes if found.overdue else ""
        sheet.append(
            [
                safe(owner),
                safe(title),
                edition,
                safe(section or ""),
                safe(number),
                safe(activity),
                safe(deadline),
                start,
                end,
                safe(responsible),
                safe(indicator),
                state,
                overdue,
            ]
        )
        written += 1
        if progress is not None:
            progress(done_rows + written)
    wb.save(out)
    return written


@dataclass(frozen=True)
class _Row:
    """What progress_of reads of an activity."""

    deadline_end: date | None
    deadline_start: date | None
    latest_result: str | None
    latest_decision: str | None


def scope_filter(roadmaps, *, region=None, municipality=None):
    """Narrow to a region or a municipality (and their schools)."""
    if municipality is not None:
        return roadmaps.filter(municipality=municipality)
    if region is not None:
        return roadmaps.filter(Q(region=region))
    return roadmaps
