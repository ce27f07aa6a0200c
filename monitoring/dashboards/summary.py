"""The dashboard page's content: numbers with the links to the lists behind them.

`dashboard_build` reads the numbers (monitoring.dashboards.selectors, a fixed
number of queries) and pairs each with the URL of the list that shows exactly
the rows counted, with the same territory and year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from monitoring.models import MonitoringStage, SubmissionStatus
from monitoring.risks.selectors import PROJECT_CODE
from roadmaps.models import RoadmapEdition

from . import charts
from .selectors import (
    BODIES,
    BODIES_LEVEL,
    COUNTRY,
    CURATED,
    FORM_STATUSES,
    MUNICIPALITY,
    PLAN_STATUSES,
    REGION,
    SCHOOL,
    VISIT_STATES,
    Area,
    activity_counts,
    area_numbers,
    completion,
    curator_load,
    plan_counts,
    published_stages,
    row_names,
)

MISSING = "missing"
LATE = "late"
STAGE_COLUMNS = (
    ("total", _("taking part")),
    (SubmissionStatus.CONFIRMED, _("confirmed")),
    (SubmissionStatus.SUBMITTED, _("awaiting the curator")),
    (SubmissionStatus.RETURNED, _("returned")),
    (SubmissionStatus.DRAFT, _("draft")),
    (MISSING, _("no form")),
    (LATE, _("late")),
)
FORM_LABELS = dict(SubmissionStatus.choices) | {MISSING: _("no form")}


@dataclass
class Cell:
    """A number and the list behind it (None when no list shows it)."""

    value: object
    url: str | None = None


def list_url(name: str, *, args=None, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    base = _reverse(name, tuple(args or ()), get_script_prefix(), get_urlconf())
    return f"{base}?{urlencode(query)}" if query else base


@lru_cache(maxsize=512)
def _reverse(name: str, args: tuple, prefix: str, urlconf) -> str:
    """`reverse`, once per list and prefix: a country's dashboard links a
    few thousand numbers to the same handful of lists."""
    return reverse(name, args=args, urlconf=urlconf)


def _linked(name, filters, **params) -> str | None:
    """The list's URL with the area's filters; None when they do not exist."""
    if filters is None:
        return None
    return list_url(name, **filters, **params)


def share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def share_text(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value, 1)} %"


# --- cells of one area -------------------------------------------------------------


def plan_cells(area: Area, counts: dict, year: int) -> dict:
    filters = area.filters("plans")
    statuses = dict(RoadmapEdition.Status.choices)
    return {
        "total": Cell(
            sum(counts.values()), _linked("roadmaps:roadmap-list", filters, year=year)
        ),
        "statuses": [
            (
                status,
                statuses[status],
                Cell(
                    counts.get(status, 0),
                    _linked("roadmaps:roadmap-list", filters, year=year, status=status),
                ),
            )
            for status in PLAN_STATUSES
        ],
        "approved": Cell(
            counts.get(RoadmapEdition.Status.APPROVED, 0),
            _linked(
                "roadmaps:roadmap-list",
                filters,
                year=year,
                status=RoadmapEdition.Status.APPROVED,
            ),
        ),
    }


def activity_cells(area: Area, counts: dict, year: int) -> dict:
    filters = area.filters("activities")
    cells = {
        "total": Cell(
            counts.get("total", 0),
            _linked("monitoring:activity-list", filters, year=year),
        )
    }
    for state in ("done", "awaiting", "overdue"):
        cells[state] = Cell(
            counts.get(state, 0),
            _linked("monitoring:activity-list", filters, year=year, state=state),
        )
    cells["share"] = share(cells["done"].value, cells["total"].value)
    cells["share_text"] = share_text(cells["share"])
    return cells


def risk_cells(area: Area, counts: dict, participating: int, year: int) -> dict:
    filters = area.filters("risks")
    return {
        "schools": participating,
        "profiles": Cell(
            counts.get("profiles", 0),
            _linked("monitoring:risk-profile-list", filters, year=year),
        ),
        "verified": Cell(
            counts.get("verified", 0),
            _linked(
                "monitoring:risk-profile-list", filters, year=year, status="verified"
            ),
        ),
        "chosen": Cell(
            counts.get("chosen", 0),
            _linked("monitoring:risk-coverage", filters, year=year),
        ),
        "uncovered": Cell(
            counts.get("uncovered", 0),
            _linked("monitoring:risk-coverage", filters, year=year, uncovered=1),
        ),
    }


def visit_cells(area: Area, counts: dict, year: int, **extra) -> dict:
    filters = area.filters("visits")
    return {
        state: Cell(
            counts.get(state, 0),
            _linked("monitoring:visit-list", filters, year=year, state=state, **extra),
        )
        for state in VISIT_STATES
    }


def stage_cells(stage, numbers: dict, municipality_id=None) -> list:
    """Completion of one stage: (key, label, Cell) per column."""
    cells = []
    for key, label in STAGE_COLUMNS:
        url = list_url(
            "monitoring:stage-completion",
            args=[stage.pk],
            municipality=municipality_id,
            status="" if key == "total" else key,
        )
        cells.append((key, label, Cell(numbers.get(key, 0), url)))
    return cells


def form_of_school(stage, school_id: int, numbers: dict) -> Cell:
    """The status of one school's form, linked to the form."""
    status = next((s for s in FORM_STATUSES if numbers.get(s)), None)
    if status is None:
        status = MISSING if numbers.get("total") else None
    if status is None:
        return Cell("—")
    label = str(FORM_LABELS[status])
    if numbers.get(LATE):
        label = f"{label}, {_('late')}"
    return Cell(
        label,
        reverse("monitoring:submission-detail", args=[stage.pk, school_id]),
    )


# --- the page ----------------------------------------------------------------------


@dataclass
class Row:
    key: int
    name: str
    area: Area | None
    dashboard_url: str | None
    plans: dict
    activities: dict
    risks: dict
    visits: dict
    stages: list = field(default_factory=list)
    curators: list = field(default_factory=list)
    is_bodies: bool = False


def _row_area(area: Area, key: int, obj) -> Area | None:
    if key == BODIES:
        if area.level == REGION:
            return Area(BODIES_LEVEL, region=area.region)
        if area.level == MUNICIPALITY:
            return Area(
                BODIES_LEVEL, region=area.region, municipality=area.municipality
            )
        return None
    if obj is None:
        return None
    if area.row_level == REGION:
        return Area(REGION, region=obj)
    if area.row_level == MUNICIPALITY:
        return Area(MUNICIPALITY, region=area.region, municipality=obj)
    return Area(SCHOOL, school=obj)


def _bodies_name(area: Area) -> str:
    if area.level == REGION:
        return str(_("Regional bodies"))
    if area.level == MUNICIPALITY:
        return str(_("Municipal bodies"))
    return str(_("Other bodies"))


def _sum(dicts, keys) -> dict:
    total = dict.fromkeys(keys, 0)
    for d in dicts:
        for k in keys:
            total[k] += d.get(k, 0)
    return total


def _months(months: dict, area: Area, year: int) -> list[dict]:
    filters = area.filters("activities")
    result = []
    cumulative = months[0]["done"]
    for m in range(1, 13):
        cumulative += months[m]["done"]
        result.append(
            {
                "month": m,
                "name": MONTHS[m],
                "due": months[m]["due"],
                "due_url": _linked(
                    "monitoring:activity-list",
                    filters,
                    year=year,
                    month=f"{year}-{m:02d}",
                ),
                "done": months[m]["done"],
                "done_url": _linked(
                    "monitoring:activity-list",
                    filters,
                    year=year,
                    done_month=f"{year}-{m:02d}",
                ),
                "cumulative": cumulative,
            }
        )
    return result


def dashboard_build(*, user, area: Area, year: int, on: date) -> dict:
    """Everything the dashboard page shows for the area and year."""
    plans = plan_counts(area, year)
    activities, months = activity_counts(area, year, on)
    stages = published_stages(area, year)
    participation, forms, risks, visits = area_numbers(area, year, stages, on)
    loads, curators_by_row = curator_load(area, year, on)

    group = area.school_group("school__")
    takes_part: dict[tuple, int] = defaultdict(int)  # (project, region, row)
    risk_schools: dict[int, int] = defaultdict(int)
    row_region: dict[int, int] = {}
    for r in participation:
        takes_part[(r["project_id"], r["school__region_id"], r[group])] += r["n"]
        row_region[r[group]] = r["school__region_id"]
        if r["project__code"] == PROJECT_CODE:
            risk_schools[r[group]] += r["n"]

    keys = set(plans) | set(activities) | set(risks) | set(visits)
    keys |= set(curators_by_row) | set(row_region)
    names = row_names(area, keys)

    # Completion per stage and row.
    def numbers(stage: MonitoringStage, key) -> dict:
        total = takes_part.get((stage.project_id, stage.region_id, key), 0)
        return completion(stage, total, forms.get((stage.pk, key)), on)

    stage_numbers = {
        stage.pk: {key: numbers(stage, key) for key in keys} for stage in stages
    }
    stage_totals = {
        stage.pk: _sum(
            stage_numbers[stage.pk].values(),
            [k for k, _label in STAGE_COLUMNS],
        )
        for stage in stages
    }
    stage_types = []
    by_region_type = {}
    for stage in stages:
        if stage.stage_type not in stage_types:
            stage_types.append(stage.stage_type)
        by_region_type[(stage.region_id, stage.stage_type_id)] = stage

    rows = []
    for key in keys:
        obj = names.get(key)
        if key != BODIES and obj is None:
            continue
        sub = _row_area(area, key, obj)
        if key == BODIES:
            name = _bodies_name(area)
        else:
            name = getattr(obj, "display_name", None) or str(obj)
        row = Row(
            key=key,
            name=name,
            area=sub,
            dashboard_url=(
                list_url("monitoring:dashboard", **sub.query(), year=year)
                if sub is not None and key != BODIES
                else None
            ),
            plans=plan_cells(sub, plans.get(key, {}), year) if sub else {},
            activities=activity_cells(sub, activities.get(key, {}), year)
            if sub
            else {},
            risks=risk_cells(sub, risks.get(key, {}), risk_schools.get(key, 0), year)
            if sub and key != BODIES
            else {},
            visits=visit_cells(sub, visits.get(key, {}), year)
            if sub and key != BODIES
            else {},
            curators=curators_by_row.get(key, []),
            is_bodies=key == BODIES,
        )
        region_id = key if area.row_level == REGION else row_region.get(key)
        if region_id is None and sub is not None and key != BODIES:
            region_id = sub.region_id
        for stage_type in stage_types:
            stage = by_region_type.get((region_id, stage_type.pk))
            if stage is None or key == BODIES:
                row.stages.append(Cell("—"))
                continue
            n = stage_numbers[stage.pk][key]
            if area.row_level == SCHOOL:
                row.stages.append(form_of_school(stage, key, n))
            else:
                row.stages.append(
                    Cell(
                        f"{n[SubmissionStatus.CONFIRMED]} / {n['total']}",
                        list_url(
                            "monitoring:stage-completion",
                            args=[stage.pk],
                            municipality=key if area.row_level == MUNICIPALITY else "",
                            status=SubmissionStatus.CONFIRMED,
                        ),
                    )
                )
        rows.append(row)
    rows.sort(key=lambda r: (r.is_bodies, r.name))

    # The area's own numbers: the sum of its rows.
    plan_total = _sum(plans.values(), PLAN_STATUSES)
    activity_total = _sum(activities.values(), ("total", "done", "awaiting", "overdue"))
    risk_total = _sum(
        risks.values(), ("profiles", "verified", "chosen", "covered", "uncovered")
    )
    visit_total = _sum(visits.values(), VISIT_STATES)

    # Monitoring stages: one line per stage (per kind of stage in the country).
    stage_lines = []
    if area.level == COUNTRY:
        for stage_type in stage_types:
            of_type = [s for s in stages if s.stage_type_id == stage_type.pk]
            totals = _sum(
                [stage_totals[s.pk] for s in of_type],
                [k for k, _label in STAGE_COLUMNS],
            )
            url = list_url("monitoring:stage-list", year=year)
            stage_lines.append(
                {
                    "title": stage_type.name,
                    "stage": None,
                    "regions": len(of_type),
                    "cells": [
                        (k, label, Cell(totals[k], url)) for k, label in STAGE_COLUMNS
                    ],
                }
            )
    else:
        municipality_id = area.municipality.pk if area.level == MUNICIPALITY else ""
        for stage in stages:
            line = {"title": stage.title, "stage": stage, "regions": 1}
            if area.level == SCHOOL:
                line["form"] = form_of_school(
                    stage, area.school.pk, stage_totals[stage.pk]
                )
            else:
                line["cells"] = stage_cells(
                    stage, stage_totals[stage.pk], municipality_id
                )
            stage_lines.append(line)

    month_rows = _months(months, area, year)
    curator_rows = []
    visit_filters = area.filters("visits") or {}
    for load in loads:
        curator_rows.append(
            {
                "load": load,
                "reports": Cell(
                    load.reports,
                    list_url(
                        "monitoring:activity-list",
                        **(area.filters("activities") or {}),
                        curator=load.curator_id,
                        pending="true",
                        year=year,
                    ),
                ),
                "overdue": Cell(
                    load.overdue_visits,
                    list_url(
                        "monitoring:visit-list",
                        **visit_filters,
                        curator=load.curator_id,
                        year=year,
                        state="overdue",
                    ),
                ),
                "held": Cell(
                    load.held_visits,
                    list_url(
                        "monitoring:visit-list",
                        **visit_filters,
                        curator=load.curator_id,
                        year=year,
                        state="held",
                    ),
                ),
            }
        )

    chart_rows = [
        (
            r.name,
            r.activities["share"],
            r.activities["overdue"].value,
            r.activities["done"].url,
            r.activities["overdue"].url,
        )
        for r in rows
        if r.activities and r.activities["total"].value
    ]
    return {
        "area": area,
        "year": year,
        "today": on,
        "plans": plan_cells(area, plan_total, year),
        "activities": activity_cells(area, activity_total, year),
        "stage_lines": stage_lines,
        "stage_columns": STAGE_COLUMNS,
        "stage_types": stage_types,
        "risks": risk_cells(area, risk_total, sum(risk_schools.values()), year),
        "visits": visit_cells(area, visit_total, year),
        "curators": curator_rows,
        "months": month_rows,
        "rows": rows if area.level != SCHOOL else [],
        "bar_chart": charts.bar_chart(chart_rows)
        if area.level != SCHOOL and chart_rows
        else None,
        "month_chart": charts.month_chart(month_rows)
        if activity_total["total"]
        else None,
        "is_country": area.level == COUNTRY,
        "is_school": area.level == SCHOOL,
        "is_curated": area.level == CURATED,
    }
