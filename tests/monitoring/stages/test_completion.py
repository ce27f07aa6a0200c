"""Completion (missing / late at fixed dates), consolidated values computed
independently, the Excel export read back, and comparing two stages."""

import datetime
import io
import statistics
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import SubmissionStatus
from monitoring.stages.selectors import completion_counts, consolidated
from schools.models import Organisation

from .factories import FieldFactory, SchoolFactory, form, participate

pytestmark = pytest.mark.django_db
S = SubmissionStatus


def at(day, hour=12):
    return datetime.datetime(2022, 6, day, hour, tzinfo=datetime.UTC)


def july(day):
    return datetime.datetime(2022, 7, day, 12, tzinfo=datetime.UTC)


@pytest.fixture
def filled(world):
    """a1 sent on time, a2 sent after closing, b1 nothing."""
    form(world.stage, world.schools["a1"], S.SUBMITTED, submitted=at(20), pupils=1)
    form(world.stage, world.schools["a2"], S.CONFIRMED, submitted=july(2), pupils=2)
    return world


@pytest.mark.parametrize(
    ("today", "late"),
    [
        (datetime.date(2022, 6, 15), 1),  # before closing: only a2 (sent late) … in
        (datetime.date(2022, 6, 30), 1),  # the closing day itself is not late
        (datetime.date(2022, 7, 1), 2),  # b1 still missing after closing
    ],
)
def test_late_and_missing_at_fixed_dates(filled, today, late):
    counts = completion_counts(stage_ids=[filled.stage.pk], on=today)[filled.stage.pk]
    assert counts == {
        "total": 3,
        "missing": 1,
        "draft": 0,
        "submitted": 1,
        "confirmed": 1,
        "returned": 0,
        "late": late,
    }


def test_draft_counts_late_only_after_closing(world):
    form(world.stage, world.schools["b1"], S.DRAFT, pupils=3)
    before = completion_counts(
        stage_ids=[world.stage.pk], on=datetime.date(2022, 6, 30)
    )
    after = completion_counts(stage_ids=[world.stage.pk], on=datetime.date(2022, 7, 1))
    assert before[world.stage.pk]["draft"] == 1
    assert before[world.stage.pk]["late"] == 0
    # b1's draft and the two schools with nothing at all
    assert after[world.stage.pk]["late"] == 3


def test_counts_narrowed_to_schools_and_for_many_stages_in_one_query(
    filled, django_assert_num_queries
):
    schools = Organisation.objects.filter(
        municipality=filled.schools["a1"].municipality
    )
    with django_assert_num_queries(1):
        counts = completion_counts(
            stage_ids=[filled.stage.pk, filled.foreign.pk, filled.hidden.pk],
            schools=schools,
            on=datetime.date(2022, 6, 15),
        )
    assert counts[filled.stage.pk]["total"] == 2
    assert counts[filled.stage.pk]["missing"] == 0
    assert counts[filled.foreign.pk]["total"] == 0
    assert counts[filled.hidden.pk]["missing"] == 2


def test_non_participants_do_not_count(world):
    form(world.stage, world.schools["a3"], S.SUBMITTED, pupils=5)  # not in project
    counts = completion_counts(stage_ids=[world.stage.pk])[world.stage.pk]
    assert counts["total"] == 3
    assert counts["submitted"] == 0


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("missing", {"b1"}),
        ("submitted", {"a1"}),
        ("confirmed", {"a2"}),
        ("late", {"a2", "b1"}),
        ("draft", set()),
        ("", {"a1", "a2", "b1"}),
    ],
)
def test_completion_page_filters(client, filled, on, status, expected):
    on(datetime.date(2022, 7, 10))
    client.force_login(filled.users["regional_staff"])
    response = client.get(
        reverse("monitoring:stage-completion", args=[filled.stage.pk]),
        {"status": status},
    )
    rows = {r.pk for r in response.context["page"].object_list}
    assert rows == {filled.schools[k].pk for k in expected}
    text = response.content.decode()
    assert 'data-testid="count-late"' in text
    counts = response.context["counts"]
    assert (counts["missing"], counts["late"]) == (1, 2)


def test_completion_municipality_filter(client, filled):
    client.force_login(filled.users["regional_staff"])
    mun_b = filled.schools["b1"].municipality
    response = client.get(
        reverse("monitoring:stage-completion", args=[filled.stage.pk]),
        {"municipality": mun_b.pk},
    )
    assert [r.pk for r in response.context["page"].object_list] == [
        filled.schools["b1"].pk
    ]
    assert response.context["counts"]["total"] == 1
    # A link of each count keeps the municipality.
    assert all(
        f"municipality={mun_b.pk}" in link for _k, _n, link in response.context["links"]
    )


def test_consolidated_values_equal_independent_computation(world):
    region = world.stage.region
    mun_a = world.schools["a1"].municipality
    extra = [
        SchoolFactory(municipality=mun_a, name=f"Доп. школа {i}") for i in range(5)
    ]
    participate(*extra)
    data = {
        world.schools["a1"]: (S.CONFIRMED, 120, Decimal("4.5"), True),
        world.schools["a2"]: (S.CONFIRMED, 80, Decimal("10"), False),
        world.schools["b1"]: (S.CONFIRMED, 200, Decimal("2.25"), True),
        extra[0]: (S.SUBMITTED, 50, Decimal("30"), False),
        extra[1]: (S.DRAFT, 999, Decimal("99"), True),
        extra[2]: (S.RETURNED, 10, Decimal("1"), True),
        extra[3]: (S.CONFIRMED, 60, None, None),
    }
    for school, (status, pupils, failing, ok) in data.items():
        values = {"pupils": pupils}
        if failing is not None:
            values["failing"] = failing
        if ok is not None:
            values["plan_ok"] = ok
        form(world.stage, school, status, **values)
    schools = Organisation.objects.filter(region=region)
    for include_submitted in (False, True):
        statuses = {S.CONFIRMED} | ({S.SUBMITTED} if include_submitted else set())
        chosen = {s: v for s, v in data.items() if v[0] in statuses}
        summaries = {
            s.field.code: s
            for s in consolidated(
                stage=world.stage, schools=schools, include_submitted=include_submitted
            )
        }
        pupils = [Decimal(v[1]) for v in chosen.values()]
        region_pupils = summaries["pupils"].region
        assert region_pupils.count == len(pupils)
        assert region_pupils.average == (sum(pupils) / len(pupils)).quantize(
            Decimal("0.01")
        )
        assert (region_pupils.low, region_pupils.high) == (min(pupils), max(pupils))
        failing = [v[2] for v in chosen.values() if v[2] is not None]
        assert summaries["failing"].region.count == len(failing)
        assert summaries["failing"].region.average == Decimal(
            str(statistics.mean(failing))
        ).quantize(Decimal("0.01"))
        answers = [v[3] for v in chosen.values() if v[3] is not None]
        share = Decimal(sum(answers) * 100 / len(answers)).quantize(Decimal("0.1"))
        assert summaries["plan_ok"].region.yes_share == share
        in_a = [
            Decimal(v[1]) for s, v in chosen.items() if s.municipality_id == mun_a.pk
        ]
        by_a = summaries["pupils"].by_municipality[mun_a.pk]
        assert (by_a.count, by_a.low, by_a.high) == (len(in_a), min(in_a), max(in_a))


def test_completion_page_shows_consolidated_numbers(client, world):
    form(world.stage, world.schools["a1"], S.CONFIRMED, pupils=120, plan_ok=True)
    form(world.stage, world.schools["b1"], S.CONFIRMED, pupils=81, plan_ok=False)
    form(world.stage, world.schools["a2"], S.SUBMITTED, pupils=1000)
    client.force_login(world.users["regional_coordinator"])
    url = reverse("monitoring:stage-completion", args=[world.stage.pk])
    page = client.get(url).content.decode()
    total = page.split('data-testid="total-pupils"')[1].split("</tr>")[0]
    assert 'data-testid="avg">100,50<' in total
    yes = page.split('data-testid="total-plan_ok"')[1].split("</tr>")[0]
    assert 'data-testid="yes-share">50,0<' in yes
    page = client.get(url, {"include_submitted": "1"}).content.decode()
    total = page.split('data-testid="total-pupils"')[1].split("</tr>")[0]
    assert 'data-testid="max">1000<' in total


def test_excel_export_read_back(client, filled, on):
    on(datetime.date(2022, 7, 10))
    form(
        filled.stage,
        filled.schools["b1"],
        S.DRAFT,
        pupils=7,
        note='=HYPERLINK("http://x")',
    )
    filled.stage.submissions.filter(school=filled.schools["a1"]).delete()
    form(
        filled.stage,
        filled.schools["a1"],
        S.SUBMITTED,
        submitted=at(20),
        pupils=120,
        failing=Decimal("4.5"),
        plan_ok=True,
        note="=cmd|' /C calc'!A0",
    )
    client.force_login(filled.users["regional_staff"])
    response = client.get(reverse("monitoring:stage-export", args=[filled.stage.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    labels = [f.label for f in filled.stage.fields.order_by("position")]
    assert list(rows[0][6:]) == labels
    by_school = {r[1]: r for r in rows[1:]}
    assert set(by_school) == {"Школа А1", "Школа А2", "Школа Б1"}
    a1 = by_school["Школа А1"]
    assert a1[0] == "Район А"
    assert a1[4].date() == datetime.date(2022, 6, 20)
    assert a1[6] == 120
    assert a1[7] == 4.5
    assert a1[8] in ("да", "yes")
    assert a1[9] == "'=cmd|' /C calc'!A0"  # never a formula
    a2 = by_school["Школа А2"]
    assert a2[3] in ("да", "yes")  # sent after closing
    b1 = by_school["Школа Б1"]
    assert b1[6:] == (None,) * len(labels)  # a draft's values are not exported
    filtered = client.get(
        reverse("monitoring:stage-export", args=[filled.stage.pk]), {"status": "late"}
    )
    ws = load_workbook(io.BytesIO(filtered.content)).active
    assert {r[1] for r in list(ws.iter_rows(values_only=True))[1:]} == {
        "Школа А2",
        "Школа Б1",
    }


def test_compare_one_school_between_stages_by_code(client, world):
    november = world.hidden
    november.is_published = True
    november.save()
    FieldFactory(stage=november, code="failing", kind="percent", label="Доля, %")
    FieldFactory(stage=november, code="pupils", kind="number", label="Обучающиеся")
    FieldFactory(stage=november, code="only_nov", kind="number", label="Новое")
    form(world.stage, world.schools["a1"], pupils=120, failing=Decimal("8.5"))
    form(november, world.schools["a1"], pupils=118, failing=Decimal("6"), only_nov=3)
    client.force_login(world.users["municipal_a"])
    response = client.get(
        reverse(
            "monitoring:submission-compare",
            args=[november.pk, world.schools["a1"].pk],
        ),
        {"with": world.stage.pk},
    )
    assert response.status_code == 200
    rows = {r.code: r for r in response.context["rows"]}
    assert response.context["earlier"] == world.stage
    assert (rows["failing"].earlier, rows["failing"].later) == (Decimal("8.5"), 6)
    assert rows["failing"].change == Decimal("-2.5")
    assert rows["pupils"].change == -2
    assert rows["only_nov"].earlier is None
    assert rows["only_nov"].change is None
    assert 'data-testid="change-failing"><span class="change-down">-2,5' in (
        response.content.decode()
    )
    client.force_login(world.users["foreign_staff"])
    assert (
        client.get(
            reverse(
                "monitoring:submission-compare",
                args=[november.pk, world.schools["a1"].pk],
            ),
            {"with": world.stage.pk},
        ).status_code
        == 404
    )
