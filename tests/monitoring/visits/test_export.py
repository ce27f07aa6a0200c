"""The visit list in Excel, read back."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import ScheduleStatus

from .factories import YEAR, VisitFactory, build_world

pytestmark = pytest.mark.django_db
D = datetime.date


def read(response):
    ws = load_workbook(BytesIO(response.getvalue())).active
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def test_export_rows_dates_states_and_formula_safety(client):
    w = build_world(status=ScheduleStatus.APPROVED)
    w.visit.held_on = D(YEAR, 5, 20)
    w.visit.notes = '=HYPERLINK("http://evil")'
    w.visit.save()
    VisitFactory(
        schedule=w.schedule,
        curator=w.users["curator"],
        school=w.bodies["a2"],
        planned_on=D(YEAR, 4, 1),
        purpose="+Консультация",
    )
    client.force_login(w.users["coordinator_a"])
    response = client.get(reverse("monitoring:visit-export"))
    assert response["Content-Disposition"].startswith("attachment;")
    rows, ws = read(response)
    assert len(rows) == 3
    header = rows[0]
    assert len(header) == 10
    by_school = {r[2]: r for r in rows[1:]}
    late = by_school["Школа А2"]
    assert late[:5] == [
        "Регион-1",
        "Район А",
        "Школа А2",
        "Кураторова Иван",
        "'+Консультация",
    ]
    assert late[5].date() == D(YEAR, 4, 1)
    assert late[6] is None
    held = by_school["Школа А1"]
    assert held[6].date() == D(YEAR, 5, 20)
    assert held[8] == '\'=HYPERLINK("http://evil")'
    # The overdue row is filled red, the held one is not.
    fills = {row[2].value: row[0].fill.fgColor.rgb for row in ws.iter_rows(min_row=2)}
    assert fills["Школа А2"].endswith("FBE4E4")
    assert not fills["Школа А1"].endswith("FBE4E4")
    assert ws["F2"].number_format == "DD.MM.YYYY"


def test_export_uses_the_page_filters(client, world):
    VisitFactory(
        schedule=world.schedule,
        curator=world.users["curator"],
        school=world.bodies["a2"],
        planned_on=D(YEAR, 4, 1),
    )
    client.force_login(world.users["curator"])
    response = client.get(reverse("monitoring:visit-export"), {"state": "overdue"})
    rows, _ws = read(response)
    assert [r[2] for r in rows[1:]] == ["Школа А2"]
    response = client.get(
        reverse("monitoring:visit-export"), {"school": world.bodies["a1"].pk}
    )
    rows, _ws = read(response)
    assert [r[2] for r in rows[1:]] == ["Школа А1"]
