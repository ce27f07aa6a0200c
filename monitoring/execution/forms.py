"""Forms of activity reports. Rules live in the services; forms carry input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import ReportDecision, ReportResult

from .services import Link


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        if not data:
            return []
        return [super().clean(data, initial)]


class ReportForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=ReportResult.choices, widget=forms.RadioSelect
    )
    done_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    actual_value = forms.DecimalField(
        label=_("Actual value"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("The value of the indicator reached, e.g. 37 of 50."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, Word, Excel or images; you may choose several."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One web address (http:// or https://) per line."),
    )
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)
    based_on_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def link_list(self) -> list[Link]:
        lines = (self.cleaned_data.get("links") or "").splitlines()
        return [Link(url=line.strip()) for line in lines if line.strip()]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (ReportDecision.CONFIRMED, _("Confirm")),
            (ReportDecision.REJECTED, _("Reject")),
        ]
    )
    comment = forms.CharField(
        label=_("Curator's comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
