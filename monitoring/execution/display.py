"""What an activity's execution looks like on a page or in a workbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from monitoring.progress import Progress, progress_of
from roadmaps.indicators import Comparator, Target, _format_value

from .selectors import risks_of

MEETS = {
    Comparator.GTE: lambda a, t: a >= t,
    Comparator.GT: lambda a, t: a > t,
    Comparator.LTE: lambda a, t: a <= t,
    Comparator.LT: lambda a, t: a < t,
    Comparator.EQ: lambda a, t: a == t,
}


def format_number(value) -> str:
    """«37», «37,5»: Russian decimal comma, no trailing zeros."""
    if value is None:
        return ""
    return _format_value(Decimal(value))


def target_of(activity) -> Target | None:
    if activity.target_value is None or not activity.target_comparator:
        return None
    return Target(
        value=Decimal(activity.target_value),
        unit=activity.target_unit,
        comparator=Comparator(activity.target_comparator),
    )


def actual_vs_target(actual, activity) -> tuple[str, bool | None]:
    """(«37 из 50», whether the target is met) for an actual value."""
    if actual is None:
        return "", None
    target = target_of(activity)
    value = format_number(actual)
    if target is None:
        return value, None
    met = MEETS[target.comparator](Decimal(actual), target.value)
    if target.unit == "%":
        return f"{value} %", met
    text = _("%(actual)s of %(target)s") % {
        "actual": value,
        "target": format_number(target.value),
    }
    return text, met


@dataclass(frozen=True)
class Execution:
    progress: Progress
    actual: str
    target_met: bool | None
    target: str
    evidence_count: int
    risks: list[tuple[str, str]]
    may_report: bool
    done_on: date | None
    has_report: bool


def execution_of(activity, on: date | None = None) -> Execution:
    """The execution of an activity annotated by selectors.with_execution."""
    actual, met = actual_vs_target(getattr(activity, "latest_actual", None), activity)
    target = target_of(activity)
    return Execution(
        progress=progress_of(activity, on),
        actual=actual,
        target_met=met,
        target=target.describe() if target else "",
        evidence_count=getattr(activity, "evidence_count", None) or 0,
        risks=risks_of(activity),
        may_report=bool(getattr(activity, "may_report", False)),
        done_on=getattr(activity, "latest_done_on", None),
        has_report=getattr(activity, "latest_report_id", None) is not None,
    )
