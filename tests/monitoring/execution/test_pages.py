"""The activity list, my tasks, their Excel exports and the plan page's
execution column; query counts at two sizes."""

import io
import re
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.execution import services
from monitoring.execution.filters import TASK_CHOICES
from monitoring.models import RiskFactor
from roadmaps.models import ExecutorRole, TargetComparator

from .factories import TODAY, add_activity, build_world, pdf

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12
R = ExecutorRole


@pytest.fixture
def world():
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        yield build_world()


def report(world, who, key_or_activity, **kwargs):
    activity = (
        world.activities[key_or_activity]
        if isinstance(key_or_activity, str)
        else key_or_activity
    )
    data = {"result": "done", "done_on": TODAY, "comment": "Отчёт"} | kwargs
    return services.report_create(by=world.users[who], activity=activity, **data)


def listed(client, name="monitoring:activity-list", **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response


def titles(response) -> set[str]:
    return {row.record.title for row in response.context["table"].page.object_list}


def workbook(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


# --- the activity list -------------------------------------------------------------


def test_list_shows_activities_in_force_of_the_scope_only(client, world):
    a = world.activities
    client.force_login(world.users["municipal_a"])
    shown = titles(listed(client))
    expected = {a[k].title for k in ("R_dept", "R_coord", "R_a1", "M_mouo", "M_org")}
    expected |= {a[k].title for k in ("S_school", "S_curator")}
    assert shown == expected  # no draft, nothing of region 2
    client.force_login(world.users["administrator"])
    assert titles(listed(client)) == set()


def test_list_filters_follow_the_contract(client, world):
    a, p, b = world.activities, world.plans, world.bodies
    risk = RiskFactor.objects.create(code="motivation", number=10, name="Мотивация")
    a["M_mouo"].risk_factors.add(risk)
    report(world, "municipal_a", "M_org")  # done
    report(world, "school_a1", "S_school")  # awaiting
    client.force_login(world.users["observer"])

    def shown(**params):
        return titles(listed(client, **params))

    assert shown(level="school") == {
        a["S_school"].title,
        a["S_curator"].title,
        a["C_school"].title,
    }
    assert shown(roadmap=p["M"].pk) == {a["M_mouo"].title, a["M_org"].title}
    assert shown(owner=b["dept1"].pk) == {
        a["R_dept"].title,
        a["R_coord"].title,
        a["R_a1"].title,
    }
    assert shown(municipality=b["mouo_a"].municipality_id, state="done") == {
        a["M_org"].title
    }
    assert shown(state="awaiting") == {a["S_school"].title}
    assert shown(risk=risk.pk) == {a["M_mouo"].title}
    # Factory deadlines are March 2022: overdue on 15 June unless done/awaiting.
    # 8 in force (the draft is not), less the done and the awaiting ones.
    assert len(shown(state="overdue")) == 6
    assert len(shown(month="2022-03")) == 8
    assert shown(month="2022-04") == set()
    assert shown(year=2021) == set()
    region2 = b["c1"].region_id
    assert shown(region=region2) == {a["C_school"].title}
    client.force_login(world.users["municipal_a"])
    # A region outside the scope is not a choice: nothing is listed.
    assert shown(region=region2) == set()


def test_list_export_is_the_filtered_list(client, world):
    a = world.activities
    a["M_mouo"].title = '=HYPERLINK("http://evil","x")'
    a["M_mouo"].indicator_text = "Не менее 50 консультаций"
    a["M_mouo"].target_value = Decimal(50)
    a["M_mouo"].target_unit = "консультаций"
    a["M_mouo"].target_comparator = TargetComparator.GTE
    a["M_mouo"].save()
    report(
        world,
        "municipal_a",
        "M_mouo",
        result="partly",
        actual_value=Decimal(37),
        files=[pdf()],
    )
    client.force_login(world.users["municipal_a"])
    response = client.get(
        reverse("monitoring:activity-list-export"), {"roadmap": world.plans["M"].pk}
    )
    rows = workbook(response)
    assert len(rows) == 1 + 2
    by_title = {r[6]: r for r in rows[1:]}
    title = '=HYPERLINK("http://evil","x")'
    assert f"'{title}" in by_title
    mine = by_title[f"'{title}"]
    assert mine[15] == 37
    assert mine[16] == "не менее 50 консультаций"
    assert mine[19] == 1
    assert mine[13] in ("да", "yes")  # March deadline, partly done


def test_report_link_and_actual_against_target_on_the_plan_page(client, world):
    a = world.activities
    activity = a["M_mouo"]
    activity.target_value, activity.target_unit = Decimal(50), "консультаций"
    activity.target_comparator = TargetComparator.GTE
    activity.save()
    risk = RiskFactor.objects.create(code="staff", number=2, name="Дефицит кадров")
    activity.risk_factors.add(risk)
    report(
        world,
        "municipal_a",
        "M_mouo",
        result="partly",
        actual_value=Decimal(37),
        files=[pdf()],
        links=[services.Link("https://mouo.example/1")],
    )
    client.force_login(world.users["municipal_a"])
    page = client.get(world.plans["M"].get_absolute_url()).content.decode()
    assert f'data-testid="report-link-{activity.pk}"' in page
    assert f'data-testid="report-link-{a["M_org"].pk}"' in page
    assert "37 из 50" in page or "37 of 50" in page
    assert 'title="Дефицит кадров">2<' in page
    assert 'data-state="partly"' in page
    client.force_login(world.users["school_a1"])
    page = client.get(world.plans["M"].get_absolute_url()).content.decode()
    assert "report-link-" not in page  # the school reads, does not report here
    client.force_login(world.users["municipal_a"])
    draft = client.get(world.plans["D"].get_absolute_url()).content.decode()
    assert "col-execution" not in draft


# --- my tasks ----------------------------------------------------------------------


def test_my_tasks_of_a_curator_and_a_school(client, world):
    a, plan = world.activities, world.plans["S"]
    # Due this month (June 2022) and not done.
    june = add_activity(
        plan,
        roles=[R.SCHOOL],
        title="Мониторинг июня",
        deadline_text="Июнь 2022",
        deadline_start=TODAY.replace(day=1),
        deadline_end=TODAY.replace(day=30),
    )
    add_activity(
        plan,
        roles=[R.SCHOOL],
        title="Сентябрь",
        deadline_text="Сентябрь 2022",
        deadline_start=TODAY.replace(month=9, day=1),
        deadline_end=TODAY.replace(month=9, day=30),
    )
    pending = report(world, "school_a1", "S_school")
    regional = report(world, "school_a1", "R_a1")
    client.force_login(world.users["curator_a1"])
    response = listed(client, "monitoring:my-tasks")
    counts = {code: n for code, _label, n in response.context["tasks"]}
    assert counts == {"due": 1, "overdue": 1, "confirm": 1, "redo": 0}
    assert titles(listed(client, "monitoring:my-tasks", task="confirm")) == {
        a["S_school"].title
    }
    assert titles(listed(client, "monitoring:my-tasks", task="due")) == {june.title}
    assert titles(listed(client, "monitoring:my-tasks", task="overdue")) == {
        a["S_curator"].title
    }
    services.report_decide(
        by=world.users["curator_a1"],
        report=pending,
        decision="rejected",
        comment="Приложите протокол",
    )
    client.force_login(world.users["school_a1"])
    response = listed(client, "monitoring:my-tasks")
    counts = {code: n for code, _label, n in response.context["tasks"]}
    # The rejected report is to redo, and its March deadline has passed.
    assert counts == {"due": 1, "overdue": 1, "confirm": 0, "redo": 1}
    assert titles(listed(client, "monitoring:my-tasks", task="redo")) == {
        a["S_school"].title
    }
    assert regional.decision == "not_needed"
    export = workbook(
        client.get(reverse("monitoring:my-tasks-export"), {"task": "redo"})
    )
    assert len(export) == 2
    assert export[1][7] == a["S_school"].title
    labels = dict(TASK_CHOICES)
    assert export[1][0] == f"{labels['overdue']}, {labels['redo']}"


def _table_cells(response, testid: str) -> tuple[int, list[list[str]]]:
    """(header cells, rows of cell HTML) of the table with that test id."""
    html = response.content.decode()
    table = html[html.index(f'data-testid="{testid}"') :]
    table = table[: table.index("</table>")]
    head, body = table.split("<tbody", 1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return len(re.findall(r"<th[ >]", head)), [
        re.findall(r"<td>(.*?)</td>", r, re.S) for r in rows
    ]


def test_rows_follow_the_columns_and_escape_text(client, world):
    add_activity(
        world.plans["S"],
        roles=[R.SCHOOL],
        title="<b>Смелый</b> & «план»",
        responsible_text="",
        deadline_text="<i>Июнь</i> 2022",
        deadline_start=TODAY.replace(day=1),
        deadline_end=TODAY.replace(day=30),
    )
    client.force_login(world.users["school_a1"])
    for name, testid, first in (
        ("monitoring:activity-list", "activity-table", "plan"),
        ("monitoring:my-tasks", "task-table", "task"),
    ):
        headers, rows = _table_cells(listed(client, name), testid)
        assert rows, name
        assert all(len(cells) == headers for cells in rows), name
        bold = next(cells for cells in rows if "Смелый" in "".join(cells))
        title = 2 if first == "plan" else 3
        assert "&lt;b&gt;Смелый&lt;/b&gt; &amp; «план»" in bold[title], name
        assert bold[title + 1] == "&lt;i&gt;Июнь&lt;/i&gt; 2022", name
        assert "<b>" not in "".join(bold)
        assert "<i>" not in "".join(bold)
        assert bold[title + 2] == "—"  # no responsible: a dash, as elsewhere
    client.force_login(world.users["administrator"])
    assert _table_cells(listed(client), "activity-table")[1] == []


def test_observer_and_administrator_have_no_tasks(client, world):
    for role in ("observer", "administrator"):
        client.force_login(world.users[role])
        response = listed(client, "monitoring:my-tasks")
        assert response.context["table"].paginator.count == 0


# --- query counts ------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(world, plan_key, n, who, roles):
    risk, _ = RiskFactor.objects.get_or_create(
        code="r1", defaults={"number": 1, "name": "Оснащение"}
    )
    for i in range(n):
        activity = add_activity(world.plans[plan_key], roles=roles)
        activity.risk_factors.add(risk)
        if i % 2:
            report(world, who, activity, files=[pdf()])


@pytest.mark.parametrize(
    ("who", "plan", "roles", "limit"),
    [
        ("municipal_a", "M", [R.MUNICIPAL_AUTHORITY], MAX_QUERIES),
        ("curator_a1", "S", [R.SCHOOL], MAX_QUERIES),
    ],
)
def test_plan_page_queries_do_not_grow(client, world, who, plan, roles, limit):
    client.force_login(world.users[who])
    client.get(reverse("home"))
    url = world.plans[plan].get_absolute_url()
    grow(world, plan, 4, who, roles)
    small = count_queries(client, url)
    grow(world, plan, 40, who, roles)
    large = count_queries(client, url)
    assert small == large
    assert large <= limit


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("municipal_a", "monitoring:activity-list"),
        ("observer", "monitoring:activity-list"),
        ("municipal_a", "monitoring:my-tasks"),
        ("curator_a1", "monitoring:my-tasks"),
    ],
)
def test_list_queries_do_not_grow(client, world, who, name):
    client.force_login(world.users[who])
    client.get(reverse("home"))
    url = reverse(name)
    grow(world, "M", 4, "municipal_a", [R.MUNICIPAL_AUTHORITY])
    grow(world, "S", 4, "school_a1", [R.SCHOOL])
    small = count_queries(client, url)
    grow(world, "M", 60, "municipal_a", [R.MUNICIPAL_AUTHORITY])
    grow(world, "S", 60, "school_a1", [R.SCHOOL])
    large = count_queries(client, url)
    assert small == large
    assert large <= MAX_QUERIES
    assert count_queries(client, url + "?state=overdue&month=2022-03") <= MAX_QUERIES
