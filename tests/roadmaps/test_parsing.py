"""The roadmap reader against the five seed documents (no database)."""

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from roadmaps.parsing import (
    ColumnKey,
    ParsedActivity,
    ParsedDocument,
    ParseError,
    find_header,
    parse_document,
)

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
SEED_KEYS = ["000", "001", "002", "003", "004"]


def seed_text(key: str) -> str:
    (path,) = SEEDS.glob(f"{key}_*.txt")
    return path.read_text(encoding="utf-8")


@cache
def parsed(key: str) -> ParsedDocument:
    return parse_document(seed_text(key))


def activity(doc: ParsedDocument, number: str) -> ParsedActivity:
    (found,) = [a for a in doc.activities() if a.number == number]
    return found


def cells(a: ParsedActivity) -> tuple:
    return (
        a.number,
        a.title,
        a.description,
        a.deadline_text,
        a.responsible,
        a.indicator,
    )


@pytest.mark.parametrize(
    ("key", "sections", "activities"),
    [("000", 0, 17), ("001", 3, 20), ("002", 4, 18), ("003", 0, 16), ("004", 4, 38)],
)
def test_section_and_activity_counts(key, sections, activities):
    doc = parsed(key)
    assert len([s for s in doc.sections if s.title is not None]) == sections
    assert doc.activity_count() == activities
    assert sum(len(s.activities) for s in doc.sections) == activities


@pytest.mark.parametrize("key", ["000", "003"])
def test_plans_without_sections_keep_one_untitled_section(key):
    (section,) = parsed(key).sections
    assert (section.title, section.number, section.line) == (None, None, None)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "001",
            [
                (
                    "1.",
                    "Диагностика факторов риска учебной неуспешности школ с низкими "
                    "образовательными результатами",
                    36,
                    7,
                ),
                ("2.", "Координация работы по реализации проекта «500+»", 46, 7),
                (
                    "3.",
                    "Деятельность по оказанию методической и консультационной "
                    "поддержки школам с низкими образовательными результатами",
                    56,
                    6,
                ),
            ],
        ),
        (
            "002",
            [
                (
                    None,
                    "Нормативное правовое обеспечение проекта на муниципальном уровне",
                    46,
                    3,
                ),
                (
                    None,
                    "Консультирование и тьюторское сопровождение школ с нестабильными "
                    "результатами",
                    50,
                    11,
                ),
                (
                    None,
                    "Распространение лучших практик перевода школ в режим эффективной "
                    "работы",
                    64,
                    2,
                ),
                (
                    None,
                    "Организационно-техническое сопровождение реализации мероприятий "
                    "проекта",
                    67,
                    2,
                ),
            ],
        ),
        (
            "004",
            [
                (None, "Организационно-управленческое направление", 36, 11),
                (None, "Аналитико-мониторинговое направление", 54, 5),
                (None, "Методическое направление", 63, 19),
                (None, "Информационное сопровождение", 95, 3),
            ],
        ),
    ],
)
def test_sections(key, expected):
    sections = [
        (s.number, s.title, s.line, len(s.activities)) for s in parsed(key).sections
    ]
    assert sections == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "000",
            [
                ("number", "№ п/п"),
                ("title", "Наименование мероприятия"),
                ("deadline", "Сроки"),
                ("responsible", "Ответственные исполнители"),
            ],
        ),
        (
            "001",
            [
                ("number", "№"),
                ("title", "Задачи"),
                ("deadline", "Сроки реализации"),
                ("responsible", "Исполнители"),
                ("indicator", "Показатель реализации"),
            ],
        ),
        (
            "002",
            [
                ("number", "№"),
                ("title", "Мероприятие"),
                ("deadline", "Срок"),
                ("responsible", "Ответственные"),
            ],
        ),
        (
            "003",
            [
                ("title", "Наименование мероприятия"),
                ("deadline", "Срок реализации мероприятия"),
                ("responsible", "Ответственные"),
                ("indicator", "Муниципальный показатель реализации"),
            ],
        ),
        (
            "004",
            [
                ("number", "№"),
                ("title", "Мероприятия/ события"),
                ("description", "Описание"),
                ("deadline", "Сроки"),
                ("responsible", "Ответственный"),
                ("indicator", "Региональный показатель результативности"),
            ],
        ),
    ],
)
def test_columns(key, expected):
    assert [(c.key.value, c.header) for c in parsed(key).columns] == expected


FIRST_AND_LAST = {
    "000": (
        (
            "1.",
            "Изучение нормативного и методического сопровождения Проекта",
            "",
            "январь 2021 года",
            "МОУО, ОО",
            "",
        ),
        (
            "17.",
            "Участие в региональном семинаре по результатам реализации Проекта",
            "",
            "декабрь 2021 года",
            "МОУО, ОО",
            "",
        ),
    ),
    "001": (
        (
            "1.1.",
            (
                "Разработка муниципальной программы управления качеством"
                " образования в муниципальном образовании «Кузоватовский район»"
            ),
            "",
            "Декабрь 2021",
            "МУ «Управление образования»",
            (
                "Программа управления качеством образования в муниципальном"
                " образовании «Кузоватовский район»"
            ),
        ),
        (
            "3.6.",
            (
                "Подведение итогов реализации Проекта 500+на территории МО"
                " «Кузоватовский район». Круглый стол. «Итоги реализации"
                " муниципальной и школьных дорожных карт»."
            ),
            "",
            "Декабрь 2022",
            "МУ «Управление образования», руководители образовательных организаций",
            (
                "Перечень выполненных мероприятий, Аналитический анализ"
                " результатов реализации проекта"
            ),
        ),
    ),
    "002": (
        (
            "1.",
            "Разработка Дорожной карты проекта",
            "",
            "Январь",
            "Комитет по образованию",
            "",
        ),
        (
            "18.",
            (
                "PR-сопровождение мероприятий, презентация результатов"
                " деятельности на методических мероприятиях"
            ),
            "",
            "В течение года",
            "Степанов А.И., инженер-программист",
            "",
        ),
    ),
    "003": (
        (
            None,
            (
                "Организационно-информационная работа по определению кандидатур"
                " муниципальных координаторов и кураторов школ – участников"
                " федерального проекта «500+»"
            ),
            "",
            "Февраль 2021 г.",
            (
                "Отдел образования администрации города Новочебоксарска МБУ «Центр"
                " мониторинга образования города Новочебоксарска»"
            ),
            (
                "Определение муниципальных координаторов, кураторов школ –"
                " участников федерального проекта «500+»"
            ),
        ),
        (
            None,
            (
                "Организационно-информационная работа по организации участия"
                " педагогов школ – участников федерального проекта «500+» в курсах"
                " повышения квалификации различного уровня"
            ),
            "",
            "В течение 2021 г.",
            (
                "Отдел образования администрации города Новочебоксарска МБУ «Центр"
                " мониторинга образования города Новочебоксарска»"
                " Общеобразовательные организации – участники федерального проекта"
                " «500+»"
            ),
            (
                "Участие педагогов школ – участников федерального проекта «500+» в"
                " курсах повышения квалификации различного уровня"
            ),
        ),
    ),
    "004": (
        (
            "1",
            "Утверждение состава участников проекта «500+»",
            (
                "Определение школ-участников, муниципальных координаторов,"
                " кандидатов в кураторы"
            ),
            "Февраль",
            (
                "Департамент Смоленской области по образованию и науке (далее –"
                " Департамент)"
            ),
            "Приказ Департамента",
        ),
        (
            "38",
            (
                "Опрос удовлетворенности участников проекта «500+» качеством"
                " сопровождения проекта"
            ),
            (
                "Выявление удовлетворенности организованной региональным"
                " оператором методической поддержки всех участников проекта «500+»"
            ),
            "Ноябрь",
            "Региональный координатор",
            "Отчет (уровень удовлетворенност и не ниже 80 %)",
        ),
    ),
}


@pytest.mark.parametrize("key", SEED_KEYS)
def test_first_and_last_activity(key):
    activities = parsed(key).activities()
    first, last = FIRST_AND_LAST[key]
    assert cells(activities[0]) == first
    assert cells(activities[-1]) == last


# The cells that continue on later lines (by the activity's first line),
# with their joined text.
CONTINUED = [
    (
        "000",
        49,
        {
            "title": (
                "Развитие службы психолого-педагогического сопровождения"
                " обучающихся: повышение доступности и качества оказания"
                " психологической помощи, проведение Недели психологии в"
                " школе, создание условий для формирования"
                " стрессоустойчивости детей и подростков"
            ),
        },
    ),
    (
        "001",
        42,
        {
            "title": (
                "Участие в анкетировании школы-участницы Проекта «500+»"
                " для формирования рискового профиля школы (анкетирование"
                " директора ОО; учителей и учащихся 6 и 8 классов;"
                " родителей учащихся 6 и 8 классов)"
            ),
        },
    ),
    (
        "001",
        52,
        {
            "responsible": (
                "МУ «Управление образования», руководители МОУ СШ"
                " п.ст. Нaleyка, МОУ ОШ с. Волынщина, МОУ СШ с."
                " Студенец, кураторы школ"
            ),
        },
    ),
    (
        "003",
        45,
        {
            "title": (
                "Организационно-информационная работа по организации"
                " участия школ – участников федерального проекта «500+» в"
                " независимой оценке учебных достижений обучающихся в"
                " рамках текущего контроля при участии независимых"
                " экспертов (БУ ЧР ДПО «Чувашский республиканский"
                " институт образования» Минобразования Чувашии)"
            ),
            "responsible": (
                "МБУ «Центр мониторинга образования города"
                " Новочебоксарска» Общеобразовательные организации"
                " – участники федерального проекта «500+»,"
                " муниципальный координатор"
            ),
            "indicator": (
                "Участие школ – участников федерального проекта"
                " «500+» в независимой оценке учебных достижений"
                " обучающихся в рамках текущего контроля при участии"
                " независимых экспертов (БУ ЧР ДПО «Чувашский"
                " республиканский институт образования»"
                " Минобразования Чувашии)"
            ),
        },
    ),
    (
        "003",
        51,
        {
            "title": (
                "Организационно-информационная работа по организации"
                " участия школ – участников федерального проекта «500+» в"
                " диагностике достижения метапредметных результатов"
                " освоения обучающимися 5-8 классов основной"
                " образовательной программы основного общего образования"
                " при участии независимых экспертов (БУ ЧР ДПО «Чувашский"
                " республиканский институт образования» Минобразования"
                " Чувашии)"
            ),
            "responsible": (
                "МБУ «Центр мониторинга образования города"
                " Новочебоксарска» Общеобразовательные организации"
                " – участники федерального проекта «500+»,"
                " муниципальный координатор"
            ),
            "indicator": (
                "Участие школ – участников федерального проекта"
                " «500+» в диагностике достижения метапредметных"
                " результатов освоения обучающимися 5-8 классов"
                " основной образовательной программы основного общего"
                " образования при участии независимых экспертов (БУ"
                " ЧР ДПО «Чувашский республиканский институт"
                " образования» Минобразования Чувашии)"
            ),
        },
    ),
    (
        "003",
        57,
        {
            "title": (
                "Организационно-информационное сопровождение работы школ"
                " – участников федерального проекта «500+» и кураторов по"
                " изучению рискованных профилей, их верификации и"
                " размещению необходимых отметок к ИС МЭДК"
            ),
            "responsible": (
                "Отдел образования администрации города"
                " Новочебоксарска МБУ «Центр мониторинга"
                " образования города Новочебоксарска»"
                " Общеобразовательные организации – участники"
                " федерального проекта «500+», кураторы школ,"
                " муниципальный координатор"
            ),
            "indicator": (
                "Сопровождение работы школ – участников федерального"
                " проекта «500+» и кураторов по изучению рискованных"
                " профилей, их верификации и размещению необходимых"
                " отметок к ИС МЭДК"
            ),
        },
    ),
    (
        "004",
        41,
        {
            "title": (
                "Организация работы школ-участников с РПШ по проведению"
                " самодиагностики (утверждение графиков посещения школ"
                " кураторами, первичное посещение кураторами школы)"
            ),
            "description": (
                "Утвержден график посещения школ кураторами."
                " Школами-участниками проведена самодиагностика,"
                " совместно с кураторами, определены направления, в"
                " рамках которых будут реализованы меры"
                " противодействия имеющимся рискам. РПШ"
                " верифицированы"
            ),
        },
    ),
    (
        "004",
        49,
        {
            "title": (
                "Принятие управленческих решений, направленных на"
                " повышение качества образования в ШНОР"
            ),
            "description": (
                "Проведение заседаний Совета по вопросу анализа"
                " результатов мониторингов, разработке адресных"
                " рекомендаций как основы принятия управленческих"
                " решений"
            ),
            "deadline_text": "По плану работы Совета",
            "indicator": "Протоколы заседаний Совета",
        },
    ),
    (
        "004",
        57,
        {
            "description": (
                "Проведение Мониторинга, получение данных для"
                " анализа, интерпретация результатов как основа"
                " принятия управленческих решений"
            ),
        },
    ),
    (
        "004",
        66,
        {
            "description": (
                "Проведение рабочих совещаний для координаторов,"
                " кураторов и директоров по обсуждению текущих"
                " событий проекта, контроль достижения региональных"
                " показателей результативности"
            ),
        },
    ),
    (
        "004",
        73,
        {
            "title": (
                "Разработка дополнительных профессиональных программ"
                " повышения квалификации (далее – ДПП ПК) с учетом"
                " выявленных рисковых профилей и профессиональных"
                " дефицитов педагогов"
            ),
            "description": (
                "Анализ рисков профилей и выявленных"
                " профессиональных дефицитов педагогов. Проведение"
                " заседаний профильных кафедр."
            ),
        },
    ),
    (
        "004",
        81,
        {
            "title": (
                "Вебинар «Электронные ресурсы и сетевые сервисы для"
                " дистанционного обучения»"
            ),
            "description": (
                "Обсуждение проблемного поля круглого стола, обмен"
                " опытом и презентация лучших практик"
            ),
        },
    ),
    (
        "004",
        89,
        {
            "title": (
                "Методические рекомендации по преподаванию предметов"
                " гуманитарного профиля"
            ),
            "description": (
                "Описание эффективных практик по актуальным"
                " аспектам преподавания предметов гуманитарного"
                " профиля как условия повышения образовательных"
                " результатов обучающихся"
            ),
            "indicator": (
                "Размещение методических рекомендаций на сайте регионального оператора"
            ),
        },
    ),
    (
        "004",
        97,
        {
            "description": (
                "Обеспечение информационной поддержки участников"
                " проекта через официальный сайт регионального"
                " оператора, сайт «Адресное сопровождение школ»"
            ),
        },
    ),
]


@pytest.mark.parametrize(("key", "line", "joined"), CONTINUED)
def test_continued_rows_are_joined_cell_by_cell(key, line, joined):
    (found,) = [a for a in parsed(key).activities() if a.line == line]
    for field, text in joined.items():
        assert getattr(found, field) == text
    assert "continuation_joined" in {n.code for n in found.notes}


@pytest.mark.parametrize(
    ("key", "lines"),
    [
        ("000", [51]),
        ("001", [44, 54]),
        ("002", []),
        ("003", [47, 53, 59]),
        ("004", [44, 52, 60, 69, 76, 84, 92, 100]),
    ],
)
def test_only_continuation_rows_are_joined(key, lines):
    notes = parsed(key).notes
    assert [n.line for n in notes if n.code == "continuation_joined"] == lines


@pytest.mark.parametrize(
    ("key", "lines"),
    [
        ("000", []),
        ("001", []),
        ("002", [59]),
        ("003", []),
        ("004", [43, 51, 59, 68, 75, 83, 91, 99]),
    ],
)
def test_repeated_header_rows_are_skipped_and_noted(key, lines):
    notes = parsed(key).notes
    assert [n.line for n in notes if n.code == "header_skipped"] == lines


def test_markup_is_stripped_and_noted():
    doc = parsed("003")
    lines = [n.line for n in doc.notes if n.code == "markup_stripped"]
    assert lines == [53, 54, 55, 56, 57, 60, 61, 62]
    last = doc.activities()[-1]
    assert "markup_stripped" in {n.code for n in last.notes}
    for a in doc.activities():
        assert "<" not in "".join(cells(a)[1:])


@pytest.mark.parametrize("key", SEED_KEYS)
def test_no_markup_or_stray_whitespace_is_left(key):
    data = json.dumps(parsed(key).as_json(), ensure_ascii=False)
    assert "**" not in data
    assert "<p>" not in data
    for a in parsed(key).activities():
        for text in cells(a)[1:]:
            assert text == text.strip()
            assert "  " not in text
            assert "\t" not in text


def test_hyphen_breaks_are_repaired_and_noted():
    doc = parsed("004")
    lines = [n.line for n in doc.notes if n.code == "hyphen_repaired"]
    assert lines == [37, 40, 41, 53, 55, 77, 78, 78, 78, 79, 80, 81, 93, 93]
    assert activity(doc, "11").indicator == (
        "Проект плана-графика по проекту «500+» на 2022 год"
    )
    assert activity(doc, "25").title == (
        "Организация мероприятий по оказанию психолого-педагогической помощи "
        "школам-участникам через кабинет «Консультант-прогноз»"
    )
    assert activity(doc, "34").description.count("естественно-математического") == 1
    assert activity(doc, "34").title.endswith("естественно-математического профиля")


def test_hyphen_repair_spares_deadlines_and_non_breaks():
    assert activity(parsed("004"), "24").deadline_text == "Июнь- ноябрь"
    assert activity(parsed("004"), "7").deadline_text == "Апрель - май"
    assert activity(parsed("002"), "13.").deadline_text == "Февраль - декабрь"
    assert (
        "Проекта «500+»- МОУ СШ п ст. Налейка." in activity(parsed("001"), "3.3.").title
    )
    # Only «школы-» + «участницы» (activity 1.6) is a broken word in seed 001.
    assert [n.line for n in parsed("001").notes if n.code == "hyphen_repaired"] == [42]


@pytest.mark.parametrize(
    ("key", "numbers"),
    [
        ("000", [f"{i}." for i in range(1, 18)]),
        ("002", [f"{i}." for i in range(1, 19)]),
        ("003", [None] * 16),
        ("004", [str(i) for i in range(1, 39)]),
    ],
)
def test_numbering_is_kept_as_written(key, numbers):
    assert [a.number for a in parsed(key).activities()] == numbers


def test_numbering_of_sub_items_is_kept_as_written():
    numbers = [a.number for a in parsed("001").activities()]
    assert numbers[:7] == ["1.1.", "1.2.", "1.3.", "1.4.", "1.5.", "1.6.", "1.7."]
    assert numbers[-1] == "3.6."


ORDERS = {
    "000": {
        "issuer": "ОТДЕЛ ОБРАЗОВАНИЯ\nАДМИНИСТРАЦИИ КОЛПНЯНСКОГО РАЙОНА\n"
        "ОРЛОВСКОЙ ОБЛАСТИ",
        "kind_text": "ПРИКАЗ",
        "date": date(2021, 3, 5),
        "date_text": "«05» марта 2021 г.",
        "number": "43",
        "place": "п.г.т. Колпна",
        "title": "Об утверждении муниципальной «дорожной карты» реализации проекта "
        "по организации методической поддержки общеобразовательных организаций, "
        "имеющих низкие образовательные результаты обучения",
        "signatory_position": "Начальник отдела",
        "signatory_name": "Н.В. Серёгина",
    },
    "001": {
        "issuer": "МУНИЦИПАЛЬНОЕ УЧРЕЖДЕНИЕ УПРАВЛЕНИЕ ОБРАЗОВАНИЯ\n"
        "АДМИНИСТРАЦИИ МУНИЦИПАЛЬНОГО ОБРАЗОВАНИЯ\n"
        "«КУЗОВАТОВСКИЙ РАЙОН» УЛЬЯНОВСКОЙ ОБЛАСТИ",
        "kind_text": "Приказ",
        "date": date(2022, 1, 28),
        "date_text": "28.01.2022 г",
        "number": "12/6",
        "place": None,
        "title": "Об утверждении Плана мероприятий («Дорожной карты») "
        "организационно-методической поддержки общеобразовательных организаций, "
        "находящихся на территории муниципального образования «Кузоватовский "
        "район», имеющих низкие образовательные результаты обучающихся, на 2022 год",
        "signatory_position": "Начальник МУ\n«Управление образования»",
        "signatory_name": "Е.П. Чамкаева",
    },
    "002": {
        "issuer": "АДМИНИСТРАЦИЯ МУНИЦИПАЛЬНОГО ОБРАЗОВАНИЯ\n"
        "«ДОРОГОБУЖСКИЙ РАЙОН» СМОЛЕНСКОЙ ОБЛАСТИ\nКОМИТЕТ ПО ОБРАЗОВАНИЮ",
        "kind_text": "П Р И К А З",
        "date": date(2020, 1, 17),
        "date_text": "17.01.2020",
        "number": "13/ 01-04",
        "place": None,
        "title": "Об утверждении Дорожной карты реализации проекта "
        "«Образовательный центр поддержки и развития муниципальной системы "
        "образования «Дорогобужский район» Смоленской области» на 2020 год",
        "signatory_position": "Председатель Комитета по образованию\n"
        "МО «Дорогобужский район»",
        "signatory_name": "С.В. Белова",
    },
    "003": {
        "issuer": None,
        "kind_text": "ПРИКАЗ",
        "date": date(2021, 3, 25),
        "date_text": "25 марта 2021 г.",
        "number": "224/1",
        "place": None,
        "title": "Об утверждении «дорожной карты» по организации информационного и "
        "организационно-методического сопровождения общеобразовательных "
        "организаций г. Новочебоксарска, имеющих низкие образовательные "
        "результаты обучающихся, в рамках реализации федерального проекта «500+» "
        "в 2021 году",
        "signatory_position": "Начальник отдела образования\n"
        "администрации города Новочебоксарска",
        "signatory_name": "С.В. Родионова",
    },
    "004": {
        "issuer": "ДЕПАРТАМЕНТ СМОЛЕНСКОЙ ОБЛАСТИ\nПО ОБРАЗОВАНИЮ И НАУКЕ",
        "kind_text": "П Р И К А З",
        "date": date(2021, 8, 17),
        "date_text": "« 17 » август 20 21 г.",
        "number": "422-ОД",
        "place": None,
        "title": "О внесении изменения в план-график («дорожную карту») реализации "
        "проекта по организации методической поддержки общеобразовательных "
        "организаций, имеющих низкие образовательные результаты обучающихся, "
        "в Смоленской области",
        "signatory_position": "И.о. начальника Департамента",
        "signatory_name": "Н.В. Шелабина",
    },
}


@pytest.mark.parametrize("key", SEED_KEYS)
def test_order_header(key):
    order = parsed(key).order
    for field, value in ORDERS[key].items():
        assert getattr(order, field) == value, field


@pytest.mark.parametrize(
    ("key", "start", "end", "clauses"),
    [
        ("000", "На основании приказа Департамента", "результаты обучения", 4),
        (
            "001",
            "В целях организации адресной",
            "а также учащихся, испытывающих трудности в учении",
            3,
        ),
        ("002", "В целях организации сопровождения", "Смоленской области»", 2),
        ("003", "В целях организованной работы", "проекта 500+ в 2021 году»", 4),
        ("004", "В соответствии с результатами", "в Смоленской области", 2),
    ],
)
def test_preamble_stops_before_the_directive(key, start, end, clauses):
    order = parsed(key).order
    assert order.preamble.startswith(start)
    assert order.preamble.endswith(end)
    assert "\n" not in order.preamble
    assert len(order.clauses) == clauses
    assert [c.number for c in order.clauses] == [f"{i}." for i in range(1, clauses + 1)]


def test_clauses_and_sub_clauses():
    clauses = parsed("001").order.clauses
    assert clauses[1].text == "Руководителям общеобразовательных организаций:"
    assert [(c.number, c.text) for c in clauses[1].children] == [
        ("2.1.", "Обеспечить исполнение мероприятий Дорожной карты в 2022 году."),
        (
            "2.2.",
            "Разработать и утвердить школьные дорожные карты повышения "
            "эффективности деятельности и качества образования на 2022 год.",
        ),
    ]
    assert (
        clauses[2].text
        == "Контроль за исполнением настоящего приказа оставляю за собой."
    )
    assert not clauses[0].children
    assert not clauses[2].children
    assert parsed("000").order.clauses[3].text.startswith("Контроль за исполнением")


def test_references_of_the_preamble():
    references = parsed("000").order.references
    assert [(r.issuer, r.date, r.number) for r in references] == [
        ("Департамента образования Орловской области", date(2021, 3, 3), "239"),
        (
            "федерального государственного учреждения «Федеральный институт "
            "оценки качества образования»",
            date(2021, 1, 18),
            "02-21/9",
        ),
        (
            "управления общего образования Департамента образования Орловской области",
            date(2021, 1, 26),
            "124",
        ),
    ]
    assert references[0].text.startswith("приказа Департамента образования")
    assert references[0].title == (
        "Об утверждении регионального плана-графика реализации проекта по "
        "организации методической поддержки общеобразовательных организаций, "
        "имеющих низкие образовательные результаты"
    )
    assert references[1].text.startswith("писем федерального")
    assert references[1].title == (
        "О начале реализации проекта адресной методической помощи 500+"
    )
    # The source never closes this title's quotation mark.
    assert references[2].title.endswith("образовательные результаты обучения")


def test_reference_with_nested_quotes():
    (reference,) = parsed("003").order.references
    assert reference.issuer == (
        "Министерства образования и молодежной политики Чувашской Республики"
    )
    assert (reference.date, reference.number) == (date(2021, 3, 22), "335")
    assert reference.title == (
        "Об утверждении «дорожной карты» по организации методической поддержки "
        "общеобразовательных организаций Чувашской Республики, имеющих низкие "
        "образовательные результаты обучающихся, в рамках реализации федерального "
        "проекта 500+ в 2021 году"
    )
    assert reference.text.startswith("приказом Министерства")


@pytest.mark.parametrize("key", ["001", "002", "004"])
def test_orders_citing_nothing_have_no_references(key):
    assert parsed(key).order.references == []


def test_amended_order():
    order = parsed("004").order
    amends = order.amends
    assert amends.issuer == "Департамента Смоленской области по образованию и науке"
    assert (amends.date, amends.number) == (date(2021, 3, 16), "189-ОД")
    assert amends.text.startswith("утвержденный приказом Департамента")
    assert amends.title == (
        "Об утверждении плана-графика («дорожной карты») реализации проекта по "
        "организации методической поддержки общеобразовательных организаций, "
        "имеющих низкие образовательные результаты обучающихся, в Смоленской "
        "области"
    )
    for key in ["000", "001", "002", "003"]:
        assert parsed(key).order.amends is None


def test_appendix_headers():
    appendix = parsed("000").order.appendix
    assert appendix.text == (
        "Приложение\nк приказу отдела образования\nадминистрации Колпнянского "
        "района\nОрловской области\nот 05 марта 2021 года № 43"
    )
    assert (appendix.order_date, appendix.order_number) == (date(2021, 3, 5), "43")
    assert (appendix.amended_date, appendix.amended_number) == (None, None)
    appendix = parsed("004").order.appendix
    assert appendix.text == (
        "Приложение к приказу Департамента\nСмоленской области по образованию\n"
        "и науке от «16» 03 2021 г. № 189-ОД\n(в ред. от «17» 05 2021 г. № 422-ОД)"
    )
    assert (appendix.order_date, appendix.order_number) == (
        date(2021, 3, 16),
        "189-ОД",
    )
    assert (appendix.amended_date, appendix.amended_number) == (
        date(2021, 5, 17),
        "422-ОД",
    )
    for key in ["001", "002", "003"]:
        assert parsed(key).order.appendix is None


@pytest.mark.parametrize(
    ("key", "title"),
    [
        (
            "000",
            "Муниципальная «дорожная карта» по реализации проекта по организации "
            "методической поддержки общеобразовательных организаций, имеющих низкие "
            "образовательные результаты обучения",
        ),
        (
            "001",
            "План мероприятий («Дорожная карта») организационно-методической "
            "поддержки общеобразовательных организаций, находящихся на территории "
            "муниципального образования «Кузоватовский район», имеющих низкие "
            "образовательные результаты обучающихся",
        ),
        (
            "002",
            "Дорожная карта реализации проекта «Образовательный центр поддержки и "
            "развития муниципальной системы образования «Дорогобужский район» "
            "Смоленской области» на 2020 год",
        ),
        (
            "003",
            "«Дорожная карта» по организации информационного и "
            "организационно-методического сопровождения общеобразовательных "
            "организаций г. Новочебоксарска, имеющих низкие образовательные "
            "результаты обучающихся, в рамках реализации федерального проекта "
            "«500+» в 2021 году",
        ),
        ("004", "План-график («дорожная карта») реализации Проекта «500+»"),
    ],
)
def test_plan_title(key, title):
    assert parsed(key).title == title


@pytest.mark.parametrize(
    ("key", "year"),
    [("000", 2021), ("001", 2022), ("002", 2020), ("003", 2021), ("004", 2021)],
)
def test_plan_year(key, year):
    assert parsed(key).plan_year() == year


def test_warnings_point_at_what_a_person_must_check():
    assert len(parsed("000").warnings) == 0
    assert len(parsed("002").warnings) == 0
    # The order is dated 17 August but its appendix says «в ред. от «17» 05 2021».
    (mismatch,) = parsed("004").warnings
    assert "422-ОД" in mismatch
    assert "17.05.2021" in mismatch
    assert "17.08.2021" in mismatch
    # «Нaleyка» is typed with Latin letters in five rows.
    mixed = [n.line for n in parsed("001").notes if n.code == "mixed_script"]
    assert mixed == [45, 50, 51, 52, 62]
    assert len(parsed("001").warnings) == 5
    assert len(parsed("003").warnings) == 1


def test_a_pasted_table_alone_has_no_order():
    lines = seed_text("000").split("\n")
    doc = parse_document("\n".join(lines[37:]))
    assert doc.order is None
    assert doc.title is None
    assert doc.activity_count() == 17
    assert doc.activities()[0].line == 2
    assert doc.warnings == []


def test_a_pasted_table_with_its_title_has_no_order():
    lines = seed_text("004").split("\n")
    doc = parse_document("\n".join(lines[32:]))
    assert doc.order is None
    assert doc.title == "План-график («дорожная карта») реализации Проекта «500+»"
    assert doc.activity_count() == 38


def test_windows_line_endings_read_the_same():
    doc = parse_document(seed_text("001").replace("\n", "\r\n"))
    assert doc.as_json() == parsed("001").as_json()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   \n\t\n  \n", "empty"),
        (
            "Дорожная карта проекта 500+ будет утверждена позже.\n"
            "Мероприятия, сроки и ответственные пока не определены.",
            "no_table",
        ),
        ("PK\x03\x04\x00\x00\x08\x00word/document.xml", "binary"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08abc", "binary"),
    ],
)
def test_errors(text, code):
    with pytest.raises(ParseError) as caught:
        parse_document(text)
    assert caught.value.code == code
    assert caught.value.message
    assert str(caught.value) == caught.value.message


def test_as_json():
    data = parsed("000").as_json()
    assert set(data) == {"order", "title", "columns", "sections", "warnings"}
    json.dumps(data, ensure_ascii=False)
    assert data["order"]["date"] == "2021-03-05"
    assert data["order"]["appendix"]["order_date"] == "2021-03-05"
    assert data["order"]["references"][0]["date"] == "2021-03-03"
    assert data["columns"][0] == {"key": "number", "header": "№ п/п"}
    (section,) = data["sections"]
    assert (section["title"], section["number"]) == (None, None)
    assert section["activities"][0] == {
        "number": "1.",
        "title": "Изучение нормативного и методического сопровождения Проекта",
        "description": "",
        "deadline_text": "январь 2021 года",
        "responsible": "МОУО, ОО",
        "indicator": "",
        "line": 39,
    }
    clauses = parsed("001").as_json()["order"]["clauses"]
    assert clauses[1]["children"][0] == {
        "number": "2.1.",
        "text": "Обеспечить исполнение мероприятий Дорожной карты в 2022 году.",
        "children": [],
    }
    assert parsed("002").as_json()["order"]["appendix"] is None
    assert parsed("004").as_json()["order"]["amends"]["date"] == "2021-03-16"
    assert parsed("004").as_json()["sections"][0]["title"] == (
        "Организационно-управленческое направление"
    )


@pytest.mark.parametrize(
    ("cells", "keys"),
    [
        (
            ["№ п/п", "Наименование мероприятия", "Сроки"],
            ["number", "title", "deadline"],
        ),
        (
            ["**№**", "<p>Мероприятия</p>", "Срок исполнения", "Исполнитель", ""],
            ["number", "title", "deadline", "responsible"],
        ),
        (
            ["Содержание мероприятия", "Ожидаемый результат", "Ответственный"],
            ["title", "indicator", "responsible"],
        ),
    ],
)
def test_find_header_recognises_headers_by_meaning(cells, keys):
    assert [c.key for c in find_header(cells)] == [ColumnKey(k) for k in keys]


@pytest.mark.parametrize(
    "cells",
    [
        ["1.", "Отбор кандидатов в кураторы школ", "январь 2021 года", "МОУО"],
        ["Наименование мероприятия"],
        ["№", "Сроки", "Ответственные"],
        ["№", "Мероприятие", "Срок", "Примечание"],
    ],
)
def test_find_header_rejects_other_rows(cells):
    assert find_header(cells) is None
