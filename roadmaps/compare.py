"""Comparing two editions of a plan, activity by activity (by lineage)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Activity, RoadmapEdition

COMPARED = {
    "number": _("№"),
    "section": _("section"),
    "title": _("activity"),
    "description": _("description"),
    "deadline_text": _("deadline"),
    "responsible_text": _("executors"),
    "indicator_text": _("indicator"),
}


@dataclass
class RowDiff:
    kind: str  # "added", "removed", "changed", "same"
    old: Activity | None
    new: Activity | None
    changed: list[str] = field(default_factory=list)  # field names
    labels: list[str] = field(default_factory=list)


def _value(activity: Activity, name: str) -> str:
    if name == "section":
        return activity.section.title if activity.section else ""
    return getattr(activity, name) or ""


def _rows(edition: RoadmapEdition) -> list[Activity]:
    return list(edition.activities.select_related("section").order_by("position"))


def editions_compare(old: RoadmapEdition, new: RoadmapEdition) -> list[RowDiff]:
    """Added, removed and changed activities, with the fields that differ.

    Activities are matched by lineage, which survives new editions; the rows
    come in the new edition's order, removed ones where they stood.
    """
    before = _rows(old)
    after = _rows(new)
    old_by_lineage = {a.lineage: a for a in before}
    new_lineages = {a.lineage for a in after}
    diffs: list[RowDiff] = []
    removed_after: dict = {}
    previous = None
    for a in before:
        if a.lineage not in new_lineages:
            removed_after.setdefault(previous, []).append(a)
        else:
            previous = a.lineage
    for a in removed_after.get(None, []):
        diffs.append(RowDiff("removed", a, None))
    for a in after:
        match = old_by_lineage.get(a.lineage)
        if match is None:
            diffs.append(RowDiff("added", None, a))
        else:
            changed = [n for n in COMPARED if _value(match, n) != _value(a, n)]
            diffs.append(
                RowDiff(
                    "changed" if changed else "same",
                    match,
                    a,
                    changed,
                    [str(COMPARED[n]) for n in changed],
                )
            )
        for r in removed_after.get(a.lineage, []):
            diffs.append(RowDiff("removed", r, None))
    return diffs


def summary(diffs: list[RowDiff]) -> dict[str, int]:
    """How many rows were added, removed, changed and kept."""
    counts = {"added": 0, "removed": 0, "changed": 0, "same": 0}
    for d in diffs:
        counts[d.kind] += 1
    return counts
