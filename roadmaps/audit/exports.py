"""The filtered audit log as an Excel workbook (the "audit" export kind).

Registered with the portal's export jobs (roadmaps/exports/jobs.py): small
logs are streamed at once, large ones are written by the task worker with a
progress counter. Rows are written in openpyxl's write-only mode batch by
batch, and every text a user typed goes through the formula-safe `safe()`.
"""

from __future__ import annotations

from datetime import date
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment

from ..exports.jobs import Prepared, export_kind
from ..exports.lists import safe, write_header
from .entries import Entry
from .filters import AuditFilterForm
from .selectors import Criteria, can_read_log, log_count, log_entries

COLUMNS = [
    (gettext_lazy("When"), 18),
    (gettext_lazy("User"), 18),
    (gettext_lazy("Action"), 16),
    (gettext_lazy("Object type"), 24),
    (gettext_lazy("Object"), 50),
    (gettext_lazy("Changes"), 70),
    (gettext_lazy("Comment"), 40),
    (gettext_lazy("Link"), 40),
]
WRAP = Alignment(wrap_text=True, vertical="top")


def _row(ws, e: Entry) -> list:
    when = WriteOnlyCell(ws, value=timezone.localtime(e.at).replace(tzinfo=None))
    when.number_format = "DD.MM.YYYY HH:MM:SS"
    changes = WriteOnlyCell(ws, value=safe(e.changes_text()))
    changes.alignment = WRAP
    link = f"{settings.PORTAL_URL.rstrip('/')}{e.link}" if e.link else ""
    return [
        when,
        safe(e.who or _("system")),
        str(e.action_label),
        e.kind,
        safe(e.label),
        changes,
        safe(e.comment),
        link,
    ]


def write_log(criteria: Criteria, out: IO[bytes], progress=None) -> int:
    """The filtered log, newest first, as one sheet."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Audit log"))
    write_header(ws, COLUMNS)
    written = 0
    for e in log_entries(criteria):
        ws.append(_row(ws, e))
        written += 1
        if progress is not None:
            progress(written)
    wb.save(out)
    return written


@export_kind("audit")
def audit_export(user, filters: QueryDict, today: date) -> Prepared:
    """The audit log with the page's filters; superusers only."""
    if not can_read_log(user):
        raise PermissionDenied
    criteria = AuditFilterForm(filters).criteria()
    if criteria is None:
        raise Http404
    return Prepared(
        title=_("Audit log"),
        filename=f"zhurnal_audita_{today:%Y-%m-%d}.xlsx",
        rows=log_count(criteria),
        write=lambda out, progress: write_log(criteria, out, progress),
    )
