"""Read a roadmap from an uploaded file: Excel (.xlsx), Word (.docx) or text.

Every file is checked before a library opens it: its type is told by its
content (not its name), and an archive that unpacks to an implausible size,
holds XML entity declarations or has too many rows is refused with a
ParseError, never half read. Formulas are never evaluated: Excel's saved
results are read, or nothing.
"""

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from .document import build_document, parse_document
from .model import ParsedDocument, ParseError, RowNote
from .table import clean_text, find_header

# --- limits ---------------------------------------------------------------

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
# Parts smaller than this are not judged by their compression ratio: small
# repetitive XML legitimately compresses very well.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 2000
# Cells right of this column are not read (a roadmap has a dozen columns).
MAX_COLUMNS = 64
DEFAULT_MAX_ROWS = 5000
# Rows read in all, empty ones included, may be this many times the row limit.
_EMPTY_ROWS_FACTOR = 20
_SCAN_CHUNK = 1024 * 1024


def _max_rows() -> int:
    return int(getattr(settings, "ROADMAP_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


# --- telling the format ---------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _wrong_type(kind: str) -> ParseError:
    return ParseError(
        "wrong_type",
        gettext(
            "The file is %(kind)s, not a roadmap document: upload a Word (.docx) or "
            "Excel (.xlsx) file, or paste the table as text."
        )
        % {"kind": kind},
    )


def _signature_kind(data: bytes) -> str | None:
    """Name a well-known non-document file type by its first bytes."""
    signatures = (
        (b"\x89PNG\r\n\x1a\n", gettext("a PNG image")),
        (b"\xff\xd8\xff", gettext("a JPEG image")),
        (b"GIF87a", gettext("a GIF image")),
        (b"GIF89a", gettext("a GIF image")),
        (b"II*\x00", gettext("a TIFF image")),
        (b"MM\x00*", gettext("a TIFF image")),
        (b"{\\rtf", gettext("an RTF document (save it in Word as .docx)")),
        (b"Rar!\x1a\x07", gettext("a RAR archive")),
        (b"7z\xbc\xaf\x27\x1c", gettext("a 7-Zip archive")),
        (b"\x1f\x8b", gettext("a gzip archive")),
    )
    for magic, kind in signatures:
        if data.startswith(magic):
            return kind
    if data.startswith(b"MZ") and b"\x00" in data[:512]:
        return gettext("a program")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return gettext("a WebP image")
    return None


def _detect_ole2(data: bytes, filename: str) -> ParseError:
    """Tell an encrypted OOXML file from a legacy .doc/.xls (both are OLE2)."""
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return ParseError(
            "encrypted",
            gettext(
                "The file is password-protected: remove the password and upload it "
                "again."
            ),
        )
    suffix = PurePath(filename).suffix.lower()
    if _utf16("WordDocument") in data or (
        suffix in (".doc", ".dot", ".docx") and _utf16("Workbook") not in data
    ):
        return ParseError(
            "legacy_format",
            gettext(
                "The file is in the old Word format (.doc): open it in Word, save it "
                "as .docx and upload it again."
            ),
        )
    if _utf16("Workbook") in data or suffix in (".xls", ".xlt", ".xlsx"):
        return ParseError(
            "legacy_format",
            gettext(
                "The file is in the old Excel format (.xls): open it in Excel, save "
                "it as .xlsx and upload it again."
            ),
        )
    if _utf16("PowerPoint Document") in data:
        return _wrong_type(gettext("a PowerPoint presentation"))
    return ParseError(
        "legacy_format",
        gettext(
            "The file is in an old Microsoft Office format: save it as .docx or "
            ".xlsx and upload it again."
        ),
    )


def _corrupt() -> ParseError:
    return ParseError(
        "corrupt",
        gettext(
            "The file is damaged: it looks like a Word or Excel document but cannot "
            "be opened. Open it in Word or Excel, save it again and upload it."
        ),
    )


def _detect_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = {info.filename.lower(): info for info in archive.infolist()}
            mimetype = b""
            info = infos.get("mimetype")
            if info is not None and info.file_size <= 200:
                mimetype = archive.read(info)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        # An encrypted member, or a compression method zipfile cannot unpack.
        RuntimeError,
        NotImplementedError,
        ValueError,
    ) as exc:
        raise _corrupt() from exc
    if "xl/workbook.xml" in infos:
        return "xlsx"
    if "word/document.xml" in infos:
        return "docx"
    if "xl/workbook.bin" in infos:
        raise _wrong_type(gettext("a binary Excel workbook (.xlsb); save it as .xlsx"))
    if "ppt/presentation.xml" in infos:
        raise _wrong_type(gettext("a PowerPoint presentation"))
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise _wrong_type(gettext("an OpenDocument text (.odt); save it as .docx"))
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        raise _wrong_type(
            gettext("an OpenDocument spreadsheet (.ods); save it as .xlsx")
        )
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _wrong_type(gettext("an OpenDocument file"))
    if "[content_types].xml" in infos:
        raise _wrong_type(gettext("an Office file that is neither Word nor Excel"))
    raise _wrong_type(gettext("a ZIP archive"))


def detect_format(data: bytes, filename: str = "") -> str:
    """Tell a file's format by its content: "xlsx", "docx" or "text"."""
    if data.startswith(_ZIP_STARTS):
        return _detect_zip(data)
    if data.startswith(_OLE2):
        raise _detect_ole2(data, filename)
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        raise ParseError(
            "wrong_type",
            gettext(
                "The file is a PDF document, which cannot be read as a table: open "
                "it, copy the order and the table and paste them as text, or upload "
                "the original Word (.docx) or Excel (.xlsx) file."
            ),
        )
    kind = _signature_kind(data)
    if kind is not None:
        raise _wrong_type(kind)
    return "text"


# --- archive safety -------------------------------------------------------

# Every encoding an XML parser detects by itself (UTF-32 included: lxml reads it).
_UNSAFE_XML = tuple(
    marker.encode(codec)
    for marker in ("<!doctype", "<!entity")
    for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def _check_archive(data: bytes) -> None:
    """Refuse a zip bomb or XML entity tricks before any library opens the file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_sizes(infos)
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    _scan_xml(archive, info)
    except ParseError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        RuntimeError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise _corrupt() from exc


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise ParseError(
            "zip_bomb",
            gettext(
                "The file holds an implausible number of parts (%(count)s); it was "
                "refused for safety."
            )
            % {"count": len(infos)},
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ParseError(
                "encrypted",
                gettext(
                    "The file is password-protected: remove the password and upload "
                    "it again."
                ),
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise ParseError(
                "zip_bomb",
                gettext(
                    "The file unpacks to an implausible size: its part %(part)s is "
                    "compressed %(ratio)s times; it was refused for safety."
                )
                % {"part": info.filename, "ratio": int(ratio)},
            )
    if total > MAX_UNPACKED_BYTES:
        raise ParseError(
            "zip_bomb",
            gettext(
                "The file unpacks to an implausible size (%(size)s MB, the limit is "
                "%(limit)s MB); it was refused for safety."
            )
            % {"size": total // 2**20, "limit": MAX_UNPACKED_BYTES // 2**20},
        )


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part that declares a DOCTYPE or entities (Office never writes them)."""
    overlap = max(len(m) for m in _UNSAFE_XML)
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(_SCAN_CHUNK):
            window = (tail + chunk).lower()
            if any(marker in window for marker in _UNSAFE_XML):
                raise ParseError(
                    "unsafe_xml",
                    gettext(
                        "The file contains XML declarations (DOCTYPE or ENTITY) that "
                        "Word and Excel never write; it was refused for safety. Save "
                        "it again in Word or Excel and upload it."
                    ),
                )
            tail = window[-overlap:]


# --- what a file reader hands to the parser -------------------------------


@dataclass
class _Source:
    """The lines above the table, its header cells and its numbered rows."""

    above: list[str]
    header: list[str]
    rows: list[tuple[int, list[str]]]
    notes: list[RowNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _find_header(rows: Iterable[tuple[int, list[str]]]) -> tuple[int, int] | None:
    """Return (position in rows, first column) of the first roadmap header row."""
    for position, (_number, cells) in enumerate(rows):
        offset = next((i for i, c in enumerate(cells) if c.strip()), None)
        if offset is not None and find_header(cells[offset:], allow_unknown=True):
            return position, offset
    return None


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _has_text(cells: list[str]) -> bool:
    return any(c.strip() for c in cells)


def _order_lines(rows: Iterable[list[str]]) -> list[str]:
    """Lines of order text: one per row, a lone cell's own line breaks kept."""
    lines: list[str] = []
    for cells in rows:
        filled = [c for c in cells if c.strip()]
        if len(filled) == 1:
            lines.extend(_lines(filled[0]))
        else:
            lines.append("\t".join(" ".join(c.split()) for c in filled))
    return lines


def _too_many_rows(message: str, params: dict) -> ParseError:
    return ParseError("too_many_rows", message % params)


def _strip_trailing(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


# --- Excel ----------------------------------------------------------------

# A DDE or macro call: =cmd|' /C calc'!A0, =CALL(…), =EXEC(…).
_EXTERNAL_CALL = re.compile(r"\||\b(?:CALL|REGISTER(?:\.ID)?|EXEC|DDE\w*)\s*\(", re.I)
_LISTED_CELLS = 10


def _number_text(value: float, number_format: str | None) -> str:
    percent = "%" in (number_format or "")
    if percent:
        value = value * 100
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        text = str(int(value))
    else:
        # Shortest faithful form, with the decimal comma a Russian Excel shows.
        text = f"{value:.15g}".replace(".", ",")
    return f"{text}%" if percent else text


def cell_text(value: object, number_format: str | None = None) -> str:
    """Return a cell value as text: 12 not 12.0, dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int | float):
        return _number_text(value, number_format)
    return str(value)


class _CellReport:
    """Notes on cells that were not read as they stand: formulas, errors."""

    def __init__(self) -> None:
        self.notes: list[RowNote] = []
        self.unsaved: list[str] = []
        self.external: list[str] = []
        self.errors: list[str] = []

    def text(self, cell: dict, number_format: Callable[[int], str | None]) -> str:
        """Return a parsed cell's text; note formulas and errors not read."""
        value = cell["value"]
        formula = cell.get("formula")
        if formula is None and value is None:
            return ""
        row = cell["row"]
        where = {"line": row, "cell": f"{get_column_letter(cell['column'])}{row}"}
        if formula is not None:
            if _EXTERNAL_CALL.search(formula):
                self.external.append(where["cell"])
                self._note(
                    row,
                    "formula_external",
                    gettext(
                        "Line %(line)s: the cell %(cell)s holds a formula that calls "
                        "another program; it was not read."
                    )
                    % where,
                )
                return ""
            if value is None or value == "":
                self.unsaved.append(where["cell"])
                self._note(
                    row,
                    "formula_unsaved",
                    gettext(
                        "Line %(line)s: the cell %(cell)s holds a formula with no "
                        "saved result; it was read as empty."
                    )
                    % where,
                )
                return ""
        if cell["data_type"] == "e":
            self.errors.append(where["cell"])
            self._note(
                row,
                "cell_error",
                gettext(
                    "Line %(line)s: the cell %(cell)s shows the error %(error)s; it "
                    "was read as empty."
                )
                % {**where, "error": value},
            )
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return cell_text(value, number_format(cell["style_id"] or 0))
        return cell_text(value)

    def _note(self, row: int, code: str, message: str) -> None:
        self.notes.append(RowNote(line=row, code=code, message=message))

    def warnings(self) -> list[str]:
        """One warning per kind of unread cell, naming the first cells."""
        found = []
        kinds = (
            (
                self.unsaved,
                gettext(
                    "%(count)s cells hold formulas with no saved result (%(cells)s) "
                    "and were read as empty: open the file in Excel, save it and "
                    "upload it again."
                ),
            ),
            (
                self.external,
                gettext(
                    "%(count)s cells hold formulas that call other programs "
                    "(%(cells)s); they were not read."
                ),
            ),
            (
                self.errors,
                gettext(
                    "%(count)s cells show Excel errors (%(cells)s) and were read as "
                    "empty."
                ),
            ),
        )
        for cells, message in kinds:
            if cells:
                listed = ", ".join(cells[:_LISTED_CELLS])
                if len(cells) > _LISTED_CELLS:
                    listed += ", …"
                found.append(message % {"count": len(cells), "cells": listed})
        return found


class _SheetParser(WorkSheetParser):
    """openpyxl's streaming sheet parser: saved results plus the formulas behind."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shared_texts: dict[str | None, str] = {}

    def parse_cell(self, element) -> dict:
        """Parse a cell as openpyxl does, adding "formula" when it has one."""
        cell = super().parse_cell(element)
        formula = element.find(FORMULA_TAG)
        if formula is not None:
            text = formula.text or ""
            if formula.get("t") == "shared":
                # Cells sharing a formula name it only in the first of them.
                index = formula.get("si")
                if text:
                    self._shared_texts[index] = text
                else:
                    text = self._shared_texts.get(index, "")
            cell["formula"] = f"={text}"
        return cell


@dataclass
class _Sheet:
    title: str
    state: str
    path: str


class _Workbook:
    """A workbook opened for streaming: its sheets, styles and shared strings.

    openpyxl's own read-only mode reads every sheet once just to size it;
    here only the sheets needed are read, once, row by row.
    """

    def __init__(self, data: bytes) -> None:
        reader = ExcelReader(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        self.archive = reader.archive
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
        except BaseException:
            self.archive.close()
            raise
        self.book = reader.wb
        self.shared_strings = reader.shared_strings
        self.sheets = [
            _Sheet(title=sheet.name, state=sheet.state or "visible", path=rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]

    def close(self) -> None:
        """Close the archive."""
        self.archive.close()

    def number_format(self, style_id: int) -> str | None:
        """The number format of a cell style, as openpyxl's cells compute it."""
        try:
            number = self.book._cell_styles[style_id].numFmtId
            if number < BUILTIN_FORMATS_MAX_SIZE:
                return BUILTIN_FORMATS.get(number, "General")
            return self.book._number_formats[number - BUILTIN_FORMATS_MAX_SIZE]
        except (IndexError, AttributeError):
            return None

    def rows(self, sheet: _Sheet, report: _CellReport) -> list[tuple[int, list[str]]]:
        """Read a sheet's rows (row number, cell texts); refuse too many rows."""
        limit = _max_rows()
        rows: list[tuple[int, list[str]]] = []
        filled = seen = 0
        with self.archive.open(sheet.path) as source:
            parser = _SheetParser(
                source,
                self.shared_strings,
                data_only=True,
                epoch=self.book.epoch,
                date_formats=self.book._date_formats,
                timedelta_formats=self.book._timedelta_formats,
            )
            parsed = parser.parse()
            try:
                for number, cells in parsed:
                    seen += 1
                    texts = self._texts(cells, report)
                    filled += bool(texts)
                    if filled > limit or seen > limit * _EMPTY_ROWS_FACTOR:
                        raise _too_many_rows(
                            gettext(
                                "The sheet «%(sheet)s» has too many rows: more than "
                                "%(limit)s. Delete the rows that do not belong to "
                                "the roadmap and upload the file again."
                            ),
                            {"sheet": sheet.title, "limit": limit},
                        )
                    if rows and number > rows[-1][0] + 1 and rows[-1][1]:
                        # Rows left out of the file are empty: one stands for all.
                        rows.append((number - 1, []))
                    rows.append((number, texts))
            finally:
                parsed.close()
        while rows and not rows[-1][1]:
            rows.pop()
        return rows

    def _texts(self, cells: list[dict], report: _CellReport) -> list[str]:
        texts: list[str] = []
        for cell in cells:
            column = cell["column"]
            if column > MAX_COLUMNS:
                continue
            text = report.text(cell, self.number_format)
            if text:
                texts.extend([""] * (column - 1 - len(texts)))
                if len(texts) >= column:
                    texts[column - 1] = text
                else:
                    texts.append(text)
        return texts


def _sheet_names(names: list[str]) -> str:
    return ", ".join(f"«{name}»" for name in names)


def _read_workbook(workbook: _Workbook) -> _Source:
    report = _CellReport()
    hidden = [sheet.title for sheet in workbook.sheets if sheet.state != "visible"]
    above: list[str] = []
    any_text = False
    for sheet in workbook.sheets:
        if sheet.state != "visible":
            continue
        rows = workbook.rows(sheet, report)
        any_text = any_text or bool(rows)
        found = _find_header(rows)
        if found is None:
            # An order sheet before the table sheet («Приказ» before «Приложение»).
            lines = _order_lines(cells for _, cells in rows)
            if any(line.strip() for line in lines):
                above.extend([*lines, ""])
            continue
        position, offset = found
        above.extend(_order_lines(cells for _, cells in rows[:position]))
        sheet_warnings = []
        if hidden:
            sheet_warnings.append(
                gettext("The hidden sheets %(sheets)s were not read.")
                % {"sheets": _sheet_names(hidden)}
            )
        return _Source(
            above=above,
            header=rows[position][1][offset:],
            rows=[(number, cells[offset:]) for number, cells in rows[position + 1 :]],
            notes=report.notes,
            warnings=sheet_warnings + report.warnings(),
        )
    if hidden:
        raise ParseError(
            "no_table",
            gettext(
                "The Excel workbook contains no roadmap table on its visible sheets "
                "(a header row with columns such as «№», «Мероприятие», «Сроки» and "
                "«Ответственные»); the hidden sheets %(sheets)s were not read: show "
                "them in Excel if the table is there."
            )
            % {"sheets": _sheet_names(hidden)},
        )
    if not any_text:
        raise ParseError(
            "empty", gettext("The Excel workbook is empty: its sheets hold no text.")
        )
    raise ParseError(
        "no_table",
        gettext(
            "The Excel workbook contains no roadmap table: no sheet has a header row "
            "with columns such as «№», «Мероприятие», «Сроки» and «Ответственные»."
        ),
    )


def _read_xlsx(data: bytes) -> _Source:
    with warnings.catch_warnings():
        # openpyxl warns about parts it does not read (data validation,
        # conditional formatting, a missing default style): they do not matter.
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = _Workbook(data)
        try:
            return _read_workbook(workbook)
        finally:
            workbook.close()


# --- Word -----------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
# Elements that only wrap content: content controls, custom XML, insertions.
_WRAPPERS = frozenset(
    f"{_W}{name}" for name in ("sdt", "sdtContent", "customXml", "ins", "smartTag")
)
# Never text of the paragraph itself: properties, deletions, text boxes.
_NOT_TEXT = frozenset(
    [
        *(
            f"{_W}{name}"
            for name in (
                "pPr",
                "rPr",
                "tblPr",
                "trPr",
                "tcPr",
                "del",
                "moveFrom",
                "txbxContent",
                "instrText",
                "delText",
            )
        ),
        f"{_MC}Fallback",
    ]
)
_TEXT_MARKS = {
    f"{_W}tab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}


def _blocks(element) -> Iterator:
    """Yield the paragraphs and tables directly in element, through wrappers."""
    for child in element:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _children(element, tag: str) -> Iterator:
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _paragraph_text(paragraph) -> str:
    """The visible text of a paragraph: runs, hyperlinks, fields, insertions."""
    parts: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT or tag in (_P, _TBL):
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in _TEXT_MARKS:
                parts.append(_TEXT_MARKS[tag])
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _cell_text(tc) -> str:
    # Paragraphs only: a table nested in the cell is not read.
    return "\n".join(_paragraph_text(p) for p in _blocks(tc) if p.tag == _P)


def _int_attribute(element, path: str, default: int) -> int:
    found = element.find(path)
    if found is None:
        return default
    try:
        return int(found.get(f"{_W}val", default))
    except ValueError:
        return default


@dataclass
class _WordTable:
    """A Word table as rows of cell texts on its layout grid."""

    rows: list[list[str]]
    # (row, column) of the first cell of each vertical merge that holds text.
    merged_down: list[tuple[int, int]]


def _read_word_table(tbl) -> _WordTable:
    """Read a table; a merged cell keeps its text in its first grid position only."""
    rows: list[list[str]] = []
    merged_down: list[tuple[int, int]] = []
    # Per grid column: the row and text of the cell a vertical merge started in.
    starts: dict[int, tuple[int, str]] = {}
    reported: set[tuple[int, int]] = set()
    for row_index, tr in enumerate(_children(tbl, _TR)):
        before = _int_attribute(tr, f"{_W}trPr/{_W}gridBefore", 0)
        cells = [""] * max(0, min(before, MAX_COLUMNS))
        for tc in _children(tr, _TC):
            if len(cells) >= MAX_COLUMNS:
                break
            column = len(cells)
            span = _int_attribute(tc, f"{_W}tcPr/{_W}gridSpan", 1)
            span = max(1, min(span, MAX_COLUMNS))
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            restart = merge is not None and merge.get(f"{_W}val") == "restart"
            if merge is not None and not restart:
                text = ""
                start = starts.get(column)
                if start and start[1].strip() and start not in reported:
                    reported.add(start)
                    merged_down.append((start[0], column))
            else:
                text = _cell_text(tc)
                if restart:
                    starts[column] = (row_index, text)
            cells.extend([text] + [""] * (span - 1))
        rows.append(cells[:MAX_COLUMNS])
    return _WordTable(rows=rows, merged_down=merged_down)


def _header_texts(cells: list[str]) -> list[str]:
    return _strip_trailing([clean_text(c)[0].lower() for c in cells])


def _same_header(cells: list[str], header: list[str]) -> bool:
    offset = next((i for i, c in enumerate(cells) if c.strip()), 0)
    found = find_header(cells[offset:], allow_unknown=True)
    if found is None:
        return False
    if _header_texts(cells[offset:]) == _header_texts(header):
        return True
    detected = find_header(header, allow_unknown=True) or []
    return [c.key for c in found] == [c.key for c in detected]


class _DocxReader:
    """Walks a Word document body: order text, the roadmap table, its parts."""

    def __init__(self, body) -> None:
        self.blocks = list(_blocks(body))
        self.limit = _max_rows()
        self.table_rows = 0
        self.notes: list[RowNote] = []
        self.merged: list[int] = []

    def _table(self, tbl) -> _WordTable:
        self.table_rows += sum(1 for _ in _children(tbl, _TR))
        if self.table_rows > self.limit:
            raise _too_many_rows(
                gettext(
                    "The document's tables have too many rows: more than %(limit)s. "
                    "Delete the rows that do not belong to the roadmap and upload the "
                    "file again."
                ),
                {"limit": self.limit},
            )
        return _read_word_table(tbl)

    def read(self) -> _Source | list[str]:
        """Return the source of the roadmap table, or the text lines if none."""
        above: list[str] = []
        for index, block in enumerate(self.blocks):
            if block.tag == _P:
                above.extend(_lines(_paragraph_text(block)))
                continue
            table = self._table(block)
            numbered = list(enumerate(table.rows, start=1))
            found = _find_header(numbered)
            if found is None:
                # A layout table of the order's header: issuer, date, number.
                above.extend(_order_lines(table.rows))
                continue
            position, offset = found
            above.extend(_order_lines(table.rows[:position]))
            header = table.rows[position][offset:]
            rows = [(n, cells[offset:]) for n, cells in numbered[position + 1 :]]
            self._merges(table, 0)
            rows += self._continuation(index + 1, header, offset, len(table.rows))
            return _Source(
                above=above,
                header=header,
                rows=rows,
                notes=self.notes,
                warnings=self._merge_warning(),
            )
        return above

    def _continuation(
        self, start: int, header: list[str], offset: int, numbered: int
    ) -> list[tuple[int, list[str]]]:
        """Rows of the tables that continue the roadmap table after a page break."""
        rows: list[tuple[int, list[str]]] = []
        width = offset + len(header)
        text_between = False
        for block in self.blocks[start:]:
            if block.tag == _P:
                text_between = text_between or bool(_paragraph_text(block).strip())
                continue
            table = self._table(block)
            first = next(
                (i for i, cells in enumerate(table.rows) if _has_text(cells)), None
            )
            if first is None:
                continue
            if _same_header(table.rows[first], header):
                skip = first + 1
                for i in range(skip):
                    if any(c.strip() for c in table.rows[i]):
                        line = numbered + i + 1
                        self.notes.append(
                            RowNote(
                                line=line,
                                code="header_skipped",
                                message=gettext(
                                    "Line %(line)s: repeated header row skipped."
                                )
                                % {"line": line},
                            )
                        )
            elif not text_between and max(map(len, table.rows)) == width:
                skip = 0
            else:
                break
            rows.extend(
                (numbered + i + 1, cells[offset:])
                for i, cells in enumerate(table.rows)
                if i >= skip
            )
            self._merges(table, numbered)
            numbered += len(table.rows)
            text_between = False
        return rows

    def _merges(self, table: _WordTable, numbered: int) -> None:
        for row_index, column in table.merged_down:
            line = numbered + row_index + 1
            self.merged.append(line)
            self.notes.append(
                RowNote(
                    line=line,
                    code="merged_down",
                    message=gettext(
                        "Line %(line)s: the cell in column %(column)s is merged with "
                        "the cells below it; its text was kept in this row only."
                    )
                    % {"line": line, "column": column + 1},
                )
            )

    def _merge_warning(self) -> list[str]:
        if not self.merged:
            return []
        return [
            gettext(
                "Cells merged over several rows keep their text in the first row "
                "only (lines %(lines)s): check the rows below them."
            )
            % {"lines": ", ".join(str(n) for n in sorted(set(self.merged)))}
        ]


def _read_docx(data: bytes) -> _Source | list[str]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" not in str(exc):
            raise
        # A template (.dotx) or a macro-enabled document (.docm).
        raise _wrong_type(
            gettext("a Word template or macro-enabled document; save it as .docx")
        ) from exc
    return _DocxReader(document.element.body).read()


def _docx_document(
    found: _Source | list[str], mapping: list[str | None] | None
) -> ParsedDocument:
    if isinstance(found, _Source):
        return _build(found, mapping)
    if not any(line.strip() for line in found):
        raise ParseError(
            "empty", gettext("The Word document is empty: it holds no text.")
        )
    # No Word table: the roadmap may be typed as tab-separated paragraphs.
    try:
        return parse_document("\n".join(found), mapping=mapping)
    except ParseError as exc:
        if exc.code in ("no_table", "empty", "binary"):
            raise ParseError(
                "no_table",
                gettext(
                    "The Word document contains no roadmap table: no table in it has "
                    "a header row with columns such as «№», «Мероприятие», «Сроки» "
                    "and «Ответственные»."
                ),
            ) from exc
        raise


# --- text -----------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, list[str]]:
    """Decode a text file: UTF-8 (or UTF-16 with a BOM), else Windows-1251."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), []
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise ParseError(
            "encoding",
            gettext(
                "The file is neither UTF-8 nor Windows-1251 text: save it as UTF-8 "
                "and upload it again."
            ),
        ) from exc
    return text, [
        gettext("The file is not in UTF-8; it was read as Windows-1251 (Cyrillic).")
    ]


# --- the entry point ------------------------------------------------------


def _build(source: _Source, mapping: list[str | None] | None) -> ParsedDocument:
    return build_document(
        source.above,
        source.header,
        source.rows,
        mapping=mapping,
        notes=source.notes,
        warnings=source.warnings,
    )


def parse_file(
    data: bytes, filename: str = "", *, mapping: list[str | None] | None = None
) -> ParsedDocument:
    """Read an uploaded .xlsx, .docx or text file; raise ParseError if it cannot be."""
    limit = settings.ROADMAP_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ParseError(
            "too_large",
            gettext("The file is too large: %(size)s bytes, the limit is %(limit)s.")
            % {"size": len(data), "limit": limit},
        )
    kind = detect_format(data, filename)
    if kind == "text":
        if filename and not data.strip():
            raise ParseError("empty", gettext("The file is empty."))
        text, decode_warnings = _decode(data)
        document = parse_document(text, mapping=mapping)
        document.warnings[:0] = decode_warnings
        return document
    _check_archive(data)
    try:
        found = _read_xlsx(data) if kind == "xlsx" else _read_docx(data)
    except ParseError:
        raise
    except Exception as exc:
        # Whatever openpyxl or python-docx trip over in a damaged file.
        raise _corrupt() from exc
    if isinstance(found, _Source) and kind == "xlsx":
        return _build(found, mapping)
    return _docx_document(found, mapping)
