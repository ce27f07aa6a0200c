"""Fuzzing the import pages end to end: upload, preview, confirm.

Whatever is uploaded or pasted (the readers' hostile files, under any name),
the pages never fail with a server error; a refused upload is answered in
Russian on the form and leaves nothing behind; the preview saves nothing;
a confirmed import saves the whole plan or, if it fails, nothing of it.
"""

import random

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from roadmaps.models import (
    Activity,
    ImportUpload,
    Order,
    Roadmap,
    RoadmapEdition,
    Section,
)
from roadmaps.parsing import ParseError
from roadmaps.parsing.files import parse_file
from schools.models import Role
from tests.factories import OrganisationFactory, ProjectFactory, user_with_role

from . import test_docx_reader, test_table_text, test_xlsx_reader
from .support import CYRILLIC, fuzz, seeded, seeds

pytestmark = pytest.mark.django_db

NAMES = ["plan.xlsx", "plan.docx", "plan.txt", "plan.pdf", "plan.exe", "план", ".xlsx"]
SOURCES = {
    **{f"xlsx {name}": recipe for name, recipe in test_xlsx_reader.RECIPES.items()},
    **{f"docx {name}": recipe for name, recipe in test_docx_reader.RECIPES.items()},
    "text": lambda rng: test_table_text.pasted(rng)[0].encode(),
}


# Mostly files that reach the preview, so that confirming is tried often.
WEIGHTED = sorted(SOURCES) + ["text", "xlsx workbook", "docx document"] * 4


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Roadmap, RoadmapEdition, Section, Activity, Order)
    )


@pytest.fixture
def coordinator(client):
    """A municipal coordinator, logged in, who may import plans of their body."""
    project = ProjectFactory()
    body = OrganisationFactory(name="Отдел образования района")
    client.force_login(user_with_role(Role.MUNICIPAL_COORDINATOR, body))
    return {"owner": body.pk, "project": project.pk}


def russian(messages) -> bool:
    return all(CYRILLIC.search(str(message)) for message in messages)


def start(client, fields: dict, data: bytes, rng: random.Random):
    """Post the upload as a file under any name, or a text as pasted."""
    if rng.random() < 0.3:
        text = data.decode("utf-8", errors="replace")
        return client.post(reverse("roadmaps:import-start"), {**fields, "text": text})
    upload = SimpleUploadedFile(rng.choice(NAMES), data)
    return client.post(reverse("roadmaps:import-start"), {**fields, "file": upload})


def confirm(client, url: str, before: tuple[int, ...], rng: random.Random) -> None:
    """Open the preview, then confirm: the whole plan is saved, or nothing."""
    preview = client.get(url)
    assert preview.status_code == 200
    assert counts() == before  # the preview saves nothing
    document = preview.context["document"]
    pending = ImportUpload.objects.get()
    if rng.random() < 0.3:
        # A hand-made column mapping, right or wrong.
        columns = len(document.source_headers)
        meanings = ["number", "title", "deadline", "responsible", "ignore", "x"]
        choice = {f"col-{i}": rng.choice(meanings) for i in range(columns)}
        remapped = client.post(url, {"do": "remap", "columns": columns, **choice})
        assert remapped.status_code == 302
        preview = client.get(url, follow=True)
        assert preview.status_code == 200
        assert russian(get_messages(preview.wsgi_request))
        if "document" not in preview.context:
            return
        document = preview.context["document"]
    done = client.post(url, {"do": "confirm"})
    if done.status_code == 302:
        saved = Roadmap.objects.get()
        assert saved.latest_edition.activities.count() == document.activity_count()
        assert not ImportUpload.objects.filter(pk=pending.pk).exists()
    else:
        assert done.status_code == 200
        assert russian(get_messages(done.wsgi_request))
        assert counts() == before


@fuzz(60)
@given(st.sampled_from(WEIGHTED), seeds)
def test_any_upload_never_fails_and_never_saves_half(client, coordinator, source, rng):
    data = SOURCES[source](rng)
    with transaction.atomic():
        before = counts()
        response = start(client, coordinator, data, rng)
        if response.status_code == 302:
            confirm(client, response.url, before, rng)
        else:
            assert response.status_code == 200
            errors = response.context["form"].errors
            assert errors
            assert all(russian(messages) for messages in errors.values()), errors
            assert counts() == before
            assert not ImportUpload.objects.exists()
        transaction.set_rollback(True)


def test_what_the_reader_refuses_the_page_refuses(client, coordinator):
    """The page's verdict is the reader's: a file it refuses is never kept."""
    rng = seeded(8)
    for _ in range(10):
        data = test_xlsx_reader.RECIPES["damaged"](rng)
        try:
            parse_file(data, "plan.xlsx")
        except ParseError:
            refused = True
        else:
            refused = False
        upload = SimpleUploadedFile("plan.xlsx", data)
        response = client.post(
            reverse("roadmaps:import-start"), {**coordinator, "file": upload}
        )
        assert (response.status_code == 200) == refused
        ImportUpload.objects.all().delete()


TABLE = "№\tМероприятие\tСрок\tОтветственные\n"
ORDER = "ПРИКАЗ\n28.01.2022 № {number}\nОб утверждении дорожной карты на 2022 год\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (TABLE + "1.\tСовещание\t" + "до 25 числа, " * 40 + "\tМОУО\n", 2),
        (TABLE + "1.1.1.1.1.1.1.1.1.1.1.1.\tСовещание\tмарт\tМОУО\n", 2),
        (ORDER.format(number="5" * 50) + TABLE + "1.\tСовещание\tмарт\tМОУО\n", None),
    ],
    ids=["deadline", "number", "order number"],
)
def test_texts_longer_than_their_fields_are_refused_whole(
    client, coordinator, text, line
):
    """The database would refuse them in the middle of the import (PostgreSQL
    does; SQLite keeps them): the import refuses them first, saving nothing."""
    response = client.post(
        reverse("roadmaps:import-start"), {**coordinator, "text": text}
    )
    before = counts()
    done = client.post(response.url, {"do": "confirm"})
    assert done.status_code == 200
    (message,) = [str(m) for m in get_messages(done.wsgi_request)]
    assert message.startswith(f"Строка {line}:" if line else "Шапка приказа:")
    assert counts() == before


@pytest.mark.parametrize(
    "indicator",
    ["не менее 99999999999999999999 человек", "не менее 5 " + "АБВ " * 40],
    ids=["value", "unit"],
)
def test_a_target_too_large_to_keep_is_no_target(client, coordinator, indicator):
    text = (
        f"№\tМероприятие\tСрок\tПоказатель реализации\n1.\tСовещание\tмарт\t{indicator}"
    )
    response = client.post(
        reverse("roadmaps:import-start"), {**coordinator, "text": text}
    )
    assert client.post(response.url, {"do": "confirm"}).status_code == 302
    activity = Activity.objects.get()
    assert activity.indicator_text == indicator.strip()
    assert activity.target_value is None
    assert activity.target_unit == ""
