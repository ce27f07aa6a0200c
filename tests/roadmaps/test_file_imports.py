"""Reading roadmaps from .xlsx, .docx and text files, safely (no database)."""

import io
import re
import struct
import zipfile
from datetime import date, datetime
from functools import cache
from pathlib import Path

import docx
import openpyxl
import pytest
from django.utils import translation
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement

from roadmaps.parsing import (
    ColumnKey,
    ParsedDocument,
    ParseError,
    find_header,
    parse_document,
)
from roadmaps.parsing.files import cell_text, detect_format, parse_file

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def seed_text(key: str) -> str:
    (path,) = SEEDS.glob(f"{key}_*.txt")
    return path.read_text(encoding="utf-8")


@cache
def seed_parts(key: str) -> tuple[list[str], list[list[str]]]:
    """The seed's order lines (bold markers dropped) and its table rows as cells."""
    lines = seed_text(key).split("\n")
    header = next(
        i for i, line in enumerate(lines) if find_header(line.split("\t")) is not None
    )
    order = [line.replace("**", "") for line in lines[:header]]
    rows = [line.split("\t") for line in lines[header:] if line.strip()]
    return order, rows


@cache
def reference(key: str) -> ParsedDocument:
    with translation.override("en"):
        return parse_document(seed_text(key))


def sections_without_lines(document: ParsedDocument) -> list[dict]:
    sections = document.as_json()["sections"]
    for section in sections:
        for activity in section["activities"]:
            del activity["line"]
    return sections


def read(data: bytes, filename: str = "", **kwargs) -> ParsedDocument:
    with translation.override("en"):
        return parse_file(data, filename, **kwargs)


def refused(data: bytes, filename: str = "", **kwargs) -> ParseError:
    with translation.override("en"), pytest.raises(ParseError) as caught:
        parse_file(data, filename, **kwargs)
    error = caught.value
    assert error.message
    assert str(error) == error.message
    return error


def assert_same_roadmap(document: ParsedDocument, key: str = "001") -> None:
    expected = reference(key)
    assert document.activity_count() == expected.activity_count()
    assert len(document.sections) == len(expected.sections)
    assert sections_without_lines(document) == sections_without_lines(expected)
    assert document.order.as_json() == expected.order.as_json()
    assert document.title == expected.title
    assert [(c.key, c.header) for c in document.columns] == [
        (c.key, c.header) for c in expected.columns
    ]


# --- building Word files -----------------------------------------------------


def save_docx(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_word_table(document, rows: list[list[str]], width: int, *, merge=True):
    table = document.add_table(rows=0, cols=width)
    for cells in rows:
        cells = (cells + [""] * width)[:width]
        row = table.add_row()
        if merge and cells[0] and not any(cells[1:]):
            # A section heading: one cell merged across the row.
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = cells[0]
        else:
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    return table


def mark_header_row(table) -> None:
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def seed_docx(key: str = "001", *, repeat_header: bool = True) -> bytes:
    """The seed as Word writes it: paragraphs, then a table split by a page break."""
    order, rows = seed_parts(key)
    width = len(rows[0])
    document = docx.Document()
    for line in order:
        document.add_paragraph(line)
    first = add_word_table(document, rows[:20], width)
    mark_header_row(first)
    page_break(document)
    rest = [rows[0], *rows[20:]] if repeat_header else rows[20:]
    second = add_word_table(document, rest, width)
    if repeat_header:
        mark_header_row(second)
    return save_docx(document)


# --- building Excel files ----------------------------------------------------


def save_xlsx(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(sheet, rows: list[list[str]], *, top: int, left: int) -> None:
    width = len(rows[0])
    for r, cells in enumerate(rows):
        row = top + r
        for c, text in enumerate(cells):
            if text:
                sheet.cell(row=row, column=left + c, value=text)
        if cells[0] and not any(cells[1:]):
            sheet.merge_cells(
                start_row=row,
                start_column=left,
                end_row=row,
                end_column=left + width - 1,
            )


def seed_xlsx(key: str = "001") -> bytes:
    """Order lines in column A, the table from column B, newlines in one cell."""
    order, rows = seed_parts(key)
    rows = [list(cells) for cells in rows]
    # A line break inside a cell where the text has a space.
    rows[3][3] = rows[3][3].replace(" ", "\n", 1)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "План"
    for r, line in enumerate(order, start=1):
        if line:
            sheet.cell(row=r, column=1, value=line)
    write_table(sheet, rows, top=len(order) + 1, left=2)
    return save_xlsx(workbook)


def portal_xlsx(key: str = "001") -> bytes:
    """The portal's own export: the order on «Приказ», the plan on «Приложение»."""
    order, rows = seed_parts(key)
    title_at = max(i for i, line in enumerate(order) if line.startswith("План"))
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Приказ"
    for r, line in enumerate(order[:title_at], start=1):
        first.cell(row=r, column=1, value=line or None)
    second = workbook.create_sheet("Приложение")
    title = "\n".join(order[title_at:]).strip()
    second.cell(row=1, column=1, value=title)
    write_table(second, rows, top=3, left=1)
    return save_xlsx(workbook)


def simple_workbook(rows: list[list], title: str = "План"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for cells in rows:
        sheet.append(cells)
    return workbook


HEADER = ["№", "Мероприятие", "Срок", "Ответственные"]


# --- reading good files -------------------------------------------------------


def test_docx_reads_like_the_pasted_text():
    document = read(seed_docx(), "plan.docx")
    assert document.activity_count() == 20
    assert len([s for s in document.sections if s.title]) == 3
    assert_same_roadmap(document)
    assert document.source_headers == [
        "№",
        "Задачи",
        "Сроки реализации",
        "Исполнители",
        "Показатель реализации",
    ]
    # Line numbers are the table's rows: the header is row 1.
    first_section = document.sections[0]
    assert first_section.line == 2
    assert document.activities()[0].line == 3
    # The second table repeats the header after the page break: row 21.
    skipped = [n.line for n in document.notes if n.code == "header_skipped"]
    assert skipped == [21]
    # The five «Нaleyка» typed with Latin letters, on the table's own rows.
    mixed = [n.line for n in document.notes if n.code == "mixed_script"]
    assert mixed == [10, 15, 16, 17, 26]
    assert len(document.warnings) == len(reference("001").warnings) == 5


def test_docx_table_continued_without_a_repeated_header_is_joined():
    document = read(seed_docx(repeat_header=False), "plan.docx")
    assert_same_roadmap(document)
    assert not [n for n in document.notes if n.code == "header_skipped"]


def test_docx_header_repeated_inside_the_table_is_skipped():
    order, rows = seed_parts("001")
    document = docx.Document()
    for line in order:
        document.add_paragraph(line)
    add_word_table(document, [*rows[:10], rows[0], *rows[10:]], len(rows[0]))
    parsed = read(save_docx(document), "plan.docx")
    assert_same_roadmap(parsed)
    assert [n.line for n in parsed.notes if n.code == "header_skipped"] == [11]


def test_docx_order_with_line_breaks_and_a_layout_table():
    document = docx.Document()
    issuer = document.add_paragraph("ДЕПАРТАМЕНТ СМОЛЕНСКОЙ ОБЛАСТИ")
    issuer.add_run().add_break()
    issuer.add_run("ПО ОБРАЗОВАНИЮ И НАУКЕ")
    document.add_paragraph("")
    document.add_paragraph("П Р И К А З")
    layout = document.add_table(rows=1, cols=2)
    layout.rows[0].cells[0].text = "« 17 » августа 2021 г."
    layout.rows[0].cells[1].text = "№ 422-ОД"
    document.add_paragraph("")
    document.add_paragraph("Об утверждении плана-графика на 2021 год")
    table = add_word_table(
        document,
        [HEADER, ["1.", "Совещание", "Март", "Отдел"]],
        4,
    )
    # A table nested in a cell is not read.
    table.rows[1].cells[1].add_table(rows=1, cols=1).rows[0].cells[0].text = "вложено"
    parsed = read(save_docx(document), "order.docx")
    assert (
        parsed.order.issuer == "ДЕПАРТАМЕНТ СМОЛЕНСКОЙ ОБЛАСТИ\nПО ОБРАЗОВАНИЮ И НАУКЕ"
    )
    assert parsed.order.number == "422-ОД"
    assert parsed.order.date == date(2021, 8, 17)
    (activity,) = parsed.activities()
    assert activity.title == "Совещание"


def test_docx_cells_merged_down_keep_their_text_once():
    document = docx.Document()
    table = add_word_table(
        document,
        [
            HEADER,
            ["1.", "Совещание", "Март", "Отдел образования"],
            ["2.", "Семинар", "Апрель", ""],
        ],
        4,
    )
    table.cell(1, 3).merge(table.cell(2, 3))
    parsed = read(save_docx(document), "plan.docx")
    first, second = parsed.activities()
    assert first.responsible == "Отдел образования"
    assert second.responsible == ""
    assert [(n.line, n.code) for n in parsed.notes if n.code == "merged_down"] == [
        (2, "merged_down")
    ]
    assert any("merged over several rows" in w for w in parsed.warnings)


def test_docx_typed_with_tabs_instead_of_a_table_is_read_as_text():
    document = docx.Document()
    document.add_paragraph("План мероприятий на 2022 год")
    document.add_paragraph("\t".join(HEADER))
    document.add_paragraph("1.\tСовещание\tМарт\tОтдел")
    parsed = read(save_docx(document), "plan.docx")
    assert [a.title for a in parsed.activities()] == ["Совещание"]


def test_xlsx_reads_like_the_pasted_text():
    document = read(seed_xlsx(), "plan.xlsx")
    assert document.activity_count() == 20
    assert len([s for s in document.sections if s.title]) == 3
    assert_same_roadmap(document)
    # Line numbers are the sheet's rows: the order takes rows 1-34.
    assert document.sections[0].line == 36
    assert document.activities()[0].line == 37


def test_portal_export_with_an_order_sheet_and_an_appendix_sheet():
    document = read(portal_xlsx(), "export.xlsx")
    assert_same_roadmap(document)
    assert document.order.number == "12/6"
    assert document.sections[0].line == 4


def test_content_wins_over_the_file_name():
    data = seed_xlsx()
    assert detect_format(data, "plan.docx") == "xlsx"
    assert detect_format(seed_docx(), "plan.xlsx") == "docx"
    assert detect_format(seed_text("001").encode(), "plan.xlsx") == "text"
    assert_same_roadmap(read(data, "plan.docx"))


def test_text_files_keep_the_pasted_text_reader():
    text = seed_text("001")
    document = read(text.encode("utf-8"), "plan.txt")
    assert document.as_json() == reference("001").as_json()
    pasted = read(text.encode("utf-8"))
    assert pasted.as_json() == reference("001").as_json()
    windows = read(text.encode("cp1251", errors="replace"), "plan.txt")
    assert windows.activity_count() == 20
    assert any("Windows-1251" in w for w in windows.warnings)


def test_cell_values_become_text_as_excel_shows_them():
    assert cell_text(12.0) == "12"
    assert cell_text(7) == "7"
    assert cell_text(0.5) == "0,5"
    assert cell_text(0.85, "0%") == "85%"
    assert cell_text(date(2022, 3, 1)) == "01.03.2022"
    # Excel's dates carry no time zone.
    assert cell_text(datetime(2022, 3, 1, 0, 0)) == "01.03.2022"  # noqa: DTZ001
    assert cell_text(datetime(2022, 3, 1, 9, 30)) == "01.03.2022 09:30"  # noqa: DTZ001
    assert cell_text(None) == ""
    workbook = simple_workbook(
        [
            HEADER,
            [1, "Совещание", datetime(2022, 3, 1), "Отдел"],  # noqa: DTZ001
            [2.0, "Семинар", "До 15 мая\n2022", "Школы"],
        ]
    )
    first, second = read(save_xlsx(workbook), "plan.xlsx").activities()
    assert (first.number, first.deadline_text) == ("1", "01.03.2022")
    assert (second.number, second.deadline_text) == ("2", "До 15 мая 2022")


# --- formulas -------------------------------------------------------------------


def formula_workbook():
    return simple_workbook(
        [
            ["Дорожная карта"],
            HEADER,
            ["1.", "Совещание", "=1+1", "Отдел"],
            ["2.", '=HYPERLINK("https://example.org","Семинар")', "Май", "Школы"],
            ["3.", "Вебинар", "Июнь", "=cmd|' /C calc'!A0"],
        ]
    )


def test_formulas_without_saved_results_are_read_as_empty():
    document = read(save_xlsx(formula_workbook()), "plan.xlsx")
    first, second, third = document.activities()
    assert first.deadline_text == ""
    assert second.title == ""
    assert third.responsible == ""
    codes = [(n.line, n.code) for n in document.notes if n.code.startswith("formula")]
    assert codes == [
        (3, "formula_unsaved"),
        (4, "formula_unsaved"),
        (5, "formula_external"),
    ]
    assert any("C3, B4" in w and "no saved result" in w for w in document.warnings)
    assert any("D5" in w and "other programs" in w for w in document.warnings)


def with_saved_results(data: bytes, results: dict[str, str]) -> bytes:
    """Add the results Excel would have saved next to the formulas of sheet 1."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                for cell, value in results.items():
                    xml = re.sub(
                        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/>',
                        rf'<c r="{cell}" t="str"><f>\2</f><v>{value}</v>',
                        xml,
                    )
                    xml = re.sub(
                        rf'<c r="{cell}"([^>]*)><f>(.*?)</f>(?:<v></v>)?</c>',
                        rf'<c r="{cell}" t="str"><f>\2</f><v>{value}</v></c>',
                        xml,
                    )
                content = xml.encode()
            target.writestr(info, content)
    return buffer.getvalue()


def test_saved_formula_results_are_read_but_never_evaluated():
    data = with_saved_results(
        save_xlsx(formula_workbook()),
        {"C3": "2", "B4": "Семинар", "D5": "Взломано"},
    )
    first, second, third = read(data, "plan.xlsx").activities()
    assert first.deadline_text == "2"
    assert second.title == "Семинар"
    # A call of another program is not read even with a saved result.
    assert third.responsible == ""


# --- sheets ---------------------------------------------------------------------


def test_hidden_sheet_with_a_table_is_ignored_and_warned():
    workbook = simple_workbook(
        [HEADER, ["1.", "Скрытое мероприятие", "Март", "Отдел"]], title="Старый"
    )
    workbook.active.sheet_state = "hidden"
    visible = workbook.create_sheet("План")
    for cells in [HEADER, ["1.", "Видимое мероприятие", "Апрель", "Школы"]]:
        visible.append(cells)
    secret = workbook.create_sheet("Служебный")
    secret.append(HEADER)
    secret.sheet_state = "veryHidden"
    document = read(save_xlsx(workbook), "plan.xlsx")
    assert [a.title for a in document.activities()] == ["Видимое мероприятие"]
    assert any("«Старый», «Служебный»" in w for w in document.warnings)


def test_only_a_hidden_table_is_no_table():
    workbook = simple_workbook([HEADER, ["1.", "Скрыто", "Март", "Отдел"]])
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("Пусто").append(["Здесь ничего нет"])
    error = refused(save_xlsx(workbook), "plan.xlsx")
    assert error.code == "no_table"
    assert "«План»" in error.message
    assert "hidden" in error.message


# --- bad files ------------------------------------------------------------------


def cfb(*stream_names: str) -> bytes:
    """A minimal OLE2 compound file: header, FAT sector, one directory sector."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126
    entries = b""
    for index, name in enumerate(["Root Entry", *stream_names]):
        encoded = (name + "\0").encode("utf-16-le")
        entry = encoded.ljust(64, b"\0") + struct.pack(
            "<HBB", len(encoded), 5 if index == 0 else 2, 1
        )
        entries += entry.ljust(128, b"\0")
    directory = entries.ljust(512, b"\0")
    return header + fat + directory


def docx_with_document_xml(xml: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(save_docx(docx.Document())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = xml.encode()
            target.writestr(info, content)
    return buffer.getvalue()


ENTITY_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)


def zip_bomb() -> bytes:
    """A docx-looking zip with a part of 200 MB of zeros (about 200 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(200):
                part.write(chunk)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The zip with one part's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = content if info.filename == name else source.read(info)
            target.writestr(info.filename, part)
    return buffer.getvalue()


@cache
def rows_100k() -> bytes:
    """An .xlsx of 100,000 rows: openpyxl's skeleton, the sheet's rows written out."""
    workbook = openpyxl.Workbook(write_only=True)
    workbook.create_sheet("План").append(HEADER)
    skeleton = save_xlsx(workbook)
    sheet = zipfile.ZipFile(io.BytesIO(skeleton)).read("xl/worksheets/sheet1.xml")
    head, _, tail = sheet.decode().partition("<sheetData>")
    _, _, tail = tail.partition("</sheetData>")
    header = "".join(
        f'<c r="{column}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for column, text in zip("ABCD", HEADER, strict=True)
    )
    rows = f'<row r="1">{header}</row>' + "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>Мероприятие {n}</t></is></c></row>'
        for n in range(2, 100_002)
    )
    xml = f"{head}<sheetData>{rows}</sheetData>{tail}".encode()
    return replace_part(skeleton, "xl/worksheets/sheet1.xml", xml)


def other_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/1.txt", "not a document")
    return buffer.getvalue()


def broken_xml_docx() -> bytes:
    return docx_with_document_xml("<w:document><w:body><w:p>")


def empty_docx() -> bytes:
    return save_docx(docx.Document())


def docx_without_table() -> bytes:
    document = docx.Document()
    document.add_paragraph("Приказ № 5")
    document.add_paragraph("Дорожная карта будет утверждена позже.")
    return save_docx(document)


BAD_FILES = [
    ("png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(64), "plan.docx", "wrong_type", "PNG"),
    (
        "pdf",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(64),
        "plan.pdf",
        "wrong_type",
        "PDF",
    ),
    ("zip", other_zip, "plan.zip", "wrong_type", "ZIP archive"),
    ("truncated", lambda: seed_docx()[:3000], "plan.docx", "corrupt", "damaged"),
    ("broken_xml", broken_xml_docx, "plan.docx", "corrupt", "damaged"),
    (
        "encrypted",
        lambda: cfb("EncryptionInfo", "EncryptedPackage"),
        "plan.xlsx",
        "encrypted",
        "password-protected",
    ),
    (
        "doc",
        lambda: cfb("WordDocument", "1Table"),
        "plan.doc",
        "legacy_format",
        ".docx",
    ),
    ("xls", lambda: cfb("Workbook"), "plan.xls", "legacy_format", ".xlsx"),
    ("empty_docx", empty_docx, "plan.docx", "empty", "Word document is empty"),
    ("no_table", docx_without_table, "plan.docx", "no_table", "Word document"),
    (
        "empty_xlsx",
        lambda: save_xlsx(openpyxl.Workbook()),
        "plan.xlsx",
        "empty",
        "Excel workbook is empty",
    ),
    (
        "xlsx_no_table",
        lambda: save_xlsx(simple_workbook([["Приказ"], ["План будет позже"]])),
        "plan.xlsx",
        "no_table",
        "Excel workbook",
    ),
    ("zip_bomb", zip_bomb, "plan.docx", "zip_bomb", "implausible size"),
    (
        "entities",
        lambda: docx_with_document_xml(ENTITY_XML),
        "plan.docx",
        "unsafe_xml",
        "DOCTYPE",
    ),
    ("rows_100k", rows_100k, "plan.xlsx", "too_many_rows", "more than 5000"),
    ("empty_text", lambda: b"  \n", "plan.txt", "empty", "empty"),
    ("binary", lambda: bytes(range(1, 32)) * 10, "plan.txt", "binary", "binary"),
]


@pytest.mark.parametrize(
    ("build", "filename", "code", "phrase"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_files_are_refused_with_a_reason(settings, build, filename, code, phrase):
    settings.ROADMAP_IMPORT_MAX_ROWS = 5000
    error = refused(build(), filename)
    assert error.code == code
    assert phrase in error.message


def test_too_large_files_are_refused_before_reading(settings):
    settings.ROADMAP_IMPORT_MAX_BYTES = 1000
    error = refused(seed_docx(), "plan.docx")
    assert error.code == "too_large"


def test_a_sheet_at_the_row_limit_is_read(settings):
    settings.ROADMAP_IMPORT_MAX_ROWS = 30
    rows = [HEADER] + [[f"{n}.", "Мероприятие", "Март", "Отдел"] for n in range(1, 30)]
    workbook = simple_workbook(rows)
    assert read(save_xlsx(workbook), "plan.xlsx").activity_count() == 29
    workbook.active.append(["30.", "Мероприятие", "Март", "Отдел"])
    assert refused(save_xlsx(workbook), "plan.xlsx").code == "too_many_rows"


def test_word_tables_have_a_row_limit_too(settings):
    settings.ROADMAP_IMPORT_MAX_ROWS = 10
    error = refused(seed_docx(), "plan.docx")
    assert error.code == "too_many_rows"


# --- column mapping -----------------------------------------------------------

NOTE_TABLE = (
    "№\tМероприятие\tСрок\tОтветственные\tПримечание\n"
    "1.\tСовещание\tМарт\tОтдел образования\tпо плану\n"
    "2.\tСеминар\tАпрель\tШколы\t\n"
)


def test_unknown_columns_are_ignored_with_a_warning():
    assert find_header(NOTE_TABLE.split("\n")[0].split("\t")) is None
    with translation.override("en"):
        document = parse_document(NOTE_TABLE)
    assert document.source_headers == [
        "№",
        "Мероприятие",
        "Срок",
        "Ответственные",
        "Примечание",
    ]
    assert [(c.key, c.index) for c in document.columns] == [
        (ColumnKey.NUMBER, 0),
        (ColumnKey.TITLE, 1),
        (ColumnKey.DEADLINE, 2),
        (ColumnKey.RESPONSIBLE, 3),
    ]
    first, second = document.activities()
    assert (first.title, first.deadline_text, first.responsible) == (
        "Совещание",
        "Март",
        "Отдел образования",
    )
    assert "по плану" not in str(first.as_json())
    assert (second.title, second.responsible) == ("Семинар", "Школы")
    (warning,) = document.warnings
    assert "«Примечание»" in warning


def test_unknown_columns_in_a_file_and_a_repeated_header_with_them():
    rows = [
        [*HEADER, "Отметка о выполнении"],
        ["1.", "Совещание", "Март", "Отдел", "выполнено"],
        [*HEADER, "Отметка о выполнении"],
        ["2.", "Семинар", "Апрель", "Школы", ""],
    ]
    document = read(save_xlsx(simple_workbook(rows)), "plan.xlsx")
    assert [a.title for a in document.activities()] == ["Совещание", "Семинар"]
    assert [n.line for n in document.notes if n.code == "header_skipped"] == [3]
    assert document.source_headers[-1] == "Отметка о выполнении"


def test_a_mapping_that_swaps_two_columns():
    mapping = ["number", "title", "responsible", "deadline", None]
    document = parse_document(NOTE_TABLE, mapping=mapping)
    first = document.activities()[0]
    assert (first.deadline_text, first.responsible) == ("Отдел образования", "Март")
    assert [c.header for c in document.columns] == [
        "№",
        "Мероприятие",
        "Срок",
        "Ответственные",
    ]
    assert document.warnings == []


def test_a_mapping_can_read_an_unknown_column():
    mapping = ["number", "title", "deadline", "responsible", "indicator"]
    document = parse_document(NOTE_TABLE, mapping=mapping)
    assert document.activities()[0].indicator == "по плану"
    assert document.columns[-1].header == "Примечание"


def test_a_mapping_applies_to_files():
    data = seed_docx()
    mapping = ["number", "title", "ignore", "responsible", "indicator"]
    document = read(data, "plan.docx", mapping=mapping)
    assert document.activity_count() == 20
    assert {a.deadline_text for a in document.activities()} == {""}
    assert [c.key for c in document.columns] == [
        ColumnKey.NUMBER,
        ColumnKey.TITLE,
        ColumnKey.RESPONSIBLE,
        ColumnKey.INDICATOR,
    ]


def test_ignoring_the_number_column_keeps_merged_section_headings():
    mapping = ["ignore", "title", "deadline", "responsible", "indicator"]
    document = read(seed_docx(), "plan.docx", mapping=mapping)
    titles = [s.title for s in document.sections if s.title]
    assert titles == [s.title for s in reference("001").sections]
    assert {a.number for a in document.activities()} == {None}


@pytest.mark.parametrize(
    ("mapping", "phrase"),
    [
        (["number", "ignore", "deadline", "responsible", None], "activities"),
        (["number", "title", "deadline", "deadline", None], "same meaning"),
        (["number", "title", "deadline"], "do not match"),
        (["number", "title", "deadline", "responsible", "colour"], "unknown meaning"),
    ],
)
def test_bad_mappings(mapping, phrase):
    with translation.override("en"), pytest.raises(ParseError) as caught:
        parse_document(NOTE_TABLE, mapping=mapping)
    assert caught.value.code == "bad_mapping"
    assert phrase in caught.value.message
    error = refused(NOTE_TABLE.encode(), "plan.txt", mapping=mapping)
    assert error.code == "bad_mapping"


def test_a_row_of_column_numbers_is_skipped():
    text = "\t".join(HEADER) + "\n1\t2\t3\t4\n1.\tСовещание\tМарт\tОтдел\n"
    document = parse_document(text)
    assert [a.title for a in document.activities()] == ["Совещание"]
    assert [n.code for n in document.notes] == ["column_numbers_skipped"]


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(16), "plan.docx", "wrong_type"),
        (b"%PDF-1.4\n", "", "wrong_type"),
        (b"PK\x03\x04broken zip", "plan.xlsx", "corrupt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "plan.doc", "legacy_format"),
    ],
)
def test_detect_format_raises_for_what_it_cannot_read(data, filename, code):
    with pytest.raises(ParseError) as caught:
        detect_format(data, filename)
    assert caught.value.code == code


def test_detect_format_tells_office_files_by_content():
    assert detect_format(seed_docx(), "plan.doc") == "docx"
    assert detect_format(seed_xlsx(), "") == "xlsx"
    assert detect_format("№\tМероприятие".encode(), "plan.docx") == "text"
