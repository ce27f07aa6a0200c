"""Russian month names and the date spellings of real orders.

Shared by the deadline interpreter and the order-header parser. Pure Python:
no Django, no database.
"""

import re
from datetime import date

# Stem -> month number. Stems cover nominative («март»), genitive («марта»)
# and prepositional («марте») forms, upper or lower case.
MONTH_STEMS: dict[str, int] = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,  # май, мая, мае — matched only as a whole word, see month_number
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

MONTHS_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)

_MAY_FORMS = {"май", "мая", "мае", "маю", "маем"}

MONTH_WORD = (
    r"(?:январ[ьяюе]|феврал[ьяюе]|март[аеу]?|апрел[ьяюе]|ма[йяею]|июн[ьяюе]"
    r"|июл[ьяюе]|август[аеу]?|сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе])"
)


def month_number(word: str) -> int | None:
    """Return 1-12 for a Russian month name in any common case form."""
    w = word.strip().lower().strip(".,;:")
    if not w:
        return None
    if w in _MAY_FORMS:
        return 5
    for stem, number in MONTH_STEMS.items():
        if stem == "ма":
            continue
        if w.startswith(stem) and len(w) - len(stem) <= 2:
            return number
    return None


_QUOTES = "«»\"'“”„"

_NUMERIC_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4}|\d{2})(?!\d)"
)
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + MONTH_WORD + r")\s+((?:\d\s?){4}|\d{2})(?!\d)",
    re.IGNORECASE,
)
# «16» 03 2021 г. — day, month as a number, year separated by spaces.
_SPACED_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s+(\d{1,2})\s+(\d{4})(?!\d)")


def _year(text: str) -> int:
    digits = re.sub(r"\s", "", text)
    y = int(digits)
    return y + 2000 if y < 100 else y


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """Read the first calendar date in text as Russian documents write it.

    Understands «05» марта 2021 г., 05 марта 2021 года, 28.01.2022 г,
    « 17 » август 20 21 г. (a year split by a stray space) and «16» 03 2021 г.
    Returns None when there is no complete date.
    """
    cleaned = text
    for q in _QUOTES:
        cleaned = cleaned.replace(q, " ")
    cleaned = re.sub(r"\s+", " ", cleaned)
    m = _NUMERIC_DATE.search(cleaned)
    candidates: list[tuple[int, date]] = []
    if m:
        d = _safe_date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            candidates.append((m.start(), d))
    m = _WORD_DATE.search(cleaned)
    if m:
        month = month_number(m.group(2))
        if month:
            d = _safe_date(_year(m.group(3)), month, int(m.group(1)))
            if d:
                candidates.append((m.start(), d))
    m = _SPACED_NUMERIC.search(cleaned)
    if m:
        d = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            candidates.append((m.start(), d))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def format_date_long(d: date) -> str:
    """«05» марта 2021 г. — the date line of an order."""
    return f"«{d.day:02d}» {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def format_date_text(d: date) -> str:
    """05 марта 2021 года — a date inside running text."""
    return f"{d.day:02d} {MONTHS_GENITIVE[d.month - 1]} {d.year} года"
