"""Read the order text above a roadmap table: header, preamble, clauses, signature."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext

from roadmaps.ru_dates import parse_date

from .citations import (
    AMENDED,
    NOT_LETTER_AFTER,
    NOT_LETTER_BEFORE,
    find_references,
    number_text,
    read_appendix,
    same_number,
)
from .model import Appendix, Clause, ParsedOrder
from .table import clean_text

_KIND = re.compile(
    r"^(?P<kind>п\s?р\s?и\s?к\s?а\s?з)" + NOT_LETTER_AFTER + r"\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DIRECTIVE = re.compile(
    NOT_LETTER_BEFORE
    + r"п\s*р\s*и\s*к\s*а\s*з\s*ы\s*в\s*а\s*ю"
    + NOT_LETTER_AFTER
    + r"\s*:?",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"^(?:г\.|город\s|п\.\s*г\.\s*т\.|пгт\.?\s|пос\.|п\.|с\.|д\.|ст\.|ст-ца\s|р\.\s*п\.|"
    r"рп\s|х\.)\s*[А-ЯЁ]"
)
_MAX_HEADER_ITEM = 50
_PREAMBLE_OPENER = re.compile(
    r"^(?:на основании|в целях|в соответствии|во исполнение|в связи|руководствуясь"
    r"|согласно|с целью|в рамках)",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    r"^(?:[-–—•]\s*)?(?P<number>\d{1,2}(?:\.\d{1,2})*[.)]?)\s*(?P<text>[^\W\d_«\"(].*)$"
)
_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.\s?)?"
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_NAME = re.compile(rf"(?:{_INITIALS}{_SURNAME}|{_SURNAME}\s{_INITIALS})")
_FIELD_GAP = re.compile(r"\t|\s{3,}")
_APPENDIX_START = re.compile(
    r"^(?:приложение|утвержден[аоы]?)" + NOT_LETTER_AFTER, re.IGNORECASE
)
_AMENDING = re.compile(
    r"внесени[иея]\s+изменени|внести\s.*изменени|в\s+новой\s+редакции", re.IGNORECASE
)


@dataclass
class OrderText:
    """What the text above the table holds: the order, the plan title, warnings."""

    order: ParsedOrder | None
    title: str | None
    warnings: list[str] = field(default_factory=list)


def _name_split(raw: str) -> tuple[str, str] | None:
    """Split a signature line into (position part, name), or None if no name."""
    text = clean_text(raw)[0]
    if _NAME.fullmatch(text):
        return "", text
    parts = [clean_text(p)[0] for p in _FIELD_GAP.split(raw)]
    parts = [p for p in parts if p]
    if len(parts) > 1 and _NAME.fullmatch(parts[-1]):
        return " ".join(parts[:-1]), parts[-1]
    return None


def _parts(number: str) -> list[int]:
    return [int(p) for p in re.findall(r"\d+", number)]


class _OrderReader:
    def __init__(self, lines: list[str]) -> None:
        self.raw = list(lines)
        self.text = [clean_text(raw)[0] for raw in self.raw]
        self.warnings: list[str] = []

    def _warn(self, message: str) -> None:
        self.warnings.append(message)

    def _kind_line(self) -> int | None:
        for index, text in enumerate(self.text):
            match = _KIND.match(text)
            if match and (not match["rest"] or "№" in match["rest"]):
                return index
        return None

    def read(self) -> OrderText:
        kind_at = self._kind_line()
        if kind_at is None:
            appendix, title = self._appendix_and_title(0)
            if appendix:
                self._warn(
                    gettext(
                        "The text above the table has an appendix header but no order; "
                        "the header «%(text)s» was not imported."
                    )
                    % {"text": appendix.text.replace("\n", " ")}
                )
            return OrderText(order=None, title=title, warnings=self.warnings)
        kind_match = _KIND.match(self.text[kind_at])
        kind_text = kind_match["kind"]
        issuer = "\n".join(t for t in self.text[:kind_at] if t) or None
        order = ParsedOrder(
            issuer=issuer,
            kind_text=kind_text,
            date=None,
            date_text="",
            number=None,
            place=None,
            title="",
            preamble="",
        )
        if kind_match["rest"]:
            self._header_item(kind_match["rest"], order)
        index = self._read_header(kind_at + 1, order)
        index = self._read_title(index, order)
        index = self._read_preamble(index, order)
        index = self._read_clauses_and_signature(index, order)
        order.appendix, title = self._appendix_and_title(index)
        order.references = find_references(order.preamble)
        self._find_amended(order)
        self._check(order)
        return OrderText(order=order, title=title, warnings=self.warnings)

    def _header_item(self, raw: str, order: ParsedOrder) -> bool:
        """Take a date, № or place line below the order word; False if it is none."""
        found: dict[str, str] = {}
        for segment in (clean_text(p)[0] for p in _FIELD_GAP.split(raw)):
            if not segment:
                continue
            if "№" in segment:
                before, after = segment.split("№", 1)
                found["number"] = number_text(after)
                segment = before.strip()
                if not segment:
                    continue
            if (
                "date" not in found
                and not order.date_text
                and len(segment) <= _MAX_HEADER_ITEM
                and parse_date(segment)
            ):
                found["date"] = segment
            elif (
                "place" not in found
                and order.place is None
                and len(segment) <= _MAX_HEADER_ITEM
                and _PLACE.match(segment)
            ):
                found["place"] = segment
            else:
                return False
        if "number" in found and order.number is not None:
            return False
        if "date" in found:
            order.date_text = found["date"]
            order.date = parse_date(found["date"])
        order.number = found.get("number", order.number)
        order.place = found.get("place", order.place)
        return bool(found)

    def _read_header(self, index: int, order: ParsedOrder) -> int:
        while index < len(self.text):
            if self.text[index] and not self._header_item(self.raw[index], order):
                break
            index += 1
        if order.date is None:
            self._warn(
                gettext("The date of the order was not found under «%(kind)s».")
                % {"kind": order.kind_text}
            )
        if order.number is None:
            self._warn(
                gettext("The number of the order was not found under «%(kind)s».")
                % {"kind": order.kind_text}
            )
        if order.issuer is None:
            self._warn(
                gettext("The order names no issuing body above «%(kind)s».")
                % {"kind": order.kind_text}
            )
        return index

    def _read_title(self, index: int, order: ParsedOrder) -> int:
        lines: list[str] = []
        while index < len(self.text):
            text = self.text[index]
            if not text:
                if lines:
                    break
                index += 1
                continue
            if _PREAMBLE_OPENER.match(text) or _DIRECTIVE.search(text):
                break
            lines.append(text)
            index += 1
        order.title = " ".join(lines)
        if not order.title:
            self._warn(gettext("The title of the order was not found."))
        return index

    def _read_preamble(self, index: int, order: ParsedOrder) -> int:
        directive_at = next(
            (
                i
                for i in range(index, len(self.text))
                if _DIRECTIVE.search(self.text[i])
            ),
            None,
        )
        if directive_at is None:
            start = index
            while (
                index < len(self.text)
                and not _CLAUSE.match(self.text[index])
                and _name_split(self.raw[index]) is None
            ):
                index += 1
            if index < len(self.text) and not _CLAUSE.match(self.text[index]):
                # Stopped at the signatory: leave the position block above it.
                block = index
                while block > start and not self.text[block - 1]:
                    block -= 1
                while block > start and self.text[block - 1]:
                    block -= 1
                index = block if block > start else index
            order.preamble = "\n".join(t for t in self.text[start:index] if t)
            self._warn(
                gettext(
                    "The order has no «приказываю:»; the paragraphs before the first "
                    "numbered clause were read as its preamble."
                )
            )
            return index
        lines = [t for t in self.text[index:directive_at] if t]
        text = self.text[directive_at]
        match = _DIRECTIVE.search(text)
        head = text[: match.start()].rstrip(" ,")
        if head:
            lines.append(head)
        order.preamble = "\n".join(lines)
        tail = text[match.end() :].strip()
        if tail:
            # «ПРИКАЗЫВАЮ: 1. Утвердить …» on one line: the clause starts here.
            self.text[directive_at] = tail
            self.raw[directive_at] = tail
            return directive_at
        return directive_at + 1

    def _read_clauses_and_signature(self, index: int, order: ParsedOrder) -> int:
        name_at = None
        for i in range(index, len(self.text)):
            split = _name_split(self.raw[i]) if self.text[i] else None
            if split is not None:
                name_at, (inline_position, order.signatory_name) = i, split
                break
        if name_at is None:
            self._warn(
                gettext(
                    "The signatory's name was not found under the order; the text "
                    "after its clauses was read as the plan title."
                )
            )
            return self._read_clauses(index, len(self.text), order, bounded=False)
        position_start = name_at
        while position_start > index and not self.text[position_start - 1]:
            position_start -= 1
        block_end = position_start
        while (
            position_start > index
            and self.text[position_start - 1]
            and not _CLAUSE.match(self.text[position_start - 1])
        ):
            position_start -= 1
        position = [t for t in self.text[position_start:block_end] if t]
        if inline_position:
            position.append(inline_position)
        order.signatory_position = "\n".join(position)
        self._read_clauses(index, position_start, order, bounded=True)
        return name_at + 1

    def _read_clauses(
        self, index: int, end: int, order: ParsedOrder, *, bounded: bool
    ) -> int:
        """Read numbered clauses up to end; unbounded, stop at unnumbered text."""
        stack: list[tuple[list[int], Clause]] = []
        current: Clause | None = None
        after_blank = False
        while index < end:
            text = self.text[index]
            if not text:
                after_blank = True
                index += 1
                continue
            match = _CLAUSE.match(text)
            if match:
                clause = Clause(number=match["number"], text=match["text"])
                parts = _parts(clause.number)
                while stack and stack[-1][0] != parts[: len(stack[-1][0])]:
                    stack.pop()
                if stack and len(stack[-1][0]) < len(parts):
                    stack[-1][1].children.append(clause)
                else:
                    order.clauses.append(clause)
                stack.append((parts, clause))
                current = clause
            elif current is not None and (bounded or not after_blank):
                current.text = f"{current.text} {text}"
            elif current is None and bounded:
                current = Clause(number="", text=text)
                order.clauses.append(current)
            else:
                break
            after_blank = False
            index += 1
        return index

    def _appendix_and_title(self, index: int) -> tuple[Appendix | None, str | None]:
        while index < len(self.text) and not self.text[index]:
            index += 1
        appendix = None
        if index < len(self.text) and _APPENDIX_START.match(self.text[index]):
            end = index
            while end < len(self.text) and self.text[end]:
                end += 1
            block = self.text[index:end]
            # The plan title may follow the header without a blank line.
            cited = [i for i, t in enumerate(block) if "№" in t or AMENDED.search(t)]
            if cited:
                block = block[: cited[-1] + 1]
            appendix = read_appendix(block)
            index += len(block)
        title = " ".join(t for t in self.text[index:] if t)
        return appendix, title or None

    def _find_amended(self, order: ParsedOrder) -> None:
        texts = [order.title]
        pending = list(order.clauses)
        while pending:
            clause = pending.pop(0)
            texts.append(clause.text)
            pending[:0] = clause.children
        if not any(_AMENDING.search(t) for t in texts):
            return
        for text in texts[1:]:
            found = find_references(text)
            if found:
                order.amends = found[0]
                return
        self._warn(
            gettext(
                "The order amends a plan, but the order that approved it was not found "
                "in the clauses."
            )
        )

    def _check(self, order: ParsedOrder) -> None:
        appendix = order.appendix
        if appendix is None:
            return
        cited, cited_on = appendix.order_number, appendix.order_date
        if appendix.amended_number or appendix.amended_date:
            cited, cited_on = appendix.amended_number, appendix.amended_date
        if cited and order.number and same_number(cited, order.number):
            if cited_on and order.date and cited_on != order.date:
                self._warn(
                    gettext(
                        "The appendix header dates order № %(number)s %(cited)s, but "
                        "the order is dated %(date)s."
                    )
                    % {
                        "number": order.number,
                        "cited": _dmy(cited_on),
                        "date": _dmy(order.date),
                    }
                )
        elif cited and order.number:
            self._warn(
                gettext(
                    "The appendix header cites order № %(cited)s, but the order above "
                    "is № %(number)s."
                )
                % {"cited": cited, "number": order.number}
            )


def _dmy(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def read_order(lines: list[str]) -> OrderText:
    """Read the lines above the table header: the order, if any, and the plan title."""
    return _OrderReader(lines).read()
