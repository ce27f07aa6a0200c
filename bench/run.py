"""`make bench`: measure the key pages, exports and import on a generated database.

    DATABASE_URL=postgres://.../portal_national python -m bench.run [--repeat 30]

Refuses SQLite and an empty database. Writes bench/results/<date>.json and
rewrites the results section of bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from datetime import datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = "postgres://portal_ci:portal_ci@127.0.0.1:5432/portal_national"
STATIC_ROOT = "/tmp/portal-bench-static"  # noqa: S108 (collected files, no secrets)


def setup_django() -> None:
    """Production-like settings: DEBUG off, the bench's admin site mounted."""
    sys.path.insert(0, str(BENCH_DIR.parent))
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("STATIC_ROOT", STATIC_ROOT)
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"
    # DEBUG off serves hashed static names from the manifest: collect once.
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def refuse_unless_generated() -> dict:
    """The dataset counts, or exit with a clear message."""
    from django.db import connection

    from bench.harness import dataset_counts

    if connection.vendor != "postgresql":
        sys.exit(
            f"bench: refusing to run on {connection.vendor}: the benchmark measures "
            "PostgreSQL. Set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB "
            "(default portal_national)."
        )
    try:
        counts = dataset_counts()
    except Exception as exc:
        sys.exit(f"bench: cannot read the database ({exc}). Is it migrated?")
    if not counts["activities"] or not counts["schools"]:
        sys.exit(
            "bench: the database is empty (no schools or activities). Fill it first: "
            "python manage.py generate_national --scale 0.01"
        )
    return counts


def run(*, repeat: int, warmup: int, export_repeat: int) -> dict:
    from bench import harness

    counts = refuse_unless_generated()
    started = time.perf_counter()
    subjects = harness.pick_subjects()
    print(f"bench: {counts}", flush=True)
    print(f"bench: subjects {subjects.describe()}", flush=True)
    try:
        pages = harness.measure_pages(subjects, repeat=repeat, warmup=warmup)
        print(f"bench: {len(pages)} pages measured", flush=True)
        ours = next((p for p in pages if p["page"].startswith("activity list")), None)
        comparison = harness.measure_comparison(
            subjects, ours, repeat=repeat, warmup=warmup
        )
        exports = harness.measure_order_exports(
            subjects, repeat=export_repeat, warmup=1
        )
        print("bench: order exports measured", flush=True)
        consolidated = harness.measure_consolidated(subjects)
        print("bench: consolidated export measured", flush=True)
        imports = harness.measure_import(subjects, repeat=export_repeat, warmup=1)
    finally:
        harness.cleanup()
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "dataset": counts,
        "subjects": subjects.describe(),
        "repeat": repeat,
        "warmup": warmup,
        "pages": pages,
        "comparison": comparison,
        "order_exports": exports,
        "consolidated": consolidated,
        "import": imports,
        "duration_s": round(time.perf_counter() - started, 1),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests a page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first")
    parser.add_argument("--export-repeat", type=int, default=5)
    parser.add_argument(
        "--no-write", action="store_true", help="print only, keep README and results"
    )
    args = parser.parse_args(argv)
    setup_django()
    result = run(
        repeat=args.repeat, warmup=args.warmup, export_repeat=args.export_repeat
    )
    from bench import report

    print(report.render_bench(result))
    if not args.no_write:
        path = report.save_result(result, "bench")
        report.update_readme(result, "bench")
        print(
            f"bench: written {path.relative_to(BENCH_DIR.parent)} and bench/README.md"
        )


if __name__ == "__main__":
    main()
