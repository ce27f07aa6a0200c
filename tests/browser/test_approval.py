"""A school roadmap travels up the hierarchy, in real Chromium."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from monitoring.inbox import waiting
from roadmaps.demo import DEMO_PASSWORD

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(page, base, username):
    page.context.clear_cookies()
    login(page, base, username, DEMO_PASSWORD)


def open_from_inbox(page, base, title):
    page.goto(f"{base}/roadmaps/inbox/")
    waiting = page.get_by_test_id("inbox-waiting")
    expect(waiting).to_contain_text(title)
    waiting.get_by_role("link", name=re.compile(re.escape(title))).click()


def status(page):
    return page.get_by_test_id("workflow-status")


def test_school_plan_goes_up_is_returned_and_approved(page, demo_portal):

    from roadmaps.creating import roadmap_create
    from roadmaps.models import RoadmapTemplate
    from schools.models import Organisation, Project

    title = "Дорожная карта МОУ СШ п.ст. Налейка на 2022 год"
    plan = roadmap_create(
        by=get_user_model().objects.get(username="naleyka"),
        owner=Organisation.objects.get(short_name="МОУ СШ п.ст. Налейка"),
        project=Project.objects.get(code="500plus"),
        title=title,
        period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2022, 12, 31),
        template=RoadmapTemplate.objects.get(code="school-500plus"),
    )
    base = demo_portal.url
    plan_url = f"{base}/roadmaps/{plan.pk}/"

    # The school submits.
    as_user(page, base, "naleyka")
    page.goto(plan_url)
    expect(status(page)).to_have_text("черновик")
    page.get_by_test_id("action-submit").get_by_role("button").click()
    expect(status(page)).to_have_text("на согласовании")

    # Its curator finds it waiting and agrees.
    as_user(page, base, "curator")
    # The plan, beside what of monitoring already waits for the demo curator.
    curator = get_user_model().objects.get(username="curator")
    monitoring = sum(rows.count() for rows in waiting(curator).values())
    expect(page.get_by_test_id("inbox-count")).to_have_text(str(1 + monitoring))
    open_from_inbox(page, base, title)
    page.get_by_test_id("action-agree").get_by_role("button").click()
    expect(status(page)).to_have_text("согласована куратором")

    # The municipal coordinator returns it with a comment.
    as_user(page, base, "kuzovatovo")
    open_from_inbox(page, base, title)
    returning = page.get_by_test_id("action-return")
    returning.get_by_role("button").click()  # no comment: refused by the browser
    expect(status(page)).to_have_text("согласована куратором")
    returning.locator("textarea").fill("Добавьте подготовку к ВПР")
    returning.get_by_role("button").click()
    expect(status(page)).to_have_text("возвращена на доработку")
    expect(page.get_by_test_id("timeline")).to_contain_text("Добавьте подготовку к ВПР")

    # The school sees where its plan stands, fixes it and resubmits.
    as_user(page, base, "naleyka")
    page.goto(f"{base}/roadmaps/inbox/")
    expect(page.get_by_test_id("inbox-mine")).to_contain_text("возвращена на доработку")
    page.goto(f"{plan_url}edit/")
    add = page.locator("tr.add-row").last
    add.get_by_test_id("add-summary").click()
    add.locator("textarea[name=title]").fill("Подготовка обучающихся к ВПР")
    add.locator("input[name=deadline_text]").fill("Март - апрель")
    add.get_by_role("button", name="Добавить").click()
    expect(page.get_by_test_id("editor-table")).to_contain_text(
        "Подготовка обучающихся к ВПР"
    )
    page.goto(plan_url)
    page.get_by_test_id("action-submit").get_by_role("button").click()
    expect(status(page)).to_have_text("на согласовании")

    as_user(page, base, "curator")
    open_from_inbox(page, base, title)
    page.get_by_test_id("action-agree").get_by_role("button").click()

    # The coordinator approves it with an order.
    as_user(page, base, "kuzovatovo")
    open_from_inbox(page, base, title)
    page.get_by_test_id("approve-link").click()
    expect(page.locator("input[name=number]")).to_have_value(re.compile(r"\d+"))
    expect(page.locator("textarea[name=title]")).to_have_value(
        re.compile("^Об утверждении школьной «дорожной карты»")
    )
    page.fill("input[name=number]", "15")
    page.fill("input[name=date]", "2022-03-01")
    page.get_by_test_id("approve-submit").click()
    expect(status(page)).to_have_text("утверждена")
    expect(page.locator(".appendix")).to_contain_text("от 01.03.2022 № 15")

    # Nothing waits any more.
    page.goto(f"{base}/roadmaps/inbox/")
    expect(page.locator("body")).to_contain_text("Ничто не ожидает вашего решения")
    as_user(page, base, "curator")
    page.goto(f"{base}/roadmaps/inbox/")
    expect(page.locator("body")).to_contain_text("Ничто не ожидает вашего решения")
