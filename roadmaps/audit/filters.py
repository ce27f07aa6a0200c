"""The audit log's filters: dates, user, kind of object, action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .selectors import EVENT, Criteria
from .sources import source_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTION_CHOICES = [
    ("", pgettext_lazy("audit action", "any")),
    ("+", pgettext_lazy("audit action", "created")),
    ("~", pgettext_lazy("audit action", "changed")),
    ("-", pgettext_lazy("audit action", "deleted")),
    (EVENT, _("workflow step")),
]


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("Object type"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=ACTION_CHOICES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("any")), *source_choices()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start date is after the end date."), code="dates"
            )
        return cleaned

    def criteria(self) -> Criteria | None:
        """The filters as the selectors read them; None when they are wrong."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return Criteria(
            date_from=data["date_from"],
            date_to=data["date_to"],
            username=data["user"].strip(),
            subject=data["kind"],
            action=data["action"],
        )
