# Russian text is the subject matter here, so Cyrillic letters are intended.
from pathlib import Path

import pytest

from roadmaps.executors import (
    Candidate,
    ExecutorMatch,
    ExecutorRole,
    match_executors,
    normalise_name,
)
from tests.helpers import seed_column_cells

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

DEPARTMENT = ExecutorRole.DEPARTMENT
REGIONAL_OPERATOR = ExecutorRole.REGIONAL_OPERATOR
REGIONAL_COORDINATOR = ExecutorRole.REGIONAL_COORDINATOR
MUNICIPAL_AUTHORITY = ExecutorRole.MUNICIPAL_AUTHORITY
MUNICIPAL_COORDINATOR = ExecutorRole.MUNICIPAL_COORDINATOR
METHODOLOGICAL_CENTRE = ExecutorRole.METHODOLOGICAL_CENTRE
SCHOOL = ExecutorRole.SCHOOL
CURATOR = ExecutorRole.CURATOR

NALEYKA = Candidate("naleyka", ("МОУ СШ п.ст. Налейка",), SCHOOL)
VOLYNSHCHINA = Candidate("volynshchina", ("МОУ ОШ с. Волынщина",), SCHOOL)
STUDENETS = Candidate("studenets", ("МОУ СШ с. Студенец",), SCHOOL)
KUZOVATOVO_SCHOOLS = (NALEYKA, VOLYNSHCHINA, STUDENETS)


def roles(text: str) -> list[ExecutorRole | None]:
    return [m.role for m in match_executors(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("МОУО, ОО, куратор", [MUNICIPAL_AUTHORITY, SCHOOL, CURATOR]),
        ("Департамент", [DEPARTMENT]),
        ("Министерство образования и молодежной политики", [DEPARTMENT]),
        ("Региональный оператор", [REGIONAL_OPERATOR]),
        ("ОГАУ «Институт развития образования»", [REGIONAL_OPERATOR]),
        ("Региональный координатор", [REGIONAL_COORDINATOR]),
        ("ОМС", [MUNICIPAL_AUTHORITY]),
        ("Комитет по образованию", [MUNICIPAL_AUTHORITY]),
        ("отдел образования", [MUNICIPAL_AUTHORITY]),
        ("МУ «Управление образования»", [MUNICIPAL_AUTHORITY]),
        ("муниципальный координатор", [MUNICIPAL_COORDINATOR]),
        ("Муниципальные координаторы, кураторы", [MUNICIPAL_COORDINATOR, CURATOR]),
        ("МОЦ", [METHODOLOGICAL_CENTRE]),
        ("Координатор МОЦ", [METHODOLOGICAL_CENTRE]),
        ("ОО", [SCHOOL]),
        ("ОУ", [SCHOOL]),
        ("руководители ОУ", [SCHOOL]),
        ("директора", [SCHOOL]),
        ("Общеобразовательные организации", [SCHOOL]),
        ("руководители общеобразовательных организаций", [SCHOOL]),
        ("школы-участники", [SCHOOL]),
        ("куратор", [CURATOR]),
        ("кураторы", [CURATOR]),
        ("кураторы школ", [CURATOR]),
        ("КУРАТОРАМИ", [CURATOR]),
        ("муниципальным координаторам", [MUNICIPAL_COORDINATOR]),
    ],
)
def test_match_executors_finds_role_keywords(text, expected):
    assert roles(text) == expected


def test_match_executors_reports_fragments_as_written():
    assert match_executors("МОУО, ОО, куратор") == [
        ExecutorMatch("МОУО", None, MUNICIPAL_AUTHORITY),
        ExecutorMatch("ОО", None, SCHOOL),
        ExecutorMatch("куратор", None, CURATOR),
    ]


def test_match_executors_keeps_the_quotes_of_a_quoted_name():
    assert match_executors("МУ «Управление образования», руководители ОУ") == [
        ExecutorMatch("МУ «Управление образования»", None, MUNICIPAL_AUTHORITY),
        ExecutorMatch("руководители ОУ", None, SCHOOL),
    ]


def test_match_executors_finds_candidate_schools_written_with_latin_letters():
    text = (
        "Руководители МОУ СШ п.ст. Нaleyка, МОУ ОШ с. Волынщина, "
        "МОУ СШ с. Студенец, кураторы школ"
    )
    assert match_executors(text, KUZOVATOVO_SCHOOLS) == [
        ExecutorMatch("МОУ СШ п.ст. Нaleyка", "naleyka", SCHOOL),
        ExecutorMatch("МОУ ОШ с. Волынщина", "volynshchina", SCHOOL),
        ExecutorMatch("МОУ СШ с. Студенец", "studenets", SCHOOL),
        ExecutorMatch("кураторы школ", None, CURATOR),
    ]


@pytest.mark.parametrize(
    ("text", "expected_keys"),
    [
        ("МОУ СШ п.ст. Налейка", ["naleyka"]),
        ("МОУ СШ п. ст. Налейка", ["naleyka"]),
        ("МОУ СШ п ст. Налейка", ["naleyka"]),
        ("открытые уроки в МОУ СШ п ст. Налейка.", ["naleyka"]),
        ("МОУ СШ п.ст. Нaleyка, Жбанникова О.А.", ["naleyka"]),
        (
            "МУ «Управление образования», руководители МОУ СШ п.ст. Налейка, "
            "МОУ ОШ с. Волынщина, МОУ СШ с. Студенец",
            [None, "naleyka", "volynshchina", "studenets"],
        ),
        # «ОШ» instead of «СШ» is another school unless the caller adds an
        # alias: it stays an unnamed school.
        ("МОУ ОШ п.ст. Налейка", [None]),
        # «с.» is not «п.ст.»: a partial name is no match.
        ("МОУ СШ с. Налейка", [None]),
    ],
)
def test_match_executors_matches_candidates_by_whole_name(text, expected_keys):
    matches = match_executors(text, KUZOVATOVO_SCHOOLS)
    assert [m.key for m in matches] == expected_keys


def test_match_executors_uses_candidate_aliases():
    naleyka = Candidate(
        "naleyka", ("МОУ СШ п.ст. Налейка", "МОУ ОШ п.ст. Налейка"), SCHOOL
    )
    assert match_executors("МОУ ОШ п.ст. Налейка", [naleyka]) == [
        ExecutorMatch("МОУ ОШ п.ст. Налейка", "naleyka", SCHOOL)
    ]


def test_match_executors_prefers_the_longest_candidate_name():
    short = Candidate("department", ("Департамент",), DEPARTMENT)
    other = Candidate("council", ("Смоленской области",), None)
    text = "Департамент Смоленской области по образованию и науке"
    full = Candidate("full", (text,), DEPARTMENT)
    assert [m.key for m in match_executors(text, [short, other, full])] == ["full"]


def test_match_executors_reports_a_body_named_twice_once():
    department = Candidate(
        "dep",
        ("Департамент Смоленской области по образованию и науке", "Департамент"),
        DEPARTMENT,
    )
    text = "Департамент Смоленской области по образованию и науке (далее – Департамент)"
    assert match_executors(text, [department]) == [
        ExecutorMatch(
            "Департамент Смоленской области по образованию и науке", "dep", DEPARTMENT
        )
    ]


def test_match_executors_reports_a_role_named_twice_once():
    text = "Департамент Смоленской области по образованию и науке (далее – Департамент)"
    assert match_executors(text) == [ExecutorMatch("Департамент", None, DEPARTMENT)]


def test_match_executors_reports_candidate_without_role():
    kvantorium = Candidate("kvantorium", ("ДТ «Кванториум»",))
    text = "ДТ «Кванториум», центры «ИТ-куб, руководители МОУ СШ п.ст. Налейка"
    assert match_executors(text, [kvantorium, NALEYKA]) == [
        ExecutorMatch("ДТ «Кванториум»", "kvantorium", None),
        ExecutorMatch("МОУ СШ п.ст. Налейка", "naleyka", SCHOOL),
    ]


def test_match_executors_keeps_a_key_and_a_role_of_the_same_kind():
    matches = match_executors("МОУ СШ п.ст. Налейка, ОО", [NALEYKA])
    assert [(m.key, m.role) for m in matches] == [
        ("naleyka", SCHOOL),
        (None, SCHOOL),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Степанов А.И., инженер-программист",
        "Совет",
        "руководители районных методических объединений",
        "Жбанникова О.А.",
        "ФИОКО",
    ],
)
def test_match_executors_leaves_people_and_unknown_bodies_as_free_text(text):
    assert match_executors(text) == []


# Every distinct cell of the executors columns of seeds 000 and 002.
SEED_CELLS = [
    ("000", "МОУО, ОО", [MUNICIPAL_AUTHORITY, SCHOOL]),
    ("000", "МОУО", [MUNICIPAL_AUTHORITY]),
    ("000", "муниципальный координатор", [MUNICIPAL_COORDINATOR]),
    ("000", "ОО, куратор", [SCHOOL, CURATOR]),
    ("000", "МОУО, ОО, куратор", [MUNICIPAL_AUTHORITY, SCHOOL, CURATOR]),
    ("002", "Комитет по образованию", [MUNICIPAL_AUTHORITY]),
    ("002", "Координатор МОЦ", [METHODOLOGICAL_CENTRE]),
    ("002", "МОЦ", [METHODOLOGICAL_CENTRE]),
    ("002", "Координатор МОЦ, руководители ОУ", [METHODOLOGICAL_CENTRE, SCHOOL]),
    ("002", "ОУ", [SCHOOL]),
    (
        "002",
        "Комитет по образованию, МОЦ",
        [MUNICIPAL_AUTHORITY, METHODOLOGICAL_CENTRE],
    ),
    # СОИРО: Смоленский областной институт развития образования.
    ("002", "СОИРО, МОЦ", [REGIONAL_OPERATOR, METHODOLOGICAL_CENTRE]),
    ("002", "Степанов А.И., инженер-программист", []),
]


@pytest.mark.parametrize(("seed", "text", "expected"), SEED_CELLS)
def test_match_executors_reads_every_cell_of_seeds_000_and_002(seed, text, expected):
    assert roles(text) == expected


def test_match_executors_reads_seed_002_with_candidates():
    moc = Candidate(
        "moc", ("МОЦ", "муниципальный методический центр"), METHODOLOGICAL_CENTRE
    )
    committee = Candidate("committee", ("Комитет по образованию",), MUNICIPAL_AUTHORITY)
    soiro = Candidate("soiro", ("СОИРО",), REGIONAL_OPERATOR)
    candidates = [moc, committee, soiro]
    assert match_executors("Комитет по образованию, МОЦ", candidates) == [
        ExecutorMatch("Комитет по образованию", "committee", MUNICIPAL_AUTHORITY),
        ExecutorMatch("МОЦ", "moc", METHODOLOGICAL_CENTRE),
    ]
    assert match_executors("Координатор МОЦ, руководители ОУ", candidates) == [
        ExecutorMatch("МОЦ", "moc", METHODOLOGICAL_CENTRE),
        ExecutorMatch("руководители ОУ", None, SCHOOL),
    ]
    assert [m.key for m in match_executors("СОИРО, МОЦ", candidates)] == [
        "soiro",
        "moc",
    ]


def _seed_executor_cells(path: Path) -> list[str]:
    return seed_column_cells(path, "Ответственн")


@pytest.mark.parametrize("seed", ["000", "002"])
def test_match_executors_seed_list_covers_every_seed_cell(seed):
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    listed = [text for s, text, _ in SEED_CELLS if s == seed]
    assert _seed_executor_cells(path) == listed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("МОУ СШ п.ст. Налейка", "моу сш п ст налейка"),
        ("МОУ СШ п. ст. Налейка", "моу сш п ст налейка"),
        ("МОУ СШ п ст. Налейка", "моу сш п ст налейка"),
        ("ДТ «Кванториум»", "дт кванториум"),
        ('МУ "Управление образования"', "му управление образования"),
        ("“Школа”  №\u00a05", "школа 5"),
        (
            "Отдел  образования,\tг. Новочебоксарск",
            "отдел образования г новочебоксарск",
        ),
        ("Семёнов", "семенов"),
        # Latin look-alikes read as Cyrillic: «MOУ» typed with Latin M and O.
        ("MOУ CШ", "моу сш"),
        ("aceopxykmthb", "асеорхукмтнв"),
        # «l» only sounds like «л»: it is not a look-alike and stays Latin.
        ("Нaleyка", "наlеука"),
    ],
)
def test_normalise_name_reduces_spelling_variants(text, expected):
    assert normalise_name(text) == expected
