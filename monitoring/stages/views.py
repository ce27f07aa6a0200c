"""Pages of monitoring stages. Views are thin: services decide and check.

Outside the user's scope a stage or a school answers 404; inside it, an
action the user may not take answers 403.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.pagecache import per_user_page
from monitoring.models import (
    MonitoringAnswer,
    MonitoringField,
    MonitoringStage,
    MonitoringSubmission,
    SubmissionStatus,
)
from monitoring.progress import today
from roadmaps.forms import add_service_errors
from schools.access import Refused, can, scope_for
from schools.models import (
    CuratorAssignment,
    Municipality,
    Organisation,
    ProjectParticipation,
    Region,
    Role,
)

from . import services
from .exports import write_stage_values
from .forms import (
    DecisionForm,
    FieldForm,
    StageCreateForm,
    StageEditForm,
    SubmissionForm,
)
from .querysets import (
    own_school_ids,
    participating_schools,
    schools_in_scope,
    stages_visible_to,
)
from .rules import EDITABLE, is_assigned_curator, may_create_stages, may_manage_region
from .selectors import (
    FILTERS,
    compare_stages,
    completion_counts,
    completion_rows,
    consolidated,
    counts_for,
    is_late,
)

PER_PAGE = 50


def _stage(request, pk) -> MonitoringStage:
    stage = (
        stages_visible_to(request.user)
        .select_related("region", "project", "stage_type")
        .filter(pk=pk)
        .first()
    )
    if stage is None:
        raise Http404
    return stage


def _managed_stage(request, pk) -> MonitoringStage:
    stage = _stage(request, pk)
    if not can(request.user, "manage", stage):
        raise PermissionDenied
    return stage


def _back(stage, anchor=""):
    return redirect(reverse("monitoring:stage-detail", args=[stage.pk]) + anchor)


# --- the list --------------------------------------------------------------------


@require_GET
def stage_list(request):
    user = request.user
    scope = scope_for(user)
    stages = stages_visible_to(user).select_related("region", "project", "stage_type")
    years = sorted(set(stages.values_list("year", flat=True)), reverse=True)
    year = request.GET.get("year", "")
    if year.isdigit():
        stages = stages.filter(year=int(year))
    stages = stages.order_by("-year", "region__name", "stage_type__position")
    page = Paginator(stages, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids = [s.pk for s in rows]
    counts = completion_counts(
        stage_ids=ids, schools=Organisation.objects.visible_to(user)
    )
    own = own_school_ids(scope)
    forms = {}
    takes_part = set()
    if own:
        for sub in MonitoringSubmission.objects.filter(
            stage_id__in=ids, school_id__in=own
        ):
            forms[sub.stage_id] = sub
        takes_part = set(
            ProjectParticipation.objects.filter(school_id__in=own).values_list(
                "project_id", "year"
            )
        )
    awaiting = {}
    if Role.CURATOR in scope.roles:
        awaiting = dict(
            MonitoringSubmission.objects.filter(
                stage_id__in=ids, status=SubmissionStatus.SUBMITTED
            )
            .filter(
                school__curator_assignments__curator=user,
                school__curator_assignments__project_id=F("stage__project_id"),
                school__curator_assignments__year=F("stage__year"),
            )
            .order_by()
            .values_list("stage_id")
            .annotate(n=Count("pk", distinct=True))
        )
    on = today()
    for s in rows:
        s.counts = counts.get(s.pk, {})
        s.own_form = forms.get(s.pk)
        s.awaiting = awaiting.get(s.pk, 0)
        s.school_may_fill = (
            bool(own)
            and s.is_published
            and s.opens_on <= on
            and (s.project_id, s.year) in takes_part
            and (s.own_form is None or s.own_form.status in EDITABLE)
        )
        s.is_open = s.opens_on <= on <= s.closes_on
    own_school = next(iter(own), None) if len(own) == 1 else None
    return render(
        request,
        "monitoring/stages/stage_list.html",
        {
            "page": page,
            "stages": rows,
            "years": years,
            "year": year,
            "can_create": may_create_stages(user),
            "own_school": own_school,
            "is_curator": Role.CURATOR in scope.roles,
            "today": on,
        },
    )


# --- creating and defining a stage ------------------------------------------------


def _creation_form(request, data=None):
    user = request.user
    scope = scope_for(user)
    if Role.ADMINISTRATOR in scope.roles:
        regions = Region.objects.all()
    else:
        regions = Region.objects.filter(
            pk__in=[r for r in scope.region_ids if may_manage_region(user, r)]
        )
    return StageCreateForm(
        data,
        regions=regions,
        stages=stages_visible_to(user),
        initial={"year": today().year, "project": _default_project()},
    )


def _default_project():
    from schools.models import Project

    return Project.objects.filter(code="500plus").first()


@require_http_methods(["GET", "POST"])
def stage_create(request):
    if not may_create_stages(request.user):
        raise PermissionDenied
    form = _creation_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            stage = services.stage_create(
                by=request.user,
                region=d["region"],
                project=d["project"],
                year=d["year"],
                stage_type=d["stage_type"],
                title=d["title"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                instructions=d["instructions"],
                copy_from=d["copy_from"] if d["start_from"] == "copy" else None,
                use_preset=d["start_from"] == "preset",
            )
        except Refused as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The stage is created as a draft: check its form and publish it."),
            )
            return _back(stage)
    return render(request, "monitoring/stages/stage_new.html", {"form": form})


def _detail_context(request, stage, *, edit_form=None, field_form=None):
    user = request.user
    scope = scope_for(user)
    manage = can(user, "manage", stage)
    fields = list(
        stage.fields.order_by("position", "pk").annotate(n_answers=Count("answers"))
        if manage
        else stage.fields.order_by("position", "pk")
    )
    for f in fields:
        f.limits = services.limits_text(f)
    own = list(
        participating_schools(stage)
        .filter(pk__in=own_school_ids(scope))
        .values_list("pk", flat=True)
    )
    curated = []
    if Role.CURATOR in scope.roles:
        curated = list(
            completion_rows(
                stage=stage,
                schools=participating_schools(stage).filter(
                    pk__in=CuratorAssignment.objects.filter(
                        curator=user, project_id=stage.project_id, year=stage.year
                    ).values("school_id")
                ),
            )
        )
    context = {
        "stage": stage,
        "fields": fields,
        "manage": manage,
        "own_schools": own,
        "curated": curated,
        "view_completion": can(user, "view_completion", stage),
        "today": today(),
    }
    if manage:
        context.update(
            edit_form=edit_form
            or StageEditForm(
                initial={
                    "title": stage.title,
                    "opens_on": stage.opens_on,
                    "closes_on": stage.closes_on,
                    "instructions": stage.instructions,
                    "version": stage.version,
                }
            ),
            field_form=field_form
            or FieldForm(initial={"version": stage.version, "kind": "number"}),
            copy_sources=list(
                stages_visible_to(user)
                .exclude(pk=stage.pk)
                .select_related("region")
                .order_by("-year", "region__name", "stage_type__position")[:100]
            ),
        )
    return context


@require_GET
def stage_detail(request, pk):
    stage = _stage(request, pk)
    return render(
        request, "monitoring/stages/stage_detail.html", _detail_context(request, stage)
    )


def _fail(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@require_POST
def stage_edit(request, pk):
    stage = _managed_stage(request, pk)
    form = StageEditForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.stage_update(
                by=request.user,
                stage=stage,
                version=d["version"],
                title=d["title"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                instructions=d["instructions"],
            )
        except Refused as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The stage is saved."))
            return _back(stage)
    context = _detail_context(request, stage, edit_form=form)
    return render(request, "monitoring/stages/stage_detail.html", context, status=400)


@require_POST
def stage_publish(request, pk):
    stage = _managed_stage(request, pk)
    publish = request.POST.get("publish") == "1"
    try:
        services.stage_publish(
            by=request.user,
            stage=stage,
            version=request.POST.get("version"),
            publish=publish,
        )
    except Refused as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request,
            _("The stage is published: schools can fill its form.")
            if publish
            else _("The stage is withdrawn: schools no longer see it."),
        )
    return _back(stage)


@require_POST
def stage_fill_form(request, pk):
    stage = _managed_stage(request, pk)
    source = None
    if request.POST.get("source") not in (None, "", "preset"):
        source = (
            stages_visible_to(request.user).filter(pk=request.POST["source"]).first()
        )
        if source is None:
            raise Http404
    try:
        added = services.stage_fill_form(
            by=request.user,
            stage=stage,
            version=request.POST.get("version"),
            source=source,
        )
    except Refused as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Indicators added: %(count)s.") % {"count": added})
    return _back(stage, "#indicators")


@require_POST
def field_add(request, pk):
    stage = _managed_stage(request, pk)
    form = FieldForm(request.POST)
    if form.is_valid():
        try:
            services.field_add(
                by=request.user,
                stage=stage,
                version=form.cleaned_data["version"],
                data=form.field_data(),
            )
        except Refused as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The indicator is added."))
            return _back(stage, "#indicators")
    context = _detail_context(request, stage, field_form=form)
    return render(request, "monitoring/stages/stage_detail.html", context, status=400)


def _field(stage, field_pk) -> MonitoringField:
    field = stage.fields.filter(pk=field_pk).first()
    if field is None:
        raise Http404
    return field


@require_http_methods(["GET", "POST"])
def field_edit(request, pk, field_pk):
    stage = _managed_stage(request, pk)
    field = _field(stage, field_pk)
    if request.method == "POST":
        form = FieldForm(request.POST)
        if form.is_valid():
            try:
                services.field_update(
                    by=request.user,
                    field=field,
                    version=form.cleaned_data["version"],
                    data=form.field_data(),
                )
            except Refused as exc:
                raise PermissionDenied from exc
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The indicator is saved."))
                return _back(stage, "#indicators")
    else:
        form = FieldForm(
            initial={
                "label": field.label,
                "kind": field.kind,
                "required": field.required,
                "min_value": field.min_value,
                "max_value": field.max_value,
                "code": field.code,
                "help_text": field.help_text,
                "version": stage.version,
            }
        )
    return render(
        request,
        "monitoring/stages/field_form.html",
        {"stage": stage, "field": field, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def field_move(request, pk, field_pk):
    stage = _managed_stage(request, pk)
    field = _field(stage, field_pk)
    try:
        services.field_move(
            by=request.user,
            field=field,
            version=request.POST.get("version"),
            up=request.POST.get("up") == "1",
        )
    except ValidationError as exc:
        _fail(request, exc)
    return _back(stage, "#indicators")


@require_POST
def field_delete(request, pk, field_pk):
    stage = _managed_stage(request, pk)
    field = _field(stage, field_pk)
    try:
        services.field_delete(
            by=request.user, field=field, version=request.POST.get("version")
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("The indicator is deleted."))
    return _back(stage, "#indicators")


# --- a school's form ------------------------------------------------------------------


def _form_school(request, stage, school_id) -> Organisation:
    """The school, if its form of the stage is in the user's scope.

    `curated` says whether the user is its curator for the stage's year.
    """
    schools = schools_in_scope(request.user, stage).select_related("municipality")
    if Role.CURATOR in scope_for(request.user).roles:
        schools = schools.annotate(
            curated=Exists(
                CuratorAssignment.objects.filter(
                    curator=request.user,
                    school=OuterRef("pk"),
                    project_id=stage.project_id,
                    year=stage.year,
                )
            )
        )
    school = schools.filter(pk=school_id).first()
    if school is None:
        raise Http404
    return school


def _submission_page(request, stage, school, form=None, decision_form=None, status=200):
    user = request.user
    # The school's forms of every stage of this region and project the user
    # sees: this stage's form, and the others to compare with.
    forms = list(
        MonitoringSubmission.objects.filter(
            school=school,
            stage__region_id=stage.region_id,
            stage__project_id=stage.project_id,
            stage__in=stages_visible_to(user),
        )
        .select_related("stage", "submitted_by", "decided_by")
        .order_by("-stage__year", "stage__stage_type__position")
    )
    submission = next((f for f in forms if f.stage_id == stage.pk), None)
    other_stages = [f.stage for f in forms if f.stage_id != stage.pk]
    fields = list(stage.fields.order_by("position", "pk"))
    answers = {}
    events = []
    if submission is not None:
        submission.stage, submission.school = stage, school
        answers = {a.field_id: a for a in submission.answers.all()}
        events = list(submission.events.select_related("actor"))
    probe = submission or MonitoringSubmission(stage=stage, school=school)
    editable = can(user, "fill", probe)
    if form is None:
        form = SubmissionForm(
            fields=fields,
            answers=answers,
            readonly=not editable,
            initial={"version": submission.version if submission else ""},
        )
    decide = (
        submission is not None
        and submission.status == SubmissionStatus.SUBMITTED
        and getattr(school, "curated", False)
    )
    return render(
        request,
        "monitoring/stages/submission.html",
        {
            "stage": stage,
            "school": school,
            "submission": submission,
            "form": form,
            "editable": editable,
            "decide": decide,
            "decision_form": decision_form
            or DecisionForm(
                initial={"version": submission.version if submission else ""}
            ),
            "events": events,
            "late": is_late(stage, submission.submitted_at if submission else None),
            "is_own": school.pk in own_school_ids(scope_for(user)),
            "other_stages": other_stages,
            "today": today(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def submission_detail(request, pk, school_id):
    stage = _stage(request, pk)
    school = _form_school(request, stage, school_id)
    if request.method == "GET":
        return _submission_page(request, stage, school)
    submission = MonitoringSubmission.objects.filter(stage=stage, school=school).first()
    answers = {a.field_id: a for a in submission.answers.all()} if submission else {}
    fields = list(stage.fields.order_by("position", "pk"))
    form = SubmissionForm(request.POST, request.FILES, fields=fields, answers=answers)
    form.is_valid()  # binds the raw input; the service validates the values
    submit = request.POST.get("do") == "submit"
    try:
        services.submission_save(
            by=request.user,
            stage=stage,
            school=school,
            values=form.raw_values(),
            uploads=form.uploads(),
            clear=form.cleared(),
            version=request.POST.get("version") or None,
            submit=submit,
        )
    except Refused as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        add_service_errors(form, exc)
        if form.uploads():
            form.add_error(
                None,
                _("Files are not kept when the form has errors: choose them again."),
            )
        if submit and any(e.code == "required" for e in _flat(exc)):
            form.add_error(
                None, _("The form is not sent: fill in the required indicators.")
            )
        else:
            form.add_error(None, _("Nothing is saved: correct the marked values."))
        return _submission_page(request, stage, school, form=form, status=400)
    if submit:
        messages.success(request, _("The form is sent to the curator."))
    else:
        messages.success(request, _("The draft is saved."))
    return redirect("monitoring:submission-detail", stage.pk, school.pk)


def _flat(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for errors in exc.error_dict.values():
            yield from errors
    else:
        yield from exc.error_list


@require_POST
def submission_decide(request, pk, school_id):
    stage = _stage(request, pk)
    school = _form_school(request, stage, school_id)
    submission = MonitoringSubmission.objects.filter(stage=stage, school=school).first()
    if submission is None:
        raise Http404
    if not is_assigned_curator(request.user, school.pk, stage):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    form.is_valid()
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.submission_decide(
            by=request.user,
            submission=submission,
            confirm=confirm,
            comment=form.cleaned_data.get("comment", ""),
            version=form.cleaned_data.get("version"),
        )
    except Refused as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        add_service_errors(form, exc)
        if not form.errors:
            form.add_error(None, exc)
        return _submission_page(request, stage, school, decision_form=form, status=400)
    messages.success(
        request,
        _("The form is confirmed.")
        if confirm
        else _("The form is returned to the school."),
    )
    return redirect("monitoring:submission-detail", stage.pk, school.pk)


@require_GET
def submission_compare(request, pk, school_id):
    stage = _stage(request, pk)
    school = _form_school(request, stage, school_id)
    other = (
        stages_visible_to(request.user)
        .filter(
            pk=request.GET.get("with") or 0,
            region_id=stage.region_id,
        )
        .select_related("stage_type")
        .first()
    )
    if other is None:
        raise Http404
    earlier, later = sorted(
        [stage, other], key=lambda s: (s.year, s.stage_type.position, s.opens_on)
    )
    return render(
        request,
        "monitoring/stages/compare.html",
        {
            "stage": stage,
            "school": school,
            "earlier": earlier,
            "later": later,
            "rows": compare_stages(school=school, earlier=earlier, later=later),
        },
    )


@require_GET
def answer_file(request, answer_pk):
    """Files are served only to those who may read the school's form."""
    answer = (
        MonitoringAnswer.objects.select_related("submission__stage")
        .filter(pk=answer_pk)
        .first()
    )
    if answer is None or not answer.file:
        raise Http404
    stage = _stage(request, answer.submission.stage_id)
    _form_school(request, stage, answer.submission.school_id)
    return FileResponse(
        answer.file.open("rb"),
        as_attachment=True,
        filename=answer.file.name.rsplit("/", 1)[-1],
    )


# --- completion -------------------------------------------------------------------


def _completion_filters(request):
    status = request.GET.get("status", "")
    if status not in FILTERS:
        status = ""
    municipality = request.GET.get("municipality", "")
    municipality_id = int(municipality) if municipality.isdigit() else None
    include_submitted = request.GET.get("include_submitted") == "1"
    return status, municipality_id, include_submitted


def _completion_stage(request, pk):
    stage = _stage(request, pk)
    if not can(request.user, "view_completion", stage):
        raise PermissionDenied
    return stage


@require_GET
@per_user_page
def stage_completion(request, pk):
    stage = _completion_stage(request, pk)
    status, municipality_id, include_submitted = _completion_filters(request)
    schools = schools_in_scope(request.user, stage)
    municipalities = list(
        Municipality.objects.filter(pk__in=schools.values("municipality")).order_by(
            "name"
        )
    )
    if municipality_id and municipality_id not in {m.pk for m in municipalities}:
        municipality_id = None
    counts = counts_for(stage=stage, schools=schools, municipality_id=municipality_id)
    rows = completion_rows(
        stage=stage, schools=schools, status=status, municipality_id=municipality_id
    )
    paginator = Paginator(rows, PER_PAGE)
    # The counts already hold the number of rows of every filter.
    paginator.__dict__["count"] = counts[status] if status else counts["total"]
    page = paginator.get_page(request.GET.get("page"))
    on = today()
    for r in page.object_list:
        r.is_late = is_late(stage, r.form_submitted, on)
    scoped = (
        schools.filter(municipality_id=municipality_id) if municipality_id else schools
    )
    summaries = consolidated(
        stage=stage, schools=scoped, include_submitted=include_submitted
    )
    shown = [
        m for m in municipalities if not municipality_id or m.pk == municipality_id
    ]
    for summary in summaries:
        # Per-municipality rows only when more than one is shown.
        summary.rows = [
            (m, summary.by_municipality[m.pk])
            for m in shown
            if len(shown) > 1 and m.pk in summary.by_municipality
        ]
    base = {
        "municipality": municipality_id or "",
        "include_submitted": "1" if include_submitted else "",
    }
    links = [
        (key, counts.get(key, 0), "?" + urlencode({**base, "status": key}))
        for key in FILTERS
    ]
    return render(
        request,
        "monitoring/stages/completion.html",
        {
            "stage": stage,
            "counts": counts,
            "links": links,
            "page": page,
            "status": status,
            "municipality_id": municipality_id,
            "municipalities": municipalities,
            "include_submitted": include_submitted,
            "summaries": summaries,
            "querystring": request.GET.urlencode(),
        },
    )


@require_GET
def stage_export(request, pk):
    stage = _completion_stage(request, pk)
    status, municipality_id, _include = _completion_filters(request)
    rows = completion_rows(
        stage=stage,
        schools=schools_in_scope(request.user, stage),
        status=status,
        municipality_id=municipality_id,
    )
    out = io.BytesIO()
    write_stage_values(stage, rows, out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"monitoring-{stage.year}-{stage.stage_type.code}-{stage.region.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
