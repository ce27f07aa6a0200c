"""Find the measurable target in an indicator («Показатель реализации»).

Curators and executors report an actual value against the target, so the
target must be exact: a number counts only when it carries a percent sign or
a comparator such as «не менее». Pure Python: no Django, no database.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from roadmaps.ru_dates import month_number


class Comparator(StrEnum):
    """How the actual value must relate to the target value."""

    GTE = "gte"
    GT = "gt"
    LTE = "lte"
    LT = "lt"
    EQ = "eq"


_COMPARATOR_WORDS = {
    Comparator.GTE: "не менее",
    Comparator.GT: "более",
    Comparator.LTE: "не более",
    Comparator.LT: "менее",
    Comparator.EQ: "",
}


@dataclass(frozen=True)
class Target:
    """A measurable target: value, unit and comparator."""

    value: Decimal
    unit: str
    comparator: Comparator

    def describe(self) -> str:
        """Render the target in Russian, e.g. «не менее 50 консультаций»."""
        parts = [
            _COMPARATOR_WORDS[self.comparator],
            _format_value(self.value),
            self.unit,
        ]
        return " ".join(part for part in parts if part)


def _format_value(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# The longer phrases come first so that «не более» is not read as «более».
_COMPARATOR = re.compile(
    r"(?<!\w)(?:"
    r"(?P<gte>не\s+менее|не\s+ниже|не\s+меньше|как\s+минимум|минимум|≥|>=)"
    r"|(?P<lte>не\s+более|не\s+выше|не\s+больше|не\s+свыше|максимум|≤|<=)"
    r"|(?P<gt>более|свыше|больше|выше|>)"
    r"|(?P<lt>менее|меньше|ниже|<)"
    r"|(?P<eq>=)"
    r")(?:\s*,?\s*чем)?\s*[:\-–—]?\s*$",
    re.IGNORECASE,
)
_GROUP_TO_COMPARATOR = {
    "gte": Comparator.GTE,
    "lte": Comparator.LTE,
    "gt": Comparator.GT,
    "lt": Comparator.LT,
    "eq": Comparator.EQ,
}

_NUMBER = re.compile(
    r"(?<![\w.,№])(?P<int>\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,](?P<frac>\d+))?"
    r"(?![\w])"
)
# «5-8 классов», «2020–2021 учебный год»: a range of numbers is not a target.
_RANGE_AFTER = re.compile(r"\s*[-–—]\s*\d")
_RANGE_BEFORE = re.compile(r"\d\s*[-–—]\s*$")
# «5-ти консультаций»: an inflection written after the digits.
_INFLECTION = re.compile(r"-(?:ти|х|и|ми|ю|й|го|му)(?!\w)")
_PERCENT = re.compile(r"\s*(?:%|процент\w*)", re.IGNORECASE)
_ABBREVIATIONS = re.compile(
    r"\s*(?P<unit>[A-ZА-ЯЁ]{2,}(?:[ \u00a0]+[A-ZА-ЯЁ]{2,})*)(?!\w)"
)
_WORD = re.compile(r"\s*(?P<unit>[^\W\d_]+(?:-[^\W\d_]+)*)")
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}")
_NUMBER_SIGN = re.compile(r"№\s*$")


def _mask_quotes(text: str) -> str:
    """Blank out quoted names: «500+», «Учитель года» hold no targets."""
    out = list(text)
    depth = 0
    for i, char in enumerate(text):
        if char == "«":
            depth += 1
        if depth:
            out[i] = " "
        if char == "»" and depth:
            depth -= 1
    masked = "".join(out)
    # Straight and curly quotes do not say which end they are: pair them up.
    return re.sub(r"[\"“”„][^\"“”„]*[\"“”„]", _blank, masked)


def _blank(m: re.Match[str]) -> str:
    """Keep offsets while hiding a match from the number search."""
    return " " * len(m.group())


def parse_target(text: str) -> Target | None:
    """Return the first measurable target in an indicator, or None."""
    masked = _mask_quotes(text)
    masked = _DATE.sub(_blank, masked)
    for m in _NUMBER.finditer(masked):
        target = _target_at(masked, m)
        if target is not None:
            return target
    return None


# What Activity.target_value (12 digits, 2 decimals) and target_unit hold.
LARGEST_TARGET = Decimal("9999999999.99")
UNIT_MAX_LENGTH = 100


def _target_at(text: str, m: re.Match[str]) -> Target | None:
    before, after = text[: m.start()], text[m.end() :]
    if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after):
        return None
    if after.startswith("+"):  # «500+» is the project's name
        return None
    if _NUMBER_SIGN.search(before):
        return None
    digits = re.sub(r"\s", "", m.group("int"))
    frac = m.group("frac")
    if frac is None and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        return None
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    if value > LARGEST_TARGET:
        return None  # no plan counts that far: a number Activity cannot keep
    inflection = _INFLECTION.match(after)
    if inflection:
        after = after[inflection.end() :]
    comparator_match = _COMPARATOR.search(before)
    comparator = (
        _GROUP_TO_COMPARATOR[comparator_match.lastgroup] if comparator_match else None
    )
    if _PERCENT.match(after):
        return Target(value=value, unit="%", comparator=comparator or Comparator.EQ)
    if comparator is None:
        return None
    unit = _unit(after)
    if len(unit) > UNIT_MAX_LENGTH:
        return None
    if month_number(unit) is not None:
        return None  # a date such as «не позднее 15 мая»
    return Target(value=value, unit=unit, comparator=comparator)


def _unit(after: str) -> str:
    """The counted noun: an abbreviation run («ДПП ПК») or one word."""
    m = _ABBREVIATIONS.match(after) or _WORD.match(after)
    return m.group("unit") if m else ""
