# Russian text is the subject matter here, so Cyrillic letters are intended.
from decimal import Decimal

import pytest

from roadmaps.indicators import Comparator, Target, parse_target

GTE, GT, LTE, LT, EQ = (
    Comparator.GTE,
    Comparator.GT,
    Comparator.LTE,
    Comparator.LT,
    Comparator.EQ,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("Не менее 90% требуемых респондентов участвовали", "90", "%", GTE),
        ("Не менее 50 консультаций", "50", "консультаций", GTE),
        ("Разработано не менее 3 ДПП ПК", "3", "ДПП ПК", GTE),
        ("Охват – не менее 80% педагогов", "80", "%", GTE),
        ("Отчет (уровень удовлетворенност и не ниже 80 %)", "80", "%", GTE),
        ("уровень удовлетворенности не ниже 80 %", "80", "%", GTE),
        (
            "Не менее 10 совещаний. Оказание консультативной помощи.",
            "10",
            "совещаний",
            GTE,
        ),
        ("Осуществлено не менее 50 консультаций", "50", "консультаций", GTE),
        ("100% школ-участников приняли участие в мероприятии", "100", "%", EQ),
        (
            "Кол-во учителей, прошедших курсы повышения квалификации, 100% к концу"
            " 2022 года обучившихся педагогов по выявленным дефицитам",
            "100",
            "%",
            EQ,
        ),
        ("не более 5 %", "5", "%", LTE),
        ("не менее 2,5 %", "2.5", "%", GTE),
    ],
)
def test_parse_target_reads_required_examples(text, value, unit, comparator):
    assert parse_target(text) == Target(Decimal(value), unit, comparator)


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        # the other targets of seed 004
        ("100% школ-участников разработали концептуальные документы", "100", "%", EQ),
        ("100% участников проекта присутствовали на вебинаре", "100", "%", EQ),
        ("Педагоги 100% школ-участников прошли обучение", "100", "%", EQ),
        ("100% заявок школ реализованы", "100", "%", EQ),
        ("Организовано наставничество в 100% школ- участников", "100", "%", EQ),
        ("100% школ- участников приняли участие в мероприятии", "100", "%", EQ),
        # other spellings
        ("более 3 школ", "3", "школ", GT),
        ("менее 5 %", "5", "%", LT),
        ("свыше 10 консультаций.", "10", "консультаций", GT),
        ("не менее, чем 70 процентов", "70", "%", GTE),
        ("не менее 5-ти консультаций", "5", "консультаций", GTE),
        ("не менее 1 000 педагогов", "1000", "педагогов", GTE),
        ("не более 10", "10", "", LTE),
        ("Не менее 10 ОО.", "10", "ОО", GTE),
        ("не менее 4 ОО Смоленской области", "4", "ОО", GTE),
        (
            "Обучено не менее 20 педагогов-психологов, прошедших курсы",
            "20",
            "педагогов-психологов",
            GTE,
        ),
        ("Проведено ≥ 3 семинаров", "3", "семинаров", GTE),
        ("доля 2021 года не менее 75 %", "75", "%", GTE),
    ],
)
def test_parse_target_reads_other_targets(text, value, unit, comparator):
    assert parse_target(text) == Target(Decimal(value), unit, comparator)


@pytest.mark.parametrize(
    "text",
    [
        "Приказ Департамента",
        "Проект плана- графика по проекту «500+» на 2022 год",
        "Список школ участников проекта «500+»",
        "Заседания РМО",
        "обучающимися 5-8 классов",
        "",
        "Участие в анкетировании.",
        "Подведение итогов реализации Проекта 500+на территории",
        "Участие в анкетировании 6 и 8 классов",
        "Круглый стол по итогах сопровождения ШНРО в 2020–2021 учебном году",
        "Конкурс «Учитель года – 2022, не менее 5 участников»",
        "Приказ от 04.06.2022 № 43",
        "не позднее 15 мая",
        "не менее 80-100 %",
        "не менее 2022 года",
    ],
)
def test_parse_target_returns_none_without_a_measurable_target(text):
    assert parse_target(text) is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (Target(Decimal(50), "консультаций", GTE), "не менее 50 консультаций"),
        (Target(Decimal(90), "%", GTE), "не менее 90 %"),
        (Target(Decimal(100), "%", EQ), "100 %"),
        (Target(Decimal(5), "%", LTE), "не более 5 %"),
        (Target(Decimal(3), "школ", GT), "более 3 школ"),
        (Target(Decimal(5), "%", LT), "менее 5 %"),
        (Target(Decimal("2.50"), "%", GTE), "не менее 2,5 %"),
        (Target(Decimal(10), "", LTE), "не более 10"),
        (Target(Decimal("3"), "ДПП ПК", GTE), "не менее 3 ДПП ПК"),
    ],
)
def test_target_describe_reads_as_russian(target, expected):
    assert target.describe() == expected


def test_parse_target_describe_round_trips_an_example():
    target = parse_target("Разработано не менее 3 ДПП ПК")
    assert target is not None
    assert target.describe() == "не менее 3 ДПП ПК"


def test_comparator_values_are_stable_for_storage():
    assert [c.value for c in Comparator] == ["gte", "gt", "lte", "lt", "eq"]
