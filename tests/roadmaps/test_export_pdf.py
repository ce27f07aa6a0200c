"""The exported files printed to PDF by LibreOffice: every word there, none clipped.

Needs LibreOffice (soffice) and poppler-utils. Without them the tests are
skipped on a workstation and fail on CI (where CI is set), which installs them:
apt-get install -y --no-install-recommends libreoffice-calc libreoffice-writer
poppler-utils.
"""

import io
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from roadmaps.demo import load_demo
from roadmaps.exports import CELL_FIELDS
from roadmaps.exports.docx import write_edition_docx
from roadmaps.exports.xlsx import write_edition_xlsx
from roadmaps.models import Order, RoadmapEdition

pytestmark = pytest.mark.django_db

TOOLS = ("soffice", "pdftotext", "pdfinfo")
CONVERT_TIMEOUT = 120
WRITERS = {"xlsx": write_edition_xlsx, "docx": write_edition_docx}
# Seed 004 is the wide plan (6 columns, landscape), seed 000 the narrow one.
PLANS = {"422-ОД": "landscape", "43": "portrait"}
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
    r"([^<]*)</word>"
)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_SIZE = re.compile(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)")


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (LibreOffice and poppler-utils needed)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; the CI job must install them.")
        pytest.skip(message)
    return found


@pytest.fixture(autouse=True)
def office_tools():
    # Checked before the demo data is loaded: a missing tool skips at once.
    for name in TOOLS:
        tool(name)


@pytest.fixture(scope="session")
def office_profile(tmp_path_factory) -> Path:
    # A profile of its own: a running LibreOffice's lock cannot block the run.
    return tmp_path_factory.mktemp("libreoffice-profile")


def run(*args: str) -> str:
    done = subprocess.run(  # noqa: S603 - fixed tools on files this test wrote
        args, capture_output=True, text=True, timeout=CONVERT_TIMEOUT, check=True
    )
    return done.stdout


def to_pdf(path: Path, profile: Path) -> Path:
    run(
        tool("soffice"),
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(path.parent),
        str(path),
    )
    pdf = path.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {path.name}"
    return pdf


def squash(text: str) -> str:
    """Text without whitespace and soft hyphens: line breaks cannot hide a word."""
    return re.sub(r"[\s\u00ad]+", "", text)


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = run(tool("pdfinfo"), "-f", "1", "-l", "999", str(pdf))
    return [(float(w), float(h)) for w, h in _SIZE.findall(info)]


def page_text(pdf: Path, page: int) -> str:
    return run(
        tool("pdftotext"), "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"
    )


def overlapping_words(pdf: Path) -> list[tuple[int, str, str]]:
    """Words printed over other words: the sign of a row too low for its text.

    A clipped cell still holds its text in the PDF, below the cell's edge,
    where it runs into the next row's text.
    """
    found = []
    bbox = run(tool("pdftotext"), "-bbox", str(pdf), "-")
    for number, page in enumerate(bbox.split("<page ")[1:], start=1):
        width, height = map(float, _PAGE.match("<page " + page).groups())
        words = [
            (float(a), float(b), float(c), float(d), text)
            for a, b, c, d, text in _WORD.findall(page)
        ]
        for _x0, _y0, x1, y1, text in words:
            assert x1 <= width + 1, (number, text)
            assert y1 <= height + 1, (number, text)
        words.sort(key=lambda w: w[1])
        for i, (x0, y0, x1, y1, text) in enumerate(words):
            for a0, b0, a1, b1, other in words[i + 1 :]:
                if b0 - y0 > (y1 - y0):
                    break
                same_line = abs((b0 + b1) / 2 - (y0 + y1) / 2) < 0.5 * min(
                    y1 - y0, b1 - b0
                )
                if same_line and min(x1, a1) - max(x0, a0) > 1:
                    found.append((number, text, other))
    return found


def exported_pdf(edition, fmt: str, folder: Path, profile: Path) -> Path:
    path = folder / f"plan.{fmt}"
    out = io.BytesIO()
    WRITERS[fmt](edition, out)
    path.write_bytes(out.getvalue())
    return to_pdf(path, profile)


@pytest.fixture
def demo():
    load_demo()


def plan(number: str) -> RoadmapEdition:
    return Order.objects.get(number=number).approved_editions.get()


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("number", list(PLANS))
def test_pdf_shows_every_cell_unclipped_on_the_right_pages(
    demo, tmp_path, office_profile, fmt, number
):
    edition = plan(number)
    pdf = exported_pdf(edition, fmt, tmp_path, office_profile)

    sizes = page_sizes(pdf)
    texts = [page_text(pdf, n) for n in range(1, len(sizes) + 1)]
    whole = squash("\n".join(texts))
    activities = list(edition.activities.order_by("position"))
    for activity in activities:
        for column in edition.columns:
            cell = getattr(activity, CELL_FIELDS[column["key"]])
            assert squash(cell) in whole, (activity.number, column["key"], cell)
    for section in edition.sections.all():
        assert squash(section.title) in whole
    order = edition.approving_order
    for text in (order.title, order.signatory_name, edition.roadmap.title):
        assert squash(text) in whole, text
    assert overlapping_words(pdf) == []

    # The order on portrait pages, then the table on pages of its own.
    headers = [squash(c["header"]) for c in edition.columns]
    table_pages = [
        n for n, text in enumerate(texts) if all(h in squash(text) for h in headers)
    ]
    assert table_pages, "the table header was not found in the PDF"
    first_table_page = table_pages[0]
    assert first_table_page >= 1
    assert table_pages == list(range(first_table_page, len(sizes))), (
        "the header row is not repeated on every page of the table"
    )
    for width, height in sizes[:first_table_page]:
        assert width < height
    for width, height in sizes[first_table_page:]:
        assert (width > height) == (PLANS[number] == "landscape")
    # A page holds a handful of activities at least; the order takes 1-2 pages.
    assert 2 <= len(sizes) <= 2 + math.ceil(len(activities) / 4)


def test_the_clipping_check_sees_rows_too_low(
    demo, tmp_path, office_profile, monkeypatch
):
    # One line per row whatever the text: the check above must notice.
    monkeypatch.setattr("roadmaps.exports.xlsx.row_height", lambda cells: 16.0)
    pdf = exported_pdf(plan("422-ОД"), "xlsx", tmp_path, office_profile)
    assert overlapping_words(pdf)
