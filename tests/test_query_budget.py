"""Every page runs at most 12 SQL queries, the same number at two data sizes.

The pages are not listed by hand: every URL pattern of the project is taken
from the resolver, so a new page is measured (or fails here) as soon as it is
routed. Each GET page is opened by five roles in a small world and again in a
grown one (tests/budget_world.py); the status and the number of queries must
be the same at both sizes, and the number at most `MAX_QUERIES`.
"""

from __future__ import annotations

from contextlib import ExitStack
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.budget_world import LARGE, ROLES, TODAY, build_world, grow
from tests.helpers import close_response

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12

# Namespaces and URL names that are not pages of the portal, with the reason.
SKIPPED_NAMESPACES = {"admin": "Django admin (reference data), not a portal page"}
SKIPPED = {
    "login": "the sign-in form, shown before any portal data",
    "logout": "POST only (Django's LogoutView)",
    "set_language": "the language switch, POST only (django.views.i18n)",
}

# "today" of the monitoring rules, pinned so the pages do not depend on the date.
TODAY_USERS = (
    "monitoring.progress.today",
    "monitoring.stages.rules.today",
    "monitoring.stages.services.today",
    "monitoring.stages.selectors.today",
    "monitoring.stages.views.today",
)


def _plan(key):
    return lambda w, role: w.plans[key]


# What `pk` means, per URL name.
PK_OF = {
    "roadmaps:roadmap-detail": _plan("school"),
    "roadmaps:edition-detail": _plan("school"),
    "roadmaps:roadmap-history": _plan("school"),
    "roadmaps:edition-compare": _plan("school"),
    "roadmaps:edition-download": _plan("school"),
    "roadmaps:roadmap-edit": _plan("municipal_draft"),
    "roadmaps:roadmap-preview": _plan("municipal_draft"),
    "roadmaps:activity-edit": _plan("municipal_draft"),
    "roadmaps:activity-row": _plan("municipal_draft"),
    "roadmaps:section-edit": _plan("municipal_draft"),
    "roadmaps:edition-approve": _plan("school_submitted"),
    "roadmaps:order-detail": lambda w, role: (
        w.plans["school"].current_edition.approving_order
    ),
    "roadmaps:export-job": lambda w, role: w.objects[role]["job"],
    "roadmaps:export-job-download": lambda w, role: w.objects[role]["job"],
    # Observers and curators have no body to import for: someone else's upload.
    "roadmaps:import-preview": lambda w, role: (
        w.objects[role]["upload"] or w.objects["municipal"]["upload"]
    ),
    "roadmaps:document-download": lambda w, role: w.objects["document"],
    "schools:organisation-detail": lambda w, role: w.a1,
    "monitoring:activity-reports": lambda w, role: (
        w.plans["school"].current_edition.activities.order_by("pk").first()
    ),
    "monitoring:evidence-download": lambda w, role: w.objects["evidence"],
    "monitoring:visit-detail": lambda w, role: w.objects["visit"],
}
STAGE_PAGES = (
    "stage-detail",
    "stage-edit",
    "stage-fill-form",
    "stage-completion",
    "stage-export",
    "submission-detail",
    "submission-compare",
    "field-edit",
)
PK_OF.update({f"monitoring:{name}": lambda w, role: w.stage for name in STAGE_PAGES})

# Every other URL argument, by its name.
ARGUMENTS = {
    "number": lambda w, role: 1,
    "activity_id": lambda w, role: w.objects["activity"].pk,
    "section_id": lambda w, role: w.objects["section"].pk,
    "school_id": lambda w, role: w.a1.pk,
    "field_pk": lambda w, role: w.fields["pupils"].pk,
    "answer_pk": lambda w, role: w.objects["answer"].pk,
    "municipality_id": lambda w, role: w.m1.pk,
    "year": lambda w, role: 2022,
}
# Query strings a page needs to show something rather than answer 404.
QUERIES = {
    "roadmaps:consolidated-export": lambda w: f"region={w.region.pk}",
    "monitoring:risk-profile-history": lambda w: "year=2022",
    "monitoring:submission-compare": lambda w: f"with={w.objects['entry_stage'].pk}",
}
# Arguments with several meaningful values: each is a page of its own.
VARIANTS = {"fmt": ("xlsx", "docx")}

# Who may not open a page answers 403 (in scope, not allowed) or 404 (out of
# scope, or not theirs); every other role must get 200.
# The editor of M1's draft plan: regional staff and observers read it (403 on
# editing), a school and a curator do not see an upper level's draft (404).
_EDITOR = {"observer": 403, "regional": 403, "school": 404, "curator": 404}
# Only the department's staff set up monitoring stages.
_STAGE_SETUP = {"observer": 403, "municipal": 403, "school": 403, "curator": 403}
# Observers and curators write no plans.
_NO_PLANS = {"observer": 403, "curator": 403}
REFUSED: dict[str, dict[str, int]] = {
    "roadmaps:roadmap-edit": _EDITOR,
    "roadmaps:roadmap-preview": _EDITOR,
    "roadmaps:activity-edit": _EDITOR,
    "roadmaps:activity-row": _EDITOR,
    "roadmaps:section-edit": _EDITOR,
    "roadmaps:roadmap-new": _NO_PLANS,
    "roadmaps:import-start": _NO_PLANS,
    # They have no import of their own: another user's preview is not found.
    "roadmaps:import-preview": {"observer": 404, "curator": 404},
    # A school plan agreed by the curator is approved by M1's coordinator only.
    "roadmaps:edition-approve": {
        "observer": 403,
        "regional": 403,
        "school": 403,
        "curator": 403,
    },
    "monitoring:stage-create": _STAGE_SETUP,
    "monitoring:field-edit": _STAGE_SETUP,
}


# Pages still over the budget, with the number they must not exceed (the
# count stays equal at both sizes) and why; each is an open task, never a
# place to park a new page.
OVER_BUDGET: dict[str, tuple[int, str]] = {}


def url_patterns():
    """(name, pattern) of every routed view, namespaces included."""
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace else str(p.name)
                found.append((name, p, namespace))

    walk(get_resolver().url_patterns, "")
    return found


def _arguments(pattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def get_allowed(callback) -> bool:
    """False for a view that `require_POST` / `require_http_methods` (or a
    class-based view without `get`) keeps from answering GET."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "get")
    func = callback
    while func is not None:
        names = getattr(getattr(func, "__code__", None), "co_freevars", ())
        for cell, var in zip(func.__closure__ or (), names, strict=False):
            if var == "request_method_list":
                return "GET" in cell.cell_contents
        func = getattr(func, "__wrapped__", None)
    return True


def post_only():
    """(name, a URL with placeholder arguments) of every POST-only view."""
    return [
        (name, reverse(name, kwargs=dict.fromkeys(_arguments(p), 1)))
        for name, p, namespace in url_patterns()
        if namespace.split(":")[0] not in SKIPPED_NAMESPACES
        and name not in SKIPPED
        and not get_allowed(p.callback)
    ]


def pages(world, role):
    """(label, URL name, URL) of every page to measure, for one role.

    Raises AssertionError for a URL whose arguments the table cannot fill.
    """
    result, unfilled = [], []
    for name, pattern, namespace in url_patterns():
        if namespace.split(":")[0] in SKIPPED_NAMESPACES or name in SKIPPED:
            continue
        if not get_allowed(pattern.callback):
            continue
        kwargs, variants, missing = {}, [{}], []
        for arg in _arguments(pattern):
            if arg == "pk" and name in PK_OF:
                kwargs[arg] = PK_OF[name](world, role).pk
            elif arg in ARGUMENTS and arg != "pk":
                kwargs[arg] = ARGUMENTS[arg](world, role)
            elif arg in VARIANTS:
                variants = [{arg: v} for v in VARIANTS[arg]]
            else:
                missing.append(f"{name} ({arg})")
        unfilled += missing
        for variant in [] if missing else variants:
            url = reverse(name, kwargs={**kwargs, **variant})
            if name in QUERIES:
                url += "?" + QUERIES[name](world)
            label = name + "".join(f" [{v}]" for v in variant.values())
            result.append((label, name, url))
    assert not unfilled, (
        "URL arguments the query budget test cannot fill (add them to PK_OF or "
        f"ARGUMENTS in {__name__}): {', '.join(unfilled)}"
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
    with ExitStack() as stack:
        for target in TODAY_USERS:
            stack.enter_context(mock.patch(target, return_value=TODAY))
        yield TODAY


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
    routed = {
        name
        for name, _p, ns in url_patterns()
        if ns.split(":")[0] not in SKIPPED_NAMESPACES
    }
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
        expected = REFUSED.get(name, {}).get(role, 200)
        if (status, l_status) != (expected, expected):
            problems.append(f"{label} as {role}: {status}/{l_status}, not {expected}")
        if n_small != n_large:
            problems.append(f"{label} as {role}: {n_small} queries, {n_large} large")
        limit = OVER_BUDGET.get(name, (MAX_QUERIES, ""))[0]
        if n_large > limit:
            problems.append(f"{label} as {role}: {n_large} > {limit} queries")
    assert not problems, "\n".join(problems) + "\n\n" + table(small, large)
