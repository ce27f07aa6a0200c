"""Read a roadmap deadline («Сроки») as calendar date ranges.

The text always stays as written; this module only adds what it means, for
sorting, overdue alerts and calendars. A phrase is read only when every word
of it is understood: anything else gives no date, never a guess. Pure Python:
no Django, no database.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Self

from django.utils.translation import gettext

from roadmaps.ru_dates import month_number

type DateRange = tuple[date, date]


@dataclass(frozen=True)
class Deadline:
    """A deadline as written and the date ranges it stands for."""

    text: str
    ranges: tuple[DateRange, ...] = ()

    def __post_init__(self) -> None:
        for start, end in self.ranges:
            if start > end:
                raise ValueError(f"Range starts after it ends: {start} > {end}")

    @property
    def recognised(self) -> bool:
        """Whether the text was understood as at least one date range."""
        return bool(self.ranges)

    @property
    def start(self) -> date | None:
        """Return the earliest start of all ranges, or None for no date."""
        return min((start for start, _ in self.ranges), default=None)

    @property
    def end(self) -> date | None:
        """Return the latest end of all ranges, or None for no date."""
        return max((end for _, end in self.ranges), default=None)

    def as_json(self) -> list[list[str]]:
        """Return the ranges as [["YYYY-MM-DD", "YYYY-MM-DD"], ...]."""
        return [[start.isoformat(), end.isoformat()] for start, end in self.ranges]

    @classmethod
    def from_json(cls, text: str, data: list[list[str]]) -> Self:
        """Rebuild a deadline from its text and the output of as_json."""
        return cls(
            text=text,
            ranges=tuple(
                (date.fromisoformat(start), date.fromisoformat(end))
                for start, end in data
            ),
        )

    def describe(self) -> str:
        """Render the ranges as «01.03.2021 – 30.04.2021; …» in Russian style."""
        if not self.ranges:
            return gettext("date not recognised")
        return "; ".join(_describe_range(start, end) for start, end in self.ranges)


def _describe_range(start: date, end: date) -> str:
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def interpret_deadline(
    text: str, *, year: int, period: DateRange | None = None
) -> Deadline:
    """Understand a Russian deadline phrase; unreadable text gives no date."""
    if period is None:
        period = (date(year, 1, 1), date(year, 12, 31))
    if period[0] > period[1]:
        raise ValueError(f"Period starts after it ends: {period[0]} > {period[1]}")
    tokens = _tokenise(text)
    ranges: list[DateRange] | None = None
    if tokens:
        for reader in _READERS:
            ranges = reader(_Cursor(tokens), year, period)
            if ranges is not None:
                break
    return Deadline(text=text, ranges=tuple(ranges or ()))


# --- tokens ---------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# Glued spellings such as «Декабрь2021-январь2022» read like spaced ones.
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_TOKEN = re.compile(
    r"(?P<date>\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}))(?!\d)"
    r"|(?P<num>\d+)"
    r"|(?P<word>[^\W\d_]+)\.?"  # a dot after a word is an abbreviation: «г.»
    r"|(?P<sep>[-,;])"
    r"|(?P<space>\s+)"
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "date", "num", "word" or "sep"
    text: str


def _tokenise(text: str) -> list[_Token] | None:
    """Split a phrase into tokens; None if it holds a character never used."""
    s = text.lower().replace("ё", "е").replace("\xa0", " ")
    s = _DASHES.sub("-", s)
    s = _DIGIT_LETTER.sub(" ", s)
    s = s.strip().rstrip(". ").strip()
    tokens: list[_Token] = []
    pos = 0
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if m is None:
            return None
        pos = m.end()
        kind = m.lastgroup
        if kind == "space":
            continue
        tokens.append(_Token(kind, m.group(kind)))
    return tokens


class _Cursor:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, offset: int = 0) -> _Token | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    def take_word(self, *words: str) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text in words:
            self.i += 1
            return token.text
        return None

    def take_words(self, *words: str) -> bool:
        """Consume exactly this sequence of words, or nothing."""
        for offset, word in enumerate(words):
            token = self.peek(offset)
            if token is None or token.kind != "word" or token.text != word:
                return False
        self.i += len(words)
        return True

    def take_sep(self, *seps: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "sep" and token.text in seps:
            self.i += 1
            return True
        return False


_YEAR_WORDS = ("г", "гг", "год", "года", "году")


def _take_year(cur: _Cursor) -> int | None:
    token = cur.peek()
    if token is None or token.kind != "num" or len(token.text) != 4:
        return None
    value = int(token.text)
    if not 1900 <= value <= 2100:
        return None
    cur.take()
    cur.take_word(*_YEAR_WORDS)
    return value


# --- dates ----------------------------------------------------------------


def _month_range(y: int, m: int) -> DateRange:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass
class _Point:
    """A month, or a day of a month, whose year may still be unknown."""

    month: int
    day: int | None = None
    year: int | None = None

    def first(self, y: int) -> date | None:
        return _safe_date(y, self.month, self.day or 1)

    def last(self, y: int) -> date | None:
        # A year chained past New Year can leave the calendar («31.12.9999-январь»).
        day = self.day or calendar.monthrange(y, self.month)[1]
        return _safe_date(y, self.month, day)


def _take_point(cur: _Cursor) -> _Point | None:
    token = cur.peek()
    if token is None:
        return None
    if token.kind == "date":
        cur.take()
        d, m, y = (int(part) for part in token.text.split("."))
        y = y + 2000 if y < 100 else y
        cur.take_word(*_YEAR_WORDS)
        if _safe_date(y, m, d) is None:
            return None
        return _Point(month=m, day=d, year=y)
    if token.kind == "num" and len(token.text) <= 2:
        after = cur.peek(1)
        month = month_number(after.text) if after and after.kind == "word" else None
        if month is None or not 1 <= int(token.text) <= 31:
            return None
        cur.i += 2
        return _Point(month=month, day=int(token.text), year=_take_year(cur))
    if token.kind == "word":
        month = month_number(token.text)
        if month is None:
            return None
        cur.take()
        return _Point(month=month, year=_take_year(cur))
    return None


# --- readers: each one reads a whole phrase or returns None ---------------


# Whole phrases that name the plan period or the plan year without a date.
_FIXED_PHRASES = {
    "весь период": "period",
    "в течение всего периода": "period",
    "в течение периода": "period",
    "на протяжении всего периода": "period",
    "постоянно": "period",
    "в течение года": "year",
    "в течение всего года": "year",
    "весь год": "year",
}


def _read_fixed(cur: _Cursor, year: int, period: DateRange) -> list[DateRange] | None:
    if any(token.kind != "word" for token in cur.tokens):
        return None
    meaning = _FIXED_PHRASES.get(" ".join(token.text for token in cur.tokens))
    if meaning == "period":
        return [period]
    if meaning == "year":
        return [(date(year, 1, 1), date(year, 12, 31))]
    return None


def _read_year(cur: _Cursor, year: int, period: DateRange) -> list[DateRange] | None:
    if not cur.take_words("в", "течение"):
        cur.take_word("в", "во")
    first = _take_year(cur)
    if first is None:
        return None
    last = first
    if cur.take_sep("-"):
        last = _take_year(cur)
        if last is None or last < first:
            return None
    if not cur.at_end():
        return None
    return [(date(first, 1, 1), date(last, 12, 31))]


def _read_until(cur: _Cursor, year: int, period: DateRange) -> list[DateRange] | None:
    if not (cur.take_word("до") or cur.take_words("не", "позднее")):
        return None
    point = _take_point(cur)
    if point is None or point.day is None or not cur.at_end():
        return None
    end = point.last(point.year if point.year is not None else year)
    if end is None:
        return None
    start = period[0] if period[0] <= end else date(end.year, 1, 1)
    return [(start, end)]


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL_WORD = re.compile(
    r"(перв|втор|трет|четверт)(?:ый|ой|ий|ое|ье|ом|ем|ьем|ого|его|ьего)"
)
_ORDINAL_STEMS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_ORDINAL_SUFFIXES = ("й", "ый", "ой", "ий", "е", "ое", "ом", "ем", "го", "ого")
_QUARTER_WORDS = ("квартал", "квартала", "квартале", "кв")
_HALF_WORDS = ("полугодие", "полугодия", "полугодии", "полугодье")


def _take_ordinal(cur: _Cursor) -> int | None:
    token = cur.peek()
    if token is None:
        return None
    if token.kind == "num" and len(token.text) == 1:
        cur.take()
        # «1-й квартал», «2-е полугодие»
        after = cur.peek(1)
        if (
            cur.peek() == _Token("sep", "-")
            and after is not None
            and after.kind == "word"
            and after.text in _ORDINAL_SUFFIXES
        ):
            cur.i += 2
        return int(token.text)
    if token.kind == "word":
        if token.text in _ROMAN:
            cur.take()
            return _ROMAN[token.text]
        m = _ORDINAL_WORD.fullmatch(token.text)
        if m:
            cur.take()
            return _ORDINAL_STEMS[m.group(1)]
    return None


def _read_part_of_year(
    cur: _Cursor, year: int, period: DateRange
) -> list[DateRange] | None:
    cur.take_word("в", "во")
    number = _take_ordinal(cur)
    if number is None:
        return None
    if cur.take_word(*_QUARTER_WORDS):
        months = 3
    elif cur.take_word(*_HALF_WORDS):
        months = 6
    else:
        return None
    if not 1 <= number <= 12 // months:
        return None
    explicit = _take_year(cur)
    if not cur.at_end():
        return None
    y = explicit if explicit is not None else year
    first_month = (number - 1) * months + 1
    return [
        (
            _month_range(y, first_month)[0],
            _month_range(y, first_month + months - 1)[1],
        )
    ]


def _read_list(cur: _Cursor, year: int, period: DateRange) -> list[DateRange] | None:
    """Months, days and ranges of them separated by commas or «и»."""
    cur.take_word("в", "во")
    items: list[tuple[_Point, _Point | None]] = []
    while True:
        if cur.take_word("с"):
            first = _take_point(cur)
            second = _take_point(cur) if cur.take_word("по") else None
            if first is None or second is None:
                return None
        else:
            first = _take_point(cur)
            if first is None:
                return None
            second = None
            if cur.take_sep("-"):
                second = _take_point(cur)
                if second is None:
                    return None
        items.append((first, second))
        if cur.at_end():
            break
        if not (cur.take_sep(",", ";") or cur.take_word("и")):
            return None
    points = [p for pair in items for p in pair if p is not None]
    years = _resolve_years(points, year, period)
    if years is None:
        return None
    for point, y in zip(points, years, strict=True):
        point.year = y
    ranges: list[DateRange] = []
    for first, second in items:
        last_point = second or first
        start = first.first(first.year)
        end = last_point.last(last_point.year)
        if start is None or end is None or start > end:
            return None
        ranges.append((start, end))
    return ranges


def _chain_years(points: list[_Point], anchor: int, anchor_year: int) -> list[int]:
    """Give unknown years to points on both sides of a point of known year.

    The phrase is read as chronological: a month earlier than the one before
    it starts the next year («декабрь-январь»), and a month later than the
    one after it belongs to the previous year («Декабрь-январь 2022»).
    """
    years: list[int | None] = [p.year for p in points]
    years[anchor] = anchor_year
    for i in range(anchor + 1, len(points)):
        if years[i] is None:
            rollover = points[i].month < points[i - 1].month
            years[i] = years[i - 1] + rollover
    for i in range(anchor - 1, -1, -1):
        if years[i] is None:
            rollover = points[i].month > points[i + 1].month
            years[i] = years[i + 1] - rollover
    return years


def _resolve_years(
    points: list[_Point], year: int, period: DateRange
) -> list[int] | None:
    known = [i for i, p in enumerate(points) if p.year is not None]
    if known:
        # Chaining forward restarts at every written year, so the first one
        # is enough to anchor the whole phrase.
        return _chain_years(points, known[0], points[known[0]].year)
    forward = _chain_years(points, 0, year)
    backward = _chain_years(points, len(points) - 1, year)
    if forward == backward:
        return forward
    # Without any year a phrase that crosses New Year could sit on either
    # side of it: only the plan period can tell which one is meant.
    fitting = [years for years in (forward, backward) if _inside(points, years, period)]
    return fitting[0] if len(fitting) == 1 else None


def _inside(points: list[_Point], years: list[int], period: DateRange) -> bool:
    for point, y in zip(points, years, strict=True):
        first, last = point.first(y), point.last(y)
        if first is None or last is None:
            return False
        if first < period[0] or last > period[1]:
            return False
    return True


_READERS = (_read_fixed, _read_year, _read_until, _read_part_of_year, _read_list)
