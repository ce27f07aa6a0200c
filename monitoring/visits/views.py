"""Pages of curators' visits: the list, the schedules, one schedule, one visit.

Views are thin: they find the object in the user's scope (404 outside it),
call one service per POST (403 when it refuses the actor) and re-render the
form with the service's Russian message and the user's input.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_filters.views import FilterView

from monitoring import progress
from monitoring.models import CuratorVisit, ScheduleStatus, VisitSchedule
from roadmaps.forms import add_service_errors
from schools.access import Refused, can, scope_for
from schools.models import CuratorAssignment, Municipality, Project, Role
from schools.tables import PagedTableMixin

from . import services
from .exports import write_visit_list
from .filters import VisitFilter
from .forms import PURPOSES, VersionForm, VisitPlanForm, VisitRecordForm
from .querysets import STATE_BADGES, VisitState, schedules, state_counts, visits
from .rules import is_planner, schedule_in_scope
from .selectors import DEFAULT_PROJECT, schedule_url, visit_list_visible
from .tables import VisitTable

STATES = [VisitState.PLANNED, VisitState.HELD, VisitState.OVERDUE]


def _state_links(request, counts: dict[str, int]) -> list[dict]:
    """Each count links to the list behind it, with the page's other filters."""
    query = request.GET.copy()
    query.pop("page", None)
    links = []
    for state in STATES:
        query["state"] = state.value
        links.append(
            {
                "state": state.value,
                "label": state.label,
                "count": counts.get(state.value, 0),
                "query": query.urlencode(),
                "current": request.GET.get("state") == state.value,
            }
        )
    return links


def _plannable(user) -> list[dict]:
    """(municipality, year) pairs whose schedule the user writes: the
    coordinator's municipality and the curator's assignments."""
    scope = scope_for(user)
    coordinated = {
        mun
        for role, _o, _r, mun in scope.memberships
        if role == Role.MUNICIPAL_COORDINATOR and mun
    }
    q = Q(school__municipality_id__in=coordinated)
    if Role.CURATOR in scope.roles:
        q |= Q(curator=user)
    rows = (
        CuratorAssignment.objects.filter(q, project__code=DEFAULT_PROJECT)
        .order_by("-year", "school__municipality__name")
        .values_list("school__municipality_id", "school__municipality__name", "year")
        .distinct()
    )
    return [{"municipality_id": m, "municipality": n, "year": y} for m, n, y in rows]


def _require_reader(user) -> None:
    """404 for users without visits to read (none, or reference data only)."""
    scope = scope_for(user)
    if scope.is_empty or (scope.reference and not scope.everything):
        raise Http404


class VisitListView(PagedTableMixin, FilterView):
    """`monitoring:visit-list`: visits in the user's scope with GET filters
    municipality, curator (user id), school, year, state."""

    table_class = VisitTable
    filterset_class = VisitFilter
    template_name = "monitoring/visits/visit_list.html"

    def get(self, request, *args, **kwargs):
        _require_reader(request.user)
        self.on = progress.today()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return visit_list_visible(user=self.request.user, on=self.on)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["visible"] = visits().visible_to(self.request.user)
        kwargs["on"] = self.on
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts per state: the page's filters except the state itself.
        data = self.request.GET.copy()
        data.pop("state", None)
        unstated = VisitFilter(
            data, queryset=visits().visible_to(self.request.user), on=self.on
        )
        counts = (
            unstated.qs.counts(self.on)
            if unstated.is_valid()
            else dict.fromkeys(("planned", "held", "overdue"), 0)
        )
        context.update(
            state_links=_state_links(self.request, counts),
            today=self.on,
        )
        return context


def _spooled_response(write, filename):
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115
    write(spooled)
    spooled.seek(0)
    return FileResponse(spooled, as_attachment=True, filename=filename)


@require_GET
def visit_list_export(request):
    """The visit list with the page's own filters, as Excel."""
    _require_reader(request.user)
    on = progress.today()
    filterset = VisitFilter(
        request.GET,
        queryset=visit_list_visible(user=request.user, on=on),
        visible=visits().visible_to(request.user),
        on=on,
    )
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return _spooled_response(
        lambda out: write_visit_list(rows, out), f"poseshcheniya_{on:%Y%m%d}.xlsx"
    )


# --- one schedule --------------------------------------------------------------


def _project(code: str) -> Project:
    project = Project.objects.filter(code=code).first()
    if project is None:
        raise Http404
    return project


def _municipality(request, municipality_id) -> Municipality:
    municipality = get_object_or_404(
        Municipality.objects.select_related("region"), pk=municipality_id
    )
    if not schedule_in_scope(scope_for(request.user), municipality):
        raise Http404
    return municipality


def _history(schedule: VisitSchedule | None) -> list:
    if schedule is None or schedule.pk is None:
        return []
    rows = list(schedule.history.select_related("history_user").order_by("history_id"))
    timeline, previous = [], None
    for row in rows:
        if row.history_change_reason or (previous and row.status != previous):
            timeline.append(row)
        previous = row.status
    return timeline


def _step(request, schedule: VisitSchedule, action: str) -> None:
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    service = {
        "submit": services.schedule_submit,
        "approve": services.schedule_approve,
        "reopen": services.schedule_reopen,
    }[action]
    try:
        service(by=request.user, schedule=schedule, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            {
                "submit": _("The schedule is submitted to the municipal coordinator."),
                "approve": _("The schedule is approved."),
                "reopen": _("The schedule is reopened: visits can be changed."),
            }[action],
        )


@require_http_methods(["GET", "POST"])
def schedule_detail(request, municipality_id, year):
    """The schedule of a municipality's curators' visits for a project year."""
    if not 2000 <= year <= 2100:
        raise Http404
    user = request.user
    municipality = _municipality(request, municipality_id)
    code = request.GET.get("project") or DEFAULT_PROJECT
    schedule = (
        VisitSchedule.objects.filter(
            municipality=municipality, project__code=code, year=year
        )
        .select_related("approved_by", "project")
        .first()
    )
    project = schedule.project if schedule else _project(code)
    probe = schedule or VisitSchedule(
        municipality=municipality, project=project, year=year
    )
    probe.municipality = municipality
    probe.project = project
    plan_form = None
    if request.method == "POST":
        action = request.POST.get("do")
        if action in ("submit", "approve", "reopen"):
            if schedule is None:
                raise Http404
            _step(request, schedule, action)
            return redirect(schedule_url(schedule))
        if action != "plan":
            raise Http404
        if not is_planner(user, probe):
            raise Refused("not_allowed")
        plan_form = VisitPlanForm(request.POST, schedule=probe, user=user)
        if plan_form.is_valid():
            data = plan_form.cleaned_data
            try:
                with transaction.atomic():
                    target = schedule or services.schedule_get_or_create(
                        municipality=municipality, project=project, year=year, by=user
                    )
                    services.visit_plan(
                        by=user,
                        schedule=target,
                        curator=data["curator"],
                        school=data["school"],
                        planned_on=data["planned_on"],
                        purpose=data["purpose"],
                    )
            except ValidationError as exc:
                add_service_errors(plan_form, exc)
            else:
                messages.success(request, _("The visit is added to the schedule."))
                return redirect(schedule_url(target))
    on = progress.today()
    rows = []
    if schedule is not None:
        schedule.municipality = municipality
        schedule.project = project
        rows = list(
            visits()
            .visible_to(user)
            .filter(schedule=schedule)
            .with_state(on)
            .select_related("curator", "school")
            .order_by("planned_on", "pk")
        )
        for visit in rows:
            visit.schedule = schedule
            visit.may_edit = can(user, "edit", visit)
            visit.may_record = can(user, "record", visit)
            visit.badge = STATE_BADGES[VisitState(visit.state)]
    counts = {s.value: sum(1 for v in rows if v.state == s.value) for s in STATES}
    may_plan = can(user, "plan", probe)
    if plan_form is None and may_plan:
        plan_form = VisitPlanForm(schedule=probe, user=user)
    steps = []
    if schedule is not None:
        steps = [a for a in ("submit", "approve", "reopen") if can(user, a, schedule)]
    return render(
        request,
        "monitoring/visits/schedule_detail.html",
        {
            "municipality": municipality,
            "project": project,
            "year": year,
            "schedule": schedule,
            "visits": rows,
            "counts": counts,
            "state_links": [
                {
                    "state": s.value,
                    "label": s.label,
                    "count": counts[s.value],
                    "query": f"municipality={municipality.pk}&year={year}"
                    f"&state={s.value}",
                }
                for s in STATES
            ],
            # A refused bound form is shown too: it carries the reason and the input.
            "plan_form": plan_form if may_plan or plan_form is not None else None,
            "purposes": PURPOSES,
            "steps": steps,
            "version": schedule.version if schedule else None,
            "history": _history(schedule),
            "reopen_label": (
                _("Return for revision")
                if schedule and schedule.status == ScheduleStatus.SUBMITTED
                else _("Reopen for changes")
            ),
        },
    )


# --- one visit -----------------------------------------------------------------


def _visit(request, pk) -> CuratorVisit:
    visit = (
        visits()
        .visible_to(request.user)
        .select_related(
            "curator",
            "school",
            "schedule__municipality__region",
            "schedule__project",
        )
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


@require_http_methods(["GET", "POST"])
def visit_detail(request, pk):
    """One visit: its plan (changeable in a draft schedule), the held date and
    notes (the curator's, after approval), its history."""
    user = request.user
    visit = _visit(request, pk)
    schedule = visit.schedule
    plan_form = record_form = None
    conflict = False
    if request.method == "POST":
        action = request.POST.get("do")
        if action not in ("edit", "record", "delete"):
            raise Http404
        # The right first: a refused actor gets 403 whatever the input.
        try:
            services.check_visit_action(user, visit, action)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("monitoring:visit-detail", pk=visit.pk)
        try:
            if action == "edit":
                plan_form = VisitPlanForm(request.POST, schedule=schedule, user=user)
                if plan_form.is_valid():
                    data = plan_form.cleaned_data
                    services.visit_update(
                        by=user,
                        visit=visit,
                        curator=data["curator"],
                        school=data["school"],
                        planned_on=data["planned_on"],
                        purpose=data["purpose"],
                        version=data["version"],
                    )
                    messages.success(request, _("The visit is changed."))
                    return redirect("monitoring:visit-detail", pk=visit.pk)
            elif action == "record":
                record_form = VisitRecordForm(request.POST)
                if record_form.is_valid():
                    data = record_form.cleaned_data
                    services.visit_record(
                        by=user,
                        visit=visit,
                        held_on=data["held_on"],
                        notes=data["notes"],
                        version=data["version"],
                    )
                    messages.success(request, _("The visit is recorded."))
                    return redirect("monitoring:visit-detail", pk=visit.pk)
            elif action == "delete":
                form = VersionForm(request.POST)
                version = form.cleaned_data["version"] if form.is_valid() else None
                services.visit_delete(by=user, visit=visit, version=version)
                messages.success(request, _("The visit is removed from the schedule."))
                return redirect(schedule_url(schedule))
        except ValidationError as exc:
            form = plan_form if action == "edit" else record_form
            if form is None or getattr(exc, "code", None) in (
                "not_draft",
                "not_approved",
            ):
                messages.error(request, " ".join(exc.messages))
                return redirect("monitoring:visit-detail", pk=visit.pk)
            if getattr(exc, "code", None) == "stale":
                conflict = True
                visit = _visit(request, pk)
                schedule = visit.schedule
            add_service_errors(form, exc)
    may_edit = can(user, "edit", visit)
    may_record = can(user, "record", visit)
    if may_edit and plan_form is None:
        plan_form = VisitPlanForm.for_visit(visit, schedule=schedule, user=user)
    if may_record and record_form is None:
        record_form = VisitRecordForm(
            initial={
                "held_on": visit.held_on,
                "notes": visit.notes,
                "version": visit.version,
            }
        )
    if conflict:
        # Keep the user's input, but the next save compares with the saved row.
        for form in (plan_form, record_form):
            if form is not None and form.is_bound:
                form.data = form.data.copy()
                form.data["version"] = visit.version
    on = progress.today()
    state = (
        VisitState.HELD
        if visit.held_on
        else VisitState.OVERDUE
        if visit.planned_on < on
        else VisitState.PLANNED
    )
    return render(
        request,
        "monitoring/visits/visit_detail.html",
        {
            "visit": visit,
            "schedule": schedule,
            "schedule_link": schedule_url(schedule),
            "state": state.value,
            "badge": STATE_BADGES[state],
            "plan_form": plan_form if may_edit else None,
            "record_form": record_form if may_record else None,
            "may_delete": can(user, "delete", visit),
            "purposes": PURPOSES,
            "conflict": conflict,
            "history": list(
                visit.history.select_related("history_user").order_by("-history_id")[
                    :50
                ]
            ),
            "today": on,
        },
    )


# --- the schedules -------------------------------------------------------------


@require_GET
def schedule_list(request):
    """Schedules in the user's scope, newest year first, with visit counts."""
    _require_reader(request.user)
    on = progress.today()
    rows = (
        schedules()
        .visible_to(request.user)
        .select_related("municipality__region", "project", "approved_by")
        .annotate(
            **{f"n_{k}": c for k, c in state_counts(on, prefix="visits__").items()}
        )
        .order_by("-year", "municipality__name")
    )
    year = request.GET.get("year")
    if year and year.isdigit():
        rows = rows.filter(year=int(year))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for s in page.object_list:
        s.url = schedule_url(s)
    existing = {(s.municipality_id, s.year) for s in page.object_list}
    return render(
        request,
        "monitoring/visits/schedule_list.html",
        {
            "page": page,
            "plannable": [
                p
                for p in _plannable(request.user)
                if (p["municipality_id"], p["year"]) not in existing
            ],
            "year": year or "",
        },
    )
