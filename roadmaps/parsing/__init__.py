"""Read a pasted order and its roadmap table into plain dataclasses (no database)."""

from .document import parse_document
from .model import (
    Appendix,
    Clause,
    Column,
    ColumnKey,
    OrderReference,
    ParsedActivity,
    ParsedDocument,
    ParsedOrder,
    ParsedSection,
    ParseError,
    RowNote,
)
from .table import find_header

__all__ = [
    "Appendix",
    "Clause",
    "Column",
    "ColumnKey",
    "OrderReference",
    "ParseError",
    "ParsedActivity",
    "ParsedDocument",
    "ParsedOrder",
    "ParsedSection",
    "RowNote",
    "find_header",
    "parse_document",
]
