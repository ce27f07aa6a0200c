"""Filters of the body list (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from roadmaps.executors import normalise_name

from .models import Municipality, Organisation, OrganisationKind, Region


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=OrganisationKind.objects.all()
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.none()
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    is_shnor = django_filters.BooleanFilter(label=_("Low results (ШНОР)"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region", "municipality", "is_shnor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base = self.queryset
        self.filters["region"].queryset = Region.objects.filter(
            pk__in=base.values("region")
        )
        self.filters["municipality"].queryset = Municipality.objects.filter(
            pk__in=base.values("municipality")
        )

    def search(self, queryset, name, value):
        # Python-side normalisation keeps Cyrillic search working on SQLite.
        words = normalise_name(value).split()
        if not words:
            return queryset
        ids = [
            pk
            for pk, full, short in queryset.values_list("pk", "name", "short_name")
            if all(w in normalise_name(f"{full} {short}") for w in words)
        ]
        return queryset.filter(pk__in=ids)
