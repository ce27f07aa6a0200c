"""The benchmark's measuring functions (bench/run.py runs them on a generated world).

Each function returns plain dicts (JSON-ready rows), so that the same code
feeds the README table, the results history and tests/test_bench.py.
"""

from __future__ import annotations

import io
import os
import platform
import resource
import statistics
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from config.pagecache import HEADER as PAGE_CACHE_HEADER
from monitoring import progress
from monitoring.models import ActivityReport, MonitoringStage
from roadmaps.exports.docx import write_edition_docx
from roadmaps.exports.kinds import consolidated
from roadmaps.exports.xlsx import write_edition_xlsx
from roadmaps.imports import parse_path
from roadmaps.models import Activity, ImportUpload, Level, Roadmap, RoadmapEdition
from schools.models import (
    CuratorAssignment,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Region,
    Role,
)

# The targets of issue 7, written beside every number.
TARGET_P95_MS = 150.0
TARGET_QUERIES = 12
TARGET_ORDER_EXPORT_S = 0.3
TARGET_CONSOLIDATED_S = 10.0
TARGET_CONSOLIDATED_ROWS = 50_000
TARGET_RPS = 150.0
PLAN_SIZE = 80  # activities of "the roadmap page of an 80-activity plan"
EXTRAPOLATE_FROM = 5_000  # consolidated rows needed to judge the 50,000 target
SLOW_S, SLOW_REPEAT = 1.0, 5  # pages slower than SLOW_S get SLOW_REPEAT timings
LIST_ROWS = 50  # rows of the activity list's and the admin's first page

SEED_004 = next(
    iter(sorted((Path(settings.BASE_DIR) / "fixtures" / "seeds").glob("004*"))), None
)
BENCH_SUPERUSER = "bench-superuser"

STAFF_ROLES = (
    Role.REGIONAL_STAFF,
    Role.REGIONAL_COORDINATOR,
    Role.MUNICIPAL_COORDINATOR,
    Role.SCHOOL,
    Role.CURATOR,
    Role.FEDERAL_OBSERVER,
)


@dataclass
class Subjects:
    """The objects and users the benchmark reads, chosen from the database."""

    region: Region
    municipality: Municipality | None
    plan: Roadmap | None  # a school plan in force of about PLAN_SIZE activities
    plan_size: int
    plan_has_curator: bool
    editor_plan: Roadmap | None
    editor_user: object | None
    stage: MonitoringStage | None
    users: dict[str, object] = field(default_factory=dict)  # role -> user

    def describe(self) -> dict:
        return {
            "region": f"{self.region} (id {self.region.pk})",
            "municipality": f"{self.municipality} (id {self.municipality.pk})"
            if self.municipality
            else None,
            "plan": f"{self.plan.title[:60]} (id {self.plan.pk}, "
            f"{self.plan_size} activities)"
            if self.plan
            else None,
            "editor_plan": self.editor_plan.pk if self.editor_plan else None,
            "editor_user": self.editor_user.get_username()
            if self.editor_user
            else None,
            "stage": f"{self.stage} (id {self.stage.pk})" if self.stage else None,
            "users": {role: u.get_username() for role, u in self.users.items()},
        }


# --- data -------------------------------------------------------------------


def dataset_counts() -> dict:
    """How big the world is: what the README's dataset column shows."""
    schools = Organisation.objects.filter(kind__code=OrganisationKind.SCHOOL)
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "schools": schools.count(),
        "users": get_user_model().objects.count(),
        "roadmaps": Roadmap.objects.count(),
        "editions": RoadmapEdition.objects.count(),
        "activities": Activity.objects.count(),
        "reports": ActivityReport.objects.count(),
    }


def machine() -> dict:
    """CPU model, cores and memory of this machine (from /proc on Linux)."""
    cpu = platform.processor() or platform.machine()
    memory_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()"
            if connection.vendor != "sqlite"
            else "SELECT sqlite_version()"
        )
        database = cursor.fetchone()[0].split(" on ")[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "database": database,
        # Other work on the machine skews every number: say how busy it was.
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "cpu_check_ms": cpu_check_ms(),
    }


def cpu_check_ms(rounds: int = 5) -> float:
    """Milliseconds of a fixed piece of pure Python (best of `rounds`).

    Two machines of the same model name can differ twofold (a shared host,
    CPU steal): this number says how fast the CPU was during the run, so that
    runs on different days compare by their ratio to it.
    """
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def _member(role: str, **where):
    found = (
        Membership.objects.filter(role=role, user__is_active=True, **where)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return found.user if found else None


def _plans_with_size():
    return Roadmap.objects.annotate(
        size=Count("current_edition__activities", distinct=True)
    )


def pick_subjects() -> Subjects:
    """The region with most schools, its biggest municipality, a plan of ~80
    activities, an open-or-latest monitoring stage, and one user per role."""
    school_q = Q(organisations__kind__code=OrganisationKind.SCHOOL)
    region = (
        Region.objects.annotate(n=Count("organisations", filter=school_q))
        .order_by("-n", "pk")
        .first()
    )
    if region is None:
        raise LookupError("the database has no region")
    municipality = (
        Municipality.objects.filter(region=region)
        .annotate(n=Count("organisations", filter=school_q))
        .order_by("-n", "pk")
        .first()
    )
    plans = _plans_with_size().filter(
        level=Level.SCHOOL, current_edition__isnull=False, size__gt=0
    )
    # Nearest to PLAN_SIZE activities, preferring the chosen region.
    plan = None
    for candidates in (plans.filter(region=region), plans):
        sizes = candidates.values_list("pk", "size")
        best = min(sizes, key=lambda ps: (abs(ps[1] - PLAN_SIZE), ps[0]), default=None)
        if best:
            plan = Roadmap.objects.get(pk=best[0])
            plan_size = best[1]
            break
    if plan is None:  # no school plan in force: the largest plan of any level
        best = _plans_with_size().filter(size__gt=0).order_by("-size", "pk").first()
        plan, plan_size = (best, best.size) if best else (None, 0)
    if plan is not None and plan.region_id != region.pk:
        region = plan.region
    editable = RoadmapEdition.objects.filter(
        status__in=(RoadmapEdition.Status.DRAFT, RoadmapEdition.Status.RETURNED)
    )
    with_writer = Membership.objects.filter(role=Role.SCHOOL, user__is_active=True)
    editor_plan = (
        Roadmap.objects.filter(
            level=Level.SCHOOL,
            latest_edition__in=editable,
            owner__in=with_writer.values("organisation"),
        )
        .annotate(size=Count("latest_edition__activities"))
        .order_by("-size", "pk")
        .first()
    )
    if editor_plan is None and plan is not None and plan.level == Level.SCHOOL:
        editor_plan = plan  # read-only editor of the plan in force
    editor_user = (
        _member(Role.SCHOOL, organisation=editor_plan.owner_id) if editor_plan else None
    )
    stage = (
        MonitoringStage.objects.filter(region=region)
        .annotate(n=Count("submissions"))
        .order_by("-year", "-n", "pk")
        .first()
    ) or MonitoringStage.objects.order_by("-year", "pk").first()

    users = {}
    users[Role.REGIONAL_STAFF] = _member(
        Role.REGIONAL_STAFF, organisation__region=region
    )
    users[Role.REGIONAL_COORDINATOR] = _member(
        Role.REGIONAL_COORDINATOR, organisation__region=region
    )
    if plan is not None and plan.municipality_id:
        users[Role.MUNICIPAL_COORDINATOR] = _member(
            Role.MUNICIPAL_COORDINATOR, organisation__municipality=plan.municipality_id
        )
    users[Role.MUNICIPAL_COORDINATOR] = users.get(
        Role.MUNICIPAL_COORDINATOR
    ) or _member(Role.MUNICIPAL_COORDINATOR, organisation__region=region)
    if plan is not None and plan.level == Level.SCHOOL:
        users[Role.SCHOOL] = _member(Role.SCHOOL, organisation=plan.owner_id)
    users[Role.SCHOOL] = users.get(Role.SCHOOL) or _member(
        Role.SCHOOL, organisation__region=region
    )
    # The plan's own curator if it has one, else the busiest of the region.
    assignments = CuratorAssignment.objects.filter(school__region=region)
    plan_curator = (
        assignments.filter(school=plan.owner_id).order_by("-year", "pk").first()
        if plan is not None
        else None
    )
    if plan_curator is not None:
        users[Role.CURATOR] = plan_curator.curator
    else:
        busiest = (
            assignments.values("curator")
            .annotate(n=Count("pk"))
            .order_by("-n", "curator")
            .first()
        )
        if busiest:
            users[Role.CURATOR] = get_user_model().objects.get(pk=busiest["curator"])
    users[Role.FEDERAL_OBSERVER] = _member(Role.FEDERAL_OBSERVER)
    users = {str(role): user for role, user in users.items() if user is not None}
    return Subjects(
        region=region,
        municipality=municipality,
        plan=plan,
        plan_size=plan_size,
        plan_has_curator=plan_curator is not None,
        editor_plan=editor_plan,
        editor_user=editor_user,
        stage=stage,
        users=users,
    )


def page_specs(subjects: Subjects) -> list[tuple[str, str, str, object]]:
    """(page, role, url, user) of every key page as each role that reads it sees it."""
    region = subjects.region.pk
    specs = []

    def add(page, roles, url, user=None):
        for role in roles:
            who = user or subjects.users.get(str(role))
            if who is not None:
                specs.append((page, str(role), url, who))

    add("home", STAFF_ROLES, reverse("home"))
    add(
        "roadmap list (region)",
        (Role.FEDERAL_OBSERVER, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR),
        f"{reverse('roadmaps:roadmap-list')}?region={region}",
    )
    if subjects.plan is not None:
        add(
            f"roadmap page ({subjects.plan_size} act.)",
            (
                Role.SCHOOL,
                Role.MUNICIPAL_COORDINATOR,
                Role.REGIONAL_STAFF,
                *([Role.CURATOR] if subjects.plan_has_curator else []),
                Role.FEDERAL_OBSERVER,
            ),
            subjects.plan.get_absolute_url(),
        )
    if subjects.editor_user is not None:
        add(
            "editor",
            (Role.SCHOOL,),
            reverse("roadmaps:roadmap-edit", args=[subjects.editor_plan.pk]),
            subjects.editor_user,
        )
    add(
        "inbox",
        (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR, Role.SCHOOL),
        reverse("roadmaps:inbox"),
    )
    add(
        "my tasks",
        (Role.SCHOOL, Role.CURATOR, Role.MUNICIPAL_COORDINATOR),
        reverse("monitoring:my-tasks"),
    )
    add(
        "region dashboard",
        (Role.REGIONAL_STAFF, Role.FEDERAL_OBSERVER),
        f"{reverse('monitoring:dashboard')}?region={region}",
    )
    if subjects.stage is not None:
        add(
            "stage completion",
            (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR),
            reverse("monitoring:stage-completion", args=[subjects.stage.pk]),
        )
    add(
        "activity list (region)",
        (Role.REGIONAL_STAFF, Role.FEDERAL_OBSERVER),
        f"{reverse('monitoring:activity-list')}?region={region}",
    )
    return specs


# --- timing -----------------------------------------------------------------


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds, rounded to 0.1."""
    if len(samples_ms) == 1:
        return round(samples_ms[0], 1), round(samples_ms[0], 1)
    p50 = statistics.median(samples_ms)
    p95 = statistics.quantiles(samples_ms, n=20, method="inclusive")[18]
    return round(p50, 1), round(p95, 1)


def timed(fn, *, repeat: int, warmup: int) -> list[float]:
    """Call fn warmup + repeat times; the repeat timings in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def measure_url(client: Client, url: str, *, repeat: int, warmup: int) -> dict:
    """Latency and SQL queries of one page for one logged-in client, drawn
    every time (the page cache off), then served from the page cache."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        row = _measure_drawn(client, url, repeat=repeat, warmup=warmup)
    row.update(_measure_cached(client, url, repeat=repeat))
    return row


def _measure_cached(client: Client, url: str, *, repeat: int) -> dict:
    """p50 and queries of the page from the page cache (config/pagecache.py):
    the same user asking again while the database has not changed."""
    with override_settings(PAGE_CACHE_SECONDS=600):
        client.get(url)  # sets the CSRF cookie, if the page has a form
        client.get(url)  # stored
        if client.get(url).get(PAGE_CACHE_HEADER) != "hit":
            return {"cached_p50_ms": None, "cached_queries": None}
        samples = timed(lambda: client.get(url), repeat=repeat, warmup=0)
        queries = count_queries(lambda: client.get(url))
    return {"cached_p50_ms": percentiles(samples)[0], "cached_queries": queries}


def _measure_drawn(client: Client, url: str, *, repeat: int, warmup: int) -> dict:
    statuses = set()

    def get():
        response = client.get(url)
        statuses.add(response.status_code)
        return response

    start = time.perf_counter()
    get()
    if time.perf_counter() - start > SLOW_S:
        # A page of seconds gets fewer timed requests: its p95 is far off anyway.
        repeat, warmup = min(repeat, SLOW_REPEAT), 0
    samples = timed(get, repeat=repeat, warmup=max(warmup - 1, 0))
    queries = count_queries(get)
    size = len(get().content)
    p50, p95 = percentiles(samples)
    return {
        "url": url,
        "status": sorted(statuses),
        "p50_ms": p50,
        "p95_ms": p95,
        "queries": queries,
        "bytes": size,
        "repeat": repeat,
    }


def judge_page(row: dict) -> dict:
    ok_status = row["status"] == [200]
    row["p95_met"] = ok_status and row["p95_ms"] <= TARGET_P95_MS
    row["queries_met"] = ok_status and row["queries"] <= TARGET_QUERIES
    return row


def measure_pages(subjects: Subjects, *, repeat: int, warmup: int) -> list[dict]:
    """One row per (page, role): p50/p95 and SQL queries, as that role sees it."""
    clients = {}
    rows = []
    for page, role, url, user in page_specs(subjects):
        if user.pk not in clients:
            clients[user.pk] = client_for(user)
        row = measure_url(clients[user.pk], url, repeat=repeat, warmup=warmup)
        rows.append(judge_page({"page": page, "role": role, **row}))
    return rows


# --- comparison with Django admin and bare SQL --------------------------------


def bench_superuser():
    """A superuser for the admin's changelist (created, removed by cleanup)."""
    user, _created = get_user_model().objects.get_or_create(
        username=BENCH_SUPERUSER,
        defaults={"is_staff": True, "is_superuser": True},
    )
    return user


def cleanup() -> None:
    get_user_model().objects.filter(username=BENCH_SUPERUSER).delete()


def bare_sql_rows(region_id: int, limit: int = LIST_ROWS) -> list[tuple]:
    """The activity list's first page, fetched with one raw query."""
    a, r, o = (m._meta.db_table for m in (Activity, Roadmap, Organisation))
    # Table names come from _meta, the values are parameters.
    sql = (
        "SELECT a.id, a.number, a.title, a.deadline_text, a.responsible_text, "  # noqa: S608
        f"o.name, r.title FROM {a} a "
        f"JOIN {r} r ON r.current_edition_id = a.edition_id "
        f"JOIN {o} o ON o.id = r.owner_id "
        f"WHERE r.region_id = %s "
        f"ORDER BY a.deadline_end, a.deadline_start, a.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [region_id, limit])
        return cursor.fetchall()


def measure_comparison(
    subjects: Subjects, ours: dict | None, *, repeat: int, warmup: int
) -> dict:
    """Our activity list ÷ Django admin's changelist ÷ a bare SQL fetch, 50 rows."""
    region = subjects.region.pk
    admin_url = (
        f"{reverse('bench_admin:roadmaps_activity_changelist')}"
        f"?edition__roadmap__region__id__exact={region}"
    )
    admin = measure_url(
        client_for(bench_superuser()), admin_url, repeat=repeat, warmup=warmup
    )
    bare = timed(lambda: bare_sql_rows(region), repeat=repeat, warmup=warmup)
    bare_p50, bare_p95 = percentiles(bare)
    result = {
        "ours": ours,
        "admin": admin,
        "bare_sql": {
            "p50_ms": bare_p50,
            "p95_ms": bare_p95,
            "rows": len(bare_sql_rows(region)),
            "queries": 1,
        },
    }
    if ours:
        for key in ("p50_ms", "p95_ms"):
            result[f"ours_vs_admin_{key[:3]}"] = _ratio(ours[key], admin[key])
            result[f"ours_vs_bare_{key[:3]}"] = _ratio(
                ours[key], result["bare_sql"][key]
            )
        result["faster_than_admin"] = ours["p50_ms"] < admin["p50_ms"]
    return result


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


# --- exports and import -------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_order_exports(
    subjects: Subjects, *, repeat: int, warmup: int
) -> list[dict]:
    """The order with its plan as Excel and Word, as the download gives them."""
    if subjects.plan is None:
        return []
    edition = subjects.plan.current_edition
    rows = []
    for kind, writer in (
        ("order Excel", write_edition_xlsx),
        ("order Word", write_edition_docx),
    ):

        def run(writer=writer):
            out = io.BytesIO()
            writer(edition, out)
            return out

        samples = timed(run, repeat=repeat, warmup=warmup)
        p50, p95 = percentiles(samples)
        rows.append(
            {
                "export": kind,
                "activities": subjects.plan_size,
                "p50_ms": p50,
                "p95_ms": p95,
                "queries": count_queries(run),
                "bytes": len(run().getvalue()),
                "met": p95 <= TARGET_ORDER_EXPORT_S * 1000,
            }
        )
    return rows


def _consolidated_once(user, filters: QueryDict, *, trace: bool) -> dict:
    prepared = consolidated(user, filters, progress.today())
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        rss_before = _rss_mb()
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        written = prepared.write(out, None)
        seconds = time.perf_counter() - start
        peak = None
        if trace:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        out.flush()
        size = os.path.getsize(out.name)
    return {
        "seconds": round(seconds, 2),
        "activities": written,
        "bytes": size,
        "rss_growth_mb": round(_rss_mb() - rss_before, 1),
        "peak_python_mb": round(peak / 1024 / 1024, 1) if peak is not None else None,
    }


def measure_consolidated(subjects: Subjects) -> dict:
    """The region's consolidated workbook (timed), then its Python memory peak
    against a municipality's: flat memory means the peak does not follow rows."""
    user = subjects.users.get(str(Role.REGIONAL_STAFF)) or subjects.users.get(
        str(Role.FEDERAL_OBSERVER)
    )
    if user is None:
        return {}
    region = QueryDict(f"region={subjects.region.pk}")
    timed_run = _consolidated_once(user, region, trace=False)
    region_mem = _consolidated_once(user, region, trace=True)
    result = {
        **timed_run,
        "peak_python_mb": region_mem["peak_python_mb"],
        "per_50k_s": round(
            timed_run["seconds"] * TARGET_CONSOLIDATED_ROWS / timed_run["activities"], 1
        )
        if timed_run["activities"]
        else None,
    }
    if subjects.municipality is not None:
        small = _consolidated_once(
            user, QueryDict(f"municipality={subjects.municipality.pk}"), trace=True
        )
        result["municipality"] = {
            "activities": small["activities"],
            "peak_python_mb": small["peak_python_mb"],
        }
        # Flat: the peak grows by less than half as fast as the rows.
        rows_ratio = timed_run["activities"] / max(small["activities"], 1)
        mem_ratio = region_mem["peak_python_mb"] / max(small["peak_python_mb"], 0.1)
        result["flat_memory"] = mem_ratio <= max(1.5, rows_ratio / 2)
    # Below a few thousand rows the fixed cost dominates: no extrapolation.
    if timed_run["activities"] < EXTRAPOLATE_FROM:
        result["per_50k_s"] = None
        result["time_met"] = None
    else:
        result["time_met"] = result["per_50k_s"] <= TARGET_CONSOLIDATED_S
    return result


def measure_import(subjects: Subjects, *, repeat: int, warmup: int) -> list[dict]:
    """Seed 004 read by the importer, and its preview page as regional staff."""
    if SEED_004 is None:
        return []
    samples = timed(lambda: parse_path(SEED_004), repeat=repeat, warmup=warmup)
    p50, p95 = percentiles(samples)
    document = parse_path(SEED_004)
    rows = [
        {
            "step": "parse seed 004",
            "activities": document.activity_count(),
            "p50_ms": p50,
            "p95_ms": p95,
            "queries": count_queries(lambda: parse_path(SEED_004)),
        }
    ]
    user = subjects.users.get(str(Role.REGIONAL_STAFF)) or _member(Role.REGIONAL_STAFF)
    owner = (
        Membership.objects.filter(user=user, role=Role.REGIONAL_STAFF)
        .values_list("organisation", flat=True)
        .first()
        if user
        else None
    )
    if owner and subjects.plan is not None:
        pending = ImportUpload.objects.create(
            user=user,
            filename=SEED_004.name,
            data=SEED_004.read_bytes(),
            owner_id=owner,
            project_id=subjects.plan.project_id,
        )
        try:
            url = reverse("roadmaps:import-preview", args=[pending.pk])
            row = measure_url(client_for(user), url, repeat=repeat, warmup=warmup)
        finally:
            pending.delete()
        rows.append(
            {
                "step": "import preview page",
                "activities": document.activity_count(),
                **row,
            }
        )
    return rows
