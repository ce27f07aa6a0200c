"""Forms of the risk-profile pages. Rules live in the services; forms carry input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import RiskLevel

from .services import EntryInput


class RiskProfileForm(forms.Form):
    """The self-diagnostics date and, per active factor, level, choice and note."""

    diagnosed_on = forms.DateField(
        label=_("Self-diagnostics held on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, factors, profile=None, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = list(factors)
        saved = {e.factor_id: e for e in entries}
        if not self.is_bound:
            self.initial.setdefault(
                "diagnosed_on", profile.diagnosed_on if profile else None
            )
            self.initial.setdefault("version", profile.version if profile else 0)
        for factor in self.factors:
            entry = saved.get(factor.pk)
            self.fields[f"level_{factor.pk}"] = forms.ChoiceField(
                label=_("Level"),
                choices=RiskLevel.choices,
                initial=entry.level if entry else RiskLevel.NONE,
            )
            self.fields[f"chosen_{factor.pk}"] = forms.BooleanField(
                label=_("chosen for work"),
                required=False,
                initial=entry.is_chosen if entry else False,
            )
            self.fields[f"note_{factor.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=2000,
                initial=entry.note if entry else "",
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def rows(self):
        """(factor, level field, chosen field, note field) for the template."""
        for factor in self.factors:
            yield (
                factor,
                self[f"level_{factor.pk}"],
                self[f"chosen_{factor.pk}"],
                self[f"note_{factor.pk}"],
            )

    def entries(self) -> dict[int, EntryInput]:
        data = self.cleaned_data
        return {
            f.pk: EntryInput(
                level=data.get(f"level_{f.pk}") or RiskLevel.NONE,
                is_chosen=bool(data.get(f"chosen_{f.pk}")),
                note=data.get(f"note_{f.pk}") or "",
            )
            for f in self.factors
        }

    def chosen_count(self) -> int:
        return sum(1 for e in self.entries().values() if e.is_chosen)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("verify", "verify"), ("return", "return")])
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
