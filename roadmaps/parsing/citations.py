"""Read what an order cites: orders and letters, the appendix header's order."""

import re

from roadmaps.ru_dates import parse_date

from .model import Appendix, OrderReference

NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
NOT_LETTER_AFTER = r"(?![^\W\d_])"

_NUMBER_PATTERN = r"[^\s/«»\"“”(),;]+(?:\s*/\s*[^\s/«»\"“”(),;]+)*"
_NUMBER = re.compile(r"№\s*(?P<number>" + _NUMBER_PATTERN + ")")
AMENDED = re.compile(r"\(?\s*в\s+ред(?:\.|акции)\s*(?P<body>[^)]*)\)?", re.IGNORECASE)
_FROM = re.compile(NOT_LETTER_BEFORE + r"от" + NOT_LETTER_AFTER, re.IGNORECASE)
_REF_KIND = re.compile(
    NOT_LETTER_BEFORE
    + r"(?:утвержд[её]нн[а-яё]*\s+)?"
    + r"(?:приказ(?:а|ом|у|ами|ов|ы)?|письм(?:о|а|ом|у|ами)|писем"
    + r"|постановлени[еяюм]+|распоряжени[еяюм]+|решени[еяюм]+|указ(?:а|ом|у)?"
    + r"|протокол(?:а|ом|у)?|закон(?:а|ом|у)?)"
    + NOT_LETTER_AFTER,
    re.IGNORECASE,
)
_REF_DATE = (
    r"[«\"“]?\s*\d{1,2}\s*[»\"”]?\s*(?:\.\s*\d{1,2}\s*\.|\s+[а-яё]+\s+|\s+\d{1,2}\s+)"
    r"\s*(?:\d\s?){1,3}\d\s*(?:г\.|года|год|г" + NOT_LETTER_AFTER + ")?"
)
_REF_ANCHOR = re.compile(
    NOT_LETTER_BEFORE
    + r"от\s+(?P<date>"
    + _REF_DATE
    + r")\s*№\s*(?P<number>"
    + _NUMBER_PATTERN
    + ")",
    re.IGNORECASE,
)
_REF_LEAD = re.compile(r"^[\s,;]*(?:(?:а также|и|а)\s+)?", re.IGNORECASE)


def number_text(text: str) -> str:
    """Return a document number as written, without trailing punctuation."""
    return text.strip().rstrip(".,;:").strip()


def _quoted(text: str, pos: int) -> tuple[str | None, int]:
    """Read a «title» starting at pos; an unclosed one runs to the end of text."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text) or text[pos] not in '«"“':
        return None, pos
    opening = text[pos]
    closing = "»" if opening == "«" else '"”'
    depth = 0
    for index in range(pos, len(text)):
        char = text[index]
        if opening == "«" and char == "«":
            depth += 1
        elif char in closing and (opening != "«" or depth == 1):
            if index > pos:
                return text[pos + 1 : index].strip(), index + 1
        elif char == "»":
            depth -= 1
    return text[pos + 1 :].strip().rstrip(",;. ") or None, len(text)


def find_references(text: str) -> list[OrderReference]:
    """Return the orders and letters text cites («приказа … от … № … «…»»)."""
    text = re.sub(r"\s+", " ", text)
    references: list[OrderReference] = []
    start = 0
    for anchor in _REF_ANCHOR.finditer(text):
        cited_on = parse_date(anchor["date"])
        if anchor.start() < start or cited_on is None:
            continue
        title, end = _quoted(text, anchor.end())
        segment = text[start : anchor.start()]
        kinds = list(_REF_KIND.finditer(segment))
        if kinds:
            text_start = start + kinds[-1].start()
            issuer = segment[kinds[-1].end() :]
        else:
            # Letters listed after one kind word: «писем А от …, Б от …».
            lead = _REF_LEAD.match(segment).end()
            if start == 0 and "," in segment:
                lead = segment.rindex(",") + 1
            text_start = start + lead
            issuer = segment[lead:]
        references.append(
            OrderReference(
                text=text[text_start:end].strip(" ,;"),
                issuer=issuer.strip(" ,;"),
                date=cited_on,
                number=number_text(anchor["number"]),
                title=title,
            )
        )
        start = end
    return references


def same_number(a: str, b: str) -> bool:
    """Tell whether two document numbers are equal, ignoring spaces and case."""
    return re.sub(r"\s", "", a).lower() == re.sub(r"\s", "", b).lower()


def read_appendix(block: list[str]) -> Appendix:
    """Read the appendix header lines: the order and the edition they cite."""
    joined = " ".join(block)
    amended = AMENDED.search(joined)
    main = joined
    amended_date = amended_number = None
    if amended:
        main = joined[: amended.start()] + joined[amended.end() :]
        amended_date = parse_date(amended["body"])
        number = _NUMBER.search(amended["body"])
        amended_number = number_text(number["number"]) if number else None
    since = list(_FROM.finditer(main))
    order_date = parse_date(main[since[-1].end() :] if since else main)
    numbers = list(_NUMBER.finditer(main))
    return Appendix(
        text="\n".join(block),
        order_date=order_date,
        order_number=number_text(numbers[-1]["number"]) if numbers else None,
        amended_date=amended_date,
        amended_number=amended_number,
    )
