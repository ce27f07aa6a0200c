"""The national data generator at --scale 0.01: consistent, scaled, browsable."""

import itertools
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from monitoring.models import (
    ActivityReport,
    MonitoringAnswer,
    MonitoringStage,
    MonitoringSubmission,
    RiskProfile,
)
from roadmaps.deadlines import interpret_deadline
from roadmaps.models import Activity, ActivityExecutor, Roadmap, RoadmapEdition
from roadmaps.national import AlreadyGenerated, Options, generate
from roadmaps.national.reset import delete_generated
from schools.models import (
    CuratorAssignment,
    Membership,
    Municipality,
    Organisation,
    ProjectParticipation,
    Region,
    Role,
)

pytestmark = pytest.mark.django_db

SCALE = 0.01
YEARS = (2022, 2023, 2024)
PASSWORD = "national-test"
Status = RoadmapEdition.Status


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """Generated once for the module, in a transaction rolled back at its end;
    each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(
            Options(
                scale=SCALE,
                seed=7,
                years=YEARS,
                password=PASSWORD,
                today=date(2025, 6, 1),
            )
        )
        transaction.set_rollback(True)


def test_generator_counts_match_the_scale(national):
    # The scale formula, written out: 85 regions, 2,300 municipalities,
    # 40,000 schools and 4,000 schools a year in the project at 1.0.
    regions = max(1, round(85 * SCALE))
    municipalities = max(2 * regions, round(2300 * SCALE))
    schools = max(3 * municipalities, round(40000 * SCALE))
    participants = min(schools, max(2 * regions, round(4000 * SCALE)))
    assert Region.objects.count() == regions == 1
    assert Municipality.objects.count() == municipalities == 23
    assert Organisation.objects.filter(kind__code="school").count() == schools == 400
    assert ProjectParticipation.objects.count() == participants * len(YEARS) == 120
    by_level = Counter(Roadmap.objects.values_list("level", flat=True))
    assert by_level["regional"] == regions * len(YEARS)
    assert by_level["school"] == participants * len(YEARS)
    municipal_years = set(
        ProjectParticipation.objects.values_list("school__municipality", "year")
    )
    assert by_level["municipal"] == len(municipal_years)
    assert national.counts["roadmaps.Activity"] == Activity.objects.count()


def test_generator_plans_have_the_sizes_of_their_level(national):
    sizes = {"regional": (30, 60), "municipal": (15, 40), "school": (20, 80)}
    first = RoadmapEdition.objects.filter(number=1).select_related("roadmap")
    counts = Counter(
        Activity.objects.filter(edition__number=1).values_list("edition", flat=True)
    )
    for edition in first:
        low, high = sizes[edition.roadmap.level]
        assert low <= counts[edition.pk] <= high, edition.roadmap.title


def test_generator_school_roadmaps_lie_in_their_schools_territory(national):
    roadmaps = Roadmap.objects.filter(level="school").select_related(
        "owner__kind", "owner__municipality"
    )
    assert roadmaps
    for roadmap in roadmaps:
        assert roadmap.owner.kind.code == "school"
        assert roadmap.owner.region_id == roadmap.region_id
        assert roadmap.owner.municipality_id == roadmap.municipality_id
        assert roadmap.owner.municipality.region_id == roadmap.region_id
    participations = set(ProjectParticipation.objects.values_list("school", "year"))
    for owner, start in roadmaps.values_list("owner", "period_start"):
        assert (owner, start.year) in participations


def test_generator_editions_chain_correctly(national):
    editions = defaultdict(list)
    for e in RoadmapEdition.objects.select_related("approving_order").order_by(
        "roadmap", "number"
    ):
        editions[e.roadmap_id].append(e)
    scenarios = Counter()
    for roadmap in Roadmap.objects.select_related("owner"):
        chain = editions[roadmap.pk]
        assert [e.number for e in chain] == list(range(1, len(chain) + 1))
        assert chain[0].replaces_id is None
        for previous, e in itertools.pairwise(chain):
            assert e.replaces_id == previous.pk
        assert roadmap.latest_edition_id == chain[-1].pk
        approved = [e for e in chain if e.status == Status.APPROVED]
        assert len(approved) <= 1
        if roadmap.current_edition_id:
            assert [e.pk for e in approved] == [roadmap.current_edition_id]
            current = approved[0]
            assert all(
                e.status == Status.SUPERSEDED
                for e in chain
                if e.number < current.number
            )
        else:
            assert not approved
        for e in chain:
            if e.status in (Status.APPROVED, Status.SUPERSEDED):
                assert e.approving_order.issuer_id == roadmap.owner_id
                assert e.approving_order.status == "signed"
                assert e.approved_at == e.approving_order.date
                assert e.approving_order.date.year == roadmap.period_start.year
        scenarios[tuple(e.status for e in chain)] += 1
    # Amended plans, plans amended while in force, and plans in work exist.
    assert scenarios[(Status.SUPERSEDED, Status.APPROVED)]
    assert scenarios[(Status.APPROVED,)]
    assert any(Status.APPROVED not in key for key in scenarios)


def test_generator_amending_orders_cite_the_first(national):
    second = RoadmapEdition.objects.filter(
        number=2, status=Status.APPROVED
    ).select_related("approving_order", "replaces__approving_order")
    assert second
    for e in second:
        assert e.approving_order.amends_id == e.replaces.approving_order_id
        assert "(в ред. от" in e.appendix_text


def test_generator_lineages_are_shared_across_editions(national):
    for e in RoadmapEdition.objects.filter(number=2):
        before = set(
            Activity.objects.filter(edition=e.replaces_id).values_list(
                "lineage", flat=True
            )
        )
        after = set(
            Activity.objects.filter(edition=e).values_list("lineage", flat=True)
        )
        # At most two rows dropped, at most three added.
        assert len(before - after) <= 2
        assert 1 <= len(after - before) <= 3
    assert not (
        Activity.objects.values("edition", "lineage")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )


def test_generator_reports_are_on_activities_in_force(national):
    reports = ActivityReport.objects.select_related(
        "activity__edition__roadmap", "roadmap"
    )
    assert reports.count() > 1000
    latest = Counter()
    for r in reports:
        assert r.activity.edition.roadmap_id == r.roadmap_id
        assert r.activity.edition_id == r.roadmap.current_edition_id
        assert r.activity.lineage == r.lineage
        assert r.done_on <= date(2025, 6, 1)
        if r.is_latest:
            latest[(r.roadmap_id, r.lineage)] += 1
    assert set(latest.values()) == {1}
    stale = reports.filter(is_latest=False)
    assert stale.exists()
    for r in stale:
        assert latest[(r.roadmap_id, r.lineage)] == 1
    mix = Counter(reports.filter(is_latest=True).values_list("result", "decision"))
    assert mix[("done", "confirmed")]
    assert mix[("done", "pending")]
    assert mix[("done", "rejected")]
    assert mix[("done", "not_needed")]
    assert mix[("partly", "confirmed")] + mix[("partly", "not_needed")]


def test_generator_understands_deadlines_and_executors_as_the_portal_does(national):
    for a in Activity.objects.exclude(deadline_text="").order_by("?")[:200]:
        year = a.edition.roadmap.period_start.year
        d = interpret_deadline(
            a.deadline_text, year=year, period=(date(year, 1, 1), date(year, 12, 31))
        )
        assert a.deadline_ranges == d.as_json()
        assert a.deadline_start == d.start
        assert a.deadline_end == d.end
    for ex in ActivityExecutor.objects.filter(
        role="municipal_authority"
    ).select_related("activity__edition__roadmap", "organisation")[:200]:
        roadmap = ex.activity.edition.roadmap
        if roadmap.level == "regional":
            assert ex.organisation is None
        else:
            assert ex.organisation.municipality_id == roadmap.municipality_id
            assert ex.organisation.kind.code == "municipal_authority"


def test_generator_curators_accompany_only_schools_of_that_year(national):
    participations = set(ProjectParticipation.objects.values_list("school", "year"))
    assignments = list(
        CuratorAssignment.objects.values_list("school", "year", "curator")
    )
    assert {(s, y) for s, y, _ in assignments} == participations
    per_curator = Counter((c, y) for _, y, c in assignments)
    assert max(per_curator.values()) <= 10
    curators = set(
        Membership.objects.filter(role=Role.CURATOR).values_list("user", flat=True)
    )
    assert {c for _, _, c in assignments} <= curators


def test_generator_fills_monitoring_and_risks(national):
    assert MonitoringStage.objects.count() == 3 * len(YEARS)
    assert MonitoringSubmission.objects.count() == 3 * 40 * len(YEARS)
    assert MonitoringAnswer.objects.count() > 2000
    assert RiskProfile.objects.count() == 40 * len(YEARS)
    linked = Activity.risk_factors.through.objects.select_related("activity")
    assert linked.exists()


def test_generator_keeps_foreign_keys_whole(national):
    connection.check_constraints()


def test_generator_pages_work_for_a_municipal_coordinator(client, national):
    membership = (
        Membership.objects.filter(role=Role.MUNICIPAL_COORDINATOR)
        .select_related("user", "organisation")
        .filter(
            organisation__municipality__in=Roadmap.objects.filter(
                level="school", current_edition__isnull=False
            ).values("municipality")
        )
        .first()
    )
    assert client.login(username=membership.user.username, password=PASSWORD)
    roadmap = Roadmap.objects.filter(
        level="school",
        municipality=membership.organisation.municipality_id,
        current_edition__isnull=False,
    ).first()
    assert client.get(reverse("roadmaps:roadmap-list")).status_code == 200
    page = client.get(roadmap.get_absolute_url())
    assert page.status_code == 200
    assert roadmap.title in page.content.decode()
    assert client.get(reverse("monitoring:dashboard")).status_code == 200


def test_generator_refuses_a_second_run_and_resets_only_its_own_data(national):
    other = Region.objects.create(code="67", name="Смоленская область")
    get_user_model().objects.create_user("smolensk.dept", password="x")
    with pytest.raises(AlreadyGenerated):
        generate(Options(scale=SCALE, years=(2024,)))
    summary = generate(Options(scale=SCALE, years=(2024,)), reset=True)
    assert summary.removed_regions == 1
    assert Region.objects.filter(pk=other.pk).exists()
    assert Roadmap.objects.filter(level="regional").count() == 1
    delete_generated()
    assert list(Region.objects.all()) == [other]
    assert list(get_user_model().objects.values_list("username", flat=True)) == [
        "smolensk.dept"
    ]
    assert not Activity.objects.exists()
    connection.check_constraints()


def test_generate_national_command_refuses_without_reset(national):
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_national", "--scale", "0.01", verbosity=0)
