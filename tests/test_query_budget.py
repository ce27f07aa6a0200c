"""Every page runs at most 12 SQL queries, the same number at two data sizes.

The pages are not listed by hand: every URL pattern of the project is taken
from the resolver, so a new page is measured (or fails here) as soon as it is
routed. Each GET page is opened by six roles in a small world and again in a
grown one (tests/budget_world.py); the status must be the one tests/rights.py
declares, the number of queries the same at both sizes and at most
`MAX_QUERIES`.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.budget_world import LARGE, ROLES, build_world, grow
from tests.helpers import close_response
from tests.rights import RIGHTS
from tests.rights import expected as declared
from tests.urlwalk import get_allowed, portal_patterns, post_only, urls
from tests.urlwalk import pinned_today as pin_today

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12

# URL names that are not pages of the portal, with the reason.
SKIPPED = {
    "login": "the sign-in form, shown before any portal data",
    "logout": "POST only (Django's LogoutView)",
    "set_language": "the language switch, POST only (django.views.i18n)",
}

# Pages still over the budget, with the number they must not exceed (the
# count stays equal at both sizes) and why; each is an open task, never a
# place to park a new page.
OVER_BUDGET: dict[str, tuple[int, str]] = {}


def pages(world, role):
    """(label, URL name, URL) of every page to measure, for one role.

    Raises AssertionError for a URL whose arguments the table cannot fill.
    """
    result, unfilled = [], []
    for name, pattern in portal_patterns():
        if name in SKIPPED or not get_allowed(pattern.callback):
            continue
        found, missing = urls(name, pattern, world, role)
        unfilled += missing
        result += [(label, name, url) for label, url in found]
    assert not unfilled, (
        "URL arguments the query budget test cannot fill (add them to PK_OF or "
        f"ARGUMENTS in tests/urlwalk.py): {', '.join(unfilled)}"
    )
    return result


def measure(client, url) -> tuple[int, int]:
    """(status, number of queries) of a GET, streamed content included."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    if response.streaming:
        close_response(response)
    return response.status_code, len(ctx.captured_queries)


def measure_all(client, world) -> dict[tuple[str, str], tuple[int, int]]:
    results = {}
    for role in ROLES:
        client.force_login(world.users[role])
        client.get(reverse("home"))  # the session's time zone is set once
        for label, _name, url in pages(world, role):
            results[label, role] = measure(client, url)
    client.logout()
    return results


@pytest.fixture
def pinned_today():
    with pin_today() as today:
        yield today


def table(small, large) -> str:
    lines = [f"{'page':42} {'role':10} status  small large"]
    for (label, role), (status, n_small) in sorted(small.items()):
        l_status, n_large = large[label, role]
        lines.append(
            f"{label:42} {role:10} {status}/{l_status} {n_small:5} {n_large:5}"
        )
    return "\n".join(lines)


def test_every_url_is_measured_or_skipped_with_a_reason(pinned_today):
    world = build_world()
    measured = {name for role in ROLES for _l, name, _u in pages(world, role)}
    routed = {name for name, _p in portal_patterns()}
    posted = {name for name, _url in post_only()}
    assert not measured & posted
    assert routed - measured - posted == set(SKIPPED)
    assert "monitoring:dashboard" in measured


def test_post_only_views_refuse_get(client):
    client.force_login(build_world().users["municipal"])
    refused = {name: client.get(url).status_code for name, url in post_only()}
    assert set(refused.values()) == {405}, refused
    assert "roadmaps:edition-action" in refused


def test_every_page_stays_within_the_query_budget(client, pinned_today):
    world = build_world()
    small = measure_all(client, world)
    grow(world, LARGE)
    large = measure_all(client, world)
    print(table(small, large))  # pytest -s shows the table

    problems = []
    for (label, role), (status, n_small) in sorted(small.items()):
        l_status, n_large = large[label, role]
        name = label.split(" [")[0]
        expected = declared(RIGHTS[name], role, "GET", "own")
        if (status, l_status) != (expected, expected):
            problems.append(f"{label} as {role}: {status}/{l_status}, not {expected}")
        if n_small != n_large:
            problems.append(f"{label} as {role}: {n_small} queries, {n_large} large")
        limit = OVER_BUDGET.get(name, (MAX_QUERIES, ""))[0]
        if n_large > limit:
            problems.append(f"{label} as {role}: {n_large} > {limit} queries")
    assert not problems, "\n".join(problems) + "\n\n" + table(small, large)
