"""Measures shared by the printed order and its roadmap: fonts, page, widths, heights.

Widths are in Excel column-width units (the width of a digit of the workbook's
default font, 7 px at 96 dpi for Times New Roman 11 and for Calibri 11); the
Word export converts them to centimetres in proportion.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

FONT = "Times New Roman"
ORDER_PT = 14
TABLE_PT = 12
# Six columns and more: 11 pt keeps the rows short enough on a landscape page.
WIDE_TABLE_PT = 11
WIDE_TABLE_COLUMNS = 6
FOOTER_PT = 10

# A4 and the margins of ГОСТ Р 7.0.97-2016 as the project's regions apply them.
A4_SHORT_CM = 21.0
A4_LONG_CM = 29.7
MARGIN_LEFT_CM = 3.0
MARGIN_RIGHT_CM = 1.5
MARGIN_TOP_CM = 2.0
MARGIN_BOTTOM_CM = 2.0
HEADER_FOOTER_CM = 0.8
PARAGRAPH_INDENT_CM = 1.25

PX_PER_UNIT = 7
CM_PER_UNIT = PX_PER_UNIT / 96 * 2.54
PORTRAIT_WIDTH_CM = A4_SHORT_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM
LANDSCAPE_WIDTH_CM = A4_LONG_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM
PORTRAIT_HEIGHT_PT = (A4_LONG_CM - MARGIN_TOP_CM - MARGIN_BOTTOM_CM) / 2.54 * 72
# One unit less than the printable width: Excel rounds widths to whole pixels.
PORTRAIT_UNITS = math.floor(PORTRAIT_WIDTH_CM / CM_PER_UNIT) - 1
LANDSCAPE_UNITS = math.floor(LANDSCAPE_WIDTH_CM / CM_PER_UNIT) - 1

# The narrowest comfortable width of each column; the table is then widened
# (or narrowed) in proportion to fill the page.
NATURAL_WIDTHS = {
    "number": 6,
    "title": 45,
    "description": 36,
    "deadline": 14,
    "responsible": 22,
    "indicator": 28,
}
OTHER_WIDTH = 20
# The № column holds «1.1.» or «№ п/п»: it keeps its width when the others scale.
FIXED_KEYS = frozenset({"number"})
# How far the text of the plan may stretch or shrink a column's natural width.
MIN_STRETCH = 0.7
MAX_STRETCH = 1.6
# Room besides the longest word: Word's cell margins are wider than Excel's.
WORD_ROOM_UNITS = 1.0
LANDSCAPE_FROM_COLUMNS = 5

# Share of the table's width taken by the «Приложение к приказу …» block.
APPENDIX_BLOCK_SHARE = 0.38
APPENDIX_BLOCK_CM = 8.5

# Excel's row height for one line of 12 pt Times New Roman.
LINE_PT_PER_FONT_PT = 15.75 / 12
ROW_PADDING_PT = 2.0
CELL_PADDING_PX = 6
# Bold glyphs of Times New Roman are about 6 % wider.
BOLD_FACTOR = 1.06
# Measured against LibreOffice with Liberation Serif (Times New Roman's metrics):
# with the widths below no cell took more lines than estimated, about one in
# two took one line fewer. A clipped line is lost on paper; a spare one is not.
WIDTH_SAFETY = 1.0
# Excel cannot make a row taller than 409 pt: longer order paragraphs are cut
# into several rows (see split_rows).
MAX_ROW_PT = 409


@dataclass(frozen=True)
class TableLayout:
    """Column widths, orientation and font size of one roadmap table."""

    keys: tuple[str, ...]
    widths: tuple[float, ...]
    landscape: bool
    font_pt: int

    @property
    def total(self) -> float:
        return sum(self.widths)

    def block_span(self) -> int:
        """How many right-hand columns the appendix block spans.

        The span nearest to the block's share of the width, never the whole
        table: the block stands at the right.
        """
        wanted = self.total * APPENDIX_BLOCK_SHARE
        best, best_gap, taken = 1, math.inf, 0.0
        for count, width in enumerate(reversed(self.widths[1:]), start=1):
            taken += width
            if abs(taken - wanted) < best_gap:
                best, best_gap = count, abs(taken - wanted)
        return best


def natural_width(key: str) -> float:
    """The comfortable width of a column of this kind."""
    return NATURAL_WIDTHS.get(key, OTHER_WIDTH)


def is_landscape(keys: Iterable[str]) -> bool:
    """Landscape for 5+ columns or a table wider than a portrait page."""
    keys = list(keys)
    natural = sum(natural_width(k) for k in keys)
    return len(keys) >= LANDSCAPE_FROM_COLUMNS or natural > PORTRAIT_UNITS


def _units_for_em(em: float, size_pt: float) -> float:
    return (em * size_pt * 96 / 72 + CELL_PADDING_PX) / PX_PER_UNIT


def _content_weights(keys: tuple[str, ...], columns: list[list[str]]) -> list[float]:
    """Natural widths leaning towards the columns that hold more text.

    The geometric mean of a column's share of the natural width and its share
    of the text evens out the lines per row, so no column makes every row tall.
    """
    natural = [natural_width(k) for k in keys]
    demand = [sum(text_em(t) for t in texts) for texts in columns]
    total_natural = sum(natural)
    total_demand = sum(demand)
    if not total_demand:
        return natural
    weights = []
    for key, width, need in zip(keys, natural, demand, strict=True):
        if key in FIXED_KEYS:
            weights.append(width)
            continue
        share = math.sqrt((width / total_natural) * (need / total_demand))
        weight = share * total_natural
        weight = min(max(weight, width * MIN_STRETCH), width * MAX_STRETCH)
        weights.append(weight)
    return weights


def _longest_word_units(texts: Iterable[str], size_pt: float, bold: bool) -> float:
    longest = max(
        (text_em(w, bold=bold) for t in texts for w in t.split()), default=0.0
    )
    return _units_for_em(longest, size_pt)


def _fit_longest_words(
    keys: tuple[str, ...],
    widths: list[float],
    columns: list[list[str]] | None,
    headers: list[str] | None,
    size_pt: float,
) -> list[float]:
    """Widen columns whose longest word would break, taking room from the others.

    A word broken in the middle («Феврал-ь») looks careless. A column is
    widened at most to its natural width; the room comes from the columns
    with width to spare, in proportion to it.
    """
    needs = []
    for index, key in enumerate(keys):
        header = [headers[index]] if headers and len(headers) == len(keys) else []
        cells = columns[index] if columns and len(columns) == len(keys) else []
        need = max(
            _longest_word_units(header, size_pt, True),
            _longest_word_units(cells, size_pt, False),
        )
        needs.append(min(need + WORD_ROOM_UNITS, natural_width(key)))
    deficit = sum(max(n - w, 0.0) for n, w in zip(needs, widths, strict=True))
    spare = [
        0.0 if k in FIXED_KEYS else max(w - n, 0.0)
        for k, n, w in zip(keys, needs, widths, strict=True)
    ]
    if not deficit or sum(spare) < deficit:
        return widths
    share = deficit / sum(spare)
    return [max(w, n) - s * share for w, n, s in zip(widths, needs, spare, strict=True)]


def table_layout(
    keys: Iterable[str],
    columns: list[list[str]] | None = None,
    headers: list[str] | None = None,
) -> TableLayout:
    """Widths that fill the page's width, the orientation and the font size.

    Without the texts of the columns (one list per key) the widths follow the
    kinds of the columns only.
    """
    keys = tuple(keys) or ("title",)
    landscape = is_landscape(keys)
    font_pt = WIDE_TABLE_PT if len(keys) >= WIDE_TABLE_COLUMNS else TABLE_PT
    page = LANDSCAPE_UNITS if landscape else PORTRAIT_UNITS
    if columns and len(columns) == len(keys):
        weights = _content_weights(keys, columns)
    else:
        weights = [natural_width(k) for k in keys]
    fixed = sum(w for k, w in zip(keys, weights, strict=True) if k in FIXED_KEYS)
    scalable = sum(w for k, w in zip(keys, weights, strict=True) if k not in FIXED_KEYS)
    factor = (page - fixed) / scalable if scalable else 1.0
    widths = [
        w if k in FIXED_KEYS else w * factor for k, w in zip(keys, weights, strict=True)
    ]
    widths = _fit_longest_words(keys, widths, columns, headers, font_pt)
    return TableLayout(
        keys=keys,
        widths=tuple(round(w, 1) for w in widths),
        landscape=landscape,
        font_pt=font_pt,
    )


# Advance widths of Times New Roman in ems; letters not listed take 0.5 em
# (lower case) or 0.72 em (capitals).
_EM = {
    " ": 0.25,
    "\u00a0": 0.25,
    ".": 0.25,
    ",": 0.25,
    ":": 0.28,
    ";": 0.28,
    "!": 0.33,
    "?": 0.44,
    "'": 0.18,
    '"': 0.41,
    "(": 0.33,
    ")": 0.33,
    "[": 0.33,
    "]": 0.33,
    "-": 0.33,
    "/": 0.28,
    "«": 0.5,
    "»": 0.5,
    "–": 0.5,
    "—": 1.0,
    "№": 1.0,
    "%": 0.83,
    "i": 0.28,
    "l": 0.28,
    "j": 0.28,
    "t": 0.28,
    "f": 0.33,
    "r": 0.33,
    "I": 0.33,
    "m": 0.78,
    "w": 0.72,
    "W": 0.94,
    "M": 0.89,
    "ж": 0.69,
    "м": 0.63,
    "ш": 0.78,
    "щ": 0.78,
    "ы": 0.68,
    "ю": 0.74,
    "ф": 0.65,
    "Ж": 0.94,
    "М": 0.89,
    "Ш": 0.94,
    "Щ": 0.94,
    "Ю": 0.97,
    "Ф": 0.8,
}


def text_em(text: str, *, bold: bool = False) -> float:
    """The printed width of a text in ems of its font."""
    total = 0.0
    for ch in text:
        width = _EM.get(ch)
        if width is None:
            width = 0.72 if ch.isupper() else 0.5
        total += width
    return total * (BOLD_FACTOR if bold else 1.0) * WIDTH_SAFETY


def capacity_em(width_units: float, size_pt: float) -> float:
    """How many ems of text of this size fit on one line of a cell this wide."""
    px = width_units * PX_PER_UNIT - CELL_PADDING_PX
    em_px = size_pt * 96 / 72
    return max(px / em_px, 1.0)


def wrap(
    text: str, width_units: float, size_pt: float, *, bold: bool = False
) -> list[tuple[bool, list[str]]]:
    """The printed lines of a wrapped cell as (starts a paragraph, words) pairs.

    Words wrap greedily at spaces; explicit newlines start new lines; a word
    longer than the line takes as many lines as it needs.
    """
    capacity = capacity_em(width_units, size_pt)
    space = text_em(" ", bold=bold)
    lines: list[tuple[bool, list[str]]] = []
    for paragraph in (text or "").split("\n"):
        current: list[str] = []
        lines.append((True, current))
        used = 0.0
        for word in paragraph.split():
            width = text_em(word, bold=bold)
            if current and used + space + width <= capacity:
                current.append(word)
                used += space + width
                continue
            if current:
                current = []
                lines.append((False, current))
            current.append(word)
            # A word longer than a line runs on over the next lines.
            extra = math.ceil(width / capacity) - 1
            for _ in range(extra):
                current = []
                lines.append((False, current))
            used = width - extra * capacity
    return lines


def count_lines(
    text: str, width_units: float, size_pt: float, *, bold: bool = False
) -> int:
    """How many printed lines a wrapped cell needs."""
    return len(wrap(text, width_units, size_pt, bold=bold))


def split_rows(
    text: str, width_units: float, size_pt: float, *, bold: bool = False
) -> list[str]:
    """The text cut at line ends into parts short enough for one row each."""
    most = max(1, int((MAX_ROW_PT - ROW_PADDING_PT) // line_height(size_pt)))
    lines = wrap(text, width_units, size_pt, bold=bold)
    if len(lines) <= most:
        return [text]
    parts = []
    for start in range(0, len(lines), most):
        part: str | None = None
        for new_paragraph, words in lines[start : start + most]:
            if not words and not new_paragraph:
                continue  # the run-on of a word longer than a line
            line = " ".join(words)
            if part is None:
                part = line
            else:
                part += ("\n" if new_paragraph else " ") + line
        if part is not None:
            parts.append(part)
    return parts


def line_height(size_pt: float) -> float:
    """The height of one printed line of this font size, in points."""
    return size_pt * LINE_PT_PER_FONT_PT


def row_height(cells: Iterable[tuple[str, float, float, bool]]) -> float:
    """A row's height in points: the tallest of its (text, width, size, bold) cells."""
    tallest = 0.0
    for text, width, size, bold in cells:
        lines = count_lines(text, width, size, bold=bold)
        tallest = max(tallest, lines * line_height(size))
    return round(min(tallest + ROW_PADDING_PT, MAX_ROW_PT), 2)
