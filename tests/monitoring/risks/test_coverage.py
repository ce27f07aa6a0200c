"""Risk coverage: numbers against independent counts, scope, filters, export."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import ProfileStatus, RiskProfileEntry
from monitoring.risks.selectors import risk_coverage_counts
from roadmaps.models import Activity
from schools.models import Organisation, ProjectParticipation, Role
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionalBodyFactory,
    RegionFactory,
    SchoolFactory,
    roadmap_with_edition,
    user_with_role,
)

from .factories import approved_plan, curator_of, factors, profile_with

pytestmark = pytest.mark.django_db
COVERAGE = reverse("monitoring:risk-coverage")


@pytest.fixture
def world(reference_data):
    fs = {f.number: f for f in factors()}
    r1, r2 = RegionFactory(name="Регион-1"), RegionFactory(name="Регион-2")
    mun_a = MunicipalityFactory(region=r1, name="Район А")
    mun_b = MunicipalityFactory(region=r1, name="Район Б")
    mun_c = MunicipalityFactory(region=r2, name="Район В")
    a1 = SchoolFactory(municipality=mun_a, name="Школа А1")
    a2 = SchoolFactory(municipality=mun_a, name="Школа А2")
    a3 = SchoolFactory(municipality=mun_a, name="Школа А3")  # takes part, no profile
    b1 = SchoolFactory(municipality=mun_b, name="Школа Б1")
    c1 = SchoolFactory(municipality=mun_c, name="Школа В1")
    project = ProjectFactory()
    for school in (a1, a2, a3, b1, c1):
        ProjectParticipation.objects.create(school=school, project=project, year=2022)
    mouo_a = OrganisationFactory(municipality=mun_a, name="МОУО А")
    # a1: chose 3, 8, 10. Its own plan covers 3; the municipal plan covers 10.
    profile_with(a1, [fs[3], fs[8], fs[10]], status=ProfileStatus.VERIFIED)
    approved_plan(a1, [fs[3]], extra=2)
    approved_plan(mouo_a, [fs[10], fs[1]], extra=1)
    # a2: chose 2 and 10; 10 covered by the municipal plan only.
    profile_with(a2, [fs[2], fs[10]], status=ProfileStatus.SUBMITTED)
    # a2's plan in force tags nothing; its newer draft tags 2: not counted.
    plan = approved_plan(a2, [])
    draft = EditionFactory(roadmap=plan, number=2)
    ActivityFactory(edition=draft).risk_factors.add(fs[2])
    plan.latest_edition = draft
    plan.save()
    # b1: chose 8; its only plan is a draft tagging 8: the latest edition counts.
    profile_with(b1, [fs[8]], status=ProfileStatus.DRAFT)
    draft_plan = roadmap_with_edition(owner=b1, activities=1)
    ActivityFactory(edition=draft_plan.latest_edition).risk_factors.add(fs[8])
    # b1's plan of another year does not count.
    old = approved_plan(b1, [], extra=0)
    old.period_start = old.period_start.replace(year=2021)
    old.period_end = old.period_end.replace(year=2021)
    old.save()
    ActivityFactory(edition=old.current_edition).risk_factors.add(fs[8], fs[9])
    # c1 in another region: chose 4, not covered.
    profile_with(c1, [fs[4]], status=ProfileStatus.VERIFIED)
    users = {
        "regional": user_with_role(Role.REGIONAL_STAFF, RegionalBodyFactory(region=r1)),
        "municipal_a": user_with_role(Role.MUNICIPAL_COORDINATOR, mouo_a),
        "school_a1": user_with_role(Role.SCHOOL, a1),
        "curator_a2": curator_of(a2),
        "observer": user_with_role(Role.FEDERAL_OBSERVER),
        "administrator": user_with_role(Role.ADMINISTRATOR),
    }
    return {
        "f": fs,
        "users": users,
        "regions": (r1, r2),
        "muns": {"a": mun_a, "b": mun_b, "c": mun_c},
        "schools": {"a1": a1, "a2": a2, "a3": a3, "b1": b1, "c1": c1},
    }


def independent_cover(entry) -> int:
    """Activities covering a chosen entry, counted plainly row by row."""
    profile = entry.profile
    school = profile.school
    count = 0
    for activity in Activity.objects.filter(risk_factors=entry.factor):
        roadmap = activity.edition.roadmap
        if not (roadmap.period_start.year <= profile.year <= roadmap.period_end.year):
            continue
        if roadmap.owner_id == school.pk:
            counted = (
                roadmap.current_edition_id
                if roadmap.current_edition_id
                else roadmap.latest_edition_id
            )
        elif (
            roadmap.level == "municipal"
            and roadmap.municipality_id == school.municipality_id
        ):
            counted = roadmap.current_edition_id
        else:
            continue
        if activity.edition_id == counted:
            count += 1
    return count


def independent(schools):
    entries = [
        e
        for e in RiskProfileEntry.objects.filter(is_chosen=True, profile__year=2022)
        if e.profile.school in schools
    ]
    covered = [e for e in entries if independent_cover(e)]
    profiles = {e.profile for e in RiskProfileEntry.objects.all()}
    profiles = [p for p in profiles if p.school in schools and p.year == 2022]
    return {
        "profiles": len(profiles),
        "verified": sum(p.status == ProfileStatus.VERIFIED for p in profiles),
        "chosen": len(entries),
        "covered": len(covered),
        "uncovered": len(entries) - len(covered),
    }


def test_counts_equal_independent_counts(world):
    for region in world["regions"]:
        schools = list(Organisation.objects.filter(region=region, kind__code="school"))
        qs = Organisation.objects.filter(pk__in=[s.pk for s in schools])
        assert risk_coverage_counts(qs, 2022) == independent(schools)
    r1 = Organisation.objects.filter(region=world["regions"][0], kind__code="school")
    assert risk_coverage_counts(r1, 2022) == {
        "profiles": 3,
        "verified": 1,
        "chosen": 6,
        "covered": 4,  # a1: 3 and 10; a2: 10; b1: 8
        "uncovered": 2,  # a1: 8; a2: 2
    }


def test_counts_take_constant_queries(world, django_assert_num_queries):
    schools = Organisation.objects.filter(kind__code="school")
    with django_assert_num_queries(2):
        risk_coverage_counts(schools, 2022)


def test_region_view_per_municipality(client, world):
    client.force_login(world["users"]["regional"])
    response = client.get(COVERAGE, {"year": 2022})
    assert response.status_code == 200
    assert response.context["level"] == "region"
    rows = {r["area"].name: r for r in response.context["rows"]}
    assert set(rows) == {"Район А", "Район Б"}
    for name, key in (("Район А", "a"), ("Район Б", "b")):
        schools = list(
            Organisation.objects.filter(
                municipality=world["muns"][key], kind__code="school"
            )
        )
        expected = independent(schools)
        got = {k: rows[name][k] for k in expected}
        assert got == expected
    assert rows["Район А"]["schools"] == 3
    html = response.content.decode()
    mun_a = world["muns"]["a"].pk
    assert f"?municipality={mun_a}&amp;year=2022&amp;uncovered=1" in html


def test_uncovered_filter_keeps_only_gaps(client, world):
    client.force_login(world["users"]["regional"])
    response = client.get(COVERAGE, {"year": 2022, "uncovered": "1"})
    assert [r["area"].name for r in response.context["rows"]] == ["Район А"]
    response = client.get(
        COVERAGE,
        {"year": 2022, "municipality": world["muns"]["a"].pk, "uncovered": "1"},
    )
    names = [r["school"].name for r in response.context["table"]]
    assert names == ["Школа А1", "Школа А2"]
    response = client.get(
        COVERAGE, {"year": 2022, "school": world["schools"]["a1"].pk, "uncovered": "1"}
    )
    assert [c.entry.factor.number for c in response.context["coverage"]] == [8]


def test_municipal_matrix(client, world):
    client.force_login(world["users"]["municipal_a"])
    response = client.get(COVERAGE, {"year": 2022})
    assert response.context["level"] == "matrix"
    table = {r["school"].name: r for r in response.context["table"]}
    assert list(table) == ["Школа А1", "Школа А2", "Школа А3"]
    a1 = table["Школа А1"]
    counts = {
        f.number: (cell["activity_count"] if cell and cell["is_chosen"] else None)
        for f, cell in a1["cells"]
    }
    assert (counts[3], counts[10], counts[8]) == (1, 1, 0)
    assert counts[1] is None  # tagged in the municipal plan but not chosen
    assert (a1["chosen"], a1["uncovered"]) == (3, 1)
    assert table["Школа А3"]["status"] is None
    html = response.content.decode()
    a1_pk, f8 = world["schools"]["a1"].pk, world["f"][8].pk
    assert f'data-testid="cell-{a1_pk}-{f8}"' in html
    assert "risk-uncovered" in html


def test_school_view_says_which_edition_counts(client, world):
    client.force_login(world["users"]["school_a1"])
    response = client.get(COVERAGE, {"year": 2022})
    assert response.context["level"] == "school"
    assert response.context["plan"].current_edition is not None
    client.force_login(world["users"]["observer"])
    response = client.get(COVERAGE, {"school": world["schools"]["b1"].pk})
    assert response.context["year"] == 2022
    assert response.context["plan"].current_edition is None
    items = response.context["coverage"]
    assert [(i.entry.factor.number, len(i.own)) for i in items] == [(8, 1)]


@pytest.mark.parametrize(
    ("user", "params", "status"),
    [
        ("municipal_a", {"municipality": "b"}, 404),
        ("municipal_a", {"school": "b1"}, 404),
        ("municipal_a", {"region": 1}, 404),
        ("regional", {"municipality": "c"}, 404),
        ("regional", {"school": "c1"}, 404),
        ("school_a1", {"school": "a2"}, 404),
        ("curator_a2", {"school": "a1"}, 404),
        ("curator_a2", {"school": "a2"}, 200),
        ("observer", {"municipality": "c"}, 200),
        ("regional", {"municipality": "a"}, 200),
        ("administrator", {}, 403),
    ],
)
def test_coverage_scope(client, world, user, params, status):
    query = {"year": 2022}
    for key, value in params.items():
        if key == "municipality":
            query[key] = world["muns"][value].pk
        elif key == "school":
            query[key] = world["schools"][value].pk
        else:
            query[key] = world["regions"][value].pk
    client.force_login(world["users"][user])
    assert client.get(COVERAGE, query).status_code == status
    export = client.get(reverse("monitoring:risk-coverage-export"), query)
    assert export.status_code == status


def test_curator_and_observer_defaults(client, world):
    client.force_login(world["users"]["curator_a2"])
    response = client.get(COVERAGE, {"year": 2022})
    assert response.context["level"] == "school"
    assert response.context["school"] == world["schools"]["a2"]
    second = curator_of(world["schools"]["b1"])
    curator_of_both = world["users"]["curator_a2"]
    from schools.models import CuratorAssignment

    CuratorAssignment.objects.filter(curator=second).update(curator=curator_of_both)
    client.force_login(curator_of_both)
    response = client.get(COVERAGE, {"year": 2022})
    assert response.context["level"] == "matrix"
    assert [r["school"].name for r in response.context["table"]] == [
        "Школа А2",
        "Школа Б1",
    ]
    client.force_login(world["users"]["observer"])
    response = client.get(COVERAGE, {"year": 2022})
    assert response.context["level"] == "country"
    assert [r["area"].name for r in response.context["rows"]] == [
        "Регион-1",
        "Регион-2",
    ]
    assert response.context["totals"]["chosen"] == 7


def test_export_reads_back(client, world):
    client.force_login(world["users"]["regional"])
    response = client.get(
        reverse("monitoring:risk-coverage-export"), {"year": 2022, "uncovered": "1"}
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    body = sorted((r[2], r[4], r[7]) for r in rows[1:])
    assert body == [("Школа А1", 8, 0), ("Школа А2", 2, 0)]
    full = client.get(reverse("monitoring:risk-coverage-export"), {"year": 2022})
    assert load_workbook(BytesIO(full.content)).active.max_row == 1 + 6


def _grow(world, n):
    """Add n schools to Район А and Район Б, each with a profile and a plan."""
    fs = world["f"]
    for i in range(n):
        for key in ("a", "b"):
            school = SchoolFactory(municipality=world["muns"][key])
            ProjectParticipation.objects.create(
                school=school, project=ProjectFactory(), year=2022
            )
            profile_with(school, [fs[1 + i % 9], fs[10]], status=ProfileStatus.VERIFIED)
            approved_plan(school, [fs[1 + i % 9]])


def _count(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(COVERAGE, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("user", "params"),
    [
        ("regional", {}),
        ("municipal_a", {}),
        ("observer", {}),
        ("school_a1", {}),
    ],
)
def test_coverage_queries_do_not_grow(client, world, user, params):
    client.force_login(world["users"][user])
    client.get(reverse("home"))
    params = {"year": 2022, **params}
    small = _count(client, params)
    _grow(world, 8)
    large = _count(client, params)
    assert small == large
    assert large <= 12


def test_export_queries_do_not_grow(client, world):
    client.force_login(world["users"]["regional"])
    client.get(reverse("home"))
    url = reverse("monitoring:risk-coverage-export")
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"year": 2022})
    _grow(world, 5)
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"year": 2022})
    assert len(small.captured_queries) == len(large.captured_queries)


def test_profile_list_filters(client, world):
    client.force_login(world["users"]["regional"])
    url = reverse("monitoring:risk-profile-list")
    response = client.get(
        url, {"municipality": world["muns"]["a"].pk, "year": 2022, "status": "verified"}
    )
    assert [p.school.name for p in response.context["page"].object_list] == ["Школа А1"]
    assert response.context["page"].object_list[0].chosen_numbers == [3, 8, 10]
    client.force_login(world["users"]["municipal_a"])
    response = client.get(url, {"municipality": world["muns"]["b"].pk})
    assert response.status_code == 404
