"""Tables (django-tables2) of the roadmaps app."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Order, Roadmap


class RoadmapTable(tables.Table):
    title = tables.Column(verbose_name=_("Roadmap"), linkify=True)
    owner = tables.Column(verbose_name=_("Body"), linkify=True, order_by="owner__name")
    level = tables.Column(verbose_name=_("Level"))
    territory = tables.Column(
        verbose_name=_("Territory"),
        empty_values=(),
        order_by=("region__name", "municipality__name"),
    )
    year = tables.Column(
        verbose_name=_("Year"), accessor="period_start__year", order_by="period_start"
    )
    project = tables.Column(verbose_name=_("Project"))
    status = tables.Column(
        verbose_name=_("Status"),
        accessor="latest_edition__status",
        empty_values=(),
    )
    edition = tables.Column(
        verbose_name=_("Edition"), accessor="latest_edition__number"
    )
    activity_count = tables.Column(verbose_name=_("Activities"))

    class Meta:
        model = Roadmap
        fields = [
            "title",
            "owner",
            "level",
            "territory",
            "year",
            "project",
            "status",
            "edition",
            "activity_count",
        ]
        order_by = ("-year", "title")
        attrs = {"class": "table"}

    def render_territory(self, record):
        parts = [str(p) for p in (record.region, record.municipality) if p]
        return ", ".join(parts) or "—"

    def render_status(self, record):
        edition = record.latest_edition
        if edition is None:
            return "—"
        return format_html(
            '<span class="badge status-{}">{}</span>',
            edition.status,
            edition.get_status_display(),
        )


class OrderTable(tables.Table):
    date = tables.DateColumn(verbose_name=_("Date"), format="d.m.Y")
    number = tables.Column(verbose_name=_("No."), linkify=True)
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    issuer = tables.Column(verbose_name=_("Issuing body"), order_by="issuer__name")
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Order
        fields = ["date", "number", "title", "issuer", "status"]
        order_by = ("-date",)
        attrs = {"class": "table"}

    def render_issuer(self, record):
        return record.issuer.display_name
