"""Print-ready order + appendix files (.xlsx and .docx) read back and checked."""

import datetime
import io
import math
import zipfile

import docx
import openpyxl
import pytest
from defusedxml import ElementTree
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils.text import capfirst
from django.utils.translation import gettext, override
from docx.oxml.ns import qn
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from roadmaps.demo import load_demo
from roadmaps.exports import CELL_FIELDS, DIRECTIVE, DIRECTIVE_SPACED
from roadmaps.exports.docx import edition_document, export_filename
from roadmaps.exports.layout import (
    FONT,
    MAX_ROW_PT,
    count_lines,
    is_landscape,
    split_rows,
)
from roadmaps.exports.xlsx import edition_workbook, write_edition_xlsx
from roadmaps.models import ActivityExecutor, Order, RoadmapEdition
from roadmaps.ru_dates import format_date_long
from roadmaps.selectors import edition_for_display, edition_rows
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    roadmap_with_edition,
)

pytestmark = pytest.mark.django_db

SEED_ORDERS = ["43", "12/6", "13/ 01-04", "224/1", "422-ОД"]
# The rule: landscape for 5+ columns or a table wider than a portrait page.
ORIENTATION = {
    "43": "portrait",
    "12/6": "landscape",
    "13/ 01-04": "portrait",
    "224/1": "landscape",
    "422-ОД": "landscape",
}
KIND_WORD = {
    "43": "ПРИКАЗ",
    "12/6": "ПРИКАЗ",
    "13/ 01-04": "П Р И К А З",
    "224/1": "ПРИКАЗ",
    "422-ОД": "П Р И К А З",
}
APPENDIX_004 = (
    "Приложение к приказу Департамента\n"
    "Смоленской области по образованию\n"
    "и науке от «16» 03 2021 г. № 189-ОД\n"
    "(в ред. от «17» 05 2021 г. № 422-ОД)"
)
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Independent lower bound of the lines a cell needs: generous characters per
# column-width unit at 12 pt, 15 pt per printed 12 pt line.
CHARS_PER_UNIT_12PT = 1.15
LINE_PT_12PT = 15


@pytest.fixture(autouse=True)
def russian():
    with override("ru"):
        yield


@pytest.fixture
def demo():
    load_demo()


def plan(number: str) -> RoadmapEdition:
    return Order.objects.get(number=number).approved_editions.get()


def workbook_of(edition) -> openpyxl.Workbook:
    out = io.BytesIO()
    write_edition_xlsx(edition, out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def book_bytes(edition) -> bytes:
    out = io.BytesIO()
    write_edition_xlsx(edition, out)
    return out.getvalue()


def written_borders(data: bytes, index: int) -> dict[str, bool]:
    """Cell → whether its written style has thin lines on all four sides."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
        sheet = ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{index}.xml"))
    borders = [
        all(
            (side := border.find(f"{NS}{name}")) is not None
            and side.get("style") == "thin"
            for name in ("left", "right", "top", "bottom")
        )
        for border in styles.find(f"{NS}borders")
    ]
    xfs = [int(xf.get("borderId", 0)) for xf in styles.find(f"{NS}cellXfs")]
    return {c.get("r"): borders[xfs[int(c.get("s", 0))]] for c in sheet.iter(f"{NS}c")}


def document_of(edition):
    out = io.BytesIO()
    edition_document(edition).save(out)
    return docx.Document(io.BytesIO(out.getvalue()))


def displayed(edition):
    """The stored rows in document order, loaded independently of the export."""
    edition = RoadmapEdition.objects.get(pk=edition.pk)
    return edition_rows(edition_for_display(edition=edition))


def header_row(ws) -> int:
    first, last = ws.print_title_rows.replace("$", "").split(":")
    assert first == last
    return int(first)


def sheet_texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def min_lines(text: str, width: float, size: float) -> int:
    per_line = max(1, int(width * CHARS_PER_UNIT_12PT * 12 / size))
    return sum(max(1, math.ceil(len(p) / per_line)) for p in text.split("\n"))


def column_widths(ws, count: int) -> list[float]:
    return [
        ws.column_dimensions[get_column_letter(i)].width for i in range(1, count + 1)
    ]


# --- xlsx -----------------------------------------------------------------------


@pytest.mark.parametrize("number", SEED_ORDERS)
def test_xlsx_table_is_the_plan_cell_for_cell(demo, number):
    edition = plan(number)
    book = workbook_of(edition)
    assert book.sheetnames == [capfirst(gettext("order")), gettext("Appendix")]
    assert book.sheetnames[0] == "Приказ"
    ws = book.worksheets[1]
    count = len(edition.columns)
    last = get_column_letter(count)
    top = header_row(ws)
    assert [ws.cell(top, c).value for c in range(1, count + 1)] == [
        c["header"] for c in edition.columns
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    row = top
    for kind, item in displayed(edition):
        row += 1
        if kind == "section":
            assert f"A{row}:{last}{row}" in merged
            assert ws.cell(row, 1).value == f"{item.number} {item.title}".strip()
            assert ws.cell(row, 1).font.b
            continue
        for index, column in enumerate(edition.columns, start=1):
            stored = getattr(item, CELL_FIELDS[column["key"]]) or None
            assert ws.cell(row, index).value == stored, (row, column["key"])
    assert row == ws.max_row
    for cells in ws.iter_rows(min_row=top, max_row=ws.max_row, max_col=count):
        for cell in cells:
            if isinstance(cell, MergedCell):
                continue  # a merged range shows its first cell only
            assert cell.alignment.wrap_text, cell.coordinate
            assert cell.font.name == FONT
    # openpyxl rebuilds merged cells' borders when it reads a file: look at
    # what was written instead.
    bordered = written_borders(book_bytes(edition), index=2)
    for row in range(top, ws.max_row + 1):
        for column in range(1, count + 1):
            assert bordered[f"{get_column_letter(column)}{row}"], (row, column)


@pytest.mark.parametrize("number", SEED_ORDERS)
def test_xlsx_prints_on_a4_fitted_to_width_with_the_header_repeated(demo, number):
    edition = plan(number)
    order_ws, table_ws = workbook_of(edition).worksheets
    assert order_ws.page_setup.orientation == "portrait"
    assert table_ws.page_setup.orientation == ORIENTATION[number]
    assert is_landscape(edition.column_keys()) == (ORIENTATION[number] == "landscape")
    for ws in (order_ws, table_ws):
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.page_margins.left == pytest.approx(3 / 2.54)
        assert 1 / 2.54 <= ws.page_margins.right <= 1.5 / 2.54
        assert ws.page_margins.top == pytest.approx(2 / 2.54)
        assert ws.page_margins.bottom == pytest.approx(2 / 2.54)
        assert ws.oddFooter.center.text == "Страница &P из &N"
    top = header_row(table_ws)
    assert table_ws.print_title_rows == f"${top}:${top}"
    assert [c.value for c in table_ws[top]] == [c["header"] for c in edition.columns]
    # The table fills the printable width of its page (about 25 cm or 16.5 cm).
    total = sum(column_widths(table_ws, len(edition.columns)))
    assert total == pytest.approx(
        135 if ORIENTATION[number] == "landscape" else 88, abs=1
    )


@pytest.mark.parametrize("number", SEED_ORDERS)
def test_xlsx_rows_are_tall_enough_for_their_text(demo, number):
    edition = plan(number)
    book = workbook_of(edition)
    for ws in book.worksheets:
        widths = column_widths(ws, ws.max_column)
        spans = {
            (r.min_row, r.min_col): sum(widths[r.min_col - 1 : r.max_col])
            for r in ws.merged_cells.ranges
        }
        for cells in ws.iter_rows():
            for cell in cells:
                if not isinstance(cell.value, str):
                    continue
                width = spans.get((cell.row, cell.column), widths[cell.column - 1])
                size = cell.font.sz
                need = min_lines(cell.value, width, size) * LINE_PT_12PT * size / 12
                height = ws.row_dimensions[cell.row].height
                assert height >= need, (ws.title, cell.coordinate, height, need)
    # The longest title in particular.
    ws = book.worksheets[1]
    title_column = edition.column_keys().index("title") + 1
    top = header_row(ws)
    titles = [
        row[0]
        for row in ws.iter_rows(
            min_row=top + 1, min_col=title_column, max_col=title_column
        )
        if row[0].value
    ]
    longest = max(titles, key=lambda c: len(c.value))
    width = ws.column_dimensions[get_column_letter(title_column)].width
    lines = min_lines(longest.value, width, longest.font.sz)
    assert lines >= 2
    assert ws.row_dimensions[longest.row].height >= lines * LINE_PT_12PT * (
        longest.font.sz / 12
    )


@pytest.mark.parametrize("number", SEED_ORDERS)
def test_xlsx_order_sheet_says_the_whole_order(demo, number):
    edition = plan(number)
    order = edition.approving_order
    ws = workbook_of(edition).worksheets[0]
    texts = sheet_texts(ws)
    joined = "\n".join(texts)
    issuer = order.issuer_text or order.issuer.name
    assert texts[0] == issuer
    assert ws["A1"].font.b
    assert KIND_WORD[number] in texts
    assert format_date_long(order.date) in texts
    assert f"№ {order.number}" in texts
    assert order.title in texts
    assert order.preamble in joined
    directive = DIRECTIVE_SPACED if " " in KIND_WORD[number] else DIRECTIVE
    assert directive in joined
    for clause in order.clauses.all():
        assert f"{clause.number} {clause.text}" in texts
    assert order.signatory_name in texts
    assert order.signatory_position in texts
    # Date left and number right on one row; position left and name right.
    date_cell = next(c for row in ws.iter_rows() for c in row if c.value == texts[2])
    assert date_cell.column == 1
    assert ws.cell(date_cell.row, 2).value == f"№ {order.number}"
    assert ws.cell(date_cell.row, 2).alignment.horizontal == "right"
    name = next(
        c for row in ws.iter_rows() for c in row if c.value == order.signatory_name
    )
    assert ws.cell(name.row, 1).value == order.signatory_position
    assert name.alignment.horizontal == "right"


def test_xlsx_order_of_seed_000_word_for_word(demo):
    ws = workbook_of(plan("43")).worksheets[0]
    texts = sheet_texts(ws)
    assert texts[:3] == [
        "ОТДЕЛ ОБРАЗОВАНИЯ\nАДМИНИСТРАЦИИ КОЛПНЯНСКОГО РАЙОНА\nОРЛОВСКОЙ ОБЛАСТИ",
        "ПРИКАЗ",
        "«05» марта 2021 г.",
    ]
    assert "№ 43" in texts
    assert "п.г.т. Колпна" in texts
    preamble = next(t for t in texts if t.startswith("На основании"))
    assert preamble.endswith("результаты обучения, приказываю:")
    assert "Н.В. Серёгина" in texts


def test_xlsx_appendix_header_of_the_amended_plan_is_as_stored(demo):
    edition = plan("422-ОД")
    assert edition.appendix_text == APPENDIX_004
    ws = workbook_of(edition).worksheets[1]
    texts = sheet_texts(ws)
    assert texts[0] == APPENDIX_004
    assert texts[1] == "План-график («дорожная карта») реализации Проекта «500+»"
    stamp = ws.cell(1, 1) if ws.cell(1, 1).value else None
    assert stamp is None, "the block stands at the right, not in the first column"
    order_ws = workbook_of(edition).worksheets[0]
    assert DIRECTIVE_SPACED in sheet_texts(order_ws)


def test_xlsx_appendix_header_is_built_when_none_is_stored(demo):
    edition = plan("224/1")
    assert edition.appendix_text == ""
    texts = sheet_texts(workbook_of(edition).worksheets[1])
    assert texts[0] == (
        "Приложение к приказу отдела образования администрации города "
        "Новочебоксарска от 25.03.2021 № 224/1"
    )


def test_order_known_only_by_reference_prints_what_is_known(demo):
    edition = RoadmapEdition.objects.get(approving_order__number="189-ОД")
    assert not edition.approving_order.text_loaded
    book = workbook_of(edition)
    texts = sheet_texts(book.worksheets[0])
    assert texts[:4] == [
        "Департамент Смоленской области по образованию и науке",
        "ПРИКАЗ",
        "«16» марта 2021 г.",
        "№ 189-ОД",
    ]
    assert edition.approving_order.title in texts
    assert not any("приказываю" in t for t in texts)
    table_texts = sheet_texts(book.worksheets[1])
    assert table_texts[-len(edition.columns) :] == [
        c["header"] for c in edition.columns
    ]
    document = document_of(edition)
    assert "«16» марта 2021 г.\t№ 189-ОД" in [p.text for p in document.paragraphs]


def test_plan_without_order_gives_the_plan_sheet_only(db):
    owner = OrganisationFactory(municipality=MunicipalityFactory())
    roadmap = roadmap_with_edition(owner=owner, activities=3)
    edition = roadmap.latest_edition
    book = workbook_of(edition)
    assert book.sheetnames == [gettext("Roadmap")]
    assert book.sheetnames == ["Дорожная карта"]
    ws = book.active
    assert sheet_texts(ws)[0] == roadmap.title
    assert ws.page_setup.orientation == "portrait"
    document = document_of(edition)
    assert len(document.sections) == 1
    assert export_filename(edition, "xlsx") == f"dorozhnaya_karta_{roadmap.pk}.xlsx"


def test_user_text_that_looks_like_a_formula_stays_text(db):
    owner = OrganisationFactory(municipality=MunicipalityFactory())
    roadmap = roadmap_with_edition(owner=owner, status="approved", activities=1)
    activity = roadmap.current_edition.activities.get()
    activity.title = '=HYPERLINK("http://evil","x")'
    activity.responsible_text = "МОУО\x01, ОО"
    activity.save()
    ws = workbook_of(roadmap.current_edition).worksheets[1]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == activity.title)
    assert cell.data_type == "s"
    assert "МОУО, ОО" in sheet_texts(ws)
    texts = [
        c.text
        for row in document_of(roadmap.current_edition).tables[-1].rows
        for c in row.cells
    ]
    assert activity.title in texts


@pytest.mark.parametrize(
    ("number", "name"),
    [
        ("43", "prikaz_43_2021-03-05_prilozhenie.xlsx"),
        ("12/6", "prikaz_12_6_2022-01-28_prilozhenie.xlsx"),
        ("13/ 01-04", "prikaz_13_01-04_2020-01-17_prilozhenie.xlsx"),
        ("224/1", "prikaz_224_1_2021-03-25_prilozhenie.xlsx"),
        ("422-ОД", "prikaz_422-od_2021-08-17_prilozhenie.xlsx"),
    ],
)
def test_export_filename_is_safe_ascii(demo, number, name):
    edition = plan(number)
    assert export_filename(edition, "xlsx") == name
    assert export_filename(edition, "docx") == name.replace(".xlsx", ".docx")
    assert export_filename(edition, "../x").endswith(".x")


# --- docx -----------------------------------------------------------------------


def roadmap_table(document):
    return document.tables[-1]


@pytest.mark.parametrize("number", SEED_ORDERS)
def test_docx_table_is_the_plan_cell_for_cell(demo, number):
    edition = plan(number)
    document = document_of(edition)
    table = roadmap_table(document)
    count = len(edition.columns)
    header = table.rows[0]
    assert [c.text for c in header.cells] == [c["header"] for c in edition.columns]
    flag = header._tr.trPr.find(qn("w:tblHeader"))
    assert flag is not None
    assert flag.get(qn("w:val")) == "true"
    assert table.style.name == "Table Grid"
    rows = displayed(edition)
    assert len(table.rows) == 1 + len(rows)
    for row, (kind, item) in zip(table.rows[1:], rows, strict=True):
        cells = row.cells
        if kind == "section":
            assert len({c._tc for c in cells}) == 1
            assert cells[0]._tc.grid_span == count
            assert cells[0].text == f"{item.number} {item.title}".strip()
            assert all(r.bold for r in cells[0].paragraphs[0].runs if r.text)
            continue
        assert len({c._tc for c in cells}) == count
        for cell, column in zip(cells, edition.columns, strict=True):
            assert cell.text == getattr(item, CELL_FIELDS[column["key"]])


@pytest.mark.parametrize("number", SEED_ORDERS)
def test_docx_pages_and_order_text(demo, number):
    edition = plan(number)
    order = edition.approving_order
    document = document_of(edition)
    order_section, appendix_section = document.sections
    assert order_section.orientation == docx.enum.section.WD_ORIENT.PORTRAIT
    assert order_section.page_width < order_section.page_height
    landscape = ORIENTATION[number] == "landscape"
    assert (appendix_section.page_width > appendix_section.page_height) == landscape
    for section in document.sections:
        short = min(section.page_width, section.page_height)
        long = max(section.page_width, section.page_height)
        assert (round(short.cm, 1), round(long.cm, 1)) == (21.0, 29.7)
        assert round(section.left_margin.cm, 1) == 3.0
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == (order.issuer_text or order.issuer.name)
    assert KIND_WORD[number] in paragraphs
    assert f"{format_date_long(order.date)}\t№ {order.number}" in paragraphs
    assert order.title in paragraphs
    for clause in order.clauses.all():
        assert f"{clause.number} {clause.text}" in paragraphs
    stamps = [p for p in paragraphs if p.startswith("Приложение")]
    assert stamps == [edition.appendix_text or stamps[0]]
    assert edition.roadmap.title in paragraphs
    signature = document.tables[0].rows[0].cells
    assert [c.text for c in signature] == [
        order.signatory_position,
        order.signatory_name,
    ]


def test_docx_fonts_are_times_for_every_script(demo):
    document = document_of(plan("422-ОД"))
    for name in ("Normal", "Table Grid"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(attr)) == FONT
        assert fonts.get(qn("w:asciiTheme")) is None
    assert document.styles["Normal"].font.size.pt == 14
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == FONT
    assert "(в ред. от «17» 05 2021 г. № 422-ОД)" in APPENDIX_004
    assert APPENDIX_004 in [p.text for p in document.paragraphs]


# --- cost -----------------------------------------------------------------------


def exported_queries(edition) -> list[int]:
    counts = []
    for export in (edition_workbook, edition_document):
        fresh = RoadmapEdition.objects.get(pk=edition.pk)
        with CaptureQueriesContext(connection) as ctx:
            export(fresh)
        counts.append(len(ctx.captured_queries))
    return counts


def test_export_queries_do_not_grow_with_activities(db):
    owner = OrganisationFactory(municipality=MunicipalityFactory())
    counts = []
    for n in (5, 80):
        roadmap = roadmap_with_edition(owner=owner, status="approved", activities=n)
        for activity in roadmap.current_edition.activities.all():
            ActivityExecutor.objects.create(activity=activity, organisation=owner)
        counts.append(exported_queries(roadmap.current_edition))
    assert counts[0] == counts[1]
    assert max(counts[1]) <= 8


# --- layout ---------------------------------------------------------------------


def test_orientation_rule():
    assert not is_landscape(["number", "title", "deadline", "responsible"])
    assert is_landscape(["title", "deadline", "responsible", "indicator"])
    assert is_landscape(["number", "title", "deadline", "responsible", "indicator"])


def test_line_estimate_counts_words_and_newlines():
    assert count_lines("", 40, 12) == 1
    assert count_lines("Февраль", 40, 12) == 1
    assert count_lines("Февраль\nМарт\nАпрель", 40, 12) == 3
    words = " ".join(["слово"] * 60)
    assert count_lines(words, 20, 12) > count_lines(words, 40, 12) > 1


def test_long_paragraphs_are_cut_into_rows_excel_can_hold():
    text = " ".join(["общеобразовательных организаций"] * 300)
    parts = split_rows(text, 88, 14)
    assert len(parts) > 1
    assert " ".join(parts) == text
    for part in parts:
        assert count_lines(part, 88, 14) * 14 * 15.75 / 12 <= MAX_ROW_PT


# --- consolidated workbook ------------------------------------------------------


def consolidated_rows(roadmaps, today):
    from roadmaps.exports.lists import write_consolidated

    out = io.BytesIO()
    write_consolidated(roadmaps, out, today=today)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    plans, activities = book.worksheets
    return (
        list(plans.iter_rows(values_only=True)),
        list(activities.iter_rows(values_only=True)),
    )


def add_report(activity, *, result="done", decision="not_needed"):
    from monitoring.models import ActivityReport
    from tests.factories import UserFactory

    return ActivityReport.objects.create(
        roadmap=activity.edition.roadmap,
        lineage=activity.lineage,
        activity=activity,
        result=result,
        done_on=datetime.date(2022, 3, 20),
        reporter=UserFactory(),
        decision=decision,
    )


def test_consolidated_plans_show_share_done_and_true_overdue(db):
    from roadmaps.models import Roadmap

    today = datetime.date(2022, 6, 15)
    owner = OrganisationFactory(municipality=MunicipalityFactory())
    plan = roadmap_with_edition(owner=owner, status="approved", activities=8)
    draft = roadmap_with_edition(owner=owner, activities=3)
    # All deadlines are March 2022: passed on 15 June.
    acts = list(plan.current_edition.activities.order_by("position"))
    add_report(acts[0])  # done
    add_report(acts[1])  # done
    add_report(acts[2], decision="pending")  # awaiting: not done, not overdue
    add_report(acts[3], result="partly")  # overdue
    add_report(acts[4], decision="rejected")  # overdue
    add_report(acts[5], decision="confirmed")  # done
    acts[6].deadline_ranges, acts[6].deadline_start, acts[6].deadline_end = (
        [],
        None,
        None,
    )
    acts[6].save()  # no date: never overdue
    # acts[7]: no report, overdue
    plans, activities = consolidated_rows(
        Roadmap.objects.filter(pk__in=[plan.pk, draft.pk])
        .annotate(activity_count=Count("latest_edition__activities"))
        .order_by("pk"),
        today,
    )
    header = plans[0]
    assert header[-2:] == (gettext("Done, %"), gettext("Overdue"))
    assert plans[1][-3:] == (8, 37.5, 3)  # 3 of 8 done; acts 3, 4, 7 overdue
    assert plans[2][-3:] == (3, None, None)  # a draft is not carried out
    rows = activities[1 : 1 + 8]
    overdue_column = [r[-1] for r in rows]
    assert [bool(v) for v in overdue_column] == [
        False,
        False,
        False,
        True,
        True,
        False,
        False,
        True,
    ]
    assert all(r[-2] is None for r in activities[9:])  # the draft's rows


def test_consolidated_queries_do_not_grow_with_plans(db):
    from roadmaps.exports.lists import write_consolidated
    from roadmaps.selectors import roadmap_list_visible
    from tests.factories import user_with_role

    municipality = MunicipalityFactory()
    owner = OrganisationFactory(municipality=municipality)
    user = user_with_role("municipal_coordinator", owner)
    counts = []
    for plans in (2, 12):
        while roadmap_count(owner) < plans:
            plan = roadmap_with_edition(owner=owner, status="approved", activities=5)
            add_report(plan.current_edition.activities.first())
        roadmaps = roadmap_list_visible(user=user).order_by("title")
        with CaptureQueriesContext(connection) as ctx:
            write_consolidated(roadmaps, io.BytesIO(), today=datetime.date(2022, 6, 1))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def roadmap_count(owner) -> int:
    return owner.roadmaps.count()
