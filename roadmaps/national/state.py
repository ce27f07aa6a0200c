"""The generator's shared state: options, random source, writers, keys, lookups."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .pool import Pool
from .scale import Counts
from .writer import Ids, Progress, TableWriter

# Generated rows are marked so that --reset finds them and nothing else.
REGION_PREFIX = "gen-"
USER_PREFIX = "gen."


@dataclass
class Options:
    scale: float = 0.01
    seed: int = 500
    years: tuple[int, ...] = (2022, 2023, 2024)
    password: str = "national-500plus"  # noqa: S105 (generated test users)
    batch_size: int = 5000
    today: date | None = None


@dataclass
class RegionInfo:
    id: int
    code: str
    name: str
    genitive: str
    department: int = 0
    operator: int = 0
    department_name: str = ""
    department_genitive: str = ""
    approver: int = 0  # user: regional staff who approves
    coordinator: int = 0  # user: regional coordinator
    municipalities: list[int] = field(default_factory=list)
    curators: list[int] = field(default_factory=list)


@dataclass
class MunicipalityInfo:
    id: int
    region: int  # index into State.regions
    name: str
    genitive: str
    kind: str
    authority: int = 0
    authority_name: str = ""
    authority_genitive: str = ""
    centre: int | None = None
    coordinator: int = 0  # user
    schools: list[int] = field(default_factory=list)


@dataclass
class SchoolInfo:
    id: int
    municipality: int  # index into State.municipalities
    name: str
    short_name: str
    is_shnor: bool
    user: int = 0


@dataclass
class State:
    options: Options
    counts: Counts
    pool: Pool
    progress: Progress
    today: date
    now: datetime
    rng: random.Random
    ids: Ids = field(default_factory=Ids)
    writers: dict = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    project_id: int = 0
    factor_ids: list[int] = field(default_factory=list)
    stage_types: list[tuple[int, str, str, int]] = field(default_factory=list)
    regions: list[RegionInfo] = field(default_factory=list)
    municipalities: list[MunicipalityInfo] = field(default_factory=list)
    schools: list[SchoolInfo] = field(default_factory=list)
    # year -> school indexes taking part that year
    cohorts: dict[int, list[int]] = field(default_factory=dict)
    # (school index, year) -> curator user id
    curator_of: dict[tuple[int, int], int] = field(default_factory=dict)
    # (school index, year) -> risk factors the school works on
    chosen_factors: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    observer: int = 0

    @property
    def years(self) -> tuple[int, ...]:
        return self.options.years

    @property
    def last_year(self) -> int:
        return max(self.options.years)

    def writer(self, model, fields: list[str]) -> TableWriter:
        w = self.writers.get(model)
        if w is None:
            w = TableWriter(model, fields, self.options.batch_size)
            self.writers[model] = w
        return w

    def flush(self) -> None:
        for w in self.writers.values():
            w.flush()

    def take(self, model) -> int:
        return self.ids.take(model)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def day(self, year: int, first: tuple[int, int], last: tuple[int, int]) -> date:
        """A random day of `year` between (month, day) `first` and `last`."""
        start = date(year, *first)
        span = (date(year, *last) - start).days
        return start + timedelta(days=self.rng.randint(0, max(span, 0)))

    def moment(self, day: date, hour_from: int = 9, hour_to: int = 18) -> datetime:
        """An aware moment in office hours of `day` (UTC, as stored)."""
        t = time(self.rng.randint(hour_from, hour_to - 1), self.rng.randint(0, 59))
        return datetime.combine(day, t, tzinfo=UTC) - timedelta(hours=3)

    def weighted(self, choices: list[tuple[object, float]]):
        r = self.rng.random() * sum(w for _, w in choices)
        for value, w in choices:
            r -= w
            if r < 0:
                return value
        return choices[-1][0]


def split(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` into len(weights) parts, each ≥ minimum, by largest remainder."""
    n = len(weights)
    base = [minimum] * n
    rest = total - minimum * n
    if rest <= 0:
        return base
    s = sum(weights)
    exact = [rest * w / s for w in weights]
    parts = [int(x) for x in exact]
    left = rest - sum(parts)
    order = sorted(range(n), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[:left]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]
