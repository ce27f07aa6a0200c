"""Tables (django-tables2) of the schools app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2 import SingleTableMixin

from .models import Organisation


class PagedTableMixin(SingleTableMixin):
    """A list page whose django-tables2 table shows 50 rows a page.

    Only the table paginates: a list view's own `paginate_by` would count
    the rows a second time (one more COUNT over the whole filtered set).
    """

    paginate_by = None
    table_pagination = {"per_page": 50}


class OrganisationTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    region = tables.Column(verbose_name=_("Region"))
    municipality = tables.Column(verbose_name=_("Municipality"))
    is_shnor = tables.BooleanColumn(verbose_name=_("ШНОР"))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "region", "municipality", "is_shnor"]
        order_by = ("name",)
        attrs = {"class": "table"}

    def render_name(self, record):
        return record.display_name
