"""Risk profiles of schools and the coverage of chosen risks by activities.

Thin views: each POST calls one service; scope is checked first (a school
outside the user's territory answers 404, an action the user may not take
inside it 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from monitoring.models import (
    ProfileStatus,
    RiskProfile,
    RiskProfileEntry,
)
from monitoring.progress import today
from roadmaps.forms import add_service_errors
from schools.access import Refused, scope_for
from schools.models import (
    Municipality,
    Organisation,
    OrganisationKind,
    Project,
    ProjectParticipation,
    Region,
)

from . import services
from .exports import write_coverage
from .forms import DecisionForm, RiskProfileForm
from .querysets import reads_schools, risk_profiles_visible_to, schools_visible_to
from .rules import EDITABLE, SCHOOL, actor_kinds, allowed_moves, school_in_scope
from .selectors import (
    PROJECT_CODE,
    active_factors,
    chosen_entries,
    coverage_by_area,
    covering_tags,
    profile_factors,
    school_coverage,
    school_plan,
    with_coverage,
)

PAGE_SIZE = 50
REASONS = {
    "saved": gettext_lazy("saved"),
    "submitted": gettext_lazy("submitted to the curator"),
    "verified": gettext_lazy("verified by the curator"),
    "returned": gettext_lazy("returned for revision"),
}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _year(request, schools=None) -> int:
    """The year asked for, else the latest year the schools take part in."""
    year = _int(request.GET.get("year") or request.POST.get("year"))
    if year is not None and 2000 <= year <= 2100:
        return year
    if schools is not None:
        latest = (
            ProjectParticipation.objects.filter(
                school__in=schools, project__code=PROJECT_CODE
            )
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        if latest:
            return latest
    return today().year


def _school(request, school_id) -> Organisation:
    if not reads_schools(request.user):
        raise Http404
    school = (
        Organisation.objects.select_related("municipality", "region")
        .filter(pk=school_id, kind__code=OrganisationKind.SCHOOL)
        .first()
    )
    if school is None or not school_in_scope(request.user, school):
        raise Http404
    return school


def _refused(exc: Refused):
    if exc.code == "out_of_scope":
        raise Http404 from exc
    raise PermissionDenied from exc


# --- the profile page ---------------------------------------------------------


def _history(profile, factors_by_id):
    moves = [
        {
            "when": h.history_date,
            "who": h.history_user,
            "status": ProfileStatus(h.status).label,
            "code": h.history_change_reason or "",
            "reason": REASONS.get(h.history_change_reason or "", ""),
            "comment": h.decision_comment
            if h.history_change_reason == "returned"
            else "",
        }
        for h in RiskProfile.history.filter(id=profile.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:50]
    ]
    changes = []
    for h in (
        RiskProfileEntry.history.filter(profile_id=profile.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:100]
    ):
        h.factor_obj = factors_by_id.get(h.factor_id)
        changes.append(h)
    return moves, changes


def _profile_of(request, school_id, year):
    """The profile (with its school) or None with the school; 404 outside."""
    profile = (
        RiskProfile.objects.select_related(
            "school__municipality", "school__region", "verified_by"
        )
        .filter(
            school_id=school_id,
            school__kind__code=OrganisationKind.SCHOOL,
            year=year,
            project__code=PROJECT_CODE,
        )
        .first()
    )
    if profile is None:
        return None, _school(request, school_id)
    if not reads_schools(request.user) or not school_in_scope(
        request.user, profile.school
    ):
        raise Http404
    return profile, profile.school


def _profile_year(request) -> int:
    year = _int(request.GET.get("year") or request.POST.get("year"))
    if year is not None and 2000 <= year <= 2100:
        return year
    return None


@require_http_methods(["GET", "POST"])
def risk_profile(request, school_id):
    """A school's risk profile for a year: fill, submit, verify or return."""
    year = _profile_year(request)
    if year is None:
        school = _school(request, school_id)
        year = _year(request, [school.pk])
    profile, school = _profile_of(request, school_id, year)
    factors, entries = profile_factors(profile)
    probe = profile or RiskProfile(school=school, year=year, status=ProfileStatus.DRAFT)
    probe.school = school
    if profile is None:
        probe.project_id = (
            Project.objects.filter(code=PROJECT_CODE)
            .values_list("pk", flat=True)
            .first()
        )
    kinds = actor_kinds(request.user, probe)
    can_edit = SCHOOL in kinds and probe.status in EDITABLE
    form = RiskProfileForm(factors=factors, profile=profile, entries=entries)
    decision = DecisionForm(initial={"version": profile.version if profile else 0})
    if request.method == "POST":
        do = request.POST.get("do")
        if do in ("save", "submit"):
            if SCHOOL not in kinds:
                raise PermissionDenied
            form = RiskProfileForm(
                request.POST, factors=factors, profile=profile, entries=entries
            )
            done = _save_profile(request, form, school, year, submit=do == "submit")
            if done:
                return redirect(services.profile_url(done))
        elif do in ("verify", "return"):
            if profile is None:
                raise Http404
            decision = DecisionForm(request.POST)
            done = _decide(request, decision, profile, do)
            if done:
                return redirect(services.profile_url(done))
        else:
            raise Http404
    coverage = school_coverage(profile=profile, entries=entries) if profile else []
    return render(
        request,
        "monitoring/risks/profile.html",
        {
            "school": school,
            "year": year,
            "profile": profile,
            "status": probe.status,
            "form": form,
            "decision": decision,
            "can_edit": can_edit,
            "moves": allowed_moves(request.user, probe, kinds) if profile else [],
            "coverage": coverage,
            "plan": school_plan(school=school, year=year) if profile else None,
            "readonly_rows": _readonly_rows(factors, entries),
            "usual_chosen": services.USUAL_CHOSEN,
        },
    )


@require_GET
def risk_profile_history(request, school_id):
    """Who changed the profile and its factors' levels, and when."""
    year = _profile_year(request)
    if year is None:
        raise Http404
    profile, school = _profile_of(request, school_id, year)
    if profile is None:
        raise Http404
    factors, entries = profile_factors(profile)
    by_id = {f.pk: f for f in factors} | {e.factor_id: e.factor for e in entries}
    moves, changes = _history(profile, by_id)
    return render(
        request,
        "monitoring/risks/profile_history.html",
        {
            "school": school,
            "year": year,
            "profile": profile,
            "history_moves": moves,
            "history_changes": changes,
        },
    )


def _readonly_rows(factors, entries):
    """(factor, entry) of every active factor, then entries of retired ones."""
    saved = {e.factor_id: e for e in entries}
    rows = [(f, saved.pop(f.pk, None)) for f in factors]
    return rows + [(e.factor, e) for e in saved.values()]


def _save_profile(request, form, school, year, *, submit: bool):
    if not form.is_valid():
        return None
    try:
        profile = services.risk_profile_save(
            by=request.user,
            school=school,
            project=Project.objects.get(code=PROJECT_CODE),
            year=year,
            diagnosed_on=form.cleaned_data["diagnosed_on"],
            entries=form.entries(),
            version=form.cleaned_data["version"],
        )
    except Refused as exc:
        _refused(exc)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    warning = services.chosen_warning(form.chosen_count())
    if submit:
        try:
            profile = services.risk_profile_submit(
                by=request.user, profile=profile, version=profile.version
            )
        except Refused as exc:
            _refused(exc)
        except ValidationError as exc:
            messages.error(
                request,
                _("The draft is saved, but it cannot be submitted yet: %(why)s")
                % {"why": " ".join(exc.messages)},
            )
            return profile
        messages.success(request, _("The risk profile is submitted to the curator."))
    else:
        messages.success(request, _("The risk profile is saved as a draft."))
    if warning:
        messages.warning(request, warning)
    return profile


def _decide(request, form, profile, action):
    if not form.is_valid():
        return None
    service = (
        services.risk_profile_verify
        if action == "verify"
        else services.risk_profile_return
    )
    try:
        done = service(
            by=request.user,
            profile=profile,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except Refused as exc:
        _refused(exc)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(
        request,
        _("The risk profile is verified.")
        if action == "verify"
        else _("The risk profile is returned for revision."),
    )
    return done


# --- the list of profiles -----------------------------------------------------


@require_GET
def risk_profile_list(request):
    """Profiles in the user's scope, filtered by region, municipality, status."""
    if not reads_schools(request.user):
        raise PermissionDenied
    area = _area(request)
    schools = area["schools"]
    year = _year(request, schools)
    profiles = risk_profiles_visible_to(request.user).filter(
        school__in=schools, year=year, project__code=PROJECT_CODE
    )
    status = request.GET.get("status") or ""
    if status in ProfileStatus.values:
        profiles = profiles.filter(status=status)
    profiles = profiles.select_related("school__municipality").order_by(
        "school__municipality__name", "school__name"
    )
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = {}
    if page.object_list:
        for profile_id, factor in (
            RiskProfileEntry.objects.filter(
                profile__in=list(page.object_list),
                is_chosen=True,
                factor__is_active=True,
            )
            .values_list("profile_id", "factor__number")
            .order_by("factor__number")
        ):
            chosen.setdefault(profile_id, []).append(factor)
    for p in page.object_list:
        p.chosen_numbers = chosen.get(p.pk, [])
    return render(
        request,
        "monitoring/risks/profile_list.html",
        {
            **area,
            "year": year,
            "status": status,
            "statuses": ProfileStatus.choices,
            "page": page,
            "query": _query(request, exclude="page"),
        },
    )


# --- coverage -----------------------------------------------------------------


def _query(request, exclude: str = "") -> str:
    params = request.GET.copy()
    params.pop(exclude, None)
    return params.urlencode()


def _area(request) -> dict:
    """Resolve the region / municipality / school filters inside the scope."""
    user = request.user
    scope = scope_for(user)
    schools = schools_visible_to(user)
    region = municipality = school = None
    region_id = _int(request.GET.get("region"))
    municipality_id = _int(request.GET.get("municipality"))
    school_id = _int(request.GET.get("school"))
    if school_id is not None:
        school = _school(request, school_id)
        schools = schools.filter(pk=school.pk)
    if municipality_id is not None:
        municipality = (
            Municipality.objects.select_related("region")
            .filter(pk=municipality_id)
            .first()
        )
        if municipality is None or not (
            scope.everything
            or municipality.region_id in scope.region_ids
            or municipality.pk in scope.municipality_ids
            or municipality.pk in scope.upper_municipality_ids
        ):
            raise Http404
        schools = schools.filter(municipality=municipality)
    if region_id is not None:
        region = Region.objects.filter(pk=region_id).first()
        if region is None or not (
            scope.everything
            or region.pk in scope.region_ids
            or region.pk in scope.upper_region_ids
        ):
            raise Http404
        schools = schools.filter(region=region)
    return {
        "schools": schools,
        "region": region,
        "municipality": municipality,
        "school": school,
    }


def _level(scope, area) -> str:
    if area["school"] is not None:
        return "school"
    if area["municipality"] is not None:
        return "matrix"
    if area["region"] is not None:
        return "region"
    if scope.everything:
        return "country"
    if scope.region_ids:
        return "region"
    if not scope.municipality_ids and len(scope.school_ids) == 1:
        return "school"
    return "matrix"


@require_GET
def risk_coverage(request):
    """Which chosen risks activities cover: a school, a municipality, a region."""
    if not reads_schools(request.user):
        raise PermissionDenied
    scope = scope_for(request.user)
    area = _area(request)
    year = _year(request, area["schools"])
    uncovered = request.GET.get("uncovered") == "1"
    level = _level(scope, area)
    if level == "school" and area["school"] is None:
        area["school"] = _school(request, next(iter(scope.school_ids)))
    context = {
        **area,
        "year": year,
        "uncovered": uncovered,
        "level": level,
        "query": _query(request),
    }
    if level == "school":
        context.update(_school_context(area["school"], year, uncovered))
    elif level == "matrix":
        context.update(_matrix_context(request, area["schools"], year, uncovered))
    else:
        group = "region" if level == "country" else "municipality"
        context.update(_area_context(area["schools"], year, uncovered, group))
    return render(request, "monitoring/risks/coverage.html", context)


def _school_context(school, year, uncovered) -> dict:
    profile = (
        RiskProfile.objects.filter(school=school, year=year, project__code=PROJECT_CODE)
        .select_related("school")
        .first()
    )
    if profile is None:
        return {"profile": None, "coverage": [], "plan": None}
    entries = list(profile.entries.filter(is_chosen=True).select_related("factor"))
    coverage = school_coverage(profile=profile, entries=entries)
    if uncovered:
        coverage = [c for c in coverage if not c.covered]
    return {
        "profile": profile,
        "coverage": coverage,
        "plan": school_plan(school=school, year=year),
    }


def _uncovered_exists(year):
    gaps = RiskProfileEntry.objects.filter(
        profile__school_id=OuterRef("pk"),
        profile__year=year,
        profile__project__code=PROJECT_CODE,
        is_chosen=True,
        factor__is_active=True,
    ).filter(~Exists(covering_tags()))
    return Exists(gaps)


def _matrix_context(request, schools, year, uncovered) -> dict:
    profiles = RiskProfile.objects.filter(
        school_id=OuterRef("pk"), year=year, project__code=PROJECT_CODE
    )
    takes_part = ProjectParticipation.objects.filter(
        school_id=OuterRef("pk"), year=year, project__code=PROJECT_CODE
    )
    rows = schools.filter(Q(Exists(profiles)) | Q(Exists(takes_part)))
    if uncovered:
        rows = rows.filter(_uncovered_exists(year))
    rows = (
        rows.annotate(
            profile_id=Subquery(profiles.values("pk")[:1]),
            profile_status=Subquery(profiles.values("status")[:1]),
        )
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    factors = active_factors()
    cells: dict[tuple[int, int], dict] = {}
    profile_ids = [s.profile_id for s in page.object_list if s.profile_id]
    if profile_ids:
        entries = with_coverage(
            RiskProfileEntry.objects.filter(
                profile_id__in=profile_ids, factor__is_active=True
            )
        ).values(
            "profile__school_id",
            "factor_id",
            "level",
            "is_chosen",
            "activity_count",
            "programme_status",
        )
        for e in entries:
            cells[(e["profile__school_id"], e["factor_id"])] = e
    statuses = dict(ProfileStatus.choices)
    table = []
    for school in page.object_list:
        row_cells = [cells.get((school.pk, f.pk)) for f in factors]
        chosen = [c for c in row_cells if c and c["is_chosen"]]
        table.append(
            {
                "school": school,
                "status": school.profile_status,
                "status_label": statuses.get(school.profile_status, ""),
                "cells": list(zip(factors, row_cells, strict=True)),
                "chosen": len(chosen),
                "uncovered": sum(1 for c in chosen if not c["activity_count"]),
            }
        )
    return {"factors": factors, "table": table, "page": page}


def _area_context(schools, year, uncovered, group) -> dict:
    numbers = coverage_by_area(schools, year=year, group=group)
    if group == "region":
        areas = Region.objects.filter(pk__in=schools.values("region")).order_by("name")
    else:
        areas = (
            Municipality.objects.filter(pk__in=schools.values("municipality"))
            .select_related("region")
            .order_by("region__name", "name")
        )
    empty = {
        "schools": 0,
        "profiles": 0,
        "verified": 0,
        "chosen": 0,
        "covered": 0,
        "uncovered": 0,
    }
    rows = [{"area": a, **numbers.get(a.pk, empty)} for a in areas]
    if uncovered:
        rows = [r for r in rows if r["uncovered"]]
    totals = {k: sum(r[k] for r in rows) for k in empty}
    return {"group": group, "rows": rows, "totals": totals}


@require_GET
def risk_coverage_export(request):
    """The chosen risks behind the coverage page (same filters) as a workbook."""
    if not reads_schools(request.user):
        raise PermissionDenied
    area = _area(request)
    year = _year(request, area["schools"])
    entries = with_coverage(chosen_entries(schools=area["schools"], year=year))
    if request.GET.get("uncovered") == "1":
        entries = entries.filter(covered=False)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = today().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="risk-coverage-{year}-{stamp}.xlsx"'
    )
    write_coverage(entries, response, year=year)
    return response
