from datetime import date

import pytest

from roadmaps.ru_dates import format_date_long, month_number, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("«05» марта 2021 г.", date(2021, 3, 5)),
        ("28.01.2022 г", date(2022, 1, 28)),
        ("17.01.2020", date(2020, 1, 17)),
        ("25 марта 2021 г.", date(2021, 3, 25)),
        ("« 17 » август 20 21 г.", date(2021, 8, 17)),
        ("и науке от «16» 03 2021 г. № 189-ОД", date(2021, 3, 16)),
        ("от 03 марта 2021 года № 239", date(2021, 3, 3)),
        ("от 22.03.2021 г. № 335", date(2021, 3, 22)),
    ],
)
def test_parse_date_reads_order_spellings(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["№ 43", "мая 2022", "31.02.2021", ""])
def test_parse_date_returns_none_without_a_complete_date(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("word", "number"),
    [("январь", 1), ("Мая", 5), ("май", 5), ("марте", 3), ("декабря", 12)],
)
def test_month_number_reads_case_forms(word, number):
    assert month_number(word) == number


def test_month_number_rejects_other_words():
    assert month_number("маршрут") is None
    assert month_number("мама") is None


def test_format_date_long_matches_order_style():
    assert format_date_long(date(2021, 3, 5)) == "«05» марта 2021 г."
