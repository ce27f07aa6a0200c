"""The visit list as Excel: write-only openpyxl, formula-safe text."""

from __future__ import annotations

from datetime import date
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill

from monitoring.models import ScheduleStatus
from roadmaps.exports.lists import CHUNK, safe, write_header

from .querysets import STATE_BADGES, VisitState

OVERDUE_FILL = PatternFill("solid", fgColor="FBE4E4")


def _columns():
    return [
        (_("Region"), 22),
        (_("Municipality"), 26),
        (_("School"), 36),
        (_("Curator"), 26),
        (_("Purpose of the visit"), 40),
        (_("Planned date"), 13),
        (_("Held on"), 13),
        (_("State"), 16),
        (_("Notes"), 60),
        (_("Schedule"), 22),
    ]


def write_visit_list(visits, out: IO[bytes]) -> int:
    """Visits (already scoped, filtered and annotated with `state`) as a
    workbook; overdue rows are filled red. Returns the number of rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Curators' visits"))
    columns = _columns()
    write_header(ws, columns)
    statuses = dict(ScheduleStatus.choices)
    rows = visits.values_list(
        "schedule__municipality__region__name",
        "schedule__municipality__name",
        "school__short_name",
        "school__name",
        "curator__last_name",
        "curator__first_name",
        "curator__username",
        "purpose",
        "planned_on",
        "held_on",
        "state",
        "notes",
        "schedule__status",
    )
    written = 0
    for (
        region,
        municipality,
        school_short,
        school,
        last_name,
        first_name,
        username,
        purpose,
        planned_on,
        held_on,
        state,
        notes,
        status,
    ) in rows.iterator(chunk_size=CHUNK):
        curator = " ".join(p for p in (last_name, first_name) if p) or username
        values = [
            safe(region),
            safe(municipality),
            safe(school_short or school),
            safe(curator),
            safe(purpose),
            planned_on,
            held_on,
            str(STATE_BADGES[VisitState(state)]),
            safe(notes),
            str(statuses.get(status, status)),
        ]
        row = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, date):
                cell.number_format = "DD.MM.YYYY"
            if state == VisitState.OVERDUE:
                cell.fill = OVERDUE_FILL
            row.append(cell)
        ws.append(row)
        written += 1
    wb.save(out)
    return written
