"""Tables (django-tables2) of the activity list and «my tasks»."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from roadmaps.models import Activity

from .display import execution_of

OVERDUE = _("overdue")
EMPTY = "—"


def _text(name: str):
    """A cell of a plain field: its text, or a dash when empty."""

    def cell(table, record):
        value = getattr(record, name)
        return EMPTY if value in (None, "") else value

    return cell


class ActivityTable(tables.Table):
    plan = tables.Column(
        verbose_name=_("Body"),
        accessor="edition__roadmap__owner__name",
        order_by=("edition__roadmap__owner__name", "edition__roadmap__title"),
    )
    number = tables.Column(verbose_name=_("No."), orderable=False)
    title = tables.Column(verbose_name=_("Activity"), order_by=("title",))
    deadline = tables.Column(
        verbose_name=_("Deadline"),
        accessor="deadline_text",
        order_by=("deadline_end", "deadline_start"),
    )
    responsible = tables.Column(
        verbose_name=_("Responsible"), accessor="responsible_text", orderable=False
    )
    state = tables.Column(verbose_name=_("Execution"), empty_values=(), orderable=False)
    actual = tables.Column(
        verbose_name=_("Actual / target"), empty_values=(), orderable=False
    )
    evidence = tables.Column(
        verbose_name=_("Evidence"), accessor="evidence_count", orderable=False
    )
    risks = tables.Column(
        verbose_name=_("Risk factors"), empty_values=(), orderable=False
    )

    class Meta:
        model = Activity
        fields = [
            "plan",
            "number",
            "title",
            "deadline",
            "responsible",
            "state",
            "actual",
            "evidence",
            "risks",
        ]
        order_by = ("deadline",)
        attrs = {"class": "table activities", "data-testid": "activity-table"}
        template_name = "partials/activity_table.html"

    @property
    def body_html(self):
        """The rows of the page as HTML, drawn here rather than cell by cell
        in the template: django-tables2's generic row (attributes worked out
        and the render method's signature inspected for every cell) cost
        about half of a 50-row page. The markup is the same."""
        cells = [self.CELLS[column.name] for column in self.columns]
        rows = []
        for index, row in enumerate(self.paginated_rows):
            record = row.record
            tds = "".join(
                f"<td>{conditional_escape(cell(self, record))}</td>" for cell in cells
            )
            parity = "odd" if index % 2 else "even"
            rows.append(f'<tr class="{parity}">{tds}</tr>')
        return mark_safe("\n".join(rows))  # noqa: S308 (every cell escaped above)

    def __init__(self, *args, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on

    def _execution(self, record):
        cached = getattr(record, "_execution", None)
        if cached is None:
            cached = record._execution = execution_of(record, self.on)
        return cached

    def render_plan(self, record):
        roadmap = record.edition.roadmap
        return format_html(
            '<a href="{}">{}</a>',
            roadmap.get_absolute_url(),
            roadmap.owner.display_name,
        )

    def render_title(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("monitoring:activity-reports", args=[record.pk]),
            record.title,
        )

    def render_state(self, record):
        # The markup of _state.html, without a template per row.
        progress = self._execution(record).progress
        badge = format_html(
            '<span class="badge exec-{}" data-state="{}">{}</span>',
            progress.state,
            progress.state,
            progress.label,
        )
        if progress.overdue and progress.state != "overdue":
            badge = format_html(
                '{} <span class="badge exec-overdue">{}</span>', badge, OVERDUE
            )
        return badge

    def render_actual(self, record):
        execution = self._execution(record)
        if execution.actual:
            return execution.actual
        return execution.target or EMPTY

    def render_evidence(self, value):
        return value or EMPTY

    def render_risks(self, record):
        risks = self._execution(record).risks
        if not risks:
            return EMPTY
        return format_html_join(
            " ",
            '<span class="risk-chip" title="{}">{}</span>',
            ((name, number) for number, name in risks),
        )

    # How `body_html` draws each column's cell: (table, record) -> text.
    CELLS = {
        "plan": render_plan,
        "number": _text("number"),
        "title": render_title,
        "deadline": _text("deadline_text"),
        "responsible": _text("responsible_text"),
        "state": render_state,
        "actual": render_actual,
        "evidence": lambda table, record: table.render_evidence(record.evidence_count),
        "risks": render_risks,
    }


class TaskTable(ActivityTable):
    task = tables.Column(verbose_name=_("Task"), empty_values=(), orderable=False)

    class Meta(ActivityTable.Meta):
        fields = ["task", *ActivityTable.Meta.fields]
        exclude = ["risks"]
        sequence = ["task", "..."]
        attrs = {"class": "table activities", "data-testid": "task-table"}

    def render_task(self, record):
        from .exports import task_labels

        return format_html_join(
            " ",
            '<span class="badge task-{}">{}</span>',
            task_labels(record),
        )

    CELLS = {**ActivityTable.CELLS, "task": render_task}
