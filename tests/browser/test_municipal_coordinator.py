"""The municipal coordinator's journeys in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from roadmaps.demo import DEMO_PASSWORD

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_opens_kolpna_roadmap_and_sees_17_activities(page, demo_portal):
    base = demo_portal.url
    login(page, base, "kolpna", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Зуева")
    page.get_by_role(
        "link", name=re.compile("Муниципальная «дорожная карта»")
    ).first.click()
    table = page.get_by_test_id("plan-table")
    expect(table).to_be_visible()
    expect(table.locator("tr.activity-row")).to_have_count(17)
    expect(table.locator("tr.activity-row").first).to_contain_text(
        "Изучение нормативного и методического сопровождения Проекта"
    )
    expect(table.locator("tr.activity-row").last).to_contain_text(
        "Участие в региональном семинаре по результатам реализации Проекта"
    )
    expect(page.locator(".order-header")).to_contain_text("№ 43")


def test_coordinator_list_shows_only_own_municipality(page, demo_portal):
    base = demo_portal.url
    login(page, base, "kolpna", DEMO_PASSWORD)
    page.goto(f"{base}/roadmaps/")
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(1)
    expect(page.locator("body")).not_to_contain_text("Кузоват")


def test_wrong_password_shows_russian_error(page, demo_portal):
    base = demo_portal.url
    login(page, base, "kolpna", "not-the-password")
    expect(page.locator(".form-errors")).to_contain_text("Пожалуйста")
