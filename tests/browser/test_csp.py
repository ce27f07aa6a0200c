"""The Content Security Policy holds in real Chromium: no page breaks it.

The policy (SECURE_CSP in config/settings/base.py) forbids inline scripts,
inline styles, style attributes and eval; a template or script that used one
would be blocked and reported by the browser. Each main page is opened as the
demo users who work with it, and any report fails the test.
"""

import datetime

import pytest
from django.urls import reverse

from roadmaps.demo import DEMO_PASSWORD

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any page script; page.evaluate is not subject to the page's CSP.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")
    + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def watch(page) -> list[str]:
    reports: list[str] = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            reports.append(message.text)

    page.on("console", on_console)
    page.add_init_script(COLLECT_VIOLATIONS)
    return reports


def visit(page, url: str, reports: list[str]) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert "Content-Security-Policy" in {k.title() for k in response.headers}, url
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], f"{url}: {violations}"
    assert reports == [], f"{url}: {reports}"


def test_main_pages_break_no_csp_rule(page, demo_portal):
    from django.contrib.auth import get_user_model

    from roadmaps.creating import roadmap_create
    from roadmaps.models import Roadmap
    from schools.models import Organisation, Project

    base = demo_portal.url
    reports = watch(page)
    visit(page, f"{base}/accounts/login/", reports)

    # The municipal coordinator: home, the list, a plan, the dashboard.
    coordinator = get_user_model().objects.get(username="kuzovatovo")
    plan = Roadmap.objects.visible_to(coordinator).order_by("pk").first()
    assert plan is not None
    login(page, base, "kuzovatovo", DEMO_PASSWORD)
    for url in (
        "/",
        reverse("roadmaps:roadmap-list"),
        f"/roadmaps/{plan.pk}/",
        reverse("monitoring:dashboard"),
    ):
        visit(page, f"{base}{url}", reports)

    # A school director in the editor of the school's own plan (htmx loaded).
    studenets = get_user_model().objects.get(username="studenets")
    own = roadmap_create(
        by=studenets,
        owner=Organisation.objects.get(short_name="МОУ СШ с. Студенец"),
        project=Project.objects.get(code="500plus"),
        title="Дорожная карта МОУ СШ с. Студенец",
        period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    page.context.clear_cookies()
    login(page, base, "studenets", DEMO_PASSWORD)
    visit(page, f"{base}/roadmaps/{own.pk}/edit/", reports)
    visit(page, f"{base}/", reports)
