"""The charts are well-formed SVG; the page's queries do not grow with rows."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.dashboards.charts import bar_chart, month_chart, nice_max

from .factories import add_schools
from .helpers import get

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
MAX_QUERIES = 12


def svgs(html: str) -> dict:
    found = {}
    for part in html.split("<svg")[1:]:
        # The page under test, not untrusted input.
        element = ET.fromstring("<svg" + part.split("</svg>")[0] + "</svg>")  # noqa: S314
        found[element.get("data-testid") or element.get("class")] = element
    return found


def test_dashboard_charts_are_well_formed_svg(client, world):
    html = get(client, world.users["dept1"]).content.decode()
    charts = svgs(html)
    assert {"month-chart", "bar-chart"} <= set(charts)
    for name in ("month-chart", "bar-chart"):
        chart = charts[name]
        assert chart.find(f"{SVG}title").text
        assert chart.find(f"{SVG}desc").text
    # One bar group per row of the table: regional bodies, A and B.
    bars = charts["bar-chart"].findall(f"{SVG}g")
    assert len(bars) == html.count('<tr data-testid="row-') == 3
    # Twelve months, and the cumulative line through twelve points.
    months = charts["month-chart"]
    assert len(months.findall(f"{SVG}g")) == 12
    assert len(months.find(f"{SVG}polyline").get("points").split()) == 12


def test_dashboard_bars_link_to_the_lists(client, world):
    html = get(client, world.users["dept1"]).content.decode()
    chart = svgs(html)["bar-chart"]
    links = [a.get("href") for a in chart.iter(f"{SVG}a")]
    mun_a = world.municipalities["a"].pk
    assert f"/monitoring/activities/?municipality={mun_a}&year=2022&state=done" in links
    assert (
        f"/monitoring/activities/?municipality={mun_a}&year=2022&state=overdue" in links
    )


def test_bar_chart_scales_shares_and_overdue():
    chart = bar_chart([("А", 50.0, 3, None, None), ("Б", None, 10, None, None)])
    assert chart.bars[0].done_width == chart.done_span / 2
    assert chart.bars[1].done_text == "—"
    assert chart.overdue_max == 10
    assert chart.bars[1].overdue_width == chart.overdue_span


def test_month_chart_cumulative_line_rises():
    months = [{"due": 2, "done": 1, "cumulative": m} for m in range(1, 13)]
    chart = month_chart(months)
    ys = [s.point_y for s in chart.slots]
    assert ys == sorted(ys, reverse=True)
    assert chart.maximum == nice_max(12) == 20


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("user", "params"),
    [
        ("observer", ""),
        ("dept1", ""),
        ("coord_a", ""),
        ("curator1", ""),
        ("dept1", "?year=2022"),
    ],
)
def test_dashboard_queries_do_not_grow_with_schools(client, world, user, params):
    client.force_login(world.users[user])
    client.get(reverse("home"))
    url = reverse("monitoring:dashboard") + params
    before = _queries(client, url)
    add_schools(world, 6)
    after = _queries(client, url)
    assert before == after
    assert after <= MAX_QUERIES
