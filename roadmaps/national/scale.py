"""How many of everything a scale stands for (1.0 = the whole country)."""

from __future__ import annotations

from dataclasses import dataclass

REGIONS = 85
MUNICIPALITIES = 2300
SCHOOLS = 40_000
# Schools taking part in the project in one year.
PARTICIPANTS = 4_000

# Activities per plan (inclusive ranges) by level.
REGIONAL_ACTIVITIES = (30, 60)
MUNICIPAL_ACTIVITIES = (15, 40)
SCHOOL_ACTIVITIES = (20, 80)


@dataclass(frozen=True)
class Counts:
    regions: int
    municipalities: int
    schools: int
    participants_per_year: int


def counts_for(scale: float) -> Counts:
    """Territories and schools at a scale; never less than a working minimum."""
    regions = max(1, round(REGIONS * scale))
    municipalities = max(2 * regions, round(MUNICIPALITIES * scale))
    schools = max(3 * municipalities, round(SCHOOLS * scale))
    participants = min(schools, max(2 * regions, round(PARTICIPANTS * scale)))
    return Counts(regions, municipalities, schools, participants)
