"""`make loadtest`: gunicorn on 127.0.0.1 against a copy of the generated database,
locust in a second process: mixed reads, then a burst of monitoring forms.

    DATABASE_URL=postgres://.../portal_national python -m bench.loadtest \\
        [--users 40] [--seconds 60] [--burst-schools 30] [--burst-seconds 40]

The database is copied first (CREATE DATABASE ... TEMPLATE, dropped at the
end), so the passwords set for the test accounts, the stage opened for the
burst and the forms sent never touch the original. Writes
bench/results/<date>-loadtest.json and the load test section of bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import runpy
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
sys.path.insert(0, str(ROOT))


# --- setup on the copy (runs in a child process with the copy's DATABASE_URL) --


def write_plan(path: Path, *, burst_schools: int) -> None:
    """Accounts per role with their pages; schools and values for the burst."""
    from bench.run import refuse_unless_generated, setup_django

    setup_django()
    refuse_unless_generated()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse

    from bench.harness import page_specs, pick_subjects
    from monitoring.models import FieldKind, MonitoringStage
    from monitoring.progress import today

    subjects = pick_subjects()
    readers = {}
    for page, role, url, user in page_specs(subjects):
        readers.setdefault(
            user.pk, {"username": user.get_username(), "role": role, "pages": []}
        )["pages"].append([f"{page} ({role})", url])
    # The stage with the most schools able to fill it (a school account,
    # taking part in the stage's project year, no form sent yet).
    stage, best = None, 0
    for candidate in MonitoringStage.objects.filter(fields__isnull=False).distinct():
        n = _fillers(candidate).values("organisation").distinct().count()
        if n > best or (
            n == best and stage and candidate.region_id == subjects.region.pk
        ):
            stage, best = candidate, n
    forms = []
    if stage is not None:
        on = today()
        stage.is_published = True
        stage.opens_on = on - timedelta(days=7)
        stage.closes_on = on + timedelta(days=21)
        stage.save(update_fields=["is_published", "opens_on", "closes_on"])
        members = _fillers(stage).select_related("user").order_by("organisation", "pk")
        values = {}
        for f in stage.fields.all():
            key = f"f_{f.pk}"
            if f.kind in (FieldKind.NUMBER, FieldKind.PERCENT):
                value = f.min_value if f.min_value is not None else f.max_value
                values[key] = str(value if value is not None else 1)
            elif f.kind == FieldKind.BOOLEAN:
                values[key] = "yes"
            elif f.kind == FieldKind.TEXT:
                values[key] = "Проведено, данные нагрузочного теста"
        seen = set()
        for m in members:
            if m.organisation_id in seen:
                continue
            seen.add(m.organisation_id)
            forms.append(
                {
                    "username": m.user.get_username(),
                    "school": m.organisation_id,
                    "url": reverse(
                        "monitoring:submission-detail",
                        args=[stage.pk, m.organisation_id],
                    ),
                    "values": values,
                }
            )
            if len(forms) >= burst_schools:
                break
    password = secrets.token_urlsafe(12)
    usernames = [r["username"] for r in readers.values()] + [
        f["username"] for f in forms
    ]
    # One hash for all: hashing per user would take seconds each.
    get_user_model().objects.filter(username__in=usernames).update(
        password=make_password(password)
    )
    path.write_text(
        json.dumps(
            {
                "password": password,
                "readers": list(readers.values()),
                "forms": forms,
                "stage": stage.pk if stage else None,
                "subjects": subjects.describe(),
            },
            ensure_ascii=False,
        )
    )


def _fillers(stage):
    """School accounts that may fill `stage` and have not sent it yet."""
    from monitoring.models import SubmissionStatus
    from schools.models import Membership, ProjectParticipation, Role

    taking_part = ProjectParticipation.objects.filter(
        project=stage.project_id, year=stage.year
    ).values("school")
    sent = stage.submissions.exclude(
        status__in=(SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    ).values("school")
    return Membership.objects.filter(
        role=Role.SCHOOL,
        organisation__region=stage.region_id,
        organisation__in=taking_part,
        user__is_active=True,
    ).exclude(organisation__in=sent)


def check_burst(path: Path) -> str:
    """How many of the burst's forms reached the curator."""
    from bench.run import setup_django

    setup_django()
    from monitoring.models import MonitoringSubmission, SubmissionStatus

    plan = json.loads(path.read_text())
    schools = [f["school"] for f in plan["forms"]]
    sent = MonitoringSubmission.objects.filter(
        stage=plan["stage"], school__in=schools, status=SubmissionStatus.SUBMITTED
    ).count()
    return (
        f"Burst check in the database: {sent} of {len(schools)} schools' forms "
        "are sent to the curator (each school saved its draft twice, then sent it)."
    )


# --- orchestration ---------------------------------------------------------------


def _psql(admin_url: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn_settings() -> dict:
    cores = os.cpu_count() or 1
    if GUNICORN_CONF.exists():
        conf = runpy.run_path(str(GUNICORN_CONF))
        return {
            "config": "config/gunicorn.conf.py",
            "workers": conf.get("workers", 1),
            "threads": conf.get("threads", 1),
            "args": ["-c", str(GUNICORN_CONF)],
        }
    workers = 2 * cores + 1  # gunicorn's documented starting point
    return {
        "config": "bench defaults (2 × cores + 1 workers)",
        "workers": workers,
        "threads": 1,
        "args": ["--workers", str(workers)],
    }


def _page_cache_backend(env: dict) -> dict:
    """The cache of the page-cache phase: CACHE_URL if set, else the local
    Redis if it answers (shared by the workers, as in production), else each
    worker's own memory."""
    if env.get("CACHE_URL"):
        return {"CACHE_URL": env["CACHE_URL"]}
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return {"CACHE_URL": "redis://127.0.0.1:6379/7"}
    except OSError:
        pass
    return {}


def _serve(gunicorn: dict, env: dict) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free port of 127.0.0.1, answering; (process, base URL)."""
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    print(f"loadtest: gunicorn {gunicorn['config']} on {host}", flush=True)
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         *gunicorn["args"], "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    _wait_ready(f"{host}/accounts/login/", server)
    return server, host


def _wait_ready(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("loadtest: gunicorn stopped while starting (see its log above)")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("loadtest: gunicorn did not answer within a minute")


def _row(r: dict) -> dict:
    def num(key):
        try:
            return round(float(r[key]), 1)
        except (KeyError, ValueError):
            return None

    return {
        "name": r["Name"],
        "requests": int(r["Request Count"]),
        "failures": int(r["Failure Count"]),
        "rps": num("Requests/s"),
        "p50_ms": num("50%"),
        "p95_ms": num("95%"),
    }


def _run_locust(*, host, plan, user_class, users, seconds, prefix, env) -> dict:
    command = [
        sys.executable, "-m", "locust",
        "-f", str(BENCH_DIR / "locustfile.py"),
        "--headless", "--only-summary", "--loglevel", "WARNING",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
        "--host", host, "--csv", str(prefix), "--stop-timeout", "5",
        *user_class.split(),
    ]  # fmt: skip
    subprocess.run(  # noqa: S603 (our own command line)
        command, env={**env, "BENCH_LOAD_PLAN": str(plan)}, check=False
    )
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = [_row(r) for r in csv.DictReader(f)]
    errors = []
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(newline="") as f:
            errors = [
                f"{r['Name']}: {r['Error']} × {r['Occurrences']}"
                for r in csv.DictReader(f)
            ]
    aggregated = next(r for r in rows if r["name"] == "Aggregated")
    return {
        "users": users,
        "seconds": round(aggregated["requests"] / aggregated["rps"], 1)
        if aggregated["rps"]
        else seconds,
        "aggregated": aggregated,
        "requests": [r for r in rows if r["name"] != "Aggregated" and r["requests"]],
        "errors": errors,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40, help="concurrent readers")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--burst-schools", type=int, default=30)
    parser.add_argument(
        "--write-every", type=float, default=1.0,
        help="seconds between form saves in the reads-with-writes phase",
    )  # fmt: skip
    parser.add_argument("--burst-seconds", type=int, default=40)
    parser.add_argument("--setup", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--check", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if args.setup:
        write_plan(args.setup, burst_schools=args.burst_schools)
        return
    if args.check:
        print(check_burst(args.check))
        return

    from bench.run import DEFAULT_DATABASE_URL, STATIC_ROOT

    source = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not source.startswith(("postgres://", "postgresql://")):
        sys.exit("loadtest: DATABASE_URL must name a PostgreSQL database")
    source_db = urlsplit(source).path.lstrip("/")
    copy_db = f"{source_db}_loadtest"
    admin_url = _with_db(source, "postgres")
    copy_url = _with_db(source, copy_db)
    work = Path(tempfile.mkdtemp(prefix="portal-loadtest-"))
    env = {
        **os.environ,
        "DATABASE_URL": copy_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "STATIC_ROOT": STATIC_ROOT,
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    env.setdefault("CONN_MAX_AGE", "60")
    env.setdefault("GUNICORN_ACCESS_LOG", str(work / "access.log"))
    env.setdefault("GUNICORN_ERROR_LOG", str(work / "error.log"))
    env.setdefault("GUNICORN_LOG_LEVEL", "warning")
    print(f"loadtest: copying {source_db} to {copy_db}", flush=True)
    _psql(admin_url, f'DROP DATABASE IF EXISTS "{copy_db}"')
    _psql(admin_url, f'CREATE DATABASE "{copy_db}" TEMPLATE "{source_db}"')
    server = None
    try:
        plan = work / "plan.json"
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.loadtest", "--setup", str(plan),
             "--burst-schools", str(args.burst_schools)],
            env=env, check=True, cwd=ROOT,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env, check=True, cwd=ROOT,
        )  # fmt: skip
        gunicorn = _gunicorn_settings()
        page_cache = _page_cache_backend(env)
        phases = []
        for cached in (False, True):
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            label = "on" if cached else "off"
            phase_env = {**env, **(page_cache if cached else {})}
            if not cached:
                phase_env["PAGE_CACHE_SECONDS"] = "0"
            server, host = _serve(gunicorn, phase_env)
            print(
                f"loadtest: {args.users} readers for {args.seconds} s, "
                f"page cache {label}",
                flush=True,
            )
            counts = work / f"page-cache-{label}.json"
            reads = _run_locust(
                host=host, plan=plan, user_class="ReaderUser", users=args.users,
                seconds=args.seconds, prefix=work / f"reads-{label}",
                env={**phase_env, "BENCH_PAGE_CACHE_OUT": str(counts)},
            )  # fmt: skip
            reads["page_cache"] = (
                json.loads(counts.read_text()) if counts.exists() else {}
            )
            phases.append({"name": f"mixed reads, page cache {label}", **reads})
        # The same reads while one school saves its form draft every
        # --write-every seconds: each save changes the snapshot, so this is
        # what the page cache is worth on a working day.
        print(
            f"loadtest: {args.users} readers and a form save every "
            f"{args.write_every:g} s, page cache on",
            flush=True,
        )
        counts = work / "page-cache-writes.json"
        mixed = _run_locust(
            host=host, plan=plan, user_class="ReaderUser WriterUser",
            users=args.users + 1, seconds=args.seconds,
            prefix=work / "reads-writes",
            env={**phase_env, "BENCH_PAGE_CACHE_OUT": str(counts),
                 "BENCH_WRITE_EVERY": str(args.write_every)},
        )  # fmt: skip
        mixed["page_cache"] = json.loads(counts.read_text()) if counts.exists() else {}
        phases.append(
            {
                "name": f"mixed reads + a form save every {args.write_every:g} s, "
                "page cache on",
                **mixed,
            }
        )
        forms = len(json.loads(plan.read_text())["forms"])
        burst_check = "No open stage with schools to fill it: no burst."
        if forms:
            print(f"loadtest: burst of {forms} monitoring forms", flush=True)
            burst = _run_locust(
                host=host, plan=plan, user_class="FormUser", users=forms,
                seconds=args.burst_seconds, prefix=work / "burst", env=phase_env,
            )  # fmt: skip
            phases.append({"name": "monitoring form burst", **burst})
            burst_check = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.loadtest", "--check", str(plan)],
                env=env, check=True, cwd=ROOT, capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            print(f"loadtest: gunicorn's logs are in {work}", flush=True)
        _psql(admin_url, f'DROP DATABASE IF EXISTS "{copy_db}"')
    os.environ["DATABASE_URL"] = source
    from bench.run import setup_django

    setup_django()
    from importlib.metadata import version

    from bench import harness, report

    plan_data = json.loads(plan.read_text())
    result = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "dataset": harness.dataset_counts(),
        "subjects": plan_data["subjects"],
        "gunicorn": {k: v for k, v in gunicorn.items() if k != "args"},
        "page_cache": page_cache.get("CACHE_URL") or "each process's memory",
        "locust": version("locust"),
        "phases": phases,
        "burst_check": burst_check,
    }
    print(report.render_loadtest(result))
    if not args.no_write:
        path = report.save_result(result, "loadtest")
        report.update_readme(result, "loadtest")
        print(f"loadtest: written {path.relative_to(ROOT)} and bench/README.md")


if __name__ == "__main__":
    main()
