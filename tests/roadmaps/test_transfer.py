"""Files in and out: round trips of the seeds, the import preview, exports."""

import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps.demo import load_demo
from roadmaps.exports.docx import write_edition_docx
from roadmaps.exports.xlsx import write_edition_xlsx
from roadmaps.models import ImportUpload, Order, Roadmap, RoadmapEdition
from roadmaps.parsing.files import parse_file
from schools.models import Organisation, Project, Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    roadmap_with_edition,
    user_with_role,
)

pytestmark = pytest.mark.django_db

SEED_ORDERS = ["43", "12/6", "13/ 01-04", "224/1", "422-ОД"]


@pytest.fixture
def demo():
    load_demo()
    return get_user_model().objects


def plan(number: str) -> RoadmapEdition:
    order = Order.objects.get(number=number)
    edition = order.approved_editions.get()
    return edition


def as_bytes(write, edition) -> bytes:
    out = io.BytesIO()
    write(edition, out)
    return out.getvalue()


def stored(edition):
    sections = [(s.number, s.title) for s in edition.sections.order_by("position")]
    rows = [
        (
            a.number,
            a.title,
            a.description,
            a.deadline_text,
            a.responsible_text,
            a.indicator_text,
            a.section.title if a.section else None,
        )
        for a in edition.activities.select_related("section").order_by("position")
    ]
    return sections, rows


def parsed(document):
    sections = [
        (s.number or "", s.title) for s in document.sections if s.title is not None
    ]
    rows = [
        (
            a.number or "",
            a.title,
            a.description,
            a.deadline_text,
            a.responsible,
            a.indicator,
            s.title,
        )
        for s in document.sections
        for a in s.activities
    ]
    return sections, rows


@pytest.mark.parametrize("number", SEED_ORDERS)
@pytest.mark.parametrize(
    ("fmt", "write"), [("xlsx", write_edition_xlsx), ("docx", write_edition_docx)]
)
def test_seed_round_trip(demo, number, fmt, write):
    edition = plan(number)
    document = parse_file(as_bytes(write, edition), f"export.{fmt}")
    assert parsed(document) == stored(edition)
    assert [c.header for c in document.columns if c.key != "ignore"] == [
        c["header"] for c in edition.columns
    ]
    assert document.order.number == number
    assert document.order.date == edition.approving_order.date


def test_export_queries_do_not_grow_with_activities(db):
    owner = OrganisationFactory(municipality=MunicipalityFactory())
    small = roadmap_with_edition(owner=owner, status="approved", activities=5)
    large = roadmap_with_edition(owner=owner, status="approved", activities=80)
    counts = []
    for roadmap in (small, large):
        edition = RoadmapEdition.objects.get(pk=roadmap.current_edition_id)
        for write in (write_edition_xlsx, write_edition_docx):
            with CaptureQueriesContext(connection) as ctx:
                write(edition, io.BytesIO())
            counts.append(len(ctx.captured_queries))
    assert counts[:2] == counts[2:]


def test_download_buttons_give_the_files(client, demo):
    edition = plan("43")
    client.force_login(demo.get(username="kolpna"))
    for fmt in ("xlsx", "docx"):
        url = reverse(
            "roadmaps:edition-download",
            args=[edition.roadmap_id, edition.number, fmt],
        )
        response = client.get(url)
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert content[:2] == b"PK"
        assert parse_file(content, f"x.{fmt}").activity_count() == 17
    client.force_login(demo.get(username="kuzovatovo"))
    assert client.get(url).status_code == 404


def test_export_command_writes_what_the_button_gives(client, demo, tmp_path):
    edition = plan("422-ОД")
    target = tmp_path / "order.xlsx"
    call_command(
        "export_roadmap",
        str(edition.roadmap_id),
        "--format",
        "xlsx",
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    client.force_login(demo.get(username="smolensk.dept"))
    response = client.get(
        reverse("roadmaps:edition-download", args=[edition.roadmap_id, 2, "xlsx"])
    )
    from_button = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content))
    )
    from_command = openpyxl.load_workbook(target)
    assert from_button.sheetnames == from_command.sheetnames
    for name in from_button.sheetnames:
        assert [[c.value for c in r] for r in from_button[name].iter_rows()] == [
            [c.value for c in r] for r in from_command[name].iter_rows()
        ]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_import_command_reads_office_files(demo, tmp_path, fmt):
    edition = plan("12/6")
    path = tmp_path / f"plan.{fmt}"
    write = write_edition_xlsx if fmt == "xlsx" else write_edition_docx
    path.write_bytes(as_bytes(write, edition))
    out = io.StringIO()
    call_command(
        "import_roadmap", str(path), "--dry-run", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert sum(len(s["activities"]) for s in data["sections"]) == 20
    assert len([s for s in data["sections"] if s["title"]]) == 3


# --- the import pages -----------------------------------------------------------


def upload(client, content: bytes, name: str, owner, **extra):
    return client.post(
        reverse("roadmaps:import-start"),
        {
            "file": SimpleUploadedFile(name, content),
            "owner": owner.pk,
            "project": Project.objects.get(code="500plus").pk,
            **extra,
        },
    )


def test_import_preview_then_confirm_saves_the_plan(client, demo):
    user = demo.get(username="dorogobuzh")
    owner = Organisation.objects.get(short_name="МОЦ")
    content = as_bytes(write_edition_xlsx, plan("12/6"))
    client.force_login(user)
    before = Roadmap.objects.count()
    response = client.post(
        reverse("roadmaps:import-start"),
        {
            "file": SimpleUploadedFile("kuzovatovo.xlsx", content),
            "owner": owner.pk,
            "project": Project.objects.get(code="500plus").pk,
        },
    )
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    assert preview.context["document"].activity_count() == 20
    assert Roadmap.objects.count() == before  # nothing saved before confirming
    confirmed = client.post(response.url, {"do": "confirm"})
    assert confirmed.status_code == 302
    created = Roadmap.objects.get(owner=owner)
    assert created.latest_edition.activities.count() == 20
    assert created.latest_edition.sections.count() == 3
    assert ImportUpload.objects.count() == 0


def test_import_mapping_can_be_corrected_in_the_preview(client, demo):
    client.force_login(demo.get(username="dorogobuzh"))
    owner = Organisation.objects.get(short_name="МОЦ")
    text = (
        "№\tМероприятие\tСрок\tОтветственные\n"
        "1.\tСовещание\tМОЦ\tмарт\n"
        "2.\tСеминар\tОО\tапрель\n"
    )
    response = client.post(
        reverse("roadmaps:import-start"),
        {
            "text": text,
            "owner": owner.pk,
            "project": Project.objects.get(code="500plus").pk,
        },
    )
    preview_url = response.url
    document = client.get(preview_url).context["document"]
    assert document.sections[0].activities[0].deadline_text == "МОЦ"
    client.post(
        preview_url,
        {
            "do": "remap",
            "columns": 4,
            "col-0": "number",
            "col-1": "title",
            "col-2": "responsible",
            "col-3": "deadline",
        },
    )
    document = client.get(preview_url).context["document"]
    first = document.sections[0].activities[0]
    assert (first.deadline_text, first.responsible) == ("март", "МОЦ")
    client.post(preview_url, {"do": "confirm"})
    saved = Roadmap.objects.get(owner=owner).latest_edition.activities.order_by(
        "position"
    )
    assert [a.deadline_text for a in saved] == ["март", "апрель"]


BAD_FILES = [
    ("plan.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ("plan.xlsx", b"PK\x03\x04broken zip"),
    ("plan.docx", b"%PDF-1.4\n%%EOF\n"),
    ("plan.txt", b"Just a letter, no table at all.\nSecond line.\n"),
    ("plan.txt", b""),
]


@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_import_bad_files_get_a_message_and_save_nothing(client, demo, name, content):
    client.force_login(demo.get(username="dorogobuzh"))
    owner = Organisation.objects.get(short_name="МОЦ")
    before = (Roadmap.objects.count(), ImportUpload.objects.count())
    response = upload(client, content, name, owner)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors
    assert all(
        any(ch.isalpha() and "а" <= ch.lower() <= "я" for ch in " ".join(e))
        for e in errors.values()
    ), errors  # Russian messages
    assert (Roadmap.objects.count(), ImportUpload.objects.count()) == before


def test_import_refuses_a_file_over_the_limit(client, demo, settings):
    settings.ROADMAP_IMPORT_MAX_BYTES = 1024
    client.force_login(demo.get(username="dorogobuzh"))
    owner = Organisation.objects.get(short_name="МОЦ")
    response = upload(client, b"x" * 4096, "big.xlsx", owner)
    assert "слишком велик" in str(response.context["form"].errors["file"])
    assert ImportUpload.objects.count() == 0


def test_import_page_is_for_plan_writers_only(client, demo):
    client.force_login(demo.get(username="observer"))
    assert client.get(reverse("roadmaps:import-start")).status_code == 403
    client.force_login(demo.get(username="curator"))
    assert client.get(reverse("roadmaps:import-start")).status_code == 403


def test_someone_elses_preview_is_not_found(client, demo):
    owner = Organisation.objects.get(short_name="МОЦ")
    pending = ImportUpload.objects.create(
        user=demo.get(username="dorogobuzh"),
        data=b"x",
        owner=owner,
        project=Project.objects.get(code="500plus"),
    )
    client.force_login(demo.get(username="kolpna"))
    url = reverse("roadmaps:import-preview", args=[pending.pk])
    assert client.get(url).status_code == 404


def test_import_as_a_new_edition_keeps_lineage(client, demo):
    from roadmaps.imports import roadmap_import_edition

    edition = plan("43")
    document = parse_file(as_bytes(write_edition_xlsx, edition), "x.xlsx")
    new = roadmap_import_edition(
        document=document, roadmap=edition.roadmap, by=demo.get(username="kolpna")
    )
    assert new.number == 2
    assert new.replaces == edition
    assert set(new.activities.values_list("lineage", flat=True)) == set(
        edition.activities.values_list("lineage", flat=True)
    )


# --- list exports -------------------------------------------------------------------


def test_list_export_follows_the_page_filters_and_scope(client, demo):
    client.force_login(demo.get(username="smolensk.dept"))
    response = client.get(reverse("roadmaps:roadmap-export"), {"level": "municipal"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    titles = [r[0] for r in rows[1:]]
    assert len(titles) == 1
    assert titles[0].startswith("Дорожная карта реализации проекта")


def test_consolidated_export_of_a_region(client, demo):
    client.force_login(demo.get(username="smolensk.dept"))
    region = Organisation.objects.get(short_name="СОИРО").region
    response = client.get(
        reverse("roadmaps:consolidated-export"), {"region": region.pk}
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    plans, activities = book.worksheets
    assert plans.max_row == 1 + 2  # the plan-graph and Дорогобуж's roadmap
    assert activities.max_row == 1 + 38 + 18
    client.force_login(demo.get(username="kolpna"))
    assert (
        client.get(
            reverse("roadmaps:consolidated-export"), {"region": region.pk}
        ).status_code
        == 404
    )


def test_exports_neutralise_formulas_in_user_text(client, db):
    municipality = MunicipalityFactory()
    owner = OrganisationFactory(municipality=municipality)
    user = user_with_role(Role.MUNICIPAL_COORDINATOR, owner)
    roadmap = roadmap_with_edition(owner=owner, activities=1)
    roadmap.title = '=HYPERLINK("http://evil","x")'
    roadmap.save()
    client.force_login(user)
    response = client.get(reverse("roadmaps:roadmap-export"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    value = book.active.cell(row=2, column=1).value
    assert not value.startswith("=")
    assert value.endswith('=HYPERLINK("http://evil","x")')


def test_plan_alone_download_leaves_the_order_out(client, demo):
    edition = plan("43")
    client.force_login(demo.get(username="kolpna"))
    url = reverse(
        "roadmaps:edition-download", args=[edition.roadmap_id, edition.number, "xlsx"]
    )
    response = client.get(url, {"part": "plan"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Дорожная карта"]
    texts = [v for row in book.active.iter_rows(values_only=True) for v in row if v]
    assert not any("Приложение" in str(t) for t in texts)
    assert (
        parse_file(
            b"".join(client.get(url, {"part": "plan"}).streaming_content), "p.xlsx"
        ).activity_count()
        == 17
    )
