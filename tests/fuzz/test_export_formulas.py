"""Formula injection: text users type never leaves the portal as a formula.

Every Excel file the portal writes, read back with openpyxl, holds what users
typed (titles, numbers, deadlines, executors, indicators, names, visit
notes, form answers, …) as string cells, never as formulas, whatever it
starts with («=», «+», «-», «@», a tab, a carriage return) and whatever it
holds («=cmd|' /C calc'!A0»), and keeps the text (list exports put an
apostrophe before text that would start a formula, as spreadsheets do).
Characters an Excel file cannot hold are dropped rather than failing the
export.
"""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from monitoring.models import (
    CuratorVisit,
    MonitoringAnswer,
    MonitoringField,
    RiskFactor,
)
from roadmaps.exports.lists import safe
from roadmaps.exports.xlsx import _put
from roadmaps.models import Activity, Order, Roadmap, Section
from schools.models import Municipality, Organisation, Project, Region
from tests.budget_world import build_world
from tests.helpers import close_response
from tests.urlwalk import pinned_today

from .support import fuzz

PREFIXES = ["=", "+", "-", "@", "\t", "\r", "=cmd|' /C calc'!A0 ", "", " ="]
BODIES = [
    'HYPERLINK("http://evil.example/x","Нажмите")',
    "cmd|' /C calc'!A0",
    "SUM(1+1)",
    "1+1",
    "2",
    "Совещание",
    'DDE("cmd";"/C calc")',
]
# The rest of a text: anything, a few characters Excel files cannot hold among it.
tails = st.text(st.sampled_from("аб Я12=+-@|!\"'(),;\t\n\x0b\x01\x1f"), max_size=8)
hostile = st.builds(
    lambda prefix, body, tail: prefix + body + tail,
    st.sampled_from(PREFIXES),
    st.sampled_from(BODIES),
    tails,
)


def expected(text: str) -> str:
    """The text as a cell keeps it: without characters an Excel file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def read_back(data: bytes) -> list[tuple[str, object]]:
    """(data type, value) of every cell of every sheet."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        (cell.data_type, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_no_formula(cells: list[tuple[str, object]]) -> None:
    formulas = [value for kind, value in cells if kind == "f"]
    assert not formulas, formulas


# --- the two helpers every writer uses -----------------------------------------------


@fuzz(60)
@given(st.lists(hostile, min_size=1, max_size=20))
@example(["\x0bЯ", "=1+1\x01", "-2"])
def test_safe_text_is_a_string_in_write_only_workbooks(texts):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Лист")
    sheet.append([safe(text) for text in texts])
    out = io.BytesIO()
    book.save(out)
    cells = read_back(out.getvalue())
    assert_no_formula(cells)
    values = [value for _kind, value in cells]
    for text in texts:
        kept = expected(text)
        if kept:
            assert any(kept in value for value in values), (kept, values)


@fuzz(60)
@given(st.lists(hostile, min_size=1, max_size=20))
def test_printed_text_is_a_string(texts):
    book = Workbook()
    for column, text in enumerate(texts, start=1):
        _put(book.active, 1, column, text, font=None, alignment=None)
    out = io.BytesIO()
    book.save(out)
    cells = read_back(out.getvalue())
    assert_no_formula(cells)
    assert [value for _kind, value in cells] == [
        expected(t) for t in texts if expected(t)
    ]


# --- every export of the portal, end to end -------------------------------------


@pytest.fixture
def world(db):
    """The budget world (plans, reports, forms, risks, visits), its sent form
    with a text answer."""
    built = build_world()
    MonitoringAnswer.objects.create(
        submission=built.objects["answer"].submission,
        field=built.fields["note"],
        text="Примечание",
    )
    return built


def unique(rows, field: str, text: str) -> None:
    """Give rows whose field is unique the text, then the text and a number."""
    for index, pk in enumerate(rows.order_by("pk").values_list("pk", flat=True)):
        value = text if index == 0 else f"{text}{index}"
        rows.filter(pk=pk).update(**{field: value})


def poison(texts: list[str]) -> dict[str, str]:
    """Put a hostile text in every field users type that an export shows;
    return the texts as stored (numbers are short)."""
    texts = iter(texts)
    stored = {name: next(texts) for name in FIELDS}
    for name in ("activity number", "section number", "order number", "project"):
        stored[name] = stored[name][:15]
    Activity.objects.update(
        number=stored["activity number"],
        title=stored["activity"],
        deadline_text=stored["deadline"],
        responsible_text=stored["executors"],
        indicator_text=stored["indicator"],
    )
    Section.objects.update(number=stored["section number"], title=stored["section"])
    Roadmap.objects.update(title=stored["roadmap"])
    Order.objects.update(title=stored["order"])
    unique(Order.objects.all(), "number", stored["order number"])
    Organisation.objects.update(short_name="")
    unique(Organisation.objects.all(), "name", stored["body"])
    unique(Region.objects.all(), "name", stored["region"])
    unique(Municipality.objects.all(), "name", stored["municipality"])
    Project.objects.update(short_name=stored["project"])
    get_user_model().objects.update(last_name=stored["user"][:100], first_name="")
    CuratorVisit.objects.update(purpose=stored["purpose"], notes=stored["notes"])
    MonitoringAnswer.objects.update(text=stored["answer"])
    MonitoringField.objects.update(label=stored["field"])
    RiskFactor.objects.update(name=stored["risk"])
    return stored


FIELDS = [
    "activity number",
    "activity",
    "deadline",
    "executors",
    "indicator",
    "section number",
    "section",
    "roadmap",
    "order number",
    "order",
    "body",
    "region",
    "municipality",
    "project",
    "user",
    "purpose",
    "notes",
    "answer",
    "field",
    "risk",
]


def exports(world) -> list[tuple[str, str, dict]]:
    """(user, URL, query) of every Excel file the portal writes."""
    school_plan = world.plans["school"]
    edition = reverse(
        "roadmaps:edition-download",
        args=[school_plan.pk, school_plan.current_edition.number, "xlsx"],
    )
    return [
        ("regional", reverse("roadmaps:roadmap-export"), {}),
        (
            "regional",
            reverse("roadmaps:consolidated-export"),
            {"region": world.region.pk},
        ),
        ("regional", reverse("monitoring:activity-list-export"), {}),
        ("curator", reverse("monitoring:my-tasks-export"), {}),
        ("regional", reverse("monitoring:stage-export", args=[world.stage.pk]), {}),
        ("regional", reverse("monitoring:risk-coverage-export"), {"year": 2022}),
        ("regional", reverse("monitoring:visit-export"), {}),
        ("regional", edition, {}),
        ("regional", edition, {"part": "plan"}),
    ]


def download(client, url: str, query: dict) -> bytes:
    response = client.get(url, query)
    assert response.status_code == 200, url
    if response.streaming:
        content = b"".join(response.streaming_content)
        close_response(response)
        return content
    return response.content


@pytest.mark.django_db
@fuzz(5)
@given(st.lists(hostile, min_size=len(FIELDS), max_size=len(FIELDS)))
def test_every_export_keeps_user_text_as_text(client, world, texts):
    with transaction.atomic():
        stored = poison(texts)
        seen: list[str] = []
        with pinned_today():
            for role, url, query in exports(world):
                client.force_login(world.users[role])
                cells = read_back(download(client, url, query))
                assert_no_formula(cells)
                seen.extend(str(value) for _kind, value in cells)
        transaction.set_rollback(True)
    every = "\n".join(seen)
    for field, text in stored.items():
        kept = expected(text).strip()
        assert not kept or kept in every, (field, kept)
