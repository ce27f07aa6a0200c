"""Pages of activity execution: the list, my tasks, an activity's reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView

from config.pagecache import per_user_page
from monitoring import progress
from monitoring.models import ActivityReport, ReportEvidence
from roadmaps.forms import add_service_errors
from roadmaps.models import Roadmap
from schools.access import Refused, can
from schools.models import Organisation
from schools.tables import PagedTableMixin

from . import services
from .display import execution_of
from .filters import TASK_CHOICES, ActivityFilter, TaskFilter
from .forms import DecisionForm, ReportForm
from .rules import in_force
from .selectors import (
    TASK_ANY,
    activities_in_force,
    activity_get_visible,
    my_tasks,
    task_counts,
    with_execution,
)
from .tables import ActivityTable, TaskTable

ROW_RELATED = ("edition", "edition__roadmap", "edition__roadmap__owner")


class _ActivityPage(PagedTableMixin, FilterView):
    def get_table_kwargs(self):
        return {"on": self.on}

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["on"] = self.on
        kwargs["user"] = self.request.user
        return kwargs

    def dispatch(self, request, *args, **kwargs):
        self.on = progress.today()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.filterset.form.data if self.filterset.is_bound else {}
        context["drill"] = _drill_down(data, user=self.request.user)
        context["on"] = self.on
        return context


def _drill_down(data, *, user) -> dict:
    """Names of the plan or body a drill-down link narrowed the list to (a
    plan only if the user may read it)."""
    found = {}
    try:
        if data.get("roadmap"):
            found["roadmap"] = (
                Roadmap.objects.visible_to(user).filter(pk=int(data["roadmap"])).first()
            )
        if data.get("owner"):
            found["owner"] = Organisation.objects.filter(pk=int(data["owner"])).first()
    except (TypeError, ValueError):
        pass
    return found


@method_decorator(per_user_page, name="dispatch")
class ActivityListView(_ActivityPage):
    """Activities in force in the user's scope, by execution state."""

    table_class = ActivityTable
    filterset_class = ActivityFilter
    template_name = "monitoring/execution/activity_list.html"

    def get_queryset(self):
        return with_execution(
            activities_in_force(user=self.request.user).select_related(*ROW_RELATED)
        )


@method_decorator(per_user_page, name="dispatch")
class MyTasksView(_ActivityPage):
    """What the user has to do: due this month, overdue, to confirm, to redo."""

    table_class = TaskTable
    filterset_class = TaskFilter
    template_name = "monitoring/execution/my_tasks.html"

    def get_queryset(self):
        return with_execution(
            my_tasks(user=self.request.user, on=self.on).select_related(*ROW_RELATED)
        )

    @cached_property
    def counts(self) -> dict[str, int]:
        return task_counts(user=self.request.user, on=self.on)

    def get_table_pagination(self, table):
        """The rows of one kind of task (or all) are counted already by
        `task_counts`: unless another filter narrows them, the paginator
        takes that number instead of counting again."""
        pagination = super().get_table_pagination(table)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return pagination
        chosen = self.filterset.form.cleaned_data if self.filterset.is_bound else {}
        narrowed = any(
            value is not None and value != ""
            for name, value in chosen.items()
            if name != "task"
        )
        if not narrowed:
            task = chosen.get("task") or TASK_ANY
            pagination.update(paginator_class=CountedPaginator, count=self.counts[task])
        return pagination

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.counts
        context["tasks"] = [(code, label, counts[code]) for code, label in TASK_CHOICES]
        context["current_task"] = self.request.GET.get("task", "")
        return context


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (counted with other figures)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _report_form(latest: ActivityReport | None, data=None, files=None) -> ReportForm:
    initial = {
        "based_on": latest.pk if latest else None,
        "based_on_version": latest.version if latest else None,
        "done_on": progress.today(),
    }
    return ReportForm(data, files, initial=initial)


@require_http_methods(["GET", "POST"])
def activity_reports(request, pk):
    """An activity's reports (newest first), the report form and the curator's
    decision."""
    user = request.user
    activity = activity_get_visible(user=user, pk=pk)
    roadmap = activity.edition.roadmap
    may_report = can(user, "report", activity)
    form = None
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_create(
                    by=user,
                    activity=activity,
                    result=data["result"],
                    done_on=data["done_on"],
                    actual_value=data["actual_value"],
                    comment=data["comment"],
                    files=data["files"],
                    links=form.link_list(),
                    based_on=data["based_on"],
                    based_on_version=data["based_on_version"],
                )
            except Refused as exc:
                raise PermissionDenied from exc
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The report is saved."))
                return redirect(request.path)
        if request.FILES:
            form.add_error(
                None, _("Files are not kept after an error: choose them again.")
            )
    reports = list(
        ActivityReport.objects.filter(roadmap=roadmap, lineage=activity.lineage)
        .select_related("reporter", "reporter_organisation", "decided_by", "activity")
        .prefetch_related("evidence")
        .order_by("-created_at", "-pk")
    )
    latest = next((r for r in reports if r.is_latest), None)
    if form is None and may_report:
        form = _report_form(latest)
    elif form is not None:
        # Sent again, the form is based on the report now shown as the latest.
        form.data = form.data.copy()
        form.data["based_on"] = latest.pk if latest else ""
        form.data["based_on_version"] = latest.version if latest else ""

    annotated = with_execution(
        type(activity).objects.filter(pk=activity.pk), user=user
    ).get()
    decidable = latest is not None and can(user, "decide", latest)
    return render(
        request,
        "monitoring/execution/activity_reports.html",
        {
            "activity": activity,
            "roadmap": roadmap,
            "in_force": in_force(activity),
            "execution": execution_of(annotated),
            "reports": reports,
            "latest": latest,
            "form": form,
            "decision_form": DecisionForm(initial={"version": latest.version})
            if decidable
            else None,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def report_decide(request, pk):
    """The curator confirms or rejects the latest report."""
    report = ActivityReport.objects.select_related("activity").filter(pk=pk).first()
    if report is None or not can(request.user, "view", report):
        raise Http404
    form = DecisionForm(request.POST)
    target = redirect("monitoring:activity-reports", report.activity_id)
    if not form.is_valid():
        messages.error(request, _("Confirm or reject the report."))
        return target
    try:
        services.report_decide(
            by=request.user,
            report=report,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )
    except Refused as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if form.cleaned_data["decision"] == "confirmed":
            messages.success(request, _("The report is confirmed."))
        else:
            messages.success(request, _("The report is returned to the executor."))
    return target


@require_GET
def evidence_download(request, pk):
    """Evidence files are served only to those who may read the report."""
    evidence = ReportEvidence.objects.select_related("report").filter(pk=pk).first()
    if evidence is None or not can(request.user, "download", evidence):
        raise Http404
    if not evidence.file:
        return redirect(evidence.url)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.file.name.rsplit("/", 1)[-1],
    )
