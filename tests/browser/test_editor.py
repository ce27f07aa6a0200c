"""Writing a roadmap in the browser, by keyboard, in real Chromium."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from roadmaps.demo import DEMO_PASSWORD

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def rows(page):
    return page.get_by_test_id("editor-table").locator("tr.activity-row")


def test_coordinator_builds_a_roadmap_from_the_regional_plan(page, demo_portal):
    base = demo_portal.url
    login(page, base, "dorogobuzh", DEMO_PASSWORD)
    page.goto(f"{base}/roadmaps/")
    page.get_by_test_id("new-roadmap").click()

    page.fill("textarea[name=title]", "Муниципальная дорожная карта на 2021 год")
    page.fill("input[name=period_start]", "2021-01-01")
    page.fill("input[name=period_end]", "2021-12-31")
    page.check("input[name=start][value=upper]")
    page.select_option("select[name=source]", index=1)
    page.locator("form.create-form button.primary").click()

    expect(page).to_have_url(re.compile(r"/roadmaps/\d+/edit/$"))
    # Seed 004 addresses ten activities to municipalities.
    expect(rows(page)).to_have_count(10)
    editor_url = page.url

    # A new section, by keyboard.
    page.fill("#new-section-title", "Итоги года")
    page.press("#new-section-title", "Enter")
    section_row = page.locator("tr.section-row", has_text="Итоги года")
    expect(section_row).to_be_visible()

    # Three activities into it, typed cell by cell: Tab between cells, Enter adds.
    typed = [
        ("Совещание координаторов", "ноябрь", "МОЦ"),
        ("Отчёт о реализации дорожной карты", "Декабрь", "Комитет по образованию"),
        ("Круглый стол по итогам года", "декабрь 2021", "МОЦ, ОО"),
    ]
    for done, (title, deadline, executors) in enumerate(typed, start=1):
        title_field = page.locator("tr.add-row:last-of-type textarea[name=title]")
        expect(title_field).to_be_focused()
        page.keyboard.type(title)
        page.keyboard.press("Tab")
        page.keyboard.type(deadline)
        preview = page.locator("tr.add-row:last-of-type [data-testid=deadline-preview]")
        expect(preview).to_contain_text("→ 01.")
        page.keyboard.press("Tab")
        page.keyboard.type(executors)
        page.keyboard.press("Enter")
        expect(rows(page)).to_have_count(10 + done)
        expect(page.locator("#editor-status")).to_contain_text("Мероприятие добавлено")

    last = rows(page).nth(12)
    expect(last.get_by_test_id("activity-number")).to_have_text("13.")
    expect(last.get_by_test_id("activity-title")).to_have_text(
        "Круглый стол по итогам года"
    )
    expect(last.get_by_test_id("deadline-understood")).to_have_text(
        "→ 01.12.2021 – 31.12.2021"
    )

    # Move the last one up: the numbering follows.
    last.get_by_role("button", name=re.compile("выше", re.IGNORECASE)).click()
    moved = rows(page).nth(11)
    expect(moved.get_by_test_id("activity-title")).to_have_text(
        "Круглый стол по итогам года"
    )
    expect(moved.get_by_test_id("activity-number")).to_have_text("12.")
    expect(rows(page).nth(12).get_by_test_id("activity-title")).to_have_text(
        "Отчёт о реализации дорожной карты"
    )

    # Everything is saved.
    page.goto(editor_url)
    expect(rows(page)).to_have_count(13)
    titles = rows(page).get_by_test_id("activity-title")
    expect(titles.nth(10)).to_have_text("Совещание координаторов")
    expect(titles.nth(11)).to_have_text("Круглый стол по итогам года")
    expect(titles.nth(12)).to_have_text("Отчёт о реализации дорожной карты")
    expect(rows(page).nth(10).get_by_test_id("deadline-understood")).to_have_text(
        "→ 01.11.2021 – 30.11.2021"
    )
    expect(page.locator("tr.section-row").last).to_contain_text("Итоги года")


def test_school_cannot_open_another_schools_editor(page, demo_portal):
    from django.contrib.auth import get_user_model

    from roadmaps.creating import roadmap_create
    from schools.models import Organisation, Project

    studenets = get_user_model().objects.get(username="studenets")
    plan = roadmap_create(
        by=studenets,
        owner=Organisation.objects.get(short_name="МОУ СШ с. Студенец"),
        project=Project.objects.get(code="500plus"),
        title="Дорожная карта МОУ СШ с. Студенец",
        period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    base = demo_portal.url
    login(page, base, "naleyka", DEMO_PASSWORD)
    response = page.goto(f"{base}/roadmaps/{plan.pk}/edit/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(
        "Дорожная карта МОУ СШ с. Студенец"
    )
    response = page.goto(f"{base}/roadmaps/{plan.pk}/")
    assert response.status == 404
