"""Filters of the visit list (django-filter); the export reads the same."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.forms import HiddenInput
from django.utils.translation import gettext_lazy as _

from monitoring import progress
from monitoring.models import CuratorVisit
from schools.models import Municipality, Organisation

from .forms import CuratorChoiceField, SchoolChoiceField
from .querysets import VisitState, state_q


class CuratorFilter(django_filters.ModelChoiceFilter):
    field_class = CuratorChoiceField


class SchoolFilter(django_filters.ModelChoiceFilter):
    field_class = SchoolChoiceField


class VisitFilter(django_filters.FilterSet):
    # Drill-down from a regional dashboard; not offered in the form.
    region = django_filters.NumberFilter(
        field_name="schedule__municipality__region_id", widget=HiddenInput
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        field_name="schedule__municipality",
    )
    curator = CuratorFilter(
        label=_("Curator"), queryset=get_user_model().objects.none()
    )
    school = SchoolFilter(label=_("School"), queryset=Organisation.objects.none())
    year = django_filters.NumberFilter(label=_("Year"), field_name="schedule__year")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=VisitState.choices, method="filter_state"
    )

    class Meta:
        model = CuratorVisit
        fields = ["region", "municipality", "curator", "school", "year", "state"]

    def __init__(self, *args, visible=None, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on or progress.today()
        # Offer only what the user's visits hold.
        base = (visible if visible is not None else self.queryset).order_by()
        self.filters["municipality"].queryset = Municipality.objects.filter(
            pk__in=base.values("schedule__municipality")
        )
        self.filters["curator"].queryset = (
            get_user_model()
            .objects.filter(pk__in=base.values("curator"))
            .order_by("last_name", "first_name")
        )
        self.filters["school"].queryset = Organisation.objects.filter(
            pk__in=base.values("school")
        ).order_by("name")

    def filter_state(self, queryset, name, value):
        return queryset.filter(state_q(value, self.on)) if value else queryset
