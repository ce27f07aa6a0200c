"""Taking in an existing roadmap from Excel and printing one, in real Chromium."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from roadmaps.demo import DEMO_PASSWORD, SEEDS_DIR

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def seed_as_xlsx(path, *, rename: dict[str, str]) -> bytes:
    """Seed 001 as a person would have it in Excel: one row per line, a cell
    per tab; one header renamed so that the portal cannot guess it."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [rename.get(c.strip(), c) for c in line.split("\t")]
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_seed_001_fix_a_column_confirm_and_download(page, demo_portal, tmp_path):
    content = seed_as_xlsx(
        SEEDS_DIR / "001_kuzovatovo_2022.txt", rename={"Исполнители": "Кто выполняет"}
    )
    upload = tmp_path / "kuzovatovo_2022.xlsx"
    upload.write_bytes(content)
    base = demo_portal.url
    login(page, base, "dorogobuzh", DEMO_PASSWORD)
    page.goto(f"{base}/roadmaps/")
    page.get_by_test_id("import-link").click()
    page.set_input_files("input[name=file]", str(upload))
    page.select_option("select[name=owner]", label="МОЦ")
    page.get_by_test_id("import-form").locator("button[type=submit]").click()

    # The preview: 20 activities in 3 sections, the renamed column not used.
    expect(page.get_by_test_id("import-summary")).to_contain_text("20")
    rows = page.get_by_test_id("import-rows")
    expect(rows.locator("tr.import-row")).to_have_count(20)
    expect(rows.locator("tr.section-row")).to_have_count(3)
    mapping = page.get_by_test_id("mapping-form")
    renamed = mapping.locator("label", has_text="Кто выполняет").locator("select")
    expect(renamed).to_have_value("ignore")

    # The user says what the column is.
    renamed.select_option("responsible")
    mapping.get_by_role("button").click()
    expect(rows.locator("tr.import-row").first).to_contain_text(
        "МУ «Управление образования»"
    )

    page.get_by_test_id("import-confirm").click()
    expect(page).to_have_url(re.compile(r"/roadmaps/\d+/edit/$"))
    table = page.get_by_test_id("editor-table")
    expect(table.locator("tr.activity-row")).to_have_count(20)
    expect(table.locator("tr.section-row")).to_have_count(3)
    expect(table.locator("tr.activity-row").first).to_contain_text(
        "МУ «Управление образования»"
    )

    # The order with its appendix, as Excel.
    page.goto(page.url.replace("/edit/", "/"))
    with page.expect_download() as info:
        page.get_by_test_id("download-xlsx").click()
    saved = tmp_path / "download.xlsx"
    info.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    texts = " ".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v
    )
    assert "12/6" in texts
    assert "Работа школьных координаторов и кураторов" in texts
