"""The visit table (django-tables2): overdue rows are highlighted."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from monitoring.models import CuratorVisit

from .querysets import STATE_BADGES, VisitState
from .selectors import schedule_url


def _row_class(record) -> str:
    return f"visit-row visit-{record.state}"


class VisitTable(tables.Table):
    planned_on = tables.DateColumn(
        verbose_name=_("Planned date"),
        format="d.m.Y",
        linkify=("monitoring:visit-detail", {"pk": tables.A("pk")}),
    )
    held_on = tables.DateColumn(verbose_name=_("Held on"), format="d.m.Y")
    state = tables.Column(verbose_name=_("State"), orderable=False)
    school = tables.Column(verbose_name=_("School"), order_by="school__name")
    municipality = tables.Column(
        verbose_name=_("Municipality"),
        accessor="schedule__municipality__name",
        order_by="schedule__municipality__name",
    )
    curator = tables.Column(
        verbose_name=_("Curator"),
        order_by=("curator__last_name", "curator__first_name"),
    )
    purpose = tables.Column(verbose_name=_("Purpose of the visit"))
    notes = tables.Column(verbose_name=_("Notes"), orderable=False)
    schedule = tables.Column(
        verbose_name=_("Schedule"),
        accessor="schedule__status",
        orderable=False,
        linkify=lambda record: schedule_url(record.schedule),
    )

    class Meta:
        model = CuratorVisit
        fields = [
            "planned_on",
            "held_on",
            "state",
            "school",
            "municipality",
            "curator",
            "purpose",
            "notes",
            "schedule",
        ]
        order_by = ("planned_on",)
        attrs = {"class": "table visits-table", "data-testid": "visits"}
        row_attrs = {"class": _row_class, "data-state": lambda record: record.state}

    def render_state(self, record):
        return format_html(
            '<span class="badge visit-state-{}">{}</span>',
            record.state,
            STATE_BADGES[VisitState(record.state)],
        )

    def render_school(self, record):
        return record.school.display_name

    def render_curator(self, record):
        return record.curator.get_full_name() or record.curator.username

    def render_notes(self, value):
        return value if len(value) <= 120 else value[:117] + "…"

    def render_schedule(self, record):
        schedule = record.schedule
        return format_html(
            '<span class="badge status-{}">{}</span>',
            schedule.status,
            schedule.get_status_display(),
        )
