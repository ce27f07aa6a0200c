# Russian text is the subject matter here, so Cyrillic letters are intended.
import re
from datetime import date
from pathlib import Path

import pytest

from roadmaps.deadlines import Deadline, interpret_deadline

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def r(start: str, end: str) -> tuple[date, date]:
    return date.fromisoformat(start), date.fromisoformat(end)


# Every phrase DOMAIN.md quotes; the Kuzovatovo plan (seed 001) is for 2022.
DOMAIN_PHRASES = [
    ("январь 2021 года", 2021, [r("2021-01-01", "2021-01-31")]),
    ("март-апрель", 2021, [r("2021-03-01", "2021-04-30")]),
    ("весь период", 2021, [r("2021-01-01", "2021-12-31")]),
    ("в течение года", 2021, [r("2021-01-01", "2021-12-31")]),
    ("апрель-сентябрь 2021 года", 2021, [r("2021-04-01", "2021-09-30")]),
    ("Декабрь 2021", 2022, [r("2021-12-01", "2021-12-31")]),
    ("Декабрь2021-январь2022", 2022, [r("2021-12-01", "2022-01-31")]),
    ("Январь-февраль 2022", 2022, [r("2022-01-01", "2022-02-28")]),
    ("До 15 мая 2022", 2022, [r("2022-01-01", "2022-05-15")]),
    ("До 1 марта 2022", 2022, [r("2022-01-01", "2022-03-01")]),
    ("До 04.06.2022", 2022, [r("2022-01-01", "2022-06-04")]),
    ("Февраль - декабрь", 2021, [r("2021-02-01", "2021-12-31")]),
    (
        "Март, сентябрь 2021 г.",
        2021,
        [r("2021-03-01", "2021-03-31"), r("2021-09-01", "2021-09-30")],
    ),
    (
        "Май, ноябрь 2021 г.",
        2021,
        [r("2021-05-01", "2021-05-31"), r("2021-11-01", "2021-11-30")],
    ),
    ("В течение 2021 г.", 2021, [r("2021-01-01", "2021-12-31")]),
    ("Июнь- ноябрь", 2021, [r("2021-06-01", "2021-11-30")]),
    (
        "Июнь, ноябрь",
        2021,
        [r("2021-06-01", "2021-06-30"), r("2021-11-01", "2021-11-30")],
    ),
    ("По плану работы Совета", 2021, []),
    ("февраль 2021 год", 2021, [r("2021-02-01", "2021-02-28")]),
]


@pytest.mark.parametrize(("text", "year", "expected"), DOMAIN_PHRASES)
def test_interpret_deadline_reads_domain_phrases(text, year, expected):
    assert interpret_deadline(text, year=year).ranges == tuple(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Декабрь 2021", [r("2021-12-01", "2021-12-31")]),
        ("Декабрь2021-январь2022", [r("2021-12-01", "2022-01-31")]),
        ("Январь-февраль 2022", [r("2022-01-01", "2022-02-28")]),
        # The plan period of 2021 starts before these dates of 2022.
        ("До 15 мая 2022", [r("2021-01-01", "2022-05-15")]),
        ("До 1 марта 2022", [r("2021-01-01", "2022-03-01")]),
        ("До 04.06.2022", [r("2021-01-01", "2022-06-04")]),
    ],
)
def test_interpret_deadline_written_year_wins_over_plan_year(text, expected):
    assert interpret_deadline(text, year=2021).ranges == tuple(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # whole months
        ("Февраль 2021 г.", [r("2021-02-01", "2021-02-28")]),
        ("март 2021 года", [r("2021-03-01", "2021-03-31")]),
        ("Январь", [r("2021-01-01", "2021-01-31")]),
        ("декабрь", [r("2021-12-01", "2021-12-31")]),
        ("Май", [r("2021-05-01", "2021-05-31")]),
        ("в марте 2021 года", [r("2021-03-01", "2021-03-31")]),
        # ranges of months
        ("Апрель - май", [r("2021-04-01", "2021-05-31")]),
        ("Апрель-май", [r("2021-04-01", "2021-05-31")]),
        ("Март-май", [r("2021-03-01", "2021-05-31")]),
        ("Сентябрь-декабрь 2022", [r("2022-09-01", "2022-12-31")]),
        ("Декабрь-январь 2022", [r("2021-12-01", "2022-01-31")]),
        ("Декабрь 2021-январь", [r("2021-12-01", "2022-01-31")]),
        ("с марта по май", [r("2021-03-01", "2021-05-31")]),
        # lists of months
        (
            "Июнь, декабрь",
            [r("2021-06-01", "2021-06-30"), r("2021-12-01", "2021-12-31")],
        ),
        (
            "март и сентябрь",
            [r("2021-03-01", "2021-03-31"), r("2021-09-01", "2021-09-30")],
        ),
        (
            "Ноябрь, январь 2022",
            [r("2021-11-01", "2021-11-30"), r("2022-01-01", "2022-01-31")],
        ),
        # the plan period and whole years
        ("в течение всего периода", [r("2021-01-01", "2021-12-31")]),
        ("постоянно", [r("2021-01-01", "2021-12-31")]),
        ("В течение года", [r("2021-01-01", "2021-12-31")]),
        ("В течение 2021 года", [r("2021-01-01", "2021-12-31")]),
        ("В течение 2022 г.", [r("2022-01-01", "2022-12-31")]),
        ("в течение 2021-2022 гг.", [r("2021-01-01", "2022-12-31")]),
        ("2022 год", [r("2022-01-01", "2022-12-31")]),
        # days
        ("до 15 мая", [r("2021-01-01", "2021-05-15")]),
        ("не позднее 1 марта 2021 г.", [r("2021-01-01", "2021-03-01")]),
        ("04.06.2022", [r("2022-06-04", "2022-06-04")]),
        ("04.06.22", [r("2022-06-04", "2022-06-04")]),
        ("15 мая 2022 г.", [r("2022-05-15", "2022-05-15")]),
        ("15 мая", [r("2021-05-15", "2021-05-15")]),
        ("с 01.03.2021 по 30.04.2021", [r("2021-03-01", "2021-04-30")]),
        ("01.03.2021 – 30.04.2021", [r("2021-03-01", "2021-04-30")]),
        ("01.03.2021-30.04.2021", [r("2021-03-01", "2021-04-30")]),
        # quarters and halves
        ("I квартал 2022", [r("2022-01-01", "2022-03-31")]),
        ("1 квартал", [r("2021-01-01", "2021-03-31")]),
        ("1-й квартал 2022 г.", [r("2022-01-01", "2022-03-31")]),
        ("IV квартал", [r("2021-10-01", "2021-12-31")]),
        ("в III квартале 2022 года", [r("2022-07-01", "2022-09-30")]),
        ("II полугодие 2021", [r("2021-07-01", "2021-12-31")]),
        ("2 полугодие", [r("2021-07-01", "2021-12-31")]),
        ("первое полугодие", [r("2021-01-01", "2021-06-30")]),
    ],
)
def test_interpret_deadline_reads_other_phrases(text, expected):
    assert interpret_deadline(text, year=2021).ranges == tuple(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  МАРТ   -   апрель  ", [r("2021-03-01", "2021-04-30")]),
        ("март — апрель", [r("2021-03-01", "2021-04-30")]),
        ("март–апрель", [r("2021-03-01", "2021-04-30")]),
        ("Март 2021 г", [r("2021-03-01", "2021-03-31")]),
        ("Март 2021г.", [r("2021-03-01", "2021-03-31")]),
        ("Январь.", [r("2021-01-01", "2021-01-31")]),
        ("В течение года.", [r("2021-01-01", "2021-12-31")]),
        ("март\xa02021", [r("2021-03-01", "2021-03-31")]),
        (
            "март; сентябрь",
            [r("2021-03-01", "2021-03-31"), r("2021-09-01", "2021-09-30")],
        ),
    ],
)
def test_interpret_deadline_tolerates_spacing_case_and_punctuation(text, expected):
    assert interpret_deadline(text, year=2021).ranges == tuple(expected)


NO_DATE_PHRASES = [
    "По плану работы Совета",
    "По",
    "плану работы Совета",
    "по мере необходимости",
    "ежемесячно",
    "ежеквартально",
    "",
    "   ",
    "Сроки",
    "Срок реализации мероприятия",
    "абракадабра",
    "Март 2021 (по согласованию)",
    "в течение учебного года",
    "в течение всего периода реализации проекта",
    "до конца года",
    "до марта 2022",
    "31.02.2022",
    "29 февраля 2021",
    "До 31.04.2022",
    "32 мая",
    "2021/2022",
    "V квартал",
    "5 квартал",
    "3 полугодие",
    "май 2022 - март 2022",
    "15 мая - 10 мая 2022",
    "март 2021 - 2022",
    "март, , апрель",
    "март-",
    "-март",
    "маршрут",
    "2021 - 2020",
    "1850 год",
]


@pytest.mark.parametrize("text", NO_DATE_PHRASES)
def test_interpret_deadline_gives_no_date_without_guessing(text):
    deadline = interpret_deadline(text, year=2021)
    assert deadline.ranges == ()
    assert not deadline.recognised
    assert deadline.start is None
    assert deadline.end is None
    assert deadline.describe() == "дата не распознана"


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("Февраль 2024", 2021, [r("2024-02-01", "2024-02-29")]),
        ("февраль", 2024, [r("2024-02-01", "2024-02-29")]),
        ("Январь-февраль 2024", 2021, [r("2024-01-01", "2024-02-29")]),
        ("Февраль 2023", 2021, [r("2023-02-01", "2023-02-28")]),
        ("29.02.2024", 2021, [r("2024-02-29", "2024-02-29")]),
        ("До 29 февраля", 2024, [r("2024-01-01", "2024-02-29")]),
        ("1 квартал", 2024, [r("2024-01-01", "2024-03-31")]),
    ],
)
def test_interpret_deadline_knows_leap_years(text, year, expected):
    assert interpret_deadline(text, year=year).ranges == tuple(expected)


SCHOOL_YEAR = (date(2021, 9, 1), date(2022, 5, 31))


@pytest.mark.parametrize(
    ("text", "period", "expected"),
    [
        ("весь период", SCHOOL_YEAR, [SCHOOL_YEAR]),
        ("в течение всего периода", SCHOOL_YEAR, [SCHOOL_YEAR]),
        ("постоянно", SCHOOL_YEAR, [SCHOOL_YEAR]),
        # «в течение года» is the plan's calendar year, not its period.
        ("в течение года", SCHOOL_YEAR, [r("2021-01-01", "2021-12-31")]),
        ("До 15 мая 2022", SCHOOL_YEAR, [r("2021-09-01", "2022-05-15")]),
        # The period starts after the date: the range starts on 1 January.
        (
            "До 15 мая 2021",
            (date(2021, 6, 1), date(2021, 12, 31)),
            [r("2021-01-01", "2021-05-15")],
        ),
        ("до 15 мая", SCHOOL_YEAR, [r("2021-01-01", "2021-05-15")]),
        # Only the period tells on which side of New Year a yearless range is.
        ("сентябрь-май", SCHOOL_YEAR, [r("2021-09-01", "2022-05-31")]),
        ("Декабрь-январь", SCHOOL_YEAR, [r("2021-12-01", "2022-01-31")]),
        (
            "Декабрь-январь",
            (date(2020, 9, 1), date(2021, 5, 31)),
            [r("2020-12-01", "2021-01-31")],
        ),
        ("Декабрь-январь", None, []),
        ("сентябрь-май", None, []),
    ],
)
def test_interpret_deadline_uses_the_plan_period(text, period, expected):
    deadline = interpret_deadline(text, year=2021, period=period)
    assert deadline.ranges == tuple(expected)


def test_interpret_deadline_rejects_a_reversed_period():
    with pytest.raises(ValueError, match="Period starts after it ends"):
        interpret_deadline(
            "март", year=2021, period=(date(2021, 12, 31), date(2021, 1, 1))
        )


def _month(year: int, month: int) -> tuple[date, date]:
    last = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
    return date(year, month, 1), date(year, month, last)


# Every distinct cell of the seeds' deadline columns, read with the seed's
# plan year: 000 and 003 and 004 are for 2021, 001 for 2022, 002 for 2020.
SEED_PHRASES = [
    # 000_kolpna_2021
    ("000", "январь 2021 года", 2021, [_month(2021, 1)]),
    ("000", "март-апрель", 2021, [r("2021-03-01", "2021-04-30")]),
    ("000", "март 2021 года", 2021, [_month(2021, 3)]),
    ("000", "весь период", 2021, [r("2021-01-01", "2021-12-31")]),
    ("000", "февраль 2021 год", 2021, [_month(2021, 2)]),
    ("000", "апрель-сентябрь 2021 года", 2021, [r("2021-04-01", "2021-09-30")]),
    ("000", "в течение года", 2021, [r("2021-01-01", "2021-12-31")]),
    ("000", "июнь 2021 года", 2021, [_month(2021, 6)]),
    ("000", "ноябрь 2021 года", 2021, [_month(2021, 11)]),
    ("000", "декабрь 2021 года", 2021, [_month(2021, 12)]),
    # 001_kuzovatovo_2022
    ("001", "Декабрь 2021", 2022, [_month(2021, 12)]),
    ("001", "Январь-февраль 2022", 2022, [r("2022-01-01", "2022-02-28")]),
    ("001", "Февраль-март 2022", 2022, [r("2022-02-01", "2022-03-31")]),
    ("001", "В течение года", 2022, [r("2022-01-01", "2022-12-31")]),
    ("001", "Февраль 2022", 2022, [_month(2022, 2)]),
    ("001", "Декабрь2021-январь2022", 2022, [r("2021-12-01", "2022-01-31")]),
    ("001", "Январь-апрель 2022", 2022, [r("2022-01-01", "2022-04-30")]),
    ("001", "Март-апрель 2022", 2022, [r("2022-03-01", "2022-04-30")]),
    ("001", "Декабрь 2022", 2022, [_month(2022, 12)]),
    ("001", "До 15 мая 2022", 2022, [r("2022-01-01", "2022-05-15")]),
    ("001", "Сентябрь-декабрь 2022", 2022, [r("2022-09-01", "2022-12-31")]),
    ("001", "До 1 марта 2022", 2022, [r("2022-01-01", "2022-03-01")]),
    ("001", "До 04.06.2022", 2022, [r("2022-01-01", "2022-06-04")]),
    # 002_dorogobuzh_2020
    ("002", "Январь", 2020, [_month(2020, 1)]),
    ("002", "Сентябрь", 2020, [_month(2020, 9)]),
    ("002", "В течение года", 2020, [r("2020-01-01", "2020-12-31")]),
    ("002", "Октябрь", 2020, [_month(2020, 10)]),
    ("002", "Февраль - декабрь", 2020, [r("2020-02-01", "2020-12-31")]),
    ("002", "Ноябрь", 2020, [_month(2020, 11)]),
    ("002", "Февраль-декабрь", 2020, [r("2020-02-01", "2020-12-31")]),
    # 003_novocheboksarsk_2021
    ("003", "Февраль 2021 г.", 2021, [_month(2021, 2)]),
    ("003", "Март 2021 г.", 2021, [_month(2021, 3)]),
    ("003", "Март, сентябрь 2021 г.", 2021, [_month(2021, 3), _month(2021, 9)]),
    ("003", "Апрель 2021 г.", 2021, [_month(2021, 4)]),
    ("003", "Май, ноябрь 2021 г.", 2021, [_month(2021, 5), _month(2021, 11)]),
    ("003", "Октябрь 2021 г.", 2021, [_month(2021, 10)]),
    ("003", "Декабрь 2021 г.", 2021, [_month(2021, 12)]),
    ("003", "В течение 2021 г.", 2021, [r("2021-01-01", "2021-12-31")]),
    # 004_smolensk_2021 («По» / «плану работы Совета» is one cell split
    # over two lines by a page break)
    ("004", "Февраль", 2021, [_month(2021, 2)]),
    ("004", "Май", 2021, [_month(2021, 5)]),
    ("004", "Март", 2021, [_month(2021, 3)]),
    ("004", "Апрель - май", 2021, [r("2021-04-01", "2021-05-31")]),
    ("004", "Апрель-май", 2021, [r("2021-04-01", "2021-05-31")]),
    ("004", "Июнь", 2021, [_month(2021, 6)]),
    ("004", "По", 2021, []),
    ("004", "плану работы Совета", 2021, []),
    ("004", "декабрь", 2021, [_month(2021, 12)]),
    ("004", "В течение 2021 года", 2021, [r("2021-01-01", "2021-12-31")]),
    ("004", "Июнь, ноябрь", 2021, [_month(2021, 6), _month(2021, 11)]),
    ("004", "Июнь, декабрь", 2021, [_month(2021, 6), _month(2021, 12)]),
    ("004", "Март-май", 2021, [r("2021-03-01", "2021-05-31")]),
    ("004", "Июнь- ноябрь", 2021, [r("2021-06-01", "2021-11-30")]),
    ("004", "Октябрь", 2021, [_month(2021, 10)]),
    ("004", "Апрель", 2021, [_month(2021, 4)]),
    ("004", "Август", 2021, [_month(2021, 8)]),
    ("004", "Ноябрь", 2021, [_month(2021, 11)]),
]


@pytest.mark.parametrize(("seed", "text", "year", "expected"), SEED_PHRASES)
def test_interpret_deadline_reads_every_seed_phrase(seed, text, year, expected):
    assert interpret_deadline(text, year=year).ranges == tuple(expected)


def _seed_deadline_cells(path: Path) -> list[str]:
    """Distinct cells of the column whose header starts with «Срок»."""
    column = None
    cells: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        row = [re.sub(r"</?p>", "", cell).strip() for cell in line.split("\t")]
        headers = [i for i, cell in enumerate(row) if cell.startswith("Срок")]
        if headers:
            column = headers[0]
            continue
        cell = row[column] if column is not None and len(row) > column else ""
        if cell and cell not in cells:
            cells.append(cell)
    return cells


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_interpret_deadline_seed_list_covers_every_seed_cell(path):
    listed = [text for seed, text, _, _ in SEED_PHRASES if path.name.startswith(seed)]
    assert _seed_deadline_cells(path) == listed


def test_deadline_keeps_text_as_written():
    text = "  Март, сентябрь 2021 г. "
    assert interpret_deadline(text, year=2021).text == text


def test_deadline_reports_start_end_and_recognised():
    deadline = interpret_deadline("Май, ноябрь 2021 г.", year=2021)
    assert deadline.recognised
    assert deadline.start == date(2021, 5, 1)
    assert deadline.end == date(2021, 11, 30)


def test_deadline_as_json_lists_iso_pairs():
    deadline = interpret_deadline("Март, сентябрь 2021 г.", year=2021)
    assert deadline.as_json() == [
        ["2021-03-01", "2021-03-31"],
        ["2021-09-01", "2021-09-30"],
    ]


def test_deadline_as_json_is_empty_without_a_date():
    assert interpret_deadline("ежемесячно", year=2021).as_json() == []


def test_deadline_from_json_round_trips():
    deadline = interpret_deadline("Декабрь2021-январь2022", year=2022)
    assert Deadline.from_json(deadline.text, deadline.as_json()) == deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("март-апрель", "01.03.2021 – 30.04.2021"),
        (
            "Март, сентябрь 2021 г.",
            "01.03.2021 – 31.03.2021; 01.09.2021 – 30.09.2021",
        ),
        ("04.06.2021", "04.06.2021"),
        ("По плану работы Совета", "дата не распознана"),
    ],
)
def test_deadline_describe_renders_ranges(text, expected):
    assert interpret_deadline(text, year=2021).describe() == expected


def test_deadline_rejects_a_range_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="starts after it ends"):
        Deadline("x", ((date(2021, 5, 1), date(2021, 4, 1)),))
