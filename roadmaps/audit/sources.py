"""What the audit log reads, and how it names and links each row.

The sources are found, not listed: every model django-simple-history records
and every workflow event model (a subclass of `WorkflowEvent`). A new audited
model therefore appears in the log at once; `DESCRIBED` only makes its rows
read better (a name instead of "#id", a link to its page).

Everything a row needs is read in the same query as the row (selectors.py):
the record's own fields, the names of the rows its foreign keys point at
(`TARGET_NAMES`) and the few related values its label and link use
(`Describe.reads`), so the page never queries per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import WorkflowEvent

# How the row a foreign key points at is named in a diff ("#id" otherwise).
TARGET_NAMES = {
    "auth.user": "username",
    "schools.organisation": "name",
    "schools.region": "name",
    "schools.municipality": "name",
    "schools.project": "name",
    "roadmaps.roadmap": "title",
    "roadmaps.roadmapedition": "number",
    "roadmaps.order": "number",
    "roadmaps.orderclause": "number",
    "roadmaps.section": "title",
    "roadmaps.activity": "title",
    "monitoring.riskfactor": "name",
    "monitoring.monitoringstage": "title",
    "monitoring.monitoringstagetype": "name",
    "monitoring.monitoringfield": "label",
    "monitoring.monitoringsubmission": "school__name",
    "monitoring.riskprofile": "school__name",
    "monitoring.visitschedule": "municipality__name",
}
# Targets named by a number read better with its sign: «№ 15».
NUMBERED_TARGETS = {"roadmaps.order", "roadmaps.roadmapedition"}
# Fields that change with every save or repeat another: not worth a diff line.
QUIET_FIELDS = {"version", "lineage"}


@dataclass(frozen=True)
class Describe:
    """How rows of one model are named and linked.

    `reads` are lookups from the model ("roadmap__title", "school_id") whose
    values `label` and `link` take from the row's data dict.
    """

    reads: tuple[str, ...] = ()
    label: Callable[[dict], str] | None = None
    link: Callable[[dict], str | None] | None = None


def _url(name: str, *keys: str) -> Callable[[dict], str | None]:
    def link(data: dict) -> str | None:
        args = [data.get(key) for key in keys]
        if any(arg in (None, "") for arg in args):
            return None
        return reverse(name, args=args)

    return link


def _admin(model: str) -> Callable[[dict], str | None]:
    return _url(f"admin:{model.replace('.', '_')}_change", "id")


def _join(*parts) -> str:
    return " — ".join(str(p) for p in parts if p not in (None, ""))


def _numbered(data: dict, text: str) -> str:
    return f"{data.get('number') or ''} {_clip(data.get(text))}".strip()


def _clip(text, size: int = 80) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _choice(model: str, name: str, value) -> str:
    choices = dict(apps.get_model(model)._meta.get_field(name).flatchoices)
    return str(choices.get(value, value or ""))


def _order(data: dict) -> str:
    try:
        signed = date.fromisoformat(str(data.get("date"))[:10])
    except ValueError:
        return f"№ {data.get('number')}"
    return _("Order of %(date)s No. %(number)s") % {
        "date": signed.strftime("%d.%m.%Y"),
        "number": data.get("number"),
    }


def _edition(data: dict, prefix: str = "") -> str:
    return _("%(roadmap)s, edition %(number)s") % {
        "roadmap": _clip(data.get(f"{prefix}roadmap__title")),
        "number": data.get(f"{prefix}number"),
    }


DESCRIBED: dict[str, Describe] = {
    "schools.membership": Describe(
        reads=("user__username", "role", "organisation__name"),
        label=lambda d: _join(
            d.get("user__username"),
            _choice("schools.membership", "role", d.get("role")),
            d.get("organisation__name"),
        ),
        link=_admin("schools.membership"),
    ),
    "schools.curatorassignment": Describe(
        reads=("curator__username", "school__name", "year"),
        label=lambda d: _join(
            d.get("curator__username"), d.get("school__name"), d.get("year")
        ),
        link=_admin("schools.curatorassignment"),
    ),
    "roadmaps.order": Describe(
        reads=("date", "number"),
        label=_order,
        link=_url("roadmaps:order-detail", "id"),
    ),
    "roadmaps.orderclause": Describe(
        reads=("number", "text", "order_id"),
        label=lambda d: _numbered(d, "text"),
        link=_url("roadmaps:order-detail", "order_id"),
    ),
    "roadmaps.orderreference": Describe(
        reads=("text", "order_id"),
        label=lambda d: _clip(d.get("text")),
        link=_url("roadmaps:order-detail", "order_id"),
    ),
    "roadmaps.roadmap": Describe(
        reads=("title",),
        label=lambda d: _clip(d.get("title"), 120),
        link=_url("roadmaps:roadmap-detail", "id"),
    ),
    "roadmaps.roadmapedition": Describe(
        reads=("roadmap__title", "number", "roadmap_id"),
        label=_edition,
        link=_url("roadmaps:edition-detail", "roadmap_id", "number"),
    ),
    "roadmaps.section": Describe(
        reads=("number", "title", "edition__roadmap_id", "edition__number"),
        label=lambda d: _numbered(d, "title"),
        link=_url("roadmaps:edition-detail", "edition__roadmap_id", "edition__number"),
    ),
    "roadmaps.activity": Describe(
        reads=("number", "title", "edition__roadmap_id", "edition__number"),
        label=lambda d: _numbered(d, "title"),
        link=_url("roadmaps:edition-detail", "edition__roadmap_id", "edition__number"),
    ),
    "roadmaps.schooldocument": Describe(
        reads=("title", "school_id"),
        label=lambda d: _clip(d.get("title")),
        link=_url("roadmaps:document-list", "school_id"),
    ),
    "monitoring.activityreport": Describe(
        reads=("activity__title", "result", "done_on", "activity_id"),
        label=lambda d: _join(
            _clip(d.get("activity__title"), 60),
            _choice("monitoring.activityreport", "result", d.get("result")),
        ),
        link=_url("monitoring:activity-reports", "activity_id"),
    ),
    "monitoring.monitoringstage": Describe(
        reads=("title", "year"),
        label=lambda d: _join(_clip(d.get("title")), d.get("year")),
        link=_url("monitoring:stage-detail", "id"),
    ),
    "monitoring.monitoringfield": Describe(
        reads=("label", "stage_id"),
        label=lambda d: _clip(d.get("label")),
        link=_url("monitoring:stage-detail", "stage_id"),
    ),
    "monitoring.reportevidence": Describe(
        reads=("title", "url", "report__activity_id"),
        label=lambda d: _clip(d.get("title") or d.get("url")),
        link=_url("monitoring:activity-reports", "report__activity_id"),
    ),
    "monitoring.monitoringsubmission": Describe(
        reads=("school__name", "stage__title", "stage_id", "school_id"),
        label=lambda d: _join(d.get("school__name"), _clip(d.get("stage__title"))),
        link=_url("monitoring:submission-detail", "stage_id", "school_id"),
    ),
    "monitoring.monitoringanswer": Describe(
        reads=(
            "submission__school__name",
            "field__label",
            "submission__stage_id",
            "submission__school_id",
        ),
        label=lambda d: _join(
            d.get("submission__school__name"), _clip(d.get("field__label"))
        ),
        link=_url(
            "monitoring:submission-detail",
            "submission__stage_id",
            "submission__school_id",
        ),
    ),
    "monitoring.riskprofile": Describe(
        reads=("school__name", "year", "school_id"),
        label=lambda d: _join(d.get("school__name"), d.get("year")),
        link=_url("monitoring:risk-profile", "school_id"),
    ),
    "monitoring.riskprofileentry": Describe(
        reads=("profile__school__name", "factor__name", "profile__school_id"),
        label=lambda d: _join(
            d.get("profile__school__name"), _clip(d.get("factor__name"))
        ),
        link=_url("monitoring:risk-profile", "profile__school_id"),
    ),
    "monitoring.visitschedule": Describe(
        reads=("municipality__name", "year", "municipality_id"),
        label=lambda d: _join(d.get("municipality__name"), d.get("year")),
        link=_url("monitoring:schedule-detail", "municipality_id", "year"),
    ),
    "monitoring.curatorvisit": Describe(
        reads=("curator__username", "school__name"),
        label=lambda d: _join(d.get("curator__username"), d.get("school__name")),
        link=_url("monitoring:visit-detail", "id"),
    ),
}


@dataclass(frozen=True)
class Source:
    """One table the log reads: a historical table, or a workflow event table.

    `subject` is the audited model: for a historical table the model it
    records, for an event table the model whose status the event moved
    (`via` names the event's foreign key to it).
    """

    index: int
    subject: type[models.Model]
    table: type[models.Model]
    via: str = ""
    describe: Describe = field(default_factory=Describe)

    @property
    def key(self) -> str:
        return self.subject._meta.label_lower

    @property
    def is_event(self) -> bool:
        return bool(self.via)

    @property
    def verbose_name(self) -> str:
        return str(self.subject._meta.verbose_name)

    @cached_property
    def diff_fields(self) -> list[models.Field]:
        """The subject's fields a change is shown by: what a person edits."""
        recorded = {f.name for f in self.table._meta.concrete_fields}
        return [
            f
            for f in self.subject._meta.concrete_fields
            if f.name in recorded
            and not f.primary_key
            and f.editable
            and f.name not in QUIET_FIELDS
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        ]

    def label(self, data: dict) -> str:
        if self.describe.label is not None:
            text = self.describe.label(data)
            if text:
                return text
        for name in ("title", "name", "text"):
            if data.get(name):
                return _clip(data[name])
        return f"#{data.get('id')}"

    def link(self, data: dict) -> str | None:
        return self.describe.link(data) if self.describe.link else None


def _subject_of(event_model) -> tuple[str, type[models.Model]]:
    for f in event_model._meta.concrete_fields:
        if f.is_relation and f.name != "actor":
            return f.name, f.related_model
    raise LookupError(event_model)


@cache
def sources() -> tuple[Source, ...]:
    """Every audited table, in a stable order (their index is their id)."""
    found = []
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager:
            found.append((model, getattr(model, manager).model, ""))
        elif issubclass(model, WorkflowEvent):
            via, subject = _subject_of(model)
            found.append((subject, model, via))
    found.sort(key=lambda f: (f[0]._meta.label_lower, f[2]))
    return tuple(
        Source(
            index=i,
            subject=subject,
            table=table,
            via=via,
            describe=DESCRIBED.get(subject._meta.label_lower, Describe()),
        )
        for i, (subject, table, via) in enumerate(found)
    )


def source_choices() -> list[tuple[str, str]]:
    """(model key, its name) of every audited kind of object, by name."""
    names = {s.key: str(s.subject._meta.verbose_name_plural) for s in sources()}
    return sorted(names.items(), key=lambda item: item[1].lower())
