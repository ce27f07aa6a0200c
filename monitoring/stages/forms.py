"""Forms of monitoring stages. They carry input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import FieldKind, MonitoringStage, MonitoringStageType
from schools.models import Project, Region

from .services import FieldData, field_key, fmt_number, limits_text

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StageCreateForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    stage_type = forms.ModelChoiceField(
        label=_("Kind of stage"), queryset=MonitoringStageType.objects.all()
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    opens_on = forms.DateField(label=_("Opens"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes"), widget=DATE)
    instructions = forms.CharField(
        label=_("Instructions for schools"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start_from = forms.ChoiceField(
        label=_("Form"),
        choices=[
            ("preset", _("the ready-made indicators of this kind of stage")),
            ("copy", _("a copy of another stage's form")),
            ("empty", _("an empty form")),
        ],
        initial="preset",
        widget=forms.RadioSelect,
    )
    copy_from = forms.ModelChoiceField(
        label=_("Stage to copy"),
        queryset=MonitoringStage.objects.none(),
        required=False,
    )

    def __init__(self, *args, regions, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["copy_from"].queryset = stages.select_related("region")
        self.fields["copy_from"].label_from_instance = lambda s: (
            f"{s.title} ({s.year}, {s.region})"
        )
        if regions.count() == 1 and not self.is_bound:
            self.initial.setdefault("region", regions.first())

    def clean(self):
        data = super().clean()
        if data.get("start_from") == "copy" and not data.get("copy_from"):
            self.add_error("copy_from", _("Choose the stage whose form to copy."))
        if not (data.get("title") or "").strip() and data.get("stage_type"):
            data["title"] = data["stage_type"].name
        return data


class StageEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    opens_on = forms.DateField(label=_("Opens"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes"), widget=DATE)
    instructions = forms.CharField(
        label=_("Instructions for schools"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FieldForm(forms.Form):
    label = forms.CharField(label=_("Indicator"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of value"), choices=FieldKind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    min_value = forms.DecimalField(
        label=_("Minimum"), required=False, max_digits=14, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=_("Maximum"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("A percentage is limited to 0–100 unless narrower limits are set."),
    )
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        required=False,
        help_text=_(
            "The same code in two stages makes their values comparable; "
            "made from the name when empty."
        ),
    )
    help_text = forms.CharField(
        label=_("Hint for schools"), max_length=500, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def field_data(self) -> FieldData:
        d = self.cleaned_data
        return FieldData(
            label=d["label"],
            kind=d["kind"],
            code=d.get("code") or "",
            required=d.get("required", False),
            min_value=d.get("min_value"),
            max_value=d.get("max_value"),
            help_text=d.get("help_text") or "",
        )


BOOLEAN_CHOICES = [("", _("— not answered —")), ("yes", _("yes")), ("no", _("no"))]


class SubmissionForm(forms.Form):
    """One input per indicator, all optional here: the service checks them."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, fields, answers, readonly=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = fields
        self.answers = answers
        for f in fields:
            key = field_key(f)
            answer = answers.get(f.pk)
            attrs = {"disabled": True} if readonly else {}
            if f.required:
                attrs["aria-required"] = "true"
            if f.kind in (FieldKind.NUMBER, FieldKind.PERCENT):
                field = forms.CharField(
                    required=False,
                    widget=forms.TextInput(
                        attrs={**attrs, "inputmode": "decimal", "class": "value-input"}
                    ),
                )
                initial = fmt_number(answer.number) if answer else ""
            elif f.kind == FieldKind.BOOLEAN:
                field = forms.ChoiceField(
                    required=False,
                    choices=BOOLEAN_CHOICES,
                    widget=forms.RadioSelect(attrs=attrs),
                )
                value = answer.boolean if answer else None
                initial = "" if value is None else ("yes" if value else "no")
            elif f.kind == FieldKind.TEXT:
                field = forms.CharField(
                    required=False, widget=forms.Textarea(attrs={**attrs, "rows": 3})
                )
                initial = answer.text if answer else ""
            else:
                field = forms.FileField(
                    required=False, widget=forms.ClearableFileInput(attrs=attrs)
                )
                initial = None
            field.label = f.label
            field.help_text = f.help_text
            self.fields[key] = field
            self.initial[key] = initial

    def raw_values(self) -> dict:
        """The submitted text of every non-file indicator, as typed."""
        return {
            field_key(f): self.data.get(field_key(f), "")
            for f in self.indicators
            if f.kind != FieldKind.FILE
        }

    def uploads(self) -> dict:
        return {
            field_key(f): self.files[field_key(f)]
            for f in self.indicators
            if f.kind == FieldKind.FILE and field_key(f) in self.files
        }

    def cleared(self) -> set:
        return {
            field_key(f)
            for f in self.indicators
            if f.kind == FieldKind.FILE and self.data.get(f"{field_key(f)}-clear")
        }

    def rows(self):
        """(indicator, bound field, answer) in the form's order."""
        for f in self.indicators:
            f.limits = limits_text(f)
            yield f, self[field_key(f)], self.answers.get(f.pk)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
