"""Dashboard numbers equal counts made independently, at a fixed "today"."""

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.http import QueryDict
from django.utils import translation

from monitoring.execution.filters import ActivityFilter
from monitoring.execution.selectors import activities_in_force
from monitoring.visits.filters import VisitFilter
from monitoring.visits.querysets import visits
from roadmaps.filters import RoadmapFilter
from roadmaps.models import Roadmap

from .factories import TODAY
from .helpers import expected_activities, get, href, number, row_start, text

pytestmark = pytest.mark.django_db


def test_dashboard_municipality_activities_by_hand(client, world):
    html = get(client, world.users["coord_a"]).content.decode()
    # Municipal plan: done (January), partly done and overdue; school A1:
    # confirmed, pending (past its deadline, not overdue), rejected (overdue),
    # one ahead; A2's returned plan is not in force; 2021 is another year.
    assert number(html, "activities-total") == 6
    assert number(html, "activities-done") == 2
    assert number(html, "activities-awaiting") == 1
    assert number(html, "activities-overdue") == 2
    assert text(html, "activities-share") == "33,3 %"


@pytest.mark.parametrize(
    ("user", "params", "belongs"),
    [
        ("observer", {}, lambda r: True),
        ("dept1", {}, lambda r: r.region.name == "Регион-1"),
        ("observer", {"region": "r2"}, lambda r: r.region.name == "Регион-2"),
        ("coord_a", {}, lambda r: r.municipality and r.municipality.name == "Район А"),
        ("school_a1", {}, lambda r: r.owner.name == "Школа А1"),
        ("curator1", {}, lambda r: r.owner.name in ("Школа А1", "Школа А2")),
    ],
)
def test_dashboard_activities_equal_independent_counts(
    client, world, user, params, belongs
):
    params = {k: world.regions[v].pk if k == "region" else v for k, v in params.items()}
    html = get(client, world.users[user], **params).content.decode()
    expected = expected_activities(belongs)
    for key in ("total", "done", "awaiting", "overdue"):
        assert number(html, f"activities-{key}") == expected[key], key


def test_dashboard_region_numbers(client, world):
    html = get(client, world.users["dept1"]).content.decode()
    assert number(html, "activities-total") == 12
    assert number(html, "activities-done") == 3
    assert number(html, "activities-awaiting") == 2
    assert number(html, "activities-overdue") == 4
    # Plans of 2022 by the status of their latest edition.
    assert number(html, "plans-approved") == 4
    assert number(html, "plans-draft") == 1
    assert number(html, "plans-submitted") == 1
    assert number(html, "plans-returned") == 1
    assert number(html, "plans-agreed") == 0
    # Risks: A1 verified (risk 1 covered by its activity, risk 2 not), B1's
    # risk 1 without activities.
    assert number(html, "risks-schools") == 3
    assert number(html, "risks-verified") == 1
    assert number(html, "risks-chosen") == 3
    assert number(html, "risks-uncovered") == 2
    # Visits: A1 held, A2 overdue, B1 ahead.
    assert number(html, "visits-held") == 1
    assert number(html, "visits-overdue") == 1
    assert number(html, "visits-planned") == 1


def test_dashboard_country_adds_the_second_region(client, world):
    html = get(client, world.users["observer"]).content.decode()
    with translation.override("ru"):
        assert translation.gettext("All regions") in html
    assert number(html, "activities-total") == 14
    assert number(html, "activities-overdue") == 5
    assert number(html, "risks-verified") == 2
    assert number(html, "risks-chosen") == 4
    assert number(html, "risks-uncovered") == 2
    assert number(html, "visits-overdue") == 2
    # One row per region, each linking to its dashboard.
    r1, r2 = world.regions["r1"], world.regions["r2"]
    start = row_start(html, r2.pk)
    assert number(html, "cell-activities", start) == 2
    assert number(html, "cell-overdue", start) == 1
    assert f"?region={r1.pk}&amp;year=2022" in html


def test_dashboard_stage_completion(client, world):
    html = get(client, world.users["dept1"]).content.decode()
    table = html[html.index('data-testid="stage-table"') :]
    entry = table.index("Входное анкетирование")
    first = table.index("Первый этап")
    # Entry stage: A1, A2 confirmed; B1 sent after the closing date.
    assert number(table, "stage-total", entry) == 3
    assert number(table, "stage-confirmed", entry) == 2
    assert number(table, "stage-submitted", entry) == 1
    assert number(table, "stage-missing", entry) == 0
    assert number(table, "stage-late", entry) == 1
    # First stage closed on 10 June: A1 sent in time, A2's draft and B1's
    # missing form are late.
    assert number(table, "stage-total", first) == 3
    assert number(table, "stage-submitted", first) == 1
    assert number(table, "stage-draft", first) == 1
    assert number(table, "stage-missing", first) == 1
    assert number(table, "stage-late", first) == 2
    # The unpublished second stage is not shown.
    assert "Второй этап" not in table.split("</table>")[0]
    assert table.count('data-testid="stage-row"') == 2


def test_dashboard_municipality_stage_links_keep_the_filter(client, world):
    html = get(client, world.users["coord_a"]).content.decode()
    stage = world.stages["first1"]
    url = href(html, "stage-missing")
    assert (
        urlsplit(url).path
        == f"/monitoring/stages/{world.stages['entry1'].pk}/completion/"
    )
    assert parse_qs(urlsplit(url).query) == {
        "municipality": [str(world.municipalities["a"].pk)],
        "status": ["missing"],
    }
    table = html[html.index('data-testid="stage-table"') :]
    first = table.index(stage.title)
    assert number(table, "stage-total", first) == 2
    assert number(table, "stage-late", first) == 1


def test_dashboard_curators_load(client, world):
    html = get(client, world.users["dept1"]).content.decode()
    table = html[html.index('data-testid="curator-table"') :]
    anna = table.index("Кураторова Анна")
    oleg = table.index("Смирнов Олег")
    # Curator 1: A1 and A2; A1's pending report and first-stage form; A2's
    # overdue visit.
    assert number(table, "curator-schools", anna) == 2
    assert number(table, "curator-reports", anna) == 1
    assert number(table, "curator-forms", anna) == 1
    assert number(table, "curator-profiles", anna) == 0
    assert number(table, "curator-overdue", anna) == 1
    assert number(table, "curator-pending", anna) == 3
    # Curator 2 in region 1: B1 only (C1 lies in region 2).
    assert number(table, "curator-schools", oleg) == 1
    assert number(table, "curator-reports", oleg) == 1
    assert number(table, "curator-forms", oleg) == 1
    assert number(table, "curator-profiles", oleg) == 1
    assert number(table, "curator-overdue", oleg) == 0


def test_dashboard_months(client, world):
    html = get(client, world.users["dept1"]).content.decode()
    # Done: municipal A in January, A1 in February, regional in March.
    assert [number(html, f"done-{m}") for m in (1, 2, 3, 4)] == [1, 1, 1, 0]
    assert [number(html, f"cumulative-{m}") for m in (1, 3, 12)] == [1, 3, 3]
    # Due in May: regional (May; May–September), A1 (May), municipal A
    # (10 January – 31 December); B1's are in January and October.
    assert number(html, "due-5") == 4
    assert number(html, "due-10") == 2


def test_dashboard_school_level_shows_its_form(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = get(client, world.users["school_a1"]).content.decode()
    assert number(html, "activities-total") == 4
    forms = [text(html, "stage-form", i) for i in _all(html, "stage-form")]
    assert forms == ["confirmed", "submitted"]
    assert 'data-testid="row-table"' not in html


def _all(html, testid):
    index, found = 0, []
    while (index := html.find(f'data-testid="{testid}"', index)) >= 0:
        found.append(index)
        index += 1
    return found


def _list_count(url, user):
    query = QueryDict(urlsplit(url).query)
    path = urlsplit(url).path
    if path.startswith("/monitoring/activities/"):
        visible = activities_in_force(user=user)
        return ActivityFilter(query, queryset=visible, on=TODAY, visible=visible).qs
    if path.startswith("/monitoring/visits/"):
        mine = visits().visible_to(user)
        return VisitFilter(query, queryset=mine, on=TODAY, visible=mine).qs
    visible = Roadmap.objects.visible_to(user)
    return RoadmapFilter(query, queryset=visible, visible=visible).qs


@pytest.mark.parametrize("user", ["coord_a", "dept1", "observer", "school_a1"])
def test_dashboard_numbers_equal_the_lists_they_link_to(client, world, user):
    person = world.users[user]
    html = get(client, person).content.decode()
    testids = [
        "activities-total",
        "activities-done",
        "activities-awaiting",
        "activities-overdue",
        "visits-held",
        "visits-overdue",
        "visits-planned",
    ]
    if user != "school_a1":
        testids += ["plans-approved", "plans-returned", "plans-draft"]
    for testid in testids:
        url = href(html, testid)
        assert _list_count(url, person).count() == number(html, testid), testid


@pytest.mark.parametrize("user", ["coord_a", "dept1", "observer"])
def test_month_and_curator_numbers_equal_the_lists_they_link_to(client, world, user):
    person = world.users[user]
    html = get(client, person).content.decode()
    linked = 0
    for month in range(1, 13):
        done = number(html, f"done-{month}")
        if done:
            url = href(html, f"done-{month}")
            assert _list_count(url, person).count() == done, month
            linked += 1
    for start in _all(html, "curator-reports"):
        pending = number(html, "curator-reports", start)
        match = html[start:].split("</td>", 1)[0]
        url = unescape(match.split('href="', 1)[1].split('"', 1)[0])
        assert _list_count(url, person).count() == pending
        linked += 1
    assert linked, "the world has done reports and curators"
