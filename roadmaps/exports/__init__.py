"""Print-ready files of an order with its roadmap appendix (.xlsx and .docx).

This module gathers what is printed, in a constant number of queries, so that
both formats show the same words; `layout` holds the shared measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..models import Order, OrderClause, RoadmapEdition
from ..ru_dates import format_date_long
from ..selectors import edition_for_display, edition_rows
from ..workflow import appendix_header
from .layout import TableLayout, table_layout

# The order's own Russian wording, like the month names of ru_dates: a Russian
# order keeps it whatever the interface language. The importer removed the
# word from the stored preamble, so it is put back as the seeds write it.
DIRECTIVE = "приказываю:"
DIRECTIVE_SPACED = "п р и к а з ы в а ю:"
DEFAULT_KIND = "ПРИКАЗ"

_SPACED = re.compile(r"^(?:\w\s)+\w$")
_HAS_DIRECTIVE = re.compile(
    r"п\s*р\s*и\s*к\s*а\s*з\s*ы\s*в\s*а\s*ю\s*:?\s*$", re.IGNORECASE
)

# Activity attribute printed in each kind of column.
CELL_FIELDS = {
    "number": "number",
    "title": "title",
    "description": "description",
    "deadline": "deadline_text",
    "responsible": "responsible_text",
    "indicator": "indicator_text",
}


@dataclass
class PrintedClause:
    depth: int
    text: str


@dataclass
class PrintedOrder:
    """The words of an order as they are printed, block by block."""

    issuer: str
    kind: str
    date: str
    number: str
    place: str
    title: str
    preamble: str
    directive: str  # on a line of its own (the spaced form); else in the preamble
    clauses: list[PrintedClause]
    signatory_position: str
    signatory_name: str


@dataclass
class PrintedRow:
    kind: str  # "section" or "activity"
    cells: list[str]


@dataclass
class PrintedEdition:
    """An order (if any) and the plan it approves, ready to lay out."""

    edition: RoadmapEdition
    order: PrintedOrder | None
    appendix: str
    title: str
    keys: list[str]
    headers: list[str]
    rows: list[PrintedRow] = field(default_factory=list)

    def layout(self) -> TableLayout:
        """The table's widths, orientation and font size for these texts."""
        columns = [
            [row.cells[index] for row in self.rows if row.kind == "activity"]
            for index in range(len(self.keys))
        ]
        return table_layout(self.keys, columns, self.headers)


def _is_spaced(word: str) -> bool:
    return bool(_SPACED.match(word.strip()))


def _kind_word(order: Order) -> str:
    kind = (order.kind_text or "").strip()
    return kind.upper() if kind else DEFAULT_KIND


def _preamble_and_directive(order: Order, spaced: bool) -> tuple[str, str]:
    preamble = (order.preamble or "").strip()
    if not order.text_loaded and not preamble:
        return "", ""
    if _HAS_DIRECTIVE.search(preamble):
        return preamble, ""
    if spaced or not preamble:
        return preamble, DIRECTIVE_SPACED if spaced else DIRECTIVE
    return f"{preamble.rstrip(' ,')}, {DIRECTIVE}", ""


def _clauses(order: Order) -> list[PrintedClause]:
    clauses = sorted(order.clauses.all(), key=lambda c: c.position)
    depth: dict[int, int] = {}
    printed = []
    for clause in clauses:
        level = depth.get(clause.parent_id, -1) + 1 if clause.parent_id else 0
        depth[clause.pk] = level
        text = f"{clause.number} {clause.text}".strip()
        printed.append(PrintedClause(depth=level, text=text))
    return printed


def printed_order(order: Order) -> PrintedOrder:
    """The order's words; one known only by reference prints what is known."""
    kind = _kind_word(order)
    spaced = _is_spaced(kind)
    preamble, directive = _preamble_and_directive(order, spaced)
    return PrintedOrder(
        issuer=(order.issuer_text or "").strip() or order.issuer.name,
        kind=kind,
        date=format_date_long(order.date),
        number=f"№ {order.number.strip()}",
        place=(order.place or "").strip(),
        title=(order.title or "").strip(),
        preamble=preamble,
        directive=directive,
        clauses=_clauses(order),
        signatory_position=(order.signatory_position or "").strip(),
        signatory_name=(order.signatory_name or "").strip(),
    )


def _appendix_text(edition: RoadmapEdition, first_order: Order | None) -> str:
    if edition.appendix_text.strip():
        return edition.appendix_text
    order = edition.approving_order
    if order is None:
        return ""
    return appendix_header(order=order, first_order=first_order)


def _first_order(edition: RoadmapEdition) -> Order | None:
    """The order that approved the plan's first edition (for «в ред. от …»)."""
    if edition.appendix_text.strip() or edition.approving_order is None:
        return None
    if edition.replaces_id is None:
        return None
    first = (
        RoadmapEdition.objects.filter(
            roadmap_id=edition.roadmap_id, approving_order__isnull=False
        )
        .select_related("approving_order__issuer")
        .order_by("number")
        .first()
    )
    return first.approving_order if first else None


def load_edition(edition: RoadmapEdition) -> RoadmapEdition:
    """The edition with its plan, order, issuer, clauses and rows: constant queries."""
    clauses = OrderClause.objects.order_by("position")
    loaded = (
        RoadmapEdition.objects.select_related(
            "roadmap", "approving_order", "approving_order__issuer"
        )
        .prefetch_related(Prefetch("approving_order__clauses", queryset=clauses))
        .get(pk=edition.pk)
    )
    return edition_for_display(edition=loaded)


def cell_text(activity, key: str) -> str:
    """The stored text of one activity cell, exactly as written."""
    name = CELL_FIELDS.get(key)
    return (getattr(activity, name, "") or "") if name else ""


def printed_edition(edition: RoadmapEdition, *, plan_only=False) -> PrintedEdition:
    """Everything the export prints for an edition, loaded in constant queries.

    `plan_only` leaves out the order and the appendix header: the plan alone.
    """
    edition = load_edition(edition)
    order = None if plan_only else edition.approving_order
    columns = edition.columns or [{"key": "title", "header": ""}]
    keys = [str(c.get("key", "")) for c in columns]
    printed = PrintedEdition(
        edition=edition,
        order=printed_order(order) if order is not None else None,
        appendix="" if plan_only else _appendix_text(edition, _first_order(edition)),
        title=edition.roadmap.title.strip(),
        keys=keys,
        headers=[str(c.get("header", "")) for c in columns],
    )
    for kind, item in edition_rows(edition):
        if kind == "section":
            text = f"{item.number} {item.title}".strip()
            printed.rows.append(PrintedRow("section", [text]))
        else:
            printed.rows.append(
                PrintedRow("activity", [cell_text(item, k) for k in keys])
            )
    return printed


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m",
            "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch",
            "", "y", "", "e", "yu", "ya",
        ],
        strict=True,
    )
)  # fmt: skip


def transliterate(text: str) -> str:
    """Russian letters in Latin ones (дорожная → dorozhnaya)."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def _slug(text: str) -> str:
    ascii_text = transliterate(text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9-]+", "_", ascii_text)
    return re.sub(r"_+", "_", slug).strip("_-")


def export_filename(edition: RoadmapEdition, ext: str) -> str:
    """A safe ASCII file name: prikaz_43_2021-03-05_prilozhenie.xlsx and the like."""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower()) or "bin"
    order = edition.approving_order
    if order is not None:
        number = _slug(order.number) or "b_n"
        return f"prikaz_{number}_{order.date.isoformat()}_prilozhenie.{ext}"
    suffix = f"_red{edition.number}" if edition.number > 1 else ""
    return f"dorozhnaya_karta_{edition.roadmap_id}{suffix}.{ext}"
