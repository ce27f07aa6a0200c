"""How the portal shows what it understood of deadlines and indicators."""

from datetime import date
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from ..deadlines import Deadline
from ..indicators import Comparator, Target
from ..ru_dates import format_date_text

register = template.Library()


def activity_deadline(activity) -> Deadline:
    ranges = tuple(
        (date.fromisoformat(a), date.fromisoformat(b))
        for a, b in activity.deadline_ranges or []
    )
    return Deadline(text=activity.deadline_text, ranges=ranges)


@register.simple_tag
def deadline_understood(activity) -> str:
    """«→ 01.03.2021 – 30.04.2021» or «дата не распознана»."""
    if not activity.deadline_text:
        return ""
    deadline = activity_deadline(activity)
    if not deadline.recognised:
        return deadline.describe()
    return f"→ {deadline.describe()}"


@register.simple_tag
def target_understood(activity) -> str:
    """The parsed target of an indicator, e.g. «не менее 50 консультаций»."""
    if activity.target_value is None:
        return ""
    target = Target(
        value=Decimal(activity.target_value),
        unit=activity.target_unit,
        comparator=Comparator(activity.target_comparator),
    )
    return _("target: %(target)s") % {"target": target.describe()}


@register.simple_tag
def appendix_header(edition) -> str:
    """«Приложение к приказу от 05 марта 2021 года № 43» for an edition."""
    order = edition.approving_order
    if order is None:
        return ""
    return _("Appendix to the order of %(date)s No. %(number)s") % {
        "date": format_date_text(order.date),
        "number": order.number,
    }


@register.filter
def deadline_outside(activity, period) -> bool:
    """True when the understood deadline leaves the plan's period."""
    start, end = period
    return activity.deadline_outside(start, end)
