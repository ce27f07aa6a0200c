"""Read the roadmap table: header row, activities, sections, copy artefacts."""

import html
import re

from django.utils.translation import gettext

from .model import Column, ColumnKey, ParsedActivity, ParsedSection, RowNote

# Block-level tags stand between words, inline ones may sit inside a word.
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|tr|td|th|table|tbody|h[1-6])\b[^<>]*>", re.IGNORECASE
)
_INLINE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# Word leaves cell and field marks (\x07, \x13-\x15) in some copies.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def strip_markup(text: str) -> tuple[str, bool]:
    """Remove HTML tags, entities and ** bold markers; tell whether any were found."""
    stripped = _BLOCK_TAG.sub(" ", text)
    stripped = _INLINE_TAG.sub("", stripped)
    stripped = stripped.replace("**", "")
    stripped = _ENTITY.sub(lambda m: html.unescape(m.group()), stripped)
    return stripped, stripped != text


def clean_text(text: str) -> tuple[str, bool]:
    """Strip markup and collapse whitespace; tell whether markup was removed."""
    stripped, had_markup = strip_markup(text)
    stripped = _CONTROL.sub(" ", stripped.translate(_INVISIBLE))
    return _SPACES.sub(" ", stripped).strip(), had_markup


# A word broken at a line end: «школ- участников». A suspended hyphen before
# a conjunction («научно- и учебно-методический») is correct Russian and stays.
# A match starts only at a word's start: tried inside a long word it would
# rescan the rest of the word at every letter (quadratic time on one long word).
_BROKEN_WORD = re.compile(
    r"(?<![^\W\d_])([^\W\d_]+)-\s+(?!(?:и|или|либо|а)(?![^\W\d_]))([^\W\d_]+)"
)


def repair_hyphens(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Join words broken by a hyphen and a space; return the text and the repairs."""
    repairs: list[tuple[str, str]] = []

    def join(match: re.Match) -> str:
        head, tail = match.group(1), match.group(2)
        if not tail[0].islower():
            return match.group(0)
        repairs.append((match.group(0), f"{head}-{tail}"))
        return f"{head}-{tail}"

    return _BROKEN_WORD.sub(join, text), repairs


_NUMBER_HEADER = re.compile(
    r"^(?:(?:№|n|no)\.?\s*(?:п\.?\s*/?\s*п\.?)?|п\s*/\s*п\.?)$", re.IGNORECASE
)
# Checked in this order: «Срок реализации мероприятия» is a deadline even though
# it names the activity, «Ответственные исполнители» is one column, not two.
_HEADER_STEMS: tuple[tuple[ColumnKey, tuple[str, ...]], ...] = (
    (ColumnKey.DEADLINE, ("срок", "дата")),
    (ColumnKey.RESPONSIBLE, ("ответствен", "исполнител")),
    (ColumnKey.INDICATOR, ("показател", "индикатор", "результат")),
    (ColumnKey.DESCRIPTION, ("описани",)),
    (ColumnKey.TITLE, ("мероприят", "задач", "наименовани", "событи")),
)
_MAX_HEADER_WORDS = 6
_MAX_HEADER_LENGTH = 60


def column_key(header: str) -> ColumnKey | None:
    """Return the meaning of one header cell, or None if it is not a known column."""
    text = clean_text(header)[0]
    if not text or len(text) > _MAX_HEADER_LENGTH:
        return None
    if len(text.split()) > _MAX_HEADER_WORDS:
        return None
    if _NUMBER_HEADER.match(text):
        return ColumnKey.NUMBER
    lowered = text.lower()
    for key, stems in _HEADER_STEMS:
        if any(stem in lowered for stem in stems):
            return key
    return None


# A header cell of no known meaning that find_header(allow_unknown=True) accepts:
# a few words, no digits («Примечание», «Отметка о выполнении»).
_MAX_UNKNOWN_WORDS = 8
_MAX_UNKNOWN_LENGTH = 80
_DIGIT = re.compile(r"\d")


def _plausible_unknown(text: str) -> bool:
    return (
        bool(text)
        and len(text) <= _MAX_UNKNOWN_LENGTH
        and len(text.split()) <= _MAX_UNKNOWN_WORDS
        and _LETTER.search(text) is not None
        and _DIGIT.search(text) is None
    )


def find_header(
    cells: list[str], *, allow_unknown: bool = False
) -> list[Column] | None:
    """Recognise a roadmap header row; return its columns in cell order, or None."""
    # With allow_unknown, cells of no known meaning (or repeating a meaning
    # already taken) become IGNORE columns, as long as the row still has a
    # title column and a deadline or responsible column.
    texts = [clean_text(c)[0] for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    if len(texts) < 2:
        return None
    columns: list[Column] = []
    for index, text in enumerate(texts):
        key = column_key(text)
        if key is None or any(c.key == key for c in columns):
            if not (allow_unknown and _plausible_unknown(text)):
                return None
            key = ColumnKey.IGNORE
        columns.append(Column(key=key, header=text, index=index))
    keys = {c.key for c in columns}
    if ColumnKey.TITLE not in keys:
        return None
    if not keys & {ColumnKey.DEADLINE, ColumnKey.RESPONSIBLE}:
        return None
    return columns


_FIELDS = {
    ColumnKey.TITLE: "title",
    ColumnKey.DESCRIPTION: "description",
    ColumnKey.DEADLINE: "deadline_text",
    ColumnKey.RESPONSIBLE: "responsible",
    ColumnKey.INDICATOR: "indicator",
}
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?[а-яa-z]?|[IVXLC]{1,6}[.)]?)$")
_SECTION = re.compile(
    r"^(?P<number>\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.)\s*(?P<title>[^\W\d_«\"(].*)$"
)
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _starts_lower(text: str) -> bool:
    match = _LETTER.search(text)
    return bool(match) and match.group().islower()


class TableReader:
    """Reads table rows one by one after the header row."""

    def __init__(self, columns: list[Column], *, headers: list[str] | None = None):
        # headers: every header cell of the source table; columns: their meanings
        # (IGNORE columns, or columns left out of the list, are not read).
        self.headers = [c.header for c in columns] if headers is None else headers
        self.width = max([len(self.headers), *(c.index + 1 for c in columns)])
        self.columns = [c for c in columns if c.key is not ColumnKey.IGNORE]
        self.keys = [c.key for c in self.columns]
        self._header_texts = [h.lower() for h in self.headers]
        self.sections: list[ParsedSection] = []
        self.notes: list[RowNote] = []
        self.warnings: list[str] = []
        self._section: ParsedSection | None = None
        self._activity: ParsedActivity | None = None
        self._last: str | None = None  # "activity" or "section"
        self._after_break = False

    def _note(
        self, line: int, code: str, message: str, *, warn: bool = False
    ) -> RowNote:
        note = RowNote(line=line, code=code, message=message)
        self.notes.append(note)
        if warn:
            self.warnings.append(message)
        return note

    def read(self, numbered_lines: list[tuple[int, str]]) -> None:
        """Read the tab-separated table lines that follow the header row."""
        self.read_rows([(line, raw.split("\t")) for line, raw in numbered_lines])

    def read_rows(self, numbered_rows: list[tuple[int, list[str]]]) -> None:
        """Read the table rows (cells in source column order) after the header row."""
        for line, raw_cells in numbered_rows:
            self._read_row(line, raw_cells)
        self._finish()

    def _is_header(self, texts: list[str]) -> bool:
        if find_header(texts) is not None:
            return True
        lowered = [t.lower() for t in texts]
        while lowered and not lowered[-1]:
            lowered.pop()
        return lowered == self._header_texts

    @staticmethod
    def _is_column_numbers(texts: list[str]) -> bool:
        # The row «1 | 2 | 3 | 4» that numbers the columns under a header.
        filled = [(i, t) for i, t in enumerate(texts) if t]
        return len(filled) >= 2 and all(t.rstrip(".") == str(i + 1) for i, t in filled)

    def _read_row(self, line: int, raw_cells: list[str]) -> None:
        cleaned = [clean_text(c) for c in raw_cells]
        texts = [text for text, _ in cleaned]
        if not any(texts):
            self._after_break = True
            return
        if self._is_header(texts):
            self._note(
                line,
                "header_skipped",
                gettext("Line %(line)s: repeated header row skipped.") % {"line": line},
            )
            self._after_break = True
            return
        if self._is_column_numbers(texts):
            self._note(
                line,
                "column_numbers_skipped",
                gettext("Line %(line)s: the row of column numbers was skipped.")
                % {"line": line},
            )
            return
        cells = self._map_cells(line, texts)
        if cells is None:
            self._note(
                line,
                "ignored_only",
                gettext(
                    "Line %(line)s: the row has text only in columns that are not "
                    "read; it was skipped."
                )
                % {"line": line},
                warn=True,
            )
            self._after_break = True
            return
        markup = any(had for _, had in cleaned)
        kind = self._classify(cells)
        if kind == "section":
            self._add_section(line, cells)
        elif kind == "continuation":
            self._continue(line, cells)
        else:
            self._add_activity(line, cells, orphan=kind == "orphan")
        if markup:
            note = self._note(
                line,
                "markup_stripped",
                gettext("Line %(line)s: markup was removed from the cells.")
                % {"line": line},
            )
            if kind != "section" and self._activity:
                self._activity.notes.append(note)
        self._after_break = False

    def _map_cells(self, line: int, texts: list[str]) -> dict[ColumnKey, str] | None:
        """Return the row's text by meaning; None if only ignored cells have text."""
        cells = {
            c.key: texts[c.index] if c.index < len(texts) else "" for c in self.columns
        }
        extra = [t for t in texts[self.width :] if t]
        if extra:
            last = next((c for c in self.columns if c.index == self.width - 1), None)
            header = self.headers[-1] if self.headers else ""
            if last is not None:
                cells[last.key] = " ".join([cells[last.key], *extra]).strip()
                message = gettext(
                    "Line %(line)s: the row has more cells than the header; the extra "
                    "text was added to the column «%(column)s»."
                )
            else:
                message = gettext(
                    "Line %(line)s: the row has more cells than the header; the extra "
                    "text was left out with the column «%(column)s», which is not "
                    "read."
                )
            self._note(
                line,
                "extra_cells",
                message % {"line": line, "column": header},
                warn=True,
            )
        if any(cells.values()):
            return cells
        # A heading merged across the row keeps its text in the leftmost cell,
        # which may be a column that is not read (an ignored «№»).
        filled = [(i, t) for i, t in enumerate(texts[: self.width]) if t]
        if len(filled) == 1 and filled[0][0] <= self.columns[0].index:
            cells[self.keys[0]] = filled[0][1]
            return cells
        return None

    def _classify(self, cells: dict[ColumnKey, str]) -> str:
        first_key = self.keys[0]
        first = cells[first_key]
        others = any(cells[k] for k in self.keys if k != first_key)
        section_shaped = bool(first) and not others
        can_continue = self._last == "activity"
        if ColumnKey.NUMBER in self.keys:
            number = cells[ColumnKey.NUMBER]
            if not number:
                return "continuation" if can_continue else "orphan"
            if section_shaped and not _ROW_NUMBER.match(number):
                return "section"
            return "activity"
        # Without a № column only the shape of a row tells a continuation:
        # no deadline of its own, and a lower-case start or a page break before.
        text = next((cells[k] for k in self.keys if cells[k]), "")
        has_deadline = ColumnKey.DEADLINE in self.keys
        no_deadline = not cells.get(ColumnKey.DEADLINE)
        broke = self._after_break and has_deadline and not section_shaped
        if can_continue and no_deadline and (_starts_lower(text) or broke):
            return "continuation"
        if section_shaped:
            return "section"
        return "activity"

    def _add_section(self, line: int, cells: dict[ColumnKey, str]) -> None:
        text = cells[self.keys[0]]
        current = self._section
        if (
            self._last == "section"
            and current is not None
            and current.title
            and not current.activities
            and _starts_lower(text)
        ):
            current.title = repair_hyphens(f"{current.title} {text}")[0]
            self._note(
                line,
                "continuation_joined",
                gettext(
                    "Line %(line)s: the row continues the section heading of line "
                    "%(start)s and was joined to it."
                )
                % {"line": line, "start": current.line},
            )
            return
        match = _SECTION.match(text)
        number, title = (match["number"], match["title"]) if match else (None, text)
        title = repair_hyphens(title)[0]
        self._section = ParsedSection(title=title, number=number, line=line)
        self.sections.append(self._section)
        self._last = "section"
        self._note(
            line,
            "section",
            gettext("Line %(line)s: section heading «%(title)s».")
            % {"line": line, "title": title},
        )

    def _add_activity(
        self, line: int, cells: dict[ColumnKey, str], *, orphan: bool
    ) -> None:
        if self._section is None:
            self._section = ParsedSection(title=None, number=None, line=None)
            self.sections.append(self._section)
        activity = ParsedActivity(
            number=cells.get(ColumnKey.NUMBER) or None,
            title=cells.get(ColumnKey.TITLE, ""),
            description=cells.get(ColumnKey.DESCRIPTION, ""),
            deadline_text=cells.get(ColumnKey.DEADLINE, ""),
            responsible=cells.get(ColumnKey.RESPONSIBLE, ""),
            indicator=cells.get(ColumnKey.INDICATOR, ""),
            line=line,
        )
        self._section.activities.append(activity)
        self._activity = activity
        self._last = "activity"
        number = activity.number
        if orphan:
            message = gettext(
                "Line %(line)s: the row has no number and follows no activity; it "
                "was read as a new activity, check it."
            ) % {"line": line}
        elif number and not _ROW_NUMBER.match(number):
            message = gettext(
                "Line %(line)s: the № cell «%(number)s» is not a number; the row was "
                "read as an activity, check it."
            ) % {"line": line, "number": number}
        else:
            return
        activity.notes.append(self._note(line, "unknown_row", message, warn=True))

    def _continue(self, line: int, cells: dict[ColumnKey, str]) -> None:
        activity = self._activity
        if activity is None:
            return
        for key, name in _FIELDS.items():
            addition = cells.get(key, "")
            if addition:
                before = getattr(activity, name)
                setattr(activity, name, f"{before} {addition}" if before else addition)
        note = self._note(
            line,
            "continuation_joined",
            gettext(
                "Line %(line)s: the row continues the activity of line %(start)s and "
                "was joined to it."
            )
            % {"line": line, "start": activity.line},
        )
        activity.notes.append(note)

    def _finish(self) -> None:
        if not any(s.activities for s in self.sections):
            self.warnings.append(
                gettext("The table has a header row but no activities.")
            )
        seen: dict[str, int] = {}
        for section in self.sections:
            if section.title and not section.activities:
                message = gettext(
                    "Line %(line)s: the section «%(title)s» has no activities."
                ) % {"line": section.line, "title": section.title}
                self._note(section.line, "empty_section", message, warn=True)
            for activity in section.activities:
                self._finish_activity(activity)
                number = activity.number
                if number and number in seen:
                    message = gettext(
                        "Line %(line)s: activity number %(number)s is used again "
                        "(first on line %(first)s)."
                    ) % {"line": activity.line, "number": number, "first": seen[number]}
                    activity.notes.append(
                        self._note(
                            activity.line, "duplicate_number", message, warn=True
                        )
                    )
                elif number:
                    seen[number] = activity.line

    def _finish_activity(self, activity: ParsedActivity) -> None:
        line = activity.line
        for key, name in _FIELDS.items():
            text = getattr(activity, name)
            # Deadlines stay exactly as written: «Июнь- ноябрь» is a range.
            if key is not ColumnKey.DEADLINE:
                text, repairs = repair_hyphens(text)
                setattr(activity, name, text)
                for broken, joined in repairs:
                    message = gettext(
                        "Line %(line)s: the broken word «%(broken)s» was joined as "
                        "«%(joined)s»."
                    ) % {"line": line, "broken": broken, "joined": joined}
                    activity.notes.append(self._note(line, "hyphen_repaired", message))
            for word in _WORD.findall(text):
                if _LATIN.search(word) and _CYRILLIC.search(word):
                    message = gettext(
                        "Line %(line)s: the word «%(word)s» mixes Latin and Cyrillic "
                        "letters; check its spelling."
                    ) % {"line": line, "word": word}
                    activity.notes.append(
                        self._note(line, "mixed_script", message, warn=True)
                    )
        if not activity.title:
            message = gettext(
                "Line %(line)s: the activity has no title; check the row."
            ) % {"line": line}
            activity.notes.append(self._note(line, "empty_title", message, warn=True))


def read_table(
    columns: list[Column],
    numbered_lines: list[tuple[int, str]],
    *,
    headers: list[str] | None = None,
) -> TableReader:
    """Read the lines after the header row; return the reader with its results."""
    reader = TableReader(columns, headers=headers)
    reader.read(numbered_lines)
    return reader


def read_table_rows(
    columns: list[Column],
    numbered_rows: list[tuple[int, list[str]]],
    *,
    headers: list[str] | None = None,
) -> TableReader:
    """Read the rows (lists of cells) after the header row; return the reader."""
    reader = TableReader(columns, headers=headers)
    reader.read_rows(numbered_rows)
    return reader
