"""The benchmark's measuring code runs on a tiny world (no timing asserted).

bench/run.py runs these same functions on a generated PostgreSQL database;
this keeps them from rotting as the pages change.
"""

import pytest

from bench import harness, report
from roadmaps.models import RoadmapEdition
from schools.models import Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionalBodyFactory,
    SchoolFactory,
    roadmap_with_edition,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    municipality = MunicipalityFactory()
    region = municipality.region
    mouo = OrganisationFactory(municipality=municipality)
    school = SchoolFactory(municipality=municipality)
    department = RegionalBodyFactory(region=region)
    roadmap_with_edition(
        owner=school, status=RoadmapEdition.Status.APPROVED, activities=6
    )
    roadmap_with_edition(owner=SchoolFactory(municipality=municipality), activities=2)
    user_with_role(Role.REGIONAL_STAFF, department)
    user_with_role(Role.MUNICIPAL_COORDINATOR, mouo)
    user_with_role(Role.SCHOOL, school)
    user_with_role(Role.FEDERAL_OBSERVER)
    return region


def test_pick_subjects_chooses_the_plan_and_a_user_per_role(world):
    subjects = harness.pick_subjects()
    assert subjects.region == world
    assert subjects.plan_size == 6
    assert set(subjects.users) == {
        Role.REGIONAL_STAFF,
        Role.MUNICIPAL_COORDINATOR,
        Role.SCHOOL,
        Role.FEDERAL_OBSERVER,
    }


def test_measure_pages_gives_one_well_formed_row_per_page_and_role(world):
    subjects = harness.pick_subjects()
    rows = harness.measure_pages(subjects, repeat=1, warmup=0)
    pairs = {(r["page"], r["role"]) for r in rows}
    assert ("home", Role.SCHOOL) in pairs
    assert ("roadmap page (6 act.)", Role.MUNICIPAL_COORDINATOR) in pairs
    assert ("activity list (region)", Role.REGIONAL_STAFF) in pairs
    assert len(pairs) == len(rows)
    for row in rows:
        assert row["status"] == [200], row
        assert row["queries"] > 0
        assert row["p95_ms"] >= row["p50_ms"] > 0
        assert isinstance(row["queries_met"], bool)


def test_comparison_with_admin_and_bare_sql_reads_the_same_rows(world):
    subjects = harness.pick_subjects()
    ours = {"p50_ms": 10.0, "p95_ms": 20.0, "queries": 9}
    result = harness.measure_comparison(subjects, ours, repeat=1, warmup=0)
    harness.cleanup()
    assert result["admin"]["status"] == [200]
    assert result["bare_sql"]["rows"] == 6  # the plan in force, not the draft
    assert result["ours_vs_admin_p50"] == round(10.0 / result["admin"]["p50_ms"], 2)


def test_exports_and_import_are_measured(world):
    subjects = harness.pick_subjects()
    exports = harness.measure_order_exports(subjects, repeat=1, warmup=0)
    assert [e["export"] for e in exports] == ["order Excel", "order Word"]
    assert all(e["bytes"] > 0 for e in exports)
    imports = harness.measure_import(subjects, repeat=1, warmup=0)
    assert imports[0]["activities"] == 38  # seed 004
    assert imports[1]["status"] == [200]


def test_consolidated_export_counts_its_activities(world):
    subjects = harness.pick_subjects()
    result = harness.measure_consolidated(subjects)
    assert result["activities"] == 8  # both plans' latest editions
    assert result["time_met"] is None  # too few rows to extrapolate
    assert result["municipality"]["activities"] == 8


def test_report_renders_a_row_per_page_and_replaces_its_section(world):
    subjects = harness.pick_subjects()
    result = {
        "date": "2026-01-01",
        "machine": harness.machine(),
        "dataset": harness.dataset_counts(),
        "subjects": subjects.describe(),
        "repeat": 1,
        "warmup": 0,
        "pages": harness.measure_pages(subjects, repeat=1, warmup=0),
        "comparison": {},
        "order_exports": [],
        "consolidated": {},
        "import": [],
        "duration_s": 1,
    }
    text = report.render_bench(result)
    assert text.count("| home |") == 4
    once = report.replace_section("# Bench\n", "bench", text)
    twice = report.replace_section(once, "bench", "new")
    assert twice == "# Bench\n\n<!-- bench:start -->\nnew\n<!-- bench:end -->\n"
