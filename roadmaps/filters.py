"""Filters of the roadmap list (django-filter)."""

import django_filters
from django.forms import HiddenInput
from django.utils.translation import gettext_lazy as _

from schools.access import scope_for
from schools.models import Municipality, Organisation, Project, Region

from .executors import normalise_name
from .models import Level, Order, Roadmap, RoadmapEdition


class RoadmapFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.none()
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="period_start", lookup_expr="year"
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=RoadmapEdition.Status.choices,
        field_name="latest_edition__status",
    )
    # The plans of one body (drill-down from its dashboard); not in the form.
    owner = django_filters.NumberFilter(field_name="owner_id", widget=HiddenInput)

    class Meta:
        model = Roadmap
        fields = [
            "q",
            "level",
            "region",
            "municipality",
            "year",
            "project",
            "status",
            "owner",
        ]

    def __init__(self, *args, visible=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the territories the user can see plans in.
        base = visible if visible is not None else self.queryset
        self.filters["region"].queryset = Region.objects.filter(
            pk__in=base.values("region")
        )
        self.filters["municipality"].queryset = self._municipalities(base)

    def _municipalities(self, base):
        """Municipalities with visible plans, of the chosen region if any.

        Whoever reads the whole country chooses a region first: listing its
        2,300 municipalities in one drop-down helps nobody and costs the
        page more than everything else on it.
        """
        municipalities = Municipality.objects.filter(
            pk__in=base.values("municipality")
        ).select_related("region")
        region = self.data.get("region") if self.is_bound else None
        if region and str(region).isdigit():
            return municipalities.filter(region_id=int(region))
        user = getattr(self.request, "user", None)
        if user is not None and scope_for(user).everything:
            return municipalities.none()
        return municipalities

    def search(self, queryset, name, value):
        words = normalise_name(value).split()
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    issuer = django_filters.ModelChoiceFilter(
        label=_("Issuing body"), queryset=Organisation.objects.none()
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="year")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Order.Status.choices
    )

    class Meta:
        model = Order
        fields = ["q", "issuer", "year", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["issuer"].queryset = Organisation.objects.filter(
            pk__in=self.queryset.values("issuer")
        )

    def search(self, queryset, name, value):
        # Python-side normalisation keeps Cyrillic search working on SQLite.
        words = normalise_name(value).split()
        if not words:
            return queryset
        ids = [
            pk
            for pk, number, title in queryset.values_list("pk", "number", "title")
            if all(w in normalise_name(f"{number} {title}") for w in words)
        ]
        return queryset.filter(pk__in=ids)
