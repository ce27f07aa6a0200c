"""The order and its roadmap appendix as a print-ready Excel workbook."""

from __future__ import annotations

import openpyxl
from django.utils.text import capfirst
from django.utils.translation import gettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..models import RoadmapEdition
from . import PrintedEdition, PrintedOrder, export_filename, printed_edition
from .layout import (
    FONT,
    FOOTER_PT,
    HEADER_FOOTER_CM,
    MARGIN_BOTTOM_CM,
    MARGIN_LEFT_CM,
    MARGIN_RIGHT_CM,
    MARGIN_TOP_CM,
    ORDER_PT,
    PORTRAIT_HEIGHT_PT,
    PORTRAIT_UNITS,
    TABLE_PT,
    TableLayout,
    line_height,
    row_height,
    split_rows,
)

__all__ = ["edition_workbook", "export_filename", "write_edition_xlsx"]

CM_PER_INCH = 2.54
# Excel indents by about three characters per level.
UNITS_PER_INDENT = 3
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRED_KEYS = frozenset({"number", "deadline"})


def _font(size: float, *, bold: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold)


def _align(horizontal: str, vertical: str = "top", indent: int = 0) -> Alignment:
    return Alignment(
        horizontal=horizontal, vertical=vertical, wrap_text=True, indent=indent
    )


def _put(ws: Worksheet, row: int, column: int, text: str, *, font, alignment):
    """Write text as text: never a formula, without characters Excel refuses."""
    cell = ws.cell(row=row, column=column)
    value = ILLEGAL_CHARACTERS_RE.sub("", text or "")
    cell.value = value or None
    if value:
        # «=…» typed by a user stays words: a string cell is never evaluated.
        cell.data_type = "s"
    cell.font = font
    cell.alignment = alignment
    return cell


class _Sheet:
    """Writes rows one under another, setting each row's height."""

    def __init__(self, ws: Worksheet, widths: list[float]) -> None:
        self.ws = ws
        self.widths = widths
        self.row = 1
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width

    def span_width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1 : last])

    def height(self, row: int) -> float:
        return self.ws.row_dimensions[row].height or line_height(ORDER_PT)

    def blank(self, size: float = ORDER_PT) -> None:
        self.ws.row_dimensions[self.row].height = line_height(size)
        self.row += 1

    def paragraph(
        self,
        text: str,
        *,
        size: float = ORDER_PT,
        bold: bool = False,
        horizontal: str = "left",
        first: int = 1,
        last: int | None = None,
        indent: int = 0,
        border: bool = False,
        split: bool = True,
    ) -> int:
        """One text across columns first..last (merged), in rows as tall as it needs.

        Returns the first row written.
        """
        last = last or len(self.widths)
        width = self.span_width(first, last) - indent * UNITS_PER_INDENT
        parts = split_rows(text, width, size, bold=bold) if split else [text]
        start = self.row
        for part in parts:
            row = self.row
            _put(
                self.ws,
                row,
                first,
                part,
                font=_font(size, bold=bold),
                alignment=_align(horizontal, indent=indent),
            )
            if last > first:
                self.ws.merge_cells(
                    start_row=row, start_column=first, end_row=row, end_column=last
                )
            if border:
                # Every cell of a merged range carries its own border.
                for column in range(first, last + 1):
                    self.ws.cell(row=row, column=column).border = BORDER
            self.ws.row_dimensions[row].height = row_height([(part, width, size, bold)])
            self.row += 1
        return start

    def keep_with_next(self, first: int, last: int) -> None:
        """Start rows first..last on a new page if a page would end among them.

        The row heights are what Excel prints, so the page ends can be
        foreseen: the signature must not stand alone on a page.
        """
        used = 0.0
        for row in range(1, first):
            height = self.height(row)
            if used + height > PORTRAIT_HEIGHT_PT:
                used = 0.0
            used += height
        block = sum(self.height(row) for row in range(first, last + 1))
        if used and used + block > PORTRAIT_HEIGHT_PT:
            self.ws.row_breaks.append(Break(id=first - 1))


def _page_setup(ws: Worksheet, *, landscape: bool) -> None:
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.page_margins = PageMargins(
        left=MARGIN_LEFT_CM / CM_PER_INCH,
        right=MARGIN_RIGHT_CM / CM_PER_INCH,
        top=MARGIN_TOP_CM / CM_PER_INCH,
        bottom=MARGIN_BOTTOM_CM / CM_PER_INCH,
        header=HEADER_FOOTER_CM / CM_PER_INCH,
        footer=HEADER_FOOTER_CM / CM_PER_INCH,
    )
    footer = ws.oddFooter.center
    footer.text = capfirst(
        gettext("page %(page)s of %(pages)s") % {"page": "&P", "pages": "&N"}
    )
    footer.size = FOOTER_PT
    footer.font = f"{FONT},Regular"


def _order_sheet(ws: Worksheet, order: PrintedOrder) -> None:
    half = PORTRAIT_UNITS / 2
    sheet = _Sheet(ws, [half, half])
    sheet.paragraph(order.issuer, bold=True, horizontal="center")
    sheet.blank()
    sheet.paragraph(order.kind, bold=True, horizontal="center")
    sheet.blank()
    row = sheet.row
    _put(ws, row, 1, order.date, font=_font(ORDER_PT), alignment=_align("left"))
    _put(ws, row, 2, order.number, font=_font(ORDER_PT), alignment=_align("right"))
    ws.row_dimensions[row].height = row_height(
        [(order.date, half, ORDER_PT, False), (order.number, half, ORDER_PT, False)]
    )
    sheet.row += 1
    if order.place:
        sheet.paragraph(order.place, horizontal="center")
    sheet.blank()
    sheet.paragraph(order.title, bold=True, horizontal="center")
    sheet.blank()
    if order.preamble:
        sheet.paragraph(order.preamble, horizontal="justify")
    if order.directive:
        if order.preamble:
            sheet.blank()
        sheet.paragraph(order.directive)
    if order.clauses:
        sheet.blank()
    last_clause = sheet.row
    for clause in order.clauses:
        if clause.depth:
            last_clause = sheet.paragraph(clause.text, indent=2 * clause.depth)
        else:
            last_clause = sheet.paragraph(clause.text, horizontal="justify")
    if order.signatory_position or order.signatory_name:
        sheet.blank()
        sheet.blank()
        row = sheet.row
        _put(
            ws,
            row,
            1,
            order.signatory_position,
            font=_font(ORDER_PT),
            alignment=_align("left", "bottom"),
        )
        _put(
            ws,
            row,
            2,
            order.signatory_name,
            font=_font(ORDER_PT),
            alignment=_align("right", "bottom"),
        )
        ws.row_dimensions[row].height = row_height(
            [
                (order.signatory_position, half, ORDER_PT, False),
                (order.signatory_name, half, ORDER_PT, False),
            ]
        )
        sheet.row += 1
        sheet.keep_with_next(min(last_clause, row), row)
    _page_setup(ws, landscape=False)


def _table_sheet(ws: Worksheet, printed: PrintedEdition, layout: TableLayout) -> None:
    widths = list(layout.widths)
    count = len(widths)
    size = layout.font_pt
    sheet = _Sheet(ws, widths)
    if printed.appendix:
        first = count - layout.block_span() + 1
        sheet.paragraph(printed.appendix, size=TABLE_PT, first=first)
        sheet.blank(TABLE_PT)
    if printed.title:
        sheet.paragraph(printed.title, bold=True, horizontal="center")
        sheet.blank(TABLE_PT)
    header = sheet.row
    for column, text in enumerate(printed.headers, start=1):
        cell = _put(
            ws,
            header,
            column,
            text,
            font=_font(size, bold=True),
            alignment=_align("center", "center"),
        )
        cell.border = BORDER
    ws.row_dimensions[header].height = row_height(
        (text, width, size, True)
        for text, width in zip(printed.headers, widths, strict=True)
    )
    sheet.row += 1
    body_font = _font(size)
    alignments = [
        _align("center" if key in CENTRED_KEYS else "left") for key in layout.keys
    ]
    for printed_row in printed.rows:
        if printed_row.kind == "section":
            sheet.paragraph(
                printed_row.cells[0],
                size=size,
                bold=True,
                horizontal="center",
                border=True,
                split=False,
            )
            continue
        row = sheet.row
        for column, text in enumerate(printed_row.cells, start=1):
            cell = _put(
                ws, row, column, text, font=body_font, alignment=alignments[column - 1]
            )
            cell.border = BORDER
        ws.row_dimensions[row].height = row_height(
            (text, width, size, False)
            for text, width in zip(printed_row.cells, widths, strict=True)
        )
        sheet.row += 1
    # The header row is printed again at the top of every page.
    ws.print_title_rows = f"{header}:{header}"
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    _page_setup(ws, landscape=layout.landscape)


def _workbook() -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    # The default font sets the unit of column widths: Times New Roman 11 has
    # Calibri's 7 px digit, and where Times is missing LibreOffice takes
    # Liberation Serif with the same metrics, so the widths print alike.
    # openpyxl has no public setter for it.
    workbook._fonts = IndexedList([Font(name=FONT, size=11, family=1)])
    return workbook


def edition_workbook(edition: RoadmapEdition, *, plan_only=False) -> openpyxl.Workbook:
    """The order and appendix sheets; a plan without an order (or `plan_only`)
    gives the plan alone."""
    printed = printed_edition(edition, plan_only=plan_only)
    workbook = _workbook()
    layout = printed.layout()
    if printed.order is not None:
        order_ws = workbook.active
        order_ws.title = capfirst(gettext("order"))
        _order_sheet(order_ws, printed.order)
        table_ws = workbook.create_sheet(gettext("Appendix"))
        workbook.active = 0
    else:
        table_ws = workbook.active
        table_ws.title = gettext("Roadmap")
    _table_sheet(table_ws, printed, layout)
    # The file's properties are XML too: no control characters.
    workbook.properties.title = ILLEGAL_CHARACTERS_RE.sub("", printed.title)[:255]
    return workbook


def write_edition_xlsx(edition: RoadmapEdition, out, *, plan_only=False) -> None:
    """Write the edition's workbook to a binary file object."""
    edition_workbook(edition, plan_only=plan_only).save(out)
