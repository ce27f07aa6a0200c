"""Rows of the five real seed documents, read once, to fill generated plans.

Each distinct deadline phrase, indicator and executors cell is understood
once (per plan year for deadlines) and the result reused for every row that
carries it: the generator writes a million activities but parses a few
hundred phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from ..deadlines import interpret_deadline
from ..executors import match_executors
from ..imports import detect_numbering, parse_path, plan_period
from ..indicators import parse_target

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
REGIONAL_SEED = "004"
_YEAR = re.compile(r"\b(20\d\d)\b")


@dataclass(frozen=True)
class Row:
    """One activity of a seed document, as written."""

    key: int
    title: str
    description: str
    deadline_text: str
    responsible: str
    indicator: str
    seed_year: int
    regional: bool


@dataclass(frozen=True)
class Understood:
    ranges: list
    start: date | None
    end: date | None


@dataclass
class Layout:
    """Columns and numbering of a seed plan, for plans generated like it."""

    columns: list[dict]
    numbering: str
    section_titles: list[str]


@dataclass
class Pool:
    rows: list[Row]
    regional_rows: list[Row]
    regional_layout: Layout
    local_layout: Layout
    local_sections: list[str]
    _deadlines: dict = field(default_factory=dict)
    _targets: dict = field(default_factory=dict)
    _executors: dict = field(default_factory=dict)
    parsed_phrases: int = 0

    def deadline_text(self, row: Row, year: int) -> str:
        """The row's deadline moved to the plan's year («май 2021» → «май 2023»)."""
        shift = year - row.seed_year
        if not shift:
            return row.deadline_text
        return _YEAR.sub(lambda m: str(int(m.group(1)) + shift), row.deadline_text)

    def deadline(self, text: str, year: int) -> Understood:
        key = (text, year)
        found = self._deadlines.get(key)
        if found is None:
            period = (date(year, 1, 1), date(year, 12, 31))
            d = interpret_deadline(text, year=year, period=period)
            found = Understood(d.as_json(), d.start, d.end)
            self._deadlines[key] = found
            self.parsed_phrases += 1
        return found

    def target(self, text: str) -> tuple[Decimal | None, str, str]:
        found = self._targets.get(text)
        if found is None:
            t = parse_target(text) if text else None
            found = (t.value, t.unit, str(t.comparator)) if t else (None, "", "")
            self._targets[text] = found
            self.parsed_phrases += 1
        return found

    def executors(self, text: str) -> list[tuple[str, str]]:
        """(fragment, role) of every role the cell names, read once per text."""
        found = self._executors.get(text)
        if found is None:
            found = [
                (m.fragment[:500], str(m.role))
                for m in match_executors(text)
                if m.role is not None
            ]
            self._executors[text] = found
            self.parsed_phrases += 1
        return found


def load_pool(seeds_dir: Path = SEEDS_DIR) -> Pool:
    """Read the seed documents through the portal's own reader."""
    rows: list[Row] = []
    layouts: dict[str, Layout] = {}
    local_sections: list[str] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        document = parse_path(path)
        prefix = path.name[:3]
        year = plan_period(document)[0].year
        titles = [s.title for s in document.sections if s.title]
        layouts[prefix] = Layout(
            columns=[
                {"key": str(c.key), "header": c.header}
                for c in document.columns
                if str(c.key) != "ignore"
            ],
            numbering=detect_numbering(document),
            section_titles=titles,
        )
        if prefix != REGIONAL_SEED:
            local_sections.extend(titles)
        for a in document.activities():
            rows.append(
                Row(
                    key=len(rows),
                    title=a.title,
                    description=a.description or "",
                    deadline_text=a.deadline_text or "",
                    responsible=a.responsible or "",
                    indicator=a.indicator or "",
                    seed_year=year,
                    regional=prefix == REGIONAL_SEED,
                )
            )
    # Municipal and school plans use the columns of seed 001 (with the
    # indicator column); the regional plan-graph those of seed 004.
    return Pool(
        rows=rows,
        regional_rows=[r for r in rows if r.regional],
        regional_layout=layouts[REGIONAL_SEED],
        local_layout=layouts["001"],
        local_sections=local_sections,
    )
