"""The coverage of chosen risks as an Excel workbook (write-only, streamed rows)."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from monitoring.models import ProfileStatus, RiskLevel
from roadmaps.exports.lists import CHUNK, safe, write_header
from roadmaps.models import SchoolDocument


def coverage_columns():
    return [
        (_("Region"), 24),
        (_("Municipality"), 26),
        (_("School"), 40),
        (_("Profile status"), 22),
        (_("No."), 5),
        (_("Risk factor"), 50),
        (_("Level"), 12),
        (_("Activities"), 11),
        (_("Covered"), 10),
        (_("Anti-risk programme"), 24),
    ]


def write_coverage(entries, out: IO[bytes], *, year: int) -> int:
    """One row per chosen risk (entries annotated by selectors.with_coverage)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Risk coverage %(year)s") % {"year": year})
    columns = coverage_columns()
    write_header(ws, columns)
    statuses = dict(ProfileStatus.choices)
    levels = dict(RiskLevel.choices)
    programmes = dict(SchoolDocument.Status.choices)
    rows = entries.order_by(
        "profile__school__region__name",
        "profile__school__municipality__name",
        "profile__school__name",
        "factor__number",
    ).values_list(
        "profile__school__region__name",
        "profile__school__municipality__name",
        "profile__school__short_name",
        "profile__school__name",
        "profile__status",
        "factor__number",
        "factor__name",
        "level",
        "activity_count",
        "programme_status",
    )
    count = 0
    for (
        region,
        municipality,
        short_name,
        name,
        status,
        number,
        factor,
        level,
        activities,
        programme,
    ) in rows.iterator(chunk_size=CHUNK):
        ws.append(
            [
                safe(region or ""),
                safe(municipality or ""),
                safe(short_name or name),
                str(statuses.get(status, status)),
                number,
                safe(factor),
                str(levels.get(level, level)),
                activities,
                _("yes") if activities else _("no"),
                str(programmes[programme]) if programme else _("none"),
            ]
        )
        count += 1
    wb.save(out)
    return count
