"""Split a pasted document into the order text and the roadmap table."""

import unicodedata

from django.utils.translation import gettext

from .model import Column, ParsedDocument, ParseError
from .order import read_order
from .table import find_header, read_table

# Share of control characters above which the text is taken for a binary file.
_CONTROL_SHARE = 0.3
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def _is_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(
        1
        for char in text
        if char not in _ALLOWED_CONTROLS
        and (unicodedata.category(char) == "Cc" or char == "\ufffd")
    )
    return controls > _CONTROL_SHARE * len(text)


def _header_line(lines: list[str]) -> tuple[int, list[Column]] | None:
    for index, line in enumerate(lines):
        columns = find_header(line.split("\t")) if "\t" in line else None
        if columns:
            return index, columns
    return None


def parse_document(text: str) -> ParsedDocument:
    """Read a pasted order and its roadmap table; raise ParseError if there is none."""
    if not text or not text.strip():
        raise ParseError("empty", gettext("The text is empty: paste a roadmap table."))
    if _is_binary(text):
        raise ParseError(
            "binary",
            gettext(
                "The text looks like the contents of a binary file, not a copied "
                "table; open the document and copy its text instead."
            ),
        )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    header = _header_line(lines)
    if header is None:
        raise ParseError(
            "no_table",
            gettext(
                "The text contains no roadmap table: no header row was found with "
                "tab-separated columns such as «№», «Мероприятие», «Сроки» and "
                "«Ответственные»."
            ),
        )
    index, columns = header
    above = read_order(lines[:index])
    table = read_table(
        columns, [(n, line) for n, line in enumerate(lines[index + 1 :], index + 2)]
    )
    return ParsedDocument(
        order=above.order,
        title=above.title,
        columns=columns,
        sections=table.sections,
        notes=sorted(table.notes, key=lambda note: note.line),
        warnings=above.warnings + table.warnings,
    )
