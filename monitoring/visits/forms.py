"""Forms of the visits pages. Rules live in the services; forms carry input."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from monitoring.models import CuratorVisit, VisitSchedule
from schools.models import CuratorAssignment, Organisation

from .rules import assigned_schools, is_coordinator

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]

# Purposes a person would pick (seed 004, rows 5-6 and 18); any text is accepted.
PURPOSES = [
    "Первичное посещение школы",
    "Самодиагностика по рисковому профилю школы",
    "Посещение уроков",
    "Консультация по дорожной карте",
    "Консультация по антирисковым программам",
    "Методическое совещание с педагогами",
    "Итоговое посещение школы",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CuratorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class VisitPlanForm(forms.Form):
    """Plan a visit (or change a planned one) on a draft schedule."""

    curator = CuratorChoiceField(
        label=_("Curator"), queryset=get_user_model().objects.none()
    )
    school = SchoolChoiceField(label=_("School"), queryset=Organisation.objects.none())
    planned_on = forms.DateField(
        label=_("Planned date"), input_formats=DATE_FORMATS, widget=DateInput()
    )
    purpose = forms.CharField(
        label=_("Purpose of the visit"),
        max_length=500,
        widget=forms.TextInput(attrs={"list": "visit-purposes", "autocomplete": "off"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, schedule: VisitSchedule, user, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        assignments = CuratorAssignment.objects.filter(
            school__municipality_id=schedule.municipality_id,
            project_id=schedule.project_id,
            year=schedule.year,
        )
        if is_coordinator(user, schedule.municipality_id):
            self.fields["curator"].queryset = User.objects.filter(
                pk__in=assignments.values("curator")
            ).order_by("last_name", "first_name")
            self.fields["school"].queryset = Organisation.objects.filter(
                pk__in=assignments.values("school")
            ).order_by("name")
        else:
            # A curator plans only their own visits to their own schools.
            self.fields["curator"].queryset = User.objects.filter(pk=user.pk)
            self.fields["curator"].initial = user.pk
            self.fields["curator"].widget = forms.HiddenInput()
            self.fields["school"].queryset = Organisation.objects.filter(
                pk__in=assigned_schools(
                    user,
                    municipality_id=schedule.municipality_id,
                    project_id=schedule.project_id,
                    year=schedule.year,
                )
            ).order_by("name")
        self.fields["planned_on"].widget.attrs.update(
            min=f"{schedule.year}-01-01", max=f"{schedule.year}-12-31"
        )

    @classmethod
    def for_visit(cls, visit: CuratorVisit, **kwargs):
        return cls(
            initial={
                "curator": visit.curator_id,
                "school": visit.school_id,
                "planned_on": visit.planned_on,
                "purpose": visit.purpose,
                "version": visit.version,
            },
            **kwargs,
        )


class VisitRecordForm(forms.Form):
    """The curator's account of a held visit."""

    held_on = forms.DateField(
        label=_("Held on"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=_("Leave empty if the visit has not taken place yet."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done, what was agreed with the school."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VersionForm(forms.Form):
    """A step on the schedule or a deletion: the version the user saw."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
