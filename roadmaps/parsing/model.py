"""What the roadmap reader returns: plain dataclasses, no database."""

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class ColumnKey(StrEnum):
    """The meaning of a roadmap table column."""

    NUMBER = "number"
    TITLE = "title"
    DESCRIPTION = "description"
    DEADLINE = "deadline"
    RESPONSIBLE = "responsible"
    INDICATOR = "indicator"
    IGNORE = "ignore"


@dataclass
class Column:
    """A table column: its meaning, its header as written, its source position."""

    key: ColumnKey
    header: str
    index: int


@dataclass
class RowNote:
    """One entry of the per-row report: what the reader did with a source line."""

    line: int
    code: str
    message: str


@dataclass
class ParsedActivity:
    """One activity row, continuation lines already joined."""

    number: str | None
    title: str
    description: str
    deadline_text: str
    responsible: str
    indicator: str
    line: int
    notes: list[RowNote] = field(default_factory=list)

    def as_json(self) -> dict:
        """Return the activity as a JSON-ready dict."""
        return {
            "number": self.number,
            "title": self.title,
            "description": self.description,
            "deadline_text": self.deadline_text,
            "responsible": self.responsible,
            "indicator": self.indicator,
            "line": self.line,
        }


@dataclass
class ParsedSection:
    """A section heading row and the activities under it (title None: no heading)."""

    title: str | None
    number: str | None
    line: int | None
    activities: list[ParsedActivity] = field(default_factory=list)

    def as_json(self) -> dict:
        """Return the section as a JSON-ready dict."""
        return {
            "title": self.title,
            "number": self.number,
            "activities": [a.as_json() for a in self.activities],
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class OrderReference:
    """An order or letter cited by another order."""

    text: str
    issuer: str
    date: date | None
    number: str | None
    title: str | None

    def as_json(self) -> dict:
        """Return the reference as a JSON-ready dict."""
        return {
            "text": self.text,
            "issuer": self.issuer,
            "date": _iso(self.date),
            "number": self.number,
            "title": self.title,
        }


@dataclass
class Clause:
    """A numbered clause of an order with its sub-clauses."""

    number: str
    text: str
    children: list["Clause"] = field(default_factory=list)

    def as_json(self) -> dict:
        """Return the clause and its sub-clauses as a JSON-ready dict."""
        return {
            "number": self.number,
            "text": self.text,
            "children": [c.as_json() for c in self.children],
        }


@dataclass
class Appendix:
    """The appendix header above the plan: «Приложение к приказу … от … № …»."""

    text: str
    order_date: date | None
    order_number: str | None
    amended_date: date | None = None
    amended_number: str | None = None

    def as_json(self) -> dict:
        """Return the appendix header as a JSON-ready dict."""
        return {
            "text": self.text,
            "order_date": _iso(self.order_date),
            "order_number": self.order_number,
            "amended_date": _iso(self.amended_date),
            "amended_number": self.amended_number,
        }


@dataclass
class ParsedOrder:
    """The order text above the table, split into its parts."""

    issuer: str | None
    kind_text: str
    date: date | None
    date_text: str
    number: str | None
    place: str | None
    title: str
    preamble: str
    clauses: list[Clause] = field(default_factory=list)
    signatory_position: str = ""
    signatory_name: str = ""
    references: list[OrderReference] = field(default_factory=list)
    amends: OrderReference | None = None
    appendix: Appendix | None = None

    def as_json(self) -> dict:
        """Return the order as a JSON-ready dict."""
        return {
            "issuer": self.issuer,
            "kind_text": self.kind_text,
            "date": _iso(self.date),
            "date_text": self.date_text,
            "number": self.number,
            "place": self.place,
            "title": self.title,
            "preamble": self.preamble,
            "clauses": [c.as_json() for c in self.clauses],
            "signatory_position": self.signatory_position,
            "signatory_name": self.signatory_name,
            "references": [r.as_json() for r in self.references],
            "amends": self.amends.as_json() if self.amends else None,
            "appendix": self.appendix.as_json() if self.appendix else None,
        }


# «на 2022 год», «в 2021 году», «на 2020-2021 учебный год» (the first year wins).
_YEAR_PHRASE = re.compile(
    r"(?<![^\W\d_])(?:на|в)\s+((?:19|20)\d{2})\s*(?:[-–—]\s*(?:\d{4}|\d{2})\s*)?"
    r"(?:(?:учебн|календарн|финансов)[а-яё]*\s+)?год",
    re.IGNORECASE,
)


def year_in(text: str | None) -> int | None:
    """Return the year a phrase like «на 2022 год» names in text, else None."""
    match = _YEAR_PHRASE.search(text or "")
    return int(match.group(1)) if match else None


@dataclass
class ParsedDocument:
    """An order with its roadmap table, pasted as text or read from a file."""

    order: ParsedOrder | None
    title: str | None
    # The columns that are read, in source order; ignored columns are left out.
    columns: list[Column]
    sections: list[ParsedSection]
    notes: list[RowNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Every header cell of the source table in order, read or ignored; each
    # column's index points into this list.
    source_headers: list[str] = field(default_factory=list)

    def activities(self) -> list[ParsedActivity]:
        """Return all activities in table order."""
        return [a for s in self.sections for a in s.activities]

    def activity_count(self) -> int:
        """Return the number of activities in the table."""
        return sum(len(s.activities) for s in self.sections)

    def plan_year(self) -> int | None:
        """Return the plan's year: from the plan or order title, else the order date."""
        order = self.order
        year = year_in(self.title) or year_in(order.title if order else None)
        if year:
            return year
        if order and order.date:
            return order.date.year
        return None

    def as_json(self) -> dict:
        """Return the document as a JSON-ready dict (notes are left out)."""
        return {
            "order": self.order.as_json() if self.order else None,
            "title": self.title,
            "columns": [{"key": str(c.key), "header": c.header} for c in self.columns],
            "sections": [s.as_json() for s in self.sections],
            "warnings": list(self.warnings),
        }


class ParseError(ValueError):
    """The text cannot be read as a roadmap; code says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
