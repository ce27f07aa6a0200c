"""A curator confirms a report and a monitoring form; the municipal dashboard
follows, in real Chromium (issue 6)."""

import re

import pytest
from playwright.sync_api import expect

from monitoring.execution.demo import SCHOOL_PLAN_TITLE
from roadmaps.demo import DEMO_PASSWORD

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOL = "МОУ СШ п.ст. Налейка"
ACTIVITY = "Разработка концепции развития и антирисковых программ"
JUNE_STAGE = "Первый этап мониторинга позитивных изменений"


def number(locator) -> int:
    expect(locator).to_have_text(re.compile(r"^\s*\d+\s*$"))
    return int(locator.inner_text().strip())


def dashboard_numbers(page) -> dict[str, int]:
    """The municipal dashboard, opened from the main menu."""
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Кузоватовский район")
    june = page.get_by_test_id("stage-row").filter(has_text=JUNE_STAGE)
    expect(june).to_have_count(1)
    return {
        "done": number(page.get_by_test_id("activities-done")),
        "awaiting": number(page.get_by_test_id("activities-awaiting")),
        "june_confirmed": number(june.get_by_test_id("stage-confirmed")),
        "june_submitted": number(june.get_by_test_id("stage-submitted")),
    }


@pytest.fixture
def coordinator(browser, browser_context_args):
    """A second page with cookies of its own, for the municipal coordinator."""
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()


def test_curator_confirms_report_and_form_dashboard_follows(
    page, coordinator, demo_portal
):
    base = demo_portal.url

    # The municipal coordinator's dashboard before, in a browser of its own.
    login(coordinator, base, "kuzovatovo", DEMO_PASSWORD)
    before = dashboard_numbers(coordinator)
    assert before["awaiting"] >= 1
    assert before["june_submitted"] >= 1

    # The curator finds the school's approved plan in the list of roadmaps.
    login(page, base, "curator", DEMO_PASSWORD)
    page.locator("nav.main-nav").get_by_role(
        "link", name="Дорожные карты", exact=True
    ).click()
    page.get_by_role("link", name=SCHOOL_PLAN_TITLE).click()
    expect(page.get_by_test_id("edition-status")).to_have_class(
        re.compile(r"\bstatus-approved\b")
    )

    # The activity's execution column leads to its reports.
    row = page.get_by_test_id("plan-table").locator("tr").filter(has_text=ACTIVITY)
    cell = row.locator("td.col-execution")
    expect(cell.locator("[data-state]")).to_have_attribute("data-state", "awaiting")
    cell.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACTIVITY)

    # The latest report, with its PDF, awaits the curator; she confirms it.
    reports = page.get_by_test_id("reports")
    latest = reports.locator("tr.report-row.latest")
    expect(latest.get_by_test_id("evidence-file")).to_have_count(1)
    expect(latest.locator(".badge.decision-pending")).to_have_count(1)
    page.get_by_test_id("decision-panel").get_by_test_id("confirm-report").click()
    expect(page.locator(".messages")).to_contain_text("Отчёт подтверждён")
    expect(page.get_by_test_id("decision-panel")).to_have_count(0)
    expect(
        page.get_by_test_id("execution-state").locator("[data-state]")
    ).to_have_attribute("data-state", "done")
    latest = reports.locator("tr.report-row.latest")
    expect(latest.locator(".badge.decision-confirmed")).to_have_count(1)
    evidence = latest.get_by_test_id("evidence-file")
    expect(evidence).to_have_count(1)
    expect(evidence).to_have_attribute(
        "href", re.compile(r"/monitoring/evidence/\d+/$")
    )
    with page.expect_download() as download:
        evidence.click()
    assert download.value.suggested_filename.endswith(".pdf")

    # The school's June form waits for her in the monitoring stages.
    page.get_by_test_id("nav-monitoring").click()
    page.get_by_test_id("stages").get_by_role("link", name=JUNE_STAGE).click()
    page.get_by_test_id("curated").get_by_role("link", name=SCHOOL).click()
    expect(page.get_by_test_id("form-status").locator(".badge")).to_have_class(
        re.compile(r"\bstatus-submitted\b")
    )
    page.get_by_test_id("decision").get_by_test_id("confirm").click()
    expect(page.locator(".messages")).to_contain_text("Форма подтверждена")
    expect(page.get_by_test_id("form-status").locator(".badge")).to_have_class(
        re.compile(r"\bstatus-confirmed\b")
    )
    expect(page.get_by_test_id("decision")).to_have_count(0)

    # The coordinator's dashboard has moved by exactly one report and one form.
    after = dashboard_numbers(coordinator)
    assert after == {
        "done": before["done"] + 1,
        "awaiting": before["awaiting"] - 1,
        "june_confirmed": before["june_confirmed"] + 1,
        "june_submitted": before["june_submitted"] - 1,
    }
