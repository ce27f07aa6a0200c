"""Fuzzing the Excel reader: any upload is read or refused in Russian, safely.

Workbooks are built part by part (see support.py) with every kind of cell
Excel can store, formulas with and without saved results among them; then
truncated, damaged, inflated or given XML entity declarations; some are
saved by openpyxl itself. Formulas are never evaluated and never come back
as formulas: a formula's own text never reaches the read document, nor the
saved result of one that calls another program.
"""

import io
import random
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from roadmaps.parsing.files import parse_file

from .support import (
    ENCODINGS,
    ENTITIES,
    FORMULA_TEXTS,
    MAX_ROWS,
    XML_ILLEGAL,
    assert_entity_refused,
    dump,
    fuzz,
    header,
    hostile_package,
    lying_sizes,
    many_parts,
    mutate,
    outcome,
    random_file,
    random_text,
    ratio_bomb,
    seeded,
    seeds,
    sheet_xml,
    with_entity,
    xlsx_package,
    xml_text,
)

pytestmark = pytest.mark.usefixtures("few_rows")

# Formulas (without «=») and whether they call another program. Their text
# carries the mark "zqf", which no other cell holds.
FORMULAS = [
    ('HYPERLINK("http://evil.example/zqf","zqf")', False),
    ('SUM(1,2)&"zqf"', False),
    ("cmd|' /C calc zqf'!A0", True),
    ('CALL("zqf","WinExec","JC","calc",0)', True),
    ('DDEAUTO("zqf")', True),
    ('EXEC("zqf")', True),
]
NUMBERS = ["0", "12", "-3.5", "1e308", "1e-300", "-0", "45000"]
BAD_NUMBERS = ["abc", "", "1,5", "nan", "inf"]


def text(rng: random.Random) -> str:
    return random_text(rng).replace("zq", "")


def inline(where: str, value: str) -> str:
    text = f'<t xml:space="preserve">{xml_text(value)}</t>'
    return f'<c{where} t="inlineStr"><is>{text}</is></c>'


class Sheets:
    """Builds the sheets of one workbook; a broken one has impossible cells."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.broken = rng.random() < 0.2
        self.shared: list[str] = []

    def odd(self, *choices: str) -> str | None:
        """One of the impossible choices, in broken workbooks now and then."""
        if self.broken and self.rng.random() < 0.1:
            return self.rng.choice(choices)
        return None

    def cell(self, where: str) -> str:
        """One <c> element of any kind Excel writes."""
        rng = self.rng
        kind = rng.randrange(10)
        if kind <= 2:
            return inline(where, text(rng))
        if kind == 3:
            self.shared.append(text(rng))
            index = self.odd(str(len(self.shared) + 5), "-1")
            return f'<c{where} t="s"><v>{index or len(self.shared) - 1}</v></c>'
        if kind == 4:
            number = self.odd(*BAD_NUMBERS) or rng.choice(
                [*NUMBERS, str(rng.randrange(-(10**20), 10**20))]
            )
            style = self.odd("99", "-1") or rng.choice("0123")
            return f'<c{where} s="{style}"><v>{number}</v></c>'
        if kind == 5:
            return (
                f'<c{where} t="b"><v>{self.odd("2", "x") or rng.choice("01")}</v></c>'
            )
        if kind == 6:
            error = rng.choice(["#REF!", "#DIV/0!", "#N/A", "#VALUE!"])
            return f'<c{where} t="e"><v>{error}</v></c>'
        if kind == 7:
            value = self.odd("2022-13-45", "x", "") or "2022-03-01T00:00:00"
            return f'<c{where} t="d"><v>{value}</v></c>'
        formula, external = rng.choice(FORMULAS)
        cached = rng.choice([None, "", "zqext" if external else "zqcached"])
        value = "" if cached is None else f"<v>{cached}</v>"
        shared_formula = ' t="shared" si="0"' if rng.random() < 0.3 else ""
        return (
            f'<c{where} t="str"><f{shared_formula}>{xml_text(formula)}</f>{value}</c>'
        )

    def where(self, row: int, column: int) -> str:
        """The cell's address, in broken workbooks now and then missing or wrong."""
        odd = self.odd("", ' r="A0"', ' r="1A"', ' r="XFE1"')
        if odd is not None:
            return odd
        return f' r="{get_column_letter(min(column, 16384))}{row}"'

    def sheet(self) -> str:
        rng = self.rng
        rows = []
        header_row = rng.randrange(1, 5)
        for number in range(1, rng.randrange(MAX_ROWS + 4) + 1):
            attribute = self.odd("", ' r="0"', ' r="x"', ' r="1048577"')
            if attribute is None:
                attribute = f' r="{number}"'
            first = rng.choice([1] * 12 + [2, 60, 16384])
            if number == header_row:
                cells = [
                    inline(self.where(number, first + i), title)
                    for i, title in enumerate(header(rng))
                ]
            else:
                cells = [
                    self.cell(self.where(number, first + i))
                    for i in range(rng.randrange(6))
                ]
            rows.append(f"<row{attribute}>{''.join(cells)}</row>")
        if rng.random() < 0.2:
            # Hundreds of empty rows below the table.
            rows.append("".join(f'<row r="{n}"/>' for n in range(100, 900)))
        return sheet_xml("".join(rows))


def workbook(rng: random.Random) -> bytes:
    """One to three sheets, most of them visible and holding a roadmap header."""
    sheets = Sheets(rng)
    parts = [
        (
            rng.choice(["План", "Приказ", "", "a" * 40, "<&>", f"Лист{index}"]),
            rng.choice(["visible"] * 4 + ["hidden", "veryHidden"]),
            sheets.sheet(),
        )
        for index in range(rng.randrange(1, 4))
    ]
    shared = sheets.shared if sheets.shared or rng.random() < 0.5 else None
    return xlsx_package(parts, shared)


def value(rng: random.Random):
    """A value openpyxl writes: strings starting with «=» become formulas."""
    return rng.choice(
        [
            lambda: XML_ILLEGAL.sub("", text(rng)),
            lambda: rng.choice(FORMULA_TEXTS),
            lambda: rng.randrange(-(10**15), 10**15),
            lambda: rng.uniform(-1e6, 1e6),
            # Excel keeps no time zones.
            lambda: datetime(2022, 3, 1, rng.randrange(24)),  # noqa: DTZ001
            lambda: date(rng.randrange(1901, 2100), 1 + rng.randrange(12), 1),
            lambda: time(rng.randrange(24), rng.randrange(60), rng.randrange(60)),
            lambda: timedelta(days=rng.randrange(9000)),
            lambda: rng.random() < 0.5,
            lambda: None,
        ]
    )()


def saved_by_openpyxl(rng: random.Random) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header(rng))
    for _ in range(rng.randrange(7)):
        sheet.append([value(rng) for _ in range(rng.randrange(7))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def declaring(rng: random.Random, entity: str = "", encoding: str = "") -> bytes:
    """A workbook whose sheet declares and uses an entity."""
    cell = inline(' r="A1"', text(rng))
    part = with_entity(
        sheet_xml(f'<row r="1">{cell}</row>'),
        entity or rng.choice(ENTITIES),
        encoding or rng.choice(ENCODINGS),
    )
    return xlsx_package([("План", "visible", part)])


RECIPES = {
    "workbook": workbook,
    "openpyxl": saved_by_openpyxl,
    "damaged": lambda rng: mutate(workbook(rng), rng),
    "declaring": declaring,
    "bomb": lambda rng: hostile_package("xl/workbook.xml", rng),
    "random": random_file,
}
files = st.builds(
    lambda recipe, rng: RECIPES[recipe](rng),
    st.sampled_from(
        ["workbook"] * 4 + ["openpyxl", "damaged", "damaged", "declaring", "random"]
    ),
    seeds,
)


@fuzz(1000)
@given(files)
# The zip bombs are always the same files: tried once each.
@example(ratio_bomb("xl/workbook.xml"))
@example(many_parts("xl/workbook.xml"))
@example(lying_sizes("xl/workbook.xml"))
def test_any_upload_is_read_or_refused_in_russian(data):
    result = outcome(parse_file, data, "plan.xlsx")
    text = dump(result)
    assert "zqf" not in text  # a formula's text
    assert "zqext" not in text  # the saved result of a call to another program
    assert "lollollol" not in text
    assert "root:" not in text


@fuzz(50)
@given(st.sampled_from(ENTITIES), st.sampled_from(ENCODINGS), seeds)
@example("lol9", "UTF-8", seeded(0))
@example("xxe", "UTF-32", seeded(0))
def test_entity_declarations_are_refused(entity, encoding, rng):
    result = outcome(parse_file, declaring(rng, entity, encoding), "plan.xlsx")
    assert_entity_refused(result, encoding)
