"""Forms of the plan editor. Rules live in the services; forms carry input."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from schools.models import Organisation, Project

from .models import Numbering, Order, Roadmap, RoadmapTemplate, SchoolDocument


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal next to the fields it names, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ListedChoiceIterator(ModelChoiceIterator):
    """Choices from the field's rows, read once (see ListedModelChoiceField)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.objects()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.objects())


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that reads its queryset once per form.

    Django's field runs the queryset each time the choices are iterated (the
    widget's `required` check, then the options) and once more to validate.
    Here the rows are read once, or given by the view that has already read
    them (`set_objects`), and a value is accepted only if it is one of those
    rows: exactly as strict as the queryset.
    """

    iterator = ListedChoiceIterator

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._listed = None
        return result

    def _set_queryset(self, queryset):
        self._listed = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def set_objects(self, objects) -> None:
        """The rows of the queryset, already read by the caller."""
        self._listed = list(objects)

    def objects(self) -> list:
        if getattr(self, "_listed", None) is None:
            self._listed = [] if self.queryset is None else list(self.queryset)
        return self._listed

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        model = self.queryset.model
        if isinstance(value, model):
            value = getattr(value, key)
        field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        try:
            wanted = field.to_python(value)
        except (ValueError, TypeError, ValidationError):
            wanted = None
        for obj in self.objects():
            if wanted is not None and getattr(obj, key) == wanted:
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


class OptionalColumnsMixin:
    """The «Описание» and «Показатель» checkboxes of plan forms."""

    def optional_columns(self) -> set[str]:
        chosen = set()
        if self.cleaned_data.get("include_description"):
            chosen.add("description")
        if self.cleaned_data.get("include_indicator"):
            chosen.add("indicator")
        return chosen


class ActivityForm(forms.Form):
    title = forms.CharField(
        label=_("Activity"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "data-submit-on-enter": "", "class": "cell-input"}
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "cell-input"}),
    )
    deadline_text = forms.CharField(
        label=_("Deadline"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "cell-input", "autocomplete": "off"}),
    )
    responsible_text = forms.CharField(
        label=_("Responsible"),
        required=False,
        widget=forms.TextInput(attrs={"class": "cell-input", "autocomplete": "off"}),
    )
    indicator_text = forms.CharField(
        label=_("Indicator"),
        required=False,
        widget=forms.TextInput(attrs={"class": "cell-input", "autocomplete": "off"}),
    )
    section = forms.TypedChoiceField(
        label=_("Section"), required=False, coerce=int, empty_value=None
    )
    risk_factors = forms.TypedMultipleChoiceField(
        label=_("Risk factors addressed"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sections=(), prefix_id="", factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("— without a section —"))] + [
            (s.pk, f"{s.number} {s.title}".strip()) for s in sections
        ]
        # Active risk factors, passed in so that rendering many forms costs
        # no query.
        self.factors = list(factors)
        self.fields["risk_factors"].choices = [
            (f.pk, f"{f.number}. {f.name}") for f in self.factors
        ]
        if prefix_id:
            self.auto_id = f"{prefix_id}-%s"

    def risk_choices(self):
        """(factor, checkbox id, checked) for the template's checkbox list."""
        value = self["risk_factors"].value() or []
        chosen = {str(v) for v in value}
        base = self["risk_factors"].auto_id or "risk_factors"
        for f in self.factors:
            yield f, f"{base}-{f.pk}", str(f.pk) in chosen

    def service_data(self) -> dict:
        data = {
            k: self.cleaned_data.get(k, "")
            for k in (
                "title",
                "description",
                "deadline_text",
                "responsible_text",
                "indicator_text",
            )
        }
        # A title is one paragraph: stray line breaks from pasting go.
        data["title"] = " ".join((data["title"] or "").split())
        if self.factors:
            data["risk_factors"] = list(self.cleaned_data.get("risk_factors") or [])
        return data


class SectionForm(forms.Form):
    title = forms.CharField(
        label=_("Section title"),
        required=False,
        widget=forms.TextInput(attrs={"class": "cell-input"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SettingsForm(OptionalColumnsMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    period_start = forms.DateField(
        label=_("Period start"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    period_end = forms.DateField(
        label=_("Period end"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    numbering = forms.ChoiceField(label=_("Numbering"), choices=Numbering.choices)
    include_description = forms.BooleanField(
        label=_("«Description» column"), required=False
    )
    include_indicator = forms.BooleanField(
        label=_("«Indicator» column"), required=False
    )
    header_number = forms.CharField(label=_("Header of «№»"), required=False)
    header_title = forms.CharField(label=_("Header of the activity"), required=False)
    header_description = forms.CharField(
        label=_("Header of the description"), required=False
    )
    header_deadline = forms.CharField(label=_("Header of the deadline"), required=False)
    header_responsible = forms.CharField(
        label=_("Header of the executors"), required=False
    )
    header_indicator = forms.CharField(
        label=_("Header of the indicator"), required=False
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_edition(cls, edition, data=None):
        roadmap = edition.roadmap
        headers = {c["key"]: c["header"] for c in edition.columns}
        initial = {
            "title": roadmap.title,
            "period_start": roadmap.period_start,
            "period_end": roadmap.period_end,
            "numbering": edition.numbering,
            "include_description": "description" in headers,
            "include_indicator": "indicator" in headers,
            "version": edition.version,
            **{f"header_{k}": v for k, v in headers.items()},
        }
        return cls(data=data, initial=initial)

    def headers(self) -> dict[str, str]:
        return {
            key[len("header_") :]: value
            for key, value in self.cleaned_data.items()
            if key.startswith("header_")
        }


class RoadmapCreateForm(OptionalColumnsMixin, forms.Form):
    START_CHOICES = [
        ("empty", _("an empty plan")),
        ("template", _("a template")),
        ("upper", _("the plan one level up (its activities addressed to this body)")),
    ]

    owner = ListedModelChoiceField(
        label=_("Body"), queryset=Organisation.objects.none(), empty_label=None
    )
    project = ListedModelChoiceField(
        label=_("Project"), queryset=Project.objects.all(), empty_label=None
    )
    title = forms.CharField(
        label=_("Title"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    period_start = forms.DateField(
        label=_("Period start"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    period_end = forms.DateField(
        label=_("Period end"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    numbering = forms.ChoiceField(
        label=_("Numbering"), choices=Numbering.choices, initial=Numbering.FLAT
    )
    include_description = forms.BooleanField(
        label=_("«Description» column"), required=False
    )
    include_indicator = forms.BooleanField(
        label=_("«Indicator» column"), required=False, initial=True
    )
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=START_CHOICES,
        initial="empty",
        widget=forms.RadioSelect,
    )
    template = ListedModelChoiceField(
        label=_("Template"),
        queryset=RoadmapTemplate.objects.filter(is_active=True),
        required=False,
    )
    source = ListedModelChoiceField(
        label=_("Plan one level up"), queryset=Roadmap.objects.none(), required=False
    )

    def __init__(
        self, *args, owners, sources, level=None, owner_rows=None, projects=None, **kw
    ):
        """`owner_rows` and `projects`: the rows of `owners` and of all projects
        when the view has read them already (they are not read again)."""
        super().__init__(*args, **kw)
        self.fields["owner"].queryset = owners
        if owner_rows is not None:
            self.fields["owner"].set_objects(owner_rows)
        if projects is not None:
            self.fields["project"].set_objects(projects)
        self.fields["source"].queryset = sources
        if level is not None:
            self.fields["template"].queryset = RoadmapTemplate.objects.filter(
                is_active=True, level=level
            )
        self.fields["source"].label_from_instance = lambda r: (
            f"{r.owner.display_name}: {r.title[:120]} ({r.period_start.year})"
        )

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start")
        if start == "template" and not cleaned.get("template"):
            self.add_error("template", _("Choose a template."))
        if start == "upper" and not cleaned.get("source"):
            self.add_error("source", _("Choose the plan to take activities from."))
        return cleaned


class BulkForm(forms.Form):
    ACTIONS = [
        ("", _("— choose an action —")),
        ("move", _("move to section")),
        ("deadline", _("set the deadline")),
        ("responsible", _("set the executors")),
        ("delete", _("delete")),
    ]
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    action = forms.ChoiceField(label=_("With the selected"), choices=ACTIONS)
    section = forms.TypedChoiceField(
        label=_("Section"), required=False, coerce=int, empty_value=None
    )
    value = forms.CharField(label=_("Value"), required=False, max_length=300)

    def __init__(self, *args, sections=(), activity_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, i) for i in activity_ids]
        self.fields["section"].choices = [("", _("— without a section —"))] + [
            (s.pk, f"{s.number} {s.title}".strip()) for s in sections
        ]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    activity = forms.TypedChoiceField(
        label=_("Activity"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("— the whole plan —"))] + [
            (a.pk, f"{a.number} {a.title[:80]}".strip()) for a in activities
        ]


class WorkflowForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "agree", "return", "approve")]
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(forms.Form):
    issuer = forms.TypedChoiceField(label=_("Issuing body"), coerce=int)
    number = forms.CharField(label=_("Order number"), max_length=40)
    date = forms.DateField(
        label=_("Order date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    title = forms.CharField(
        label=_("Order title"), widget=forms.Textarea(attrs={"rows": 2})
    )
    based_on = forms.ModelMultipleChoiceField(
        label=_("Based on the orders"),
        queryset=Order.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    preamble = forms.CharField(
        label=_("Preamble"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    clauses = forms.CharField(
        label=_("Clauses, one per line («1. …», «2.1. …»)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    signatory_position = forms.CharField(
        label=_("Signatory's position"), required=False, max_length=300
    )
    signatory_name = forms.CharField(
        label=_("Signatory's name"), required=False, max_length=200
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, issuers, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.issuers = {o.pk: o for o in issuers}
        self.fields["issuer"].choices = [(o.pk, o.display_name) for o in issuers]
        self.fields["based_on"].queryset = bases
        self.fields["based_on"].label_from_instance = lambda o: (
            f"{o.issuer.display_name}: {o.date:%d.%m.%Y} № {o.number} «{o.title[:90]}»"
        )


class NotificationSettingsForm(forms.Form):
    email_notifications = forms.BooleanField(
        label=_("Send me notifications by e-mail"), required=False
    )


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=SchoolDocument.Kind.choices)
    risk_factor = forms.ModelChoiceField(
        label=_("Risk factor (for an anti-risk programme)"),
        queryset=None,
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    file = forms.FileField(label=_("File (PDF, Word, Excel, image)"))

    def __init__(self, *args, **kwargs):
        from monitoring.models import RiskFactor

        super().__init__(*args, **kwargs)
        self.fields["risk_factor"].queryset = RiskFactor.objects.filter(is_active=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File: .xlsx or .docx"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.docx,.txt"}),
    )
    text = forms.CharField(
        label=_("…or a table pasted from Word or Excel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    owner = ListedModelChoiceField(
        label=_("Body the plan belongs to"),
        queryset=Organisation.objects.none(),
        empty_label=None,
    )
    project = ListedModelChoiceField(
        label=_("Project"), queryset=Project.objects.all(), empty_label=None
    )
    target = ListedModelChoiceField(
        label=_("Import as a new edition of"),
        queryset=Roadmap.objects.none(),
        required=False,
        empty_label=_("— a new plan —"),
    )

    def __init__(self, *args, owners, targets, owner_rows=None, **kwargs):
        """`targets`: the plans (read, with their owners) that may take a new
        edition; `owner_rows`: the rows of `owners` if the view has read them."""
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if owner_rows is not None:
            self.fields["owner"].set_objects(owner_rows)
        targets = list(targets)
        self.fields["target"].queryset = Roadmap.objects.filter(
            pk__in=[t.pk for t in targets]
        )
        self.fields["target"].set_objects(targets)
        self.fields["target"].label_from_instance = lambda r: (
            f"{r.owner.display_name}: {r.title[:100]} ({r.period_start.year})"
        )

    def clean(self):
        cleaned = super().clean()
        has_file = cleaned.get("file") is not None
        has_text = bool((cleaned.get("text") or "").strip())
        if has_file == has_text:
            raise forms.ValidationError(
                _("Choose a file or paste a table (one of the two)."), code="source"
            )
        target = cleaned.get("target")
        if target is not None:
            cleaned["owner"] = target.owner
        return cleaned
