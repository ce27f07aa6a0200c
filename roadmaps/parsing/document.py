"""Split a pasted document into the order text and the roadmap table."""

import unicodedata

from django.utils.translation import gettext

from .model import Column, ColumnKey, ParsedDocument, ParseError, RowNote
from .order import read_order
from .table import find_header, read_table_rows

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


def _header_line(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if "\t" in line and find_header(line.split("\t"), allow_unknown=True):
            return index
    return None


def parse_document(
    text: str, *, mapping: list[str | None] | None = None
) -> ParsedDocument:
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
    index = _header_line(lines)
    if index is None:
        raise ParseError(
            "no_table",
            gettext(
                "The text contains no roadmap table: no header row was found with "
                "tab-separated columns such as «№», «Мероприятие», «Сроки» and "
                "«Ответственные»."
            ),
        )
    return build_document(
        lines[:index],
        lines[index].split("\t"),
        [(n, line.split("\t")) for n, line in enumerate(lines[index + 1 :], index + 2)],
        mapping=mapping,
    )


_MEANINGS = {key.value: key for key in ColumnKey}


def apply_mapping(headers: list[str], mapping: list[str | None]) -> list[Column]:
    """Give each source column the meaning chosen by the user; check the choice."""
    if len(mapping) != len(headers):
        raise ParseError(
            "bad_mapping",
            gettext(
                "The chosen columns do not match the table: %(given)s were chosen, "
                "the table has %(count)s."
            )
            % {"given": len(mapping), "count": len(headers)},
        )
    columns: list[Column] = []
    taken: dict[ColumnKey, str] = {}
    for index, (header, choice) in enumerate(zip(headers, mapping, strict=True)):
        value = str(choice or ColumnKey.IGNORE).strip().lower()
        key = _MEANINGS.get(value)
        if key is None:
            raise ParseError(
                "bad_mapping",
                gettext("The column «%(column)s» was given an unknown meaning.")
                % {"column": header},
            )
        if key is not ColumnKey.IGNORE and key in taken:
            raise ParseError(
                "bad_mapping",
                gettext(
                    "The columns «%(first)s» and «%(second)s» were given the same "
                    "meaning; choose it for one of them only."
                )
                % {"first": taken[key], "second": header},
            )
        taken[key] = header
        columns.append(Column(key=key, header=header, index=index))
    if ColumnKey.TITLE not in taken:
        raise ParseError(
            "bad_mapping",
            gettext(
                "Choose the column that holds the activities: without it the table "
                "cannot be read."
            ),
        )
    return columns


def build_document(
    above: list[str],
    header: list[str],
    rows: list[tuple[int, list[str]]],
    *,
    mapping: list[str | None] | None = None,
    notes: list[RowNote] | None = None,
    warnings: list[str] | None = None,
) -> ParsedDocument:
    """Read the lines above a table, its header cells and its numbered rows."""
    # The header must be one find_header(allow_unknown=True) recognises;
    # mapping, one meaning per header cell, overrides the recognised meanings;
    # notes and warnings from reading the source file come first.
    detected = find_header(header, allow_unknown=True)
    if detected is None:
        raise ParseError(
            "no_table", gettext("The table has no recognisable header row.")
        )
    headers = [c.header for c in detected]
    warnings = list(warnings or [])
    if mapping is None:
        columns = detected
        unknown = [c.header for c in detected if c.key is ColumnKey.IGNORE]
        if unknown:
            warnings.append(
                gettext(
                    "The columns %(columns)s were not recognised (or repeat another "
                    "column's meaning) and were not read; choose their meaning in "
                    "the column settings if they are needed."
                )
                % {"columns": ", ".join(f"«{h}»" for h in unknown)}
            )
    else:
        columns = apply_mapping(headers, mapping)
    above_text = read_order(above)
    table = read_table_rows(columns, rows, headers=headers)
    return ParsedDocument(
        order=above_text.order,
        title=above_text.title,
        columns=[c for c in columns if c.key is not ColumnKey.IGNORE],
        sections=table.sections,
        notes=sorted([*(notes or []), *table.notes], key=lambda note: note.line),
        warnings=warnings + above_text.warnings + table.warnings,
        source_headers=headers,
    )
