"""Filters of the activity list and «my tasks» (django-filter).

The GET parameters are the shared contract other pages link to: region,
municipality, owner, level, roadmap, state, month, risk, year; and, hidden,
curator, pending and done_month for the dashboards' drill-down.
"""

from datetime import date

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from monitoring import progress
from monitoring.models import ReportDecision, ReportResult, RiskFactor
from monitoring.progress import ExecState
from roadmaps.models import Activity, Level, Roadmap, RoadmapEdition
from schools.access import scope_for
from schools.models import Municipality, Region

from .selectors import (
    TASK_CONFIRM,
    TASK_DUE,
    TASK_OVERDUE,
    TASK_REDO,
    curator_assigned,
    month_bounds,
    month_q,
    state_q,
)


class MonthField(forms.CharField):
    default_validators = [
        RegexValidator(
            r"^\d{4}-(0[1-9]|1[0-2])$",
            message=_("Give the month as YYYY-MM."),
            code="month",
        )
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(*args, **kwargs)


class MonthFilter(django_filters.CharFilter):
    field_class = MonthField


class ActivityFilter(django_filters.FilterSet):
    # Filters on the plan narrow the editions, not each activity's join
    # (`by_plan`): the region's few hundred editions are read first.
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        field_name="roadmap__region",
        queryset=Region.objects.none(),
        method="by_plan",
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        field_name="roadmap__municipality",
        queryset=Municipality.objects.none(),
        method="by_plan",
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"),
        choices=Level.choices,
        field_name="roadmap__level",
        method="by_plan",
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        field_name="roadmap__period_start__year",
        method="by_plan",
    )
    state = django_filters.ChoiceFilter(
        label=_("Execution"), choices=ExecState.choices, method="by_state"
    )
    month = MonthFilter(label=_("Deadline in the month"), method="by_month")
    risk = django_filters.ModelChoiceFilter(
        label=_("Risk factor"),
        field_name="risk_factors",
        queryset=RiskFactor.objects.filter(is_active=True),
    )
    # Drill-down from a plan or a body: ids, shown as hidden inputs.
    owner = django_filters.NumberFilter(
        field_name="roadmap__owner_id", widget=forms.HiddenInput, method="by_plan"
    )
    roadmap = django_filters.NumberFilter(
        field_name="roadmap_id", widget=forms.HiddenInput, method="by_plan"
    )
    # Drill-down from a dashboard's curators' load and months: hidden too.
    curator = django_filters.NumberFilter(method="by_curator", widget=forms.HiddenInput)
    pending = django_filters.BooleanFilter(
        method="by_pending", widget=forms.HiddenInput
    )
    done_month = MonthFilter(method="by_done_month", widget=forms.HiddenInput)

    class Meta:
        model = Activity
        fields = [
            "region",
            "municipality",
            "level",
            "year",
            "state",
            "month",
            "risk",
            "owner",
            "roadmap",
            "curator",
            "pending",
            "done_month",
        ]

    def __init__(self, *args, on: date, visible=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on
        if user is None and self.request is not None:
            user = self.request.user
        if user is not None:
            regions, municipalities = self._territories(scope_for(user))
        else:
            # No user (an export, a test): the territories of the rows.
            base = visible if visible is not None else self.queryset
            roadmaps = Roadmap.objects.filter(pk__in=base.values("edition__roadmap"))
            regions = Region.objects.filter(pk__in=roadmaps.values("region"))
            municipalities = Municipality.objects.filter(
                pk__in=roadmaps.values("municipality")
            )
        self.filters["region"].queryset = regions
        self.filters["municipality"].queryset = municipalities

    def _territories(self, scope):
        """Regions and municipalities to choose from, from the user's scope,
        without reading the activities. Whoever reads the whole country
        chooses a region first: its municipalities are listed after that."""
        if scope.everything:
            wanted = Q()
            for key, lookup in (("region", "region_id"), ("municipality", "pk")):
                value = self.data.get(key) if self.is_bound else None
                if value and str(value).isdigit():
                    wanted |= Q(**{lookup: int(value)})
            municipalities = (
                Municipality.objects.filter(wanted)
                if wanted
                else Municipality.objects.none()
            )
            return Region.objects.all(), municipalities
        regions = Region.objects.filter(
            pk__in=scope.region_ids | scope.upper_region_ids
        )
        own = scope.municipality_ids | scope.upper_municipality_ids
        if scope.region_ids:
            municipalities = Municipality.objects.filter(
                Q(pk__in=own) | Q(region_id__in=scope.region_ids)
            )
        else:
            municipalities = Municipality.objects.filter(pk__in=own)
        return regions, municipalities

    def by_plan(self, queryset, name, value):
        """Activities of the editions whose plan matches (`name`, the
        filter's field_name, is a lookup from the edition)."""
        return queryset.filter(
            edition__in=RoadmapEdition.objects.filter(**{name: value})
        )

    def by_state(self, queryset, name, value):
        return queryset.filter(state_q(value, self.on))

    def by_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(month_q(year, month))

    def by_curator(self, queryset, name, value):
        """School plans of the schools assigned to the curator that year."""
        p = "edition__roadmap__"
        return queryset.filter(
            Q(**{f"{p}level": Level.SCHOOL}), curator_assigned(value, roadmap=p)
        )

    def by_pending(self, queryset, name, value):
        """Whose latest report waits for the curator's decision."""
        if value is None:
            return queryset
        pending = Exists(
            progress.latest_reports().filter(decision=ReportDecision.PENDING)
        )
        return queryset.filter(pending if value else ~Q(pending))

    def by_done_month(self, queryset, name, value):
        """Done (accepted) with the report dated in the month."""
        year, month = (int(part) for part in value.split("-"))
        first, last = month_bounds(year, month)
        done = Exists(
            progress.latest_reports().filter(
                result=ReportResult.DONE,
                decision__in=progress.ACCEPTED,
                done_on__range=(first, last),
            )
        )
        return queryset.filter(done)


TASK_CHOICES = [
    (TASK_DUE, _("due this month")),
    (TASK_OVERDUE, _("overdue")),
    (TASK_CONFIRM, _("awaiting my confirmation")),
    (TASK_REDO, _("rejected, to redo")),
]


class TaskFilter(ActivityFilter):
    task = django_filters.ChoiceFilter(
        label=_("Task"), choices=TASK_CHOICES, method="by_task"
    )

    class Meta(ActivityFilter.Meta):
        fields = ["task", *ActivityFilter.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The risk list is for the activity list; tasks keep the page light.
        del self.filters["risk"]

    def by_task(self, queryset, name, value):
        return queryset.filter(**{f"task_{value}": True})
