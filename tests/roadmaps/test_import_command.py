"""manage.py import_roadmap: the CLI reader and saver of roadmap documents."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from roadmaps.models import Activity, Order, OrderReference, Roadmap, RoadmapEdition
from schools.models import Organisation
from tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

COUNTS = {
    "000_kolpna_2021.txt": (17, 0),
    "001_kuzovatovo_2022.txt": (20, 3),
    "002_dorogobuzh_2020.txt": (18, 4),
    "003_novocheboksarsk_2021.txt": (16, 0),
    "004_smolensk_2021.txt": (38, 4),
}


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_roadmap", *map(str, args), stdout=out)
    return out.getvalue()


def saved_rows() -> tuple[int, ...]:
    return (
        Roadmap.objects.count(),
        RoadmapEdition.objects.count(),
        Activity.objects.count(),
        Order.objects.count(),
        Organisation.objects.count(),
    )


@pytest.mark.parametrize(("seed", "counts"), COUNTS.items())
def test_import_dry_run_prints_json_and_saves_nothing(
    reference_data, seeds_dir, seed, counts
):
    before = saved_rows()
    data = json.loads(run(seeds_dir / seed, "--dry-run", "--format", "json"))
    assert saved_rows() == before
    assert set(data) >= {"order", "title", "columns", "sections", "warnings"}
    activities = [a for s in data["sections"] for a in s["activities"]]
    sections = [s for s in data["sections"] if s["title"] is not None]
    assert (len(activities), len(sections)) == counts
    for activity in activities:
        assert set(activity) >= {
            "number",
            "title",
            "description",
            "deadline_text",
            "deadline_ranges",
            "responsible",
            "indicator",
        }
    assert "roadmap_id" not in data


def test_import_dry_run_json_carries_understood_deadlines(reference_data, seeds_dir):
    data = json.loads(
        run(seeds_dir / "000_kolpna_2021.txt", "--dry-run", "--format", "json")
    )
    first, third = (
        data["sections"][0]["activities"][0],
        data["sections"][0]["activities"][2],
    )
    assert first["deadline_text"] == "январь 2021 года"
    assert first["deadline_ranges"] == [["2021-01-01", "2021-01-31"]]
    assert third["deadline_text"] == "март-апрель"
    assert third["deadline_ranges"] == [["2021-03-01", "2021-04-30"]]
    assert data["order"]["number"] == "43"
    assert data["order"]["date"] == "2021-03-05"


def test_import_saves_draft_with_order_in_known_territory(reference_data, seeds_dir):
    municipality = MunicipalityFactory(
        name="Колпнянский район", region__name="Орловская область"
    )
    data = json.loads(run(seeds_dir / "000_kolpna_2021.txt", "--format", "json"))
    roadmap = Roadmap.objects.get(pk=data["roadmap_id"])
    assert roadmap.owner.municipality == municipality
    assert roadmap.owner.kind.code == "municipal_authority"
    assert roadmap.level == "municipal"
    assert roadmap.latest_edition.status == RoadmapEdition.Status.DRAFT
    assert roadmap.latest_edition.activities.count() == 17
    order = roadmap.owner.orders.get()
    assert (order.number, order.date.isoformat()) == ("43", "2021-03-05")
    assert order.signatory_name == "Н.В. Серёгина"
    assert order.clauses.count() == 4
    basis = order.references.filter(relation=OrderReference.Relation.BASIS)
    assert "239" in [r.number for r in basis]
    assert roadmap.period_start.isoformat() == "2021-01-01"


def test_import_with_body_option_uses_that_body(reference_data, seeds_dir):
    body = OrganisationFactory(name="Управление образования")
    data = json.loads(
        run(
            seeds_dir / "001_kuzovatovo_2022.txt", "--body", body.pk, "--format", "json"
        )
    )
    roadmap = Roadmap.objects.get(pk=data["roadmap_id"])
    assert roadmap.owner == body
    edition = roadmap.latest_edition
    assert edition.sections.count() == 3
    assert edition.activities.count() == 20
    assert [c["key"] for c in edition.columns] == [
        "number",
        "title",
        "deadline",
        "responsible",
        "indicator",
    ]


def test_import_creates_unknown_body_and_warns_about_territory(
    reference_data, seeds_dir
):
    data = json.loads(run(seeds_dir / "000_kolpna_2021.txt", "--format", "json"))
    owner = Roadmap.objects.get(pk=data["roadmap_id"]).owner
    assert "КОЛПНЯНСКОГО РАЙОНА" in owner.name
    assert owner.municipality is None
    assert any("territory" in w or "территор" in w for w in data["warnings"])


def test_import_of_the_same_order_twice_is_refused_whole(reference_data, seeds_dir):
    body = OrganisationFactory()
    run(seeds_dir / "002_dorogobuzh_2020.txt", "--body", body.pk)
    before = saved_rows()
    with pytest.raises(CommandError, match="13/ 01-04"):
        run(seeds_dir / "002_dorogobuzh_2020.txt", "--body", body.pk)
    assert saved_rows() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not text"),
        ("Просто текст письма без всякой таблицы.\nВторая строка.".encode(), "table"),
        ("№\tМероприятие\tСрок\nпункт\tзадача\tмарт".encode("cp1251"), "UTF-8"),
    ],
    ids=["empty", "whitespace", "binary", "prose", "cp1251"],
)
def test_import_bad_input_fails_clearly_and_saves_nothing(
    reference_data, tmp_path, content, message
):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    before = saved_rows()
    with translation.override("en"), pytest.raises(CommandError, match=message):
        run(path, "--format", "json")
    assert saved_rows() == before


def test_import_missing_file_fails_clearly(reference_data, tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nope.txt", "--dry-run")
