"""manage.py load_demo: the five seed documents as live data."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from roadmaps.demo import DEMO_PASSWORD, SEEDS, SEEDS_DIR
from roadmaps.imports import parse_path
from roadmaps.models import Activity, Order, Roadmap, RoadmapEdition
from schools.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db

EXPECTED = {
    "000_kolpna_2021.txt": (17, 0),
    "001_kuzovatovo_2022.txt": (20, 3),
    "002_dorogobuzh_2020.txt": (18, 4),
    "003_novocheboksarsk_2021.txt": (16, 0),
    "004_smolensk_2021.txt": (38, 4),
}


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def plan_of(seed_file: str) -> Roadmap:
    number = parse_path(SEEDS_DIR / seed_file).order.number
    return Roadmap.objects.get(editions__approving_order__number=number)


@pytest.mark.parametrize(("seed", "expected"), EXPECTED.items())
def test_load_demo_loads_each_seed_with_exact_counts(demo, seed, expected):
    edition = plan_of(seed).current_edition
    assert edition.status == RoadmapEdition.Status.APPROVED
    assert (edition.activities.count(), edition.sections.count()) == expected


@pytest.mark.parametrize("seed", [s.file for s in SEEDS])
def test_load_demo_preserves_every_cell(demo, seed):
    document = parse_path(SEEDS_DIR / seed)
    edition = plan_of(seed).current_edition
    stored = list(edition.activities.order_by("position"))
    parsed = [a for s in document.sections for a in s.activities]
    assert len(stored) == len(parsed)
    for row, cell in zip(stored, parsed, strict=True):
        assert row.number == (cell.number or "")
        assert row.title == cell.title
        assert row.description == cell.description
        assert row.deadline_text == cell.deadline_text
        assert row.responsible_text == cell.responsible
        assert row.indicator_text == cell.indicator
    assert edition.columns == [
        {"key": str(c.key), "header": c.header} for c in document.columns
    ]


def test_load_demo_is_idempotent(demo):
    before = (
        Roadmap.objects.count(),
        Activity.objects.count(),
        Order.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    )
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    after = (
        Roadmap.objects.count(),
        Activity.objects.count(),
        Order.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    )
    assert before == after


def test_load_demo_prints_credentials_for_every_role(demo):
    assert DEMO_PASSWORD in demo
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    for username in Membership.objects.values_list("user__username", flat=True):
        assert username in demo
    user = get_user_model().objects.get(username="kolpna")
    assert user.check_password(DEMO_PASSWORD)


def test_load_demo_second_edition_of_smolensk_plan(demo):
    roadmap = plan_of("004_smolensk_2021.txt")
    first, second = roadmap.editions.order_by("number")
    assert first.status == RoadmapEdition.Status.SUPERSEDED
    assert first.approving_order.number == "189-ОД"
    assert not first.content_loaded
    assert second.replaces == first
    assert second.approving_order.number == "422-ОД"
    assert second.approving_order.amends == first.approving_order
    assert roadmap.current_edition == second
    assert "(в ред. от «17» 05 2021 г. № 422-ОД)" in second.appendix_text


def test_load_demo_links_cited_orders(demo):
    kolpna_order = Order.objects.get(number="43")
    assert [o.number for o in kolpna_order.based_on.all()] == ["239"]
    nch_order = Order.objects.get(number="224/1")
    assert [o.number for o in nch_order.based_on.all()] == ["335"]


def test_load_demo_links_executors_to_bodies(demo):
    kuz = plan_of("001_kuzovatovo_2022.txt").current_edition
    activity = kuz.activities.get(number="2.4.")
    linked = {
        e.organisation.short_name for e in activity.executors.all() if e.organisation
    }
    assert {
        "МОУ СШ п.ст. Налейка",
        "МОУ ОШ с. Волынщина",
        "МОУ СШ с. Студенец",
    } <= linked
    assert "curator" in {e.role for e in activity.executors.all()}


def test_kolpna_coordinator_never_sees_kuzovatovo(demo, client):
    client.force_login(get_user_model().objects.get(username="kolpna"))
    kolpna = plan_of("000_kolpna_2021.txt")
    kuzovatovo = plan_of("001_kuzovatovo_2022.txt")
    listing = client.get(reverse("roadmaps:roadmap-list"))
    assert {r.pk for r in listing.context["table"].data} == {kolpna.pk}
    assert client.get(kuzovatovo.get_absolute_url()).status_code == 404
    assert client.get(kuzovatovo.owner.get_absolute_url()).status_code == 404
    order = kuzovatovo.current_edition.approving_order
    assert client.get(order.get_absolute_url()).status_code == 404
    page = client.get(kolpna.get_absolute_url())
    assert page.content.decode().count('class="activity-row"') == 17


def test_school_sees_own_municipal_plan_but_not_other_school(demo, client):
    user = get_user_model().objects.get(username="studenets")
    client.force_login(user)
    kuzovatovo = plan_of("001_kuzovatovo_2022.txt")
    assert client.get(kuzovatovo.get_absolute_url()).status_code == 200
    naleyka = Organisation.objects.get(short_name="МОУ СШ п.ст. Налейка")
    assert client.get(naleyka.get_absolute_url()).status_code == 404
    smolensk = plan_of("004_smolensk_2021.txt")
    assert client.get(smolensk.get_absolute_url()).status_code == 404
