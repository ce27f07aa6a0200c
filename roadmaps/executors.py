"""Find the bodies and roles named in an executors cell («Ответственные»).

A cell names several executors: known organisations (matched against the
candidates the caller passes), roles written as keywords («МОУО, ОО,
куратор»), and people, whose names stay free text. Pure Python: no Django,
no database.
"""

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Self


class ExecutorRole(StrEnum):
    """The part an executor plays in the project."""

    DEPARTMENT = "department"
    REGIONAL_OPERATOR = "regional_operator"
    REGIONAL_COORDINATOR = "regional_coordinator"
    MUNICIPAL_AUTHORITY = "municipal_authority"
    MUNICIPAL_COORDINATOR = "municipal_coordinator"
    METHODOLOGICAL_CENTRE = "methodological_centre"
    SCHOOL = "school"
    CURATOR = "curator"


@dataclass(frozen=True)
class Candidate:
    """A known body that a cell may name: its key, names and role."""

    key: object
    names: tuple[str, ...]
    role: ExecutorRole | None = None


@dataclass(frozen=True)
class ExecutorMatch:
    """One executor found in a cell, with the text as it was written."""

    fragment: str
    key: object | None
    role: ExecutorRole | None


_QUOTES = frozenset('«»"“”„')

# Latin letters whose upper or lower case looks like a Cyrillic letter, so a
# reader cannot tell them apart: «MOУ» typed with Latin M and O. Letters
# that only sound alike (l, d, i…) are not look-alikes and stay as they are.
_LOOKALIKES = str.maketrans("acekmopxytbh", "асекморхутвн")

# Latin letters a mixed-script spelling may use for a Cyrillic one, by look
# or by sound. Seed 001 writes «Нaleyка» for «Налейка»: «y» stands for «й»
# and «l» for «л», which no look-alike table can give. Used only to match a
# candidate's name, never to rewrite text.
_LATIN_FOR: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "bvw",
    "г": "g",
    "д": "d",
    "е": "e",
    "з": "z",
    "и": "iu",
    "й": "yji",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "hn",
    "о": "o",
    "п": "pn",
    "р": "pr",
    "с": "cs",
    "т": "t",
    "у": "yu",
    "ф": "f",
    "х": "xh",
    "ц": "c",
    "ы": "y",
    "э": "e",
}
_CYRILLIC_FOR: dict[str, str] = {
    latin: "".join(c for c, latins in _LATIN_FOR.items() if latin in latins)
    for latin in sorted(set("".join(_LATIN_FOR.values())))
}


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower-case words separated by single spaces, with each char's origin.

    Quotes and punctuation become word breaks, so «п. ст.», «п ст.» and
    «п.ст.» all read «п ст». Latin letters are kept as written.
    """
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        for lower in char.lower():
            if lower == "ё":
                lower = "е"
            if lower in _QUOTES or not lower.isalnum():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    origins.append(index)
                continue
            chars.append(lower)
            origins.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origins.pop()
    return "".join(chars), origins


def normalise_name(text: str) -> str:
    """Reduce a name to the form used to compare names of bodies."""
    return _fold(text)[0].translate(_LOOKALIKES)


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    parts = []
    for char in name:
        variants = _LATIN_FOR.get(char, "") + _CYRILLIC_FOR.get(char, "")
        parts.append(f"[{char}{variants}]" if variants else re.escape(char))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


_SCHOOL_TYPES = r"(?:сош|сш|оош|ош|нош)"
_ROLE_PATTERNS: tuple[tuple[ExecutorRole, re.Pattern[str]], ...] = tuple(
    (role, re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)"))
    for role, pattern in (
        (
            ExecutorRole.DEPARTMENT,
            r"департамент\w*|министерств\w*|минобразовани\w*|минпросвещени\w*",
        ),
        (
            ExecutorRole.REGIONAL_OPERATOR,
            r"региональн\w* оператор\w*|институт\w* развития образования"
            r"|(?:со)?иро",
        ),
        (ExecutorRole.REGIONAL_COORDINATOR, r"региональн\w* координатор\w*"),
        (
            ExecutorRole.MUNICIPAL_AUTHORITY,
            r"моуо|муо|омс|орган\w* местного самоуправления"
            r"|(?:м[бка]?у )?(?:комитет\w*|отдел\w*|управлени\w*)"
            r" (?:по )?образовани\w*",
        ),
        (ExecutorRole.MUNICIPAL_COORDINATOR, r"муниципальн\w* координатор\w*"),
        (
            ExecutorRole.METHODOLOGICAL_CENTRE,
            r"(?:координатор\w* )?(?:моц|имц)"
            r"|(?:муниципальн\w* )?(?:информационн\w* )?методическ\w* центр\w*",
        ),
        (
            ExecutorRole.SCHOOL,
            r"(?:руководител\w* |директор\w* )?(?:"
            r"(?:обще)?образовательн\w* (?:организаци\w*|учреждени\w*)"
            r"|оо|[мгч]?[бка]?оу(?: " + _SCHOOL_TYPES + r")?)"
            r"|директор\w*|школьн\w* координатор\w*|школ\w*(?: участни\w*)?",
        ),
        (ExecutorRole.CURATOR, r"куратор\w*(?: школ\w*| оо| оу)?"),
    )
)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    key: object | None
    role: ExecutorRole | None

    def overlaps(self, other: Self) -> bool:
        return self.start < other.end and other.start < self.end


def _coarse_table() -> dict[int, str]:
    """Each letter to one representative of the letters a name pattern lets
    stand for it (transitively), so that a pattern can match a text only if
    the coarse name is a substring of the coarse text: a cheap test before
    the regular expression."""
    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    for table in (_LATIN_FOR, _CYRILLIC_FOR):
        for char, variants in table.items():
            for variant in variants:
                a, b = root(char), root(variant)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return str.maketrans({char: root(char) for char in parent})


_COARSE = _coarse_table()


class CandidateIndex:
    """Candidates with their names normalised once, to match many cells.

    Building it folds every name of every candidate; matching a cell then only
    runs the patterns of the names whose coarse form occurs in the cell.
    """

    def __init__(self, candidates: Iterable[Candidate] = ()) -> None:
        names = [
            (name, candidate)
            for candidate in candidates
            for name in dict.fromkeys(normalise_name(n) for n in candidate.names)
            if name
        ]
        # The longest name wins, so «МОУ СШ п.ст. Налейка» is not read as «МОУ».
        names.sort(key=lambda pair: len(pair[0]), reverse=True)
        self._names = [
            (name, name.translate(_COARSE), candidate) for name, candidate in names
        ]
        self._patterns: dict[str, re.Pattern[str]] = {}

    def found(self, folded: str) -> Iterator[tuple[re.Pattern[str], Candidate]]:
        """(pattern, candidate) of the names that may occur in a folded text,
        longest names first."""
        coarse = folded.translate(_COARSE)
        for name, coarse_name, candidate in self._names:
            if coarse_name in coarse:
                pattern = self._patterns.get(name)
                if pattern is None:
                    pattern = self._patterns[name] = _name_pattern(name)
                yield pattern, candidate


def match_executors(
    text: str, candidates: Iterable[Candidate] | CandidateIndex = ()
) -> list[ExecutorMatch]:
    """Return the bodies and roles a cell names, in the order written.

    Pass a `CandidateIndex` when matching many cells against the same bodies.
    """
    folded, origins = _fold(text)
    if not folded:
        return []
    spans: list[_Span] = []

    index = (
        candidates
        if isinstance(candidates, CandidateIndex)
        else CandidateIndex(candidates)
    )
    for pattern, candidate in index.found(folded):
        for m in pattern.finditer(folded):
            _claim(spans, _Span(m.start(), m.end(), candidate.key, candidate.role))

    mapped = folded.translate(_LOOKALIKES)
    found = [
        _Span(m.start(), m.end(), None, role)
        for role, pattern in _ROLE_PATTERNS
        for m in pattern.finditer(mapped)
    ]
    # «кураторы школ» is one curator, not a curator and a school.
    found.sort(key=lambda span: (span.start - span.end, span.start))
    for span in found:
        _claim(spans, span)

    matches: list[ExecutorMatch] = []
    seen_keys: list[object] = []
    seen_roles: list[ExecutorRole] = []
    for span in sorted(spans, key=lambda span: span.start):
        if span.key is not None:
            if span.key in seen_keys:
                continue
            seen_keys.append(span.key)
        elif span.role is not None:
            if span.role in seen_roles:
                continue
            seen_roles.append(span.role)
        matches.append(
            ExecutorMatch(_fragment(text, origins, span), span.key, span.role)
        )
    return matches


def _fragment(text: str, origins: list[int], span: _Span) -> str:
    start, end = origins[span.start], origins[span.end - 1] + 1
    # «МУ «Управление образования»»: keep the closing quote of an opened name.
    while (
        end < len(text)
        and text[end] == "»"
        and text.count("«", start, end) > text.count("»", start, end)
    ):
        end += 1
    return text[start:end]


def _claim(spans: list[_Span], span: _Span) -> None:
    if not any(span.overlaps(other) for other in spans):
        spans.append(span)
