"""One line of the audit log, made from a row the selectors read.

The record's fields arrive as JSON (selectors.py), so values come back as
JSON types; each is turned back into its field's Python value for display.
A change shows the fields that differ from the previous record of the same
object; a creation shows what was filled in; a workflow move shows the
status it left and reached, and its comment.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .sources import NUMBERED_TARGETS, TARGET_NAMES, Source

ACTIONS = {
    "+": pgettext_lazy("audit action", "created"),
    "~": pgettext_lazy("audit action", "changed"),
    "-": pgettext_lazy("audit action", "deleted"),
}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: dt.datetime
    who: str | None
    action: str  # "+", "~", "-" or "event"
    action_label: str
    kind: str
    label: str
    link: str | None
    changes: list[Change] = field(default_factory=list)
    comment: str = ""

    def changes_text(self) -> str:
        """The changes one per line, as the export writes them."""
        return "\n".join(
            f"{c.field}: {c.old} → {c.new}" if c.old else f"{c.field}: {c.new}"
            for c in self.changes
        )


def _python(f: models.Field, value):
    if isinstance(f, models.JSONField):
        return json.loads(value) if isinstance(value, str) else value
    try:
        return f.to_python(value)
    except ValidationError:
        return value


def shown(f: models.Field, value, data: dict) -> str:
    """A recorded value as a person reads it."""
    if value is None or value == "":
        return "—"
    if f.is_relation:
        target = f.related_model._meta.label_lower
        name = TARGET_NAMES.get(target)
        named = data.get(f"{f.name}__{name}") if name else None
        if named in (None, ""):
            return f"#{value}"
        return f"№ {named}" if target in NUMBERED_TARGETS else str(named)
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    value = _python(f, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):  # SQLite keeps UTC without its zone
            value = timezone.make_aware(value, dt.UTC)
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _diff(source: Source, old: dict, new: dict) -> list[Change]:
    return [
        Change(
            str(f.verbose_name), shown(f, old.get(k), old), shown(f, new.get(k), new)
        )
        for f in source.diff_fields
        if old.get(k := f.attname) != new.get(k)
    ]


def _filled(source: Source, data: dict) -> list[Change]:
    return [
        Change(str(f.verbose_name), "", shown(f, data.get(f.attname), data))
        for f in source.diff_fields
        if data.get(f.attname) not in (None, "", [], {})
    ]


def _choice(model, name: str, value) -> str:
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except LookupError:
        choices = {}
    return str(choices.get(value, value or "—"))


def _event(source: Source, data: dict) -> tuple[str, list[Change], str]:
    status = _("status")
    change = Change(
        status,
        _choice(source.subject, "status", data.get("_from")),
        _choice(source.subject, "status", data.get("_to")),
    )
    action = _choice(source.table, "action", data.get("_action"))
    return action, [change], data.get("_comment") or ""


def entry(source: Source, at: dt.datetime, row: dict) -> Entry:
    """The log line of one row of the details query."""
    data = row["data"] or {}
    comment = ""
    if source.is_event:
        action = "event"
        action_label, changes, comment = _event(source, data)
    else:
        action = row["act"]
        action_label = str(ACTIONS.get(action, action))
        prev = row["prev"]
        if action == "-":
            changes = []
        elif action == "~" and prev is not None:
            changes = _diff(source, prev, data)
        else:
            changes = _filled(source, data)
    return Entry(
        at=at,
        who=row["who"],
        action=action,
        action_label=action_label,
        kind=source.verbose_name,
        label=source.label(data),
        link=None if action == "-" else source.link(data),
        changes=changes,
        comment=comment,
    )
