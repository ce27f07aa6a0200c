"""Geometry of the dashboards' charts, drawn as SVG by the templates.

The server computes every coordinate, so the charts need no JavaScript; the
templates add <title>/<desc> and the same numbers stand in a table next to
each chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.dates import MONTHS_3

LABEL_CHARS = 34


def short(text: str, limit: int = LABEL_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_max(value: int) -> int:
    """A round upper bound of an axis (1, 2, 5 × 10ⁿ steps)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


@dataclass
class Bar:
    label: str
    full_label: str
    y: float
    done_width: float
    done_text: str
    done_url: str | None
    overdue_width: float
    overdue: int
    overdue_url: str | None


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    done_x: int
    done_span: int
    overdue_x: int
    overdue_span: int
    overdue_max: int
    row_height: int
    bars: list[Bar] = field(default_factory=list)

    @property
    def done_mid(self) -> float:
        return self.done_x + self.done_span / 2

    @property
    def overdue_end(self) -> int:
        return self.overdue_x + self.overdue_span

    @property
    def done_end(self) -> int:
        return self.done_x + self.done_span

    @property
    def axis_y(self) -> int:
        return self.height - 4


def bar_chart(rows) -> BarChart:
    """Bars per row: the share of activities done, and overdue activities.

    `rows` are (label, share or None, overdue, done url, overdue url).
    """
    row_height, top = 24, 30
    chart = BarChart(
        width=760,
        height=top + row_height * len(rows) + 8,
        label_width=250,
        done_x=260,
        done_span=250,
        overdue_x=540,
        overdue_span=200,
        overdue_max=nice_max(max((r[2] for r in rows), default=0)),
        row_height=row_height,
    )
    for i, (label, share, overdue, done_url, overdue_url) in enumerate(rows):
        chart.bars.append(
            Bar(
                label=short(label),
                full_label=str(label),
                y=top + i * row_height,
                done_width=round(chart.done_span * (share or 0) / 100, 1),
                done_text="—" if share is None else f"{share:g} %",
                done_url=done_url,
                overdue_width=round(
                    chart.overdue_span * overdue / chart.overdue_max, 1
                ),
                overdue=overdue,
                overdue_url=overdue_url,
            )
        )
    return chart


@dataclass
class MonthSlot:
    label: str
    x: float
    due: int
    due_y: float
    due_height: float
    done: int
    done_y: float
    done_height: float
    cumulative: int
    point_x: float
    point_y: float


@dataclass
class MonthChart:
    width: int
    height: int
    left: int
    top: int
    bottom: int
    plot_height: int
    bar_width: int
    maximum: int
    slots: list[MonthSlot] = field(default_factory=list)
    ticks: list[tuple[int, float]] = field(default_factory=list)

    @property
    def points(self) -> str:
        return " ".join(f"{s.point_x},{s.point_y}" for s in self.slots)

    @property
    def base_y(self) -> int:
        return self.top + self.plot_height

    @property
    def right(self) -> int:
        return self.width - 10


def month_chart(months: list[dict]) -> MonthChart:
    """Columns per month (activities due, done) and the cumulative done line.

    `months` are twelve dicts with `due`, `done` and `cumulative`.
    """
    width, left, top, bottom = 760, 48, 16, 30
    plot_height = 200
    slot = (width - left - 10) / 12
    bar_width = 16
    top_value = max(
        [m["due"] for m in months]
        + [m["done"] for m in months]
        + [m["cumulative"] for m in months]
        + [0]
    )
    maximum = nice_max(top_value)
    chart = MonthChart(
        width=width,
        height=top + plot_height + bottom,
        left=left,
        top=top,
        bottom=bottom,
        plot_height=plot_height,
        bar_width=bar_width,
        maximum=maximum,
    )

    def y_of(value):
        return round(top + plot_height - plot_height * value / maximum, 1)

    for i, m in enumerate(months):
        x = round(left + i * slot + slot / 2 - bar_width, 1)
        chart.slots.append(
            MonthSlot(
                label=str(MONTHS_3[i + 1]),
                x=x,
                due=m["due"],
                due_y=y_of(m["due"]),
                due_height=round(top + plot_height - y_of(m["due"]), 1),
                done=m["done"],
                done_y=y_of(m["done"]),
                done_height=round(top + plot_height - y_of(m["done"]), 1),
                cumulative=m["cumulative"],
                point_x=round(left + i * slot + slot / 2, 1),
                point_y=y_of(m["cumulative"]),
            )
        )
    chart.ticks = [(v, y_of(v)) for v in sorted({0, maximum // 2, maximum})]
    return chart
