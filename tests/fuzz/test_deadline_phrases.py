"""Fuzzing the deadline interpreter: never an exception, always consistent ranges.

Phrases are built from the words real plans use (months in every case,
quarters, halves, years, «до 25 числа», «в течение года», dates, ranges and
lists) and from arbitrary text. The interpreter raises only for a plan
period that ends before it starts; anything else gives ranges that start
before they end, survive a JSON round trip and do not depend on case or
spacing.
"""

import random
from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from roadmaps.deadlines import Deadline, interpret_deadline
from roadmaps.ru_dates import MONTHS_GENITIVE, MONTHS_NOMINATIVE

from .support import CYRILLIC, any_text, fuzz, seeded, seeds

WORDS = [
    *MONTHS_NOMINATIVE,
    *MONTHS_GENITIVE,
    "марте",
    "мае",
    "Декабрь",
    "ЯНВАРЬ",
    "в",
    "во",
    "с",
    "по",
    "до",
    "не позднее",
    "в течение",
    "в течение года",
    "в течение всего года",
    "весь период",
    "постоянно",
    "ежеквартально",
    "ежемесячно",
    "до 25 числа",
    "числа",
    "года",
    "год",
    "г.",
    "гг.",
    "квартал",
    "квартале",
    "кв.",
    "полугодие",
    "I",
    "II",
    "IV",
    "V",
    "первый",
    "второе",
    "2-й",
    "-",
    "–",
    ",",
    ";",
    "и",
    ".",
]
numbers = st.one_of(
    st.integers(0, 35).map(str),
    st.sampled_from(["1899", "1900", "2021", "2022", "2100", "2101", "9999", "0000"]),
)
dates = st.builds(
    "{:02d}.{:02d}.{}".format,
    st.integers(0, 32),
    st.integers(0, 13),
    st.sampled_from(["2022", "22", "0100", "9999", "0000", "1"]),
)
tokens = st.one_of(st.sampled_from(WORDS), numbers, dates)
phrases = st.builds(
    lambda parts, glue: glue.join(parts),
    st.lists(tokens, min_size=1, max_size=8),
    st.sampled_from([" ", " ", "", "-", ", ", "\xa0"]),
)
years = st.integers(1900, 2100)

# Phrases shaped like the real ones, with any month, day, year or quarter.
month = st.sampled_from((*MONTHS_NOMINATIVE, "Декабрь", "МАРТ"))
month_of = st.sampled_from(MONTHS_GENITIVE)
day = st.integers(0, 32).map(str)
year = st.one_of(years.map(str), numbers)
written_year = st.builds(
    "{} {}".format, year, st.sampled_from(["", "г.", "года", "год", "г"])
)
maybe_year = st.one_of(st.just(""), written_year)
shaped = st.one_of(
    st.builds("{}{} - {}{}".format, month, maybe_year, month, maybe_year),
    st.builds("{}{}-{}{}".format, month, year, month, year),
    st.builds("До {} {} {}".format, day, month_of, maybe_year),
    st.builds("не позднее {} {}".format, day, month_of),
    st.builds("с {} {} по {} {}".format, day, month_of, day, month_of),
    st.builds(
        "{} {} {}".format,
        st.sampled_from(["I", "II", "III", "IV", "V", "0", "1", "4", "5", "1-й"]),
        st.sampled_from(["квартал", "полугодие", "кв."]),
        maybe_year,
    ),
    st.builds(
        lambda months, glue: glue.join(months),
        st.lists(month, min_size=2, max_size=30),
        st.sampled_from([", ", " и ", "; ", "-"]),
    ),
    st.builds("В течение {}-{} гг.".format, year, year),
    st.builds("{} {}".format, st.sampled_from(WORDS), written_year),
)


def plan(rng: random.Random) -> tuple[int, tuple[date, date] | None]:
    """The plan year and period: none (the plan year), or any range around it."""
    year = rng.randrange(1900, 2101)
    if rng.random() < 0.5:
        return year, None
    first = date(year, 1, 1) + timedelta(days=rng.randrange(-730, 730))
    return year, (first, first + timedelta(days=rng.randrange(0, 1100)))


def check(deadline: Deadline, text: str) -> None:
    """What sorting, overdue alerts, calendars and the preview rely on."""
    assert deadline.text == text
    assert deadline.recognised == bool(deadline.ranges)
    for start, end in deadline.ranges:
        assert start <= end
    if deadline.ranges:
        assert deadline.start == min(start for start, _ in deadline.ranges)
        assert deadline.end == max(end for _, end in deadline.ranges)
        assert deadline.start <= deadline.end
    else:
        assert deadline.start is None
        assert deadline.end is None
    assert Deadline.from_json(text, deadline.as_json()) == deadline
    with translation.override("ru"):
        described = deadline.describe()
    assert deadline.ranges or CYRILLIC.search(described)


@fuzz(1000)
@given(st.one_of(shaped, shaped, phrases, phrases, any_text), seeds)
@example("0 квартал", seeded(0))
@example("0 полугодие", seeded(0))
@example("31.12.9999-январь", seeded(0))
def test_any_phrase_gives_consistent_ranges(text, rng):
    year, period = plan(rng)
    deadline = interpret_deadline(text, year=year, period=period)
    check(deadline, text)
    if period is not None and text.strip().lower() == "весь период":
        assert deadline.ranges == (period,)


@fuzz(300)
@given(st.one_of(shaped, phrases), years)
def test_case_and_spacing_do_not_matter(text, year):
    expected = interpret_deadline(text, year=year).ranges
    for variant in (text.upper(), text.lower(), f"  {text}  ", text.replace(" ", "  ")):
        assert interpret_deadline(variant, year=year).ranges == expected, variant


@fuzz(50)
@given(phrases, st.dates(date(1900, 1, 2), date(2200, 1, 1)), st.integers(1, 400))
def test_only_a_reversed_period_is_an_error(text, end, days):
    start = date.fromordinal(end.toordinal() + days)
    with pytest.raises(ValueError, match="Period starts after it ends"):
        interpret_deadline(text, year=end.year, period=(start, end))
