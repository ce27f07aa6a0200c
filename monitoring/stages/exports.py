"""The values of a stage in Excel: schools as rows, indicators as columns.

Written in openpyxl's write-only mode; text that a spreadsheet would take for
a formula is written as text (roadmaps.exports.lists.safe).
"""

from __future__ import annotations

from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from monitoring.models import FieldKind, MonitoringAnswer, MonitoringStage
from roadmaps.exports.lists import safe, write_header

from .selectors import MISSING, SubmissionStatus, is_late

# Forms whose values are exported: sent to the curator or confirmed. Drafts
# and returned forms are the school's unfinished work: only their status.
EXPORTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.CONFIRMED)


def _cell_value(answer: MonitoringAnswer, kind: str):
    if kind in (FieldKind.NUMBER, FieldKind.PERCENT):
        return answer.number
    if kind == FieldKind.BOOLEAN:
        if answer.boolean is None:
            return None
        return _("yes") if answer.boolean else _("no")
    if kind == FieldKind.FILE:
        return answer.file.name.rsplit("/", 1)[-1] if answer.file else None
    return safe(answer.text) or None


def write_stage_values(stage: MonitoringStage, rows, out: IO[bytes]) -> int:
    """Write the completion rows (see selectors.completion_rows) with values."""
    fields = list(stage.fields.order_by("position", "pk"))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Values")[:31])
    fixed = [
        (_("Municipality"), 26),
        (_("School"), 44),
        (_("Status"), 20),
        (_("Late"), 10),
        (_("Sent"), 12),
        (_("Decided"), 12),
    ]
    write_header(ws, fixed + [(f.label, 18) for f in fields], freeze="C2")
    rows = list(rows)
    exported = [r.form_id for r in rows if r.form_status in EXPORTED]
    answers: dict[int, dict[int, MonitoringAnswer]] = {}
    for a in MonitoringAnswer.objects.filter(submission_id__in=exported).iterator(
        chunk_size=2000
    ):
        answers.setdefault(a.submission_id, {})[a.field_id] = a
    statuses = dict(SubmissionStatus.choices)
    for r in rows:
        status = r.form_status or MISSING
        label = statuses.get(status, _("no form"))
        late = is_late(stage, r.form_submitted)
        given = answers.get(r.form_id, {})
        kinds = {f.pk: f.kind for f in fields}
        values = [
            _cell_value(given[f.pk], kinds[f.pk]) if f.pk in given else None
            for f in fields
        ]
        ws.append(
            [
                safe(r.municipality.name if r.municipality else ""),
                safe(r.name),
                str(label),
                _("yes") if late else "",
                timezone.localdate(r.form_submitted) if r.form_submitted else None,
                timezone.localdate(r.form_decided) if r.form_decided else None,
                *values,
            ]
        )
    wb.save(out)
    return len(rows)
