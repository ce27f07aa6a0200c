"""The order and its roadmap appendix as a print-ready Word document."""

from __future__ import annotations

import re

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..models import RoadmapEdition
from . import PrintedEdition, PrintedOrder, export_filename, printed_edition
from .layout import (
    A4_LONG_CM,
    A4_SHORT_CM,
    APPENDIX_BLOCK_CM,
    APPENDIX_BLOCK_SHARE,
    FONT,
    HEADER_FOOTER_CM,
    LANDSCAPE_WIDTH_CM,
    MARGIN_BOTTOM_CM,
    MARGIN_LEFT_CM,
    MARGIN_RIGHT_CM,
    MARGIN_TOP_CM,
    ORDER_PT,
    PARAGRAPH_INDENT_CM,
    PORTRAIT_WIDTH_CM,
    TABLE_PT,
    TableLayout,
)

__all__ = ["edition_document", "export_filename", "write_edition_docx"]

CENTRED_KEYS = frozenset({"number", "deadline"})
# Characters XML 1.0 cannot hold (python-docx refuses them).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SIGNATORY_SHARE = 0.6
TAB_INSIDE_CM = 0.05
# Narrow cell margins, close to Excel's padding, so both print alike.
CELL_MARGIN_CM = 0.1
FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# The schema's order of a table's properties.
TBL_PR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)


def _set_fonts(rpr) -> None:
    """Times New Roman for every script, theme fonts removed (they would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in FONT_ATTRS:
        fonts.set(qn(attr), FONT)


def _setup_styles(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "ru-RU")
        lang.set(qn("w:eastAsia"), "ru-RU")
    # The template's defaults space paragraphs apart; orders are set solid.
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    for name in ("Normal", "Table Grid", "Header", "Footer"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        _set_fonts(style.element.get_or_add_rPr())
        style.font.name = FONT
        if name == "Normal":
            style.font.size = Pt(ORDER_PT)
            style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.space_before = Pt(0)
            style.paragraph_format.line_spacing = 1.0


def _page(section, *, landscape: bool) -> float:
    """Set A4 and the margins; return the width of the text in centimetres."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(A4_LONG_CM), Cm(A4_SHORT_CM)
    section.page_width, section.page_height = (
        (long, short) if landscape else (short, long)
    )
    section.left_margin = Cm(MARGIN_LEFT_CM)
    section.right_margin = Cm(MARGIN_RIGHT_CM)
    section.top_margin = Cm(MARGIN_TOP_CM)
    section.bottom_margin = Cm(MARGIN_BOTTOM_CM)
    section.header_distance = Cm(HEADER_FOOTER_CM)
    section.footer_distance = Cm(HEADER_FOOTER_CM)
    return LANDSCAPE_WIDTH_CM if landscape else PORTRAIT_WIDTH_CM


def _page_numbers(section) -> None:
    """Page numbers centred at the top, none on the first page (ГОСТ Р 7.0.97)."""
    section.different_first_page_header_footer = True
    # An empty first-page header of its own, or LibreOffice shows the default.
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _text(paragraph, text: str, *, size: float, bold: bool = False) -> None:
    """Add text in runs, its line breaks kept as breaks within the paragraph."""
    for index, line in enumerate(_NOT_XML.sub("", text or "").split("\n")):
        runs = [paragraph.add_run(), paragraph.add_run()] if index else []
        if index:
            runs[0].add_break()
        else:
            runs.append(paragraph.add_run())
        # The text setter writes tabs as <w:tab/>, which every reader honours.
        runs[-1].text = line
        for run in runs:
            run.font.size = Pt(size)
            run.font.bold = bold or None


def _paragraph(
    container,
    text: str = "",
    *,
    size: float = ORDER_PT,
    bold: bool = False,
    align=WD_ALIGN_PARAGRAPH.LEFT,
    first_line: float | None = None,
    left: float | None = None,
    keep_with_next: bool = False,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if first_line is not None:
        fmt.first_line_indent = Cm(first_line)
    if left is not None:
        fmt.left_indent = Cm(left)
    if keep_with_next:
        fmt.keep_with_next = True
    _text(paragraph, text, size=size, bold=bold)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _insert_tbl_pr(table, borders)


def _order_pages(document, order: PrintedOrder, width_cm: float) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(document, order.issuer, bold=True, align=centre)
    _paragraph(document)
    _paragraph(document, order.kind, bold=True, align=centre)
    _paragraph(document)
    dated = _paragraph(document, f"{order.date}\t{order.number}")
    dated.paragraph_format.tab_stops.add_tab_stop(Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT)
    if order.place:
        _paragraph(document, order.place, align=centre)
    _paragraph(document)
    _paragraph(document, order.title, bold=True, align=centre)
    _paragraph(document)
    if order.preamble:
        _paragraph(
            document, order.preamble, align=justify, first_line=PARAGRAPH_INDENT_CM
        )
    if order.directive:
        if order.preamble:
            _paragraph(document)
        _paragraph(document, order.directive)
    if order.clauses:
        _paragraph(document)
    last = len(order.clauses) - 1
    for index, clause in enumerate(order.clauses):
        _paragraph(
            document,
            clause.text,
            align=justify,
            first_line=PARAGRAPH_INDENT_CM,
            left=PARAGRAPH_INDENT_CM * clause.depth if clause.depth else None,
            # The last clause stays on the page of the signature.
            keep_with_next=index == last,
        )
    if not (order.signatory_position or order.signatory_name):
        return
    _paragraph(document, keep_with_next=True)
    _paragraph(document, keep_with_next=True)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    widths = [width_cm * SIGNATORY_SHARE, width_cm * (1 - SIGNATORY_SHARE)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    position, name = table.rows[0].cells
    for cell, width in zip((position, name), widths, strict=True):
        cell.width = Cm(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    _text(position.paragraphs[0], order.signatory_position, size=ORDER_PT)
    name.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _text(name.paragraphs[0], order.signatory_name, size=ORDER_PT)


def _insert_tbl_pr(table, element) -> None:
    tbl_pr = table._tbl.tblPr
    # Word rejects a file whose table properties are out of the schema's order.
    tag = element.tag.rsplit("}", 1)[-1]
    after = [qn(f"w:{t}") for t in TBL_PR_ORDER[TBL_PR_ORDER.index(tag) + 1 :]]
    successor = next((child for child in tbl_pr if child.tag in after), None)
    if successor is None:
        tbl_pr.append(element)
    else:
        successor.addprevious(element)


def _cell_margins(table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(Cm(CELL_MARGIN_CM).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _insert_tbl_pr(table, margins)


def _row_flag(row, name: str) -> None:
    marker = OxmlElement(f"w:{name}")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _cell(cell, text: str, *, size: float, bold: bool = False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    _text(paragraph, text, size=size, bold=bold)


def _appendix_pages(
    document, printed: PrintedEdition, layout: TableLayout, width_cm: float
) -> None:
    size = layout.font_pt
    centre = WD_ALIGN_PARAGRAPH.CENTER
    if printed.appendix:
        block = max(APPENDIX_BLOCK_CM, width_cm * APPENDIX_BLOCK_SHARE)
        _paragraph(document, printed.appendix, size=TABLE_PT, left=width_cm - block)
        _paragraph(document, size=TABLE_PT)
    if printed.title:
        _paragraph(document, printed.title, bold=True, align=centre)
        _paragraph(document, size=TABLE_PT)
    count = len(printed.keys)
    scale = width_cm / layout.total
    widths = [Cm(w * scale) for w in layout.widths]
    table = document.add_table(rows=1, cols=count)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    # Repeated at the top of every page; no row is split across two pages.
    _row_flag(header, "tblHeader")
    _row_flag(header, "cantSplit")
    for cell, text, width in zip(header.cells, printed.headers, widths, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell(cell, text, size=size, bold=True, align=centre)
    aligns = [
        centre if key in CENTRED_KEYS else WD_ALIGN_PARAGRAPH.LEFT
        for key in layout.keys
    ]
    for printed_row in printed.rows:
        row = table.add_row()
        _row_flag(row, "cantSplit")
        cells = row.cells
        if printed_row.kind == "section":
            merged = cells[0].merge(cells[-1]) if count > 1 else cells[0]
            _cell(merged, printed_row.cells[0], size=size, bold=True, align=centre)
            continue
        for cell, text, align in zip(cells, printed_row.cells, aligns, strict=True):
            _cell(cell, text, size=size, align=align)


def edition_document(edition: RoadmapEdition, *, plan_only=False) -> WordDocument:
    """The order (portrait) and, in a section of its own, the appendix with the
    plan; `plan_only` gives the plan alone."""
    printed = printed_edition(edition, plan_only=plan_only)
    document = docx.Document()
    _setup_styles(document)
    layout = printed.layout()
    first = document.sections[0]
    if printed.order is not None:
        width = _page(first, landscape=False)
        _order_pages(document, printed.order, width)
        appendix = document.add_section(WD_SECTION.NEW_PAGE)
        width = _page(appendix, landscape=layout.landscape)
    else:
        width = _page(first, landscape=layout.landscape)
    # Taken again: adding a section moved the first one's properties.
    _page_numbers(document.sections[0])
    _appendix_pages(document, printed, layout, width)
    document.core_properties.title = (
        printed.order.title if printed.order else printed.title
    )[:255]
    document.core_properties.language = "ru-RU"
    return document


def write_edition_docx(edition: RoadmapEdition, out, *, plan_only=False) -> None:
    """Write the edition's Word document to a binary file object."""
    edition_document(edition, plan_only=plan_only).save(out)
