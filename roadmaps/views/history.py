"""The plan's change log: who changed what and when; deleted rows come back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from schools.access import Refused

from .. import editing
from ..models import Activity, Roadmap, RoadmapEdition, Section
from ..permissions import has_full_view, is_plan_editor
from ..selectors import roadmap_get_visible
from .edit import editor_url, error_text

TRACKED = {
    "activity": {
        "title": gettext_lazy("activity"),
        "description": gettext_lazy("description"),
        "deadline_text": gettext_lazy("deadline"),
        "responsible_text": gettext_lazy("executors"),
        "indicator_text": gettext_lazy("indicator"),
        "section": gettext_lazy("section"),
    },
    "section": {"title": gettext_lazy("title")},
    "edition": {
        "status": gettext_lazy("status"),
        "numbering": gettext_lazy("numbering"),
        "columns": gettext_lazy("columns"),
    },
    "plan": {
        "title": gettext_lazy("title"),
        "period_start": gettext_lazy("period start"),
        "period_end": gettext_lazy("period end"),
    },
}
# One phrase per kind and action, so that Russian can agree in gender.
WHAT = {
    ("activity", "+"): gettext_lazy("Activity added"),
    ("activity", "~"): gettext_lazy("Activity changed"),
    ("activity", "-"): gettext_lazy("Activity deleted"),
    ("section", "+"): gettext_lazy("Section added"),
    ("section", "~"): gettext_lazy("Section changed"),
    ("section", "-"): gettext_lazy("Section deleted"),
    ("edition", "+"): gettext_lazy("Edition created"),
    ("edition", "~"): gettext_lazy("Edition changed"),
    ("edition", "-"): gettext_lazy("Edition deleted"),
    ("plan", "+"): gettext_lazy("Plan created"),
    ("plan", "~"): gettext_lazy("Plan changed"),
    ("plan", "-"): gettext_lazy("Plan deleted"),
}


@dataclass
class Entry:
    when: datetime
    who: object
    kind: str
    action: str
    label: str
    edition_number: int | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    count: int = 1
    restore_id: int | None = None

    @property
    def what(self):
        return WHAT[(self.kind, self.action)]


def _show(value, section_titles) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(c.get("header", "") for c in value if isinstance(c, dict))
    return str(value)


def _entries(kind, records, label_of, numbers, section_titles, alive) -> list[Entry]:
    entries: list[Entry] = []
    previous: dict[int, object] = {}
    for record in records:
        prev = previous.get(record.id)
        previous[record.id] = record
        changes = []
        if record.history_type == "~" and prev is not None:
            for name, label in TRACKED[kind].items():
                attr = f"{name}_id" if name == "section" else name
                old, new = getattr(prev, attr, None), getattr(record, attr, None)
                if old != new:
                    if name == "section":
                        old = section_titles.get(old, "—")
                        new = section_titles.get(new, "—")
                    changes.append(
                        (
                            str(label),
                            _show(old, section_titles),
                            _show(new, section_titles),
                        )
                    )
            if not changes:
                continue
        entries.append(
            Entry(
                when=record.history_date,
                who=record.history_user,
                kind=kind,
                action=record.history_type,
                label=label_of(record),
                edition_number=numbers.get(getattr(record, "edition_id", None)),
                changes=changes,
                restore_id=record.history_id
                if kind == "activity"
                and record.history_type == "-"
                and record.id not in alive
                else None,
            )
        )
    return entries


def _collapse(entries: list[Entry]) -> list[Entry]:
    """Rows added together (an import, a copy from a plan) read as one line."""
    out: list[Entry] = []
    for e in entries:
        last = out[-1] if out else None
        if (
            last is not None
            and e.action == "+"
            and last.action == "+"
            and e.kind == last.kind
            and e.who == last.who
            and abs((e.when - last.when).total_seconds()) < 2
        ):
            last.count += 1
            continue
        out.append(e)
    return out


def change_log(roadmap: Roadmap) -> list[Entry]:
    """Every recorded change of the plan, its editions, sections and activities."""
    numbers = dict(roadmap.editions.values_list("pk", "number"))
    edition_ids = list(numbers)
    activities = (
        Activity.history.filter(edition_id__in=edition_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    sections = list(
        Section.history.filter(edition_id__in=edition_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    section_titles = {r.id: r.title for r in sections}
    alive = set(
        Activity.objects.filter(edition_id__in=edition_ids).values_list("pk", flat=True)
    )
    editions = (
        RoadmapEdition.history.filter(roadmap_id=roadmap.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    plans = (
        Roadmap.history.filter(id=roadmap.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = (
        _entries(
            "activity", activities, lambda r: r.title, numbers, section_titles, alive
        )
        + _entries(
            "section", sections, lambda r: r.title, numbers, section_titles, alive
        )
        + _entries(
            "edition",
            editions,
            lambda r: _("edition %(number)s") % {"number": r.number},
            numbers,
            section_titles,
            alive,
        )
        + _entries("plan", plans, lambda r: r.title, numbers, section_titles, alive)
    )
    entries.sort(key=lambda e: (e.when, e.kind))
    return list(reversed(_collapse(entries)))


@require_GET
def history(request, pk):
    roadmap = roadmap_get_visible(user=request.user, pk=pk)
    if not has_full_view(request.user, roadmap):
        # Above one's level only the plan in force is shown, not its drafting.
        raise PermissionDenied
    page = Paginator(change_log(roadmap), 50).get_page(request.GET.get("page"))
    edition = roadmap.latest_edition
    can_restore = bool(
        edition and edition.is_editable and is_plan_editor(request.user, roadmap)
    )
    return render(
        request,
        "roadmaps/history.html",
        {"roadmap": roadmap, "page": page, "can_restore": can_restore},
    )


@require_POST
def restore(request, pk, history_id):
    roadmap = roadmap_get_visible(user=request.user, pk=pk)
    try:
        activity = editing.activity_restore(
            by=request.user, edition=roadmap.latest_edition, history_id=history_id
        )
    except Refused as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("roadmaps:roadmap-history", pk=pk)
    messages.success(
        request, _("Activity «%(title)s» restored.") % {"title": activity.title[:80]}
    )
    return redirect(editor_url(roadmap, f"activity-{activity.pk}"))
