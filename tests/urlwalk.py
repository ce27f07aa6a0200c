"""Every URL of the project, with its arguments filled from a test world.

The pages are never listed by hand: `url_patterns` reads the resolver, so a
view is walked by the query budget (tests/test_query_budget.py) and the
permission matrix (tests/test_permission_matrix.py) as soon as it is routed,
and `urls` fails for an argument the tables below cannot fill. The objects
come from tests/budget_world.py: the world itself for objects in the users'
territory, `world.foreign` for the same objects in another region.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.budget_world import PDF, TODAY

# Django's admin has a page per model and action; its tests are its own
# (tests/roadmaps/test_admin.py, and the admin row of tests/rights.py).
SKIPPED_NAMESPACES = {"admin": "Django admin (reference data), not a portal page"}

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


# What `pk` means, per URL name; `w` is a territory of the world, `role` the
# user's role (export jobs and import uploads belong to one user).
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
# The draft plan of M1 is what the editor's actions change.
PK_OF.update(
    {
        f"roadmaps:{name}": _plan("municipal_draft")
        for name in (
            "roadmap-settings",
            "activity-bulk",
            "activity-add",
            "activity-delete",
            "activity-duplicate",
            "activity-move",
            "section-add",
            "section-delete",
            "section-move",
            "comment-add",
            "activity-restore",
        )
    }
)
PK_OF.update(
    {
        # The school plan agreed by the curator moves on (or back) from here.
        "roadmaps:edition-action": _plan("school_submitted"),
        # A new edition of M1's approved plan.
        "roadmaps:edition-new": _plan("municipal"),
        # A report of A1 waiting for the curator.
        "monitoring:report-decide": lambda w, role: w.objects["evidence"].report,
    }
)
STAGE_PAGES = (
    "stage-detail",
    "stage-publish",
    "field-add",
    "field-move",
    "field-delete",
    "submission-decide",
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
    "history_id": lambda w, role: w.objects["deleted"],
}
# Query strings a page needs to show something rather than answer 404.
QUERIES = {
    "roadmaps:consolidated-export": lambda w: f"region={w.region.pk}",
    "monitoring:risk-profile-history": lambda w: "year=2022",
    "monitoring:submission-compare": lambda w: f"with={w.objects['entry_stage'].pk}",
}
# Bodies of the POSTs whose view reads the form before it asks for the
# user's right: an empty body would be "invalid" for everybody, a valid one
# lets the right decide (see tests/test_permission_matrix.py).
POST_BODIES = {
    "roadmaps:comment-add": lambda w, role: {"text": "Проверка прав"},
    "roadmaps:edition-action": lambda w, role: {
        "action": "return",
        "comment": "Проверка прав",
    },
    "monitoring:report-decide": lambda w, role: {
        "decision": "confirmed",
        "version": w.objects["evidence"].report.version,
    },
    "monitoring:submission-detail": lambda w, role: {
        "version": w.objects["answer"].submission.version
    },
    "monitoring:submission-decide": lambda w, role: {
        "decision": "confirm",
        "version": w.objects["answer"].submission.version,
    },
    # The views below take several actions, by a "do" field; an unknown one
    # is 404 for everybody.
    "monitoring:risk-profile": lambda w, role: {
        "do": "verify",
        "action": "verify",
        "version": w.objects["profile"].version,
    },
    "monitoring:schedule-detail": lambda w, role: {"do": "plan"},
    "monitoring:visit-detail": lambda w, role: {
        "do": "record",
        "version": w.objects["visit"].version,
    },
    "roadmaps:document-list": lambda w, role: {
        "do": "upload",
        "kind": "concept",
        "title": "Проверка прав",
        "file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
    },
}
# Arguments with several meaningful values: each is a page of its own.
VARIANTS = {"fmt": ("xlsx", "docx")}


def url_patterns():
    """(name, pattern, namespace) of every routed view, namespaces included."""
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


def portal_patterns():
    """(name, pattern) of every routed view outside `SKIPPED_NAMESPACES`."""
    return [
        (name, p)
        for name, p, namespace in url_patterns()
        if namespace.split(":")[0] not in SKIPPED_NAMESPACES
    ]


def arguments(pattern) -> list[str]:
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
        (name, reverse(name, kwargs=dict.fromkeys(arguments(p), 1)))
        for name, p in portal_patterns()
        if not get_allowed(p.callback)
    ]


def urls(name, pattern, territory, role) -> tuple[list[tuple[str, str]], list[str]]:
    """([(label, URL)], [unfilled arguments]) of one pattern for one role.

    The label is the name, plus the value of a `VARIANTS` argument.
    """
    kwargs, variants, missing = {}, [{}], []
    for arg in arguments(pattern):
        if arg == "pk" and name in PK_OF:
            kwargs[arg] = PK_OF[name](territory, role).pk
        elif arg in ARGUMENTS and arg != "pk":
            kwargs[arg] = ARGUMENTS[arg](territory, role)
        elif arg in VARIANTS:
            variants = [{arg: v} for v in VARIANTS[arg]]
        else:
            missing.append(f"{name} ({arg})")
    found = []
    for variant in [] if missing else variants:
        url = reverse(name, kwargs={**kwargs, **variant})
        if name in QUERIES:
            url += "?" + QUERIES[name](territory)
        found.append((name + "".join(f" [{v}]" for v in variant.values()), url))
    return found, missing


@contextmanager
def pinned_today():
    """The monitoring rules' "today" is the world's `TODAY`."""
    with ExitStack() as stack:
        for target in TODAY_USERS:
            stack.enter_context(mock.patch(target, return_value=TODAY))
        yield TODAY
