"""Results of the benchmark and the load test as Markdown and JSON history."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
README = BENCH_DIR / "README.md"
RESULTS = BENCH_DIR / "results"

MET, MISSED = "met", "**missed**"


def _mark(ok) -> str:
    if ok is None:
        return "–"
    return MET if ok else MISSED


def _header(result: dict) -> list[str]:
    m, d = result["machine"], result["dataset"]
    return [
        f"Run of {result['date']} on {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gb']} GB RAM; {m['database']}; Python {m['python']}; "
        f"load average before the run {m.get('load_avg')}; CPU check "
        f"{m.get('cpu_check_ms', '–')} ms (a fixed pure-Python loop, best of 5: "
        "times scale with it between runs).",
        "",
        "Dataset: "
        + ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in d.items())
        + ".",
        "",
    ]


def render_bench(result: dict) -> str:
    lines = _header(result)
    s = result["subjects"]
    lines += [
        f"Chosen: region {s['region']}; municipality {s['municipality']}; "
        f"plan {s['plan']}; stage {s['stage']}; "
        f"{result['repeat']} timed requests a page after {result['warmup']} "
        "warm-up ones, in-process (Django test client, DEBUG off).",
        "",
        "Every page is drawn afresh for its timings (the page cache off); the "
        "last two columns are the same page served again from the per-user "
        "page cache (`config/pagecache.py`) while the database has not changed "
        "(– : not cached).",
        "",
        "| page | role | p50 ms | p95 ms (≤ 150) | SQL queries (≤ 12) | status "
        "| cached p50 ms | cached queries |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for p in result["pages"]:
        cached = p.get("cached_p50_ms")
        lines.append(
            f"| {p['page']} | {p['role']} | {p['p50_ms']} | {p['p95_ms']} "
            f"{_mark(p['p95_met'])} | {p['queries']} {_mark(p['queries_met'])} "
            f"| {','.join(map(str, p['status']))} "
            f"| {'–' if cached is None else cached} "
            f"| {'–' if cached is None else p.get('cached_queries')} |"
        )
    c = result["comparison"]
    if c:
        a, b, o = c["admin"], c["bare_sql"], c.get("ours") or {}
        lines += [
            "",
            "Activity list of the region, 50 rows, against Django admin's changelist "
            "(same region filter, `bench/admin_site.py`) and a bare SQL fetch:",
            "",
            "| what | p50 ms | p95 ms | SQL queries |",
            "|---|---:|---:|---:|",
            f"| ours (activity list) | {o.get('p50_ms')} | {o.get('p95_ms')} "
            f"| {o.get('queries')} |",
            f"| Django admin changelist | {a['p50_ms']} | {a['p95_ms']} "
            f"| {a['queries']} |",
            f"| bare SQL ({b['rows']} rows) | {b['p50_ms']} | {b['p95_ms']} | 1 |",
            "",
            f"Ratios (p50 / p95): ours ÷ admin **{c.get('ours_vs_admin_p50')} / "
            f"{c.get('ours_vs_admin_p95')}** "
            f"(faster than admin: {_mark(c.get('faster_than_admin'))}); "
            f"ours ÷ bare SQL **{c.get('ours_vs_bare_p50')} / "
            f"{c.get('ours_vs_bare_p95')}**.",
        ]
    lines += [
        "",
        "| export / import | activities | p50 ms | p95 ms | SQL queries | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for e in result["order_exports"]:
        lines.append(
            f"| {e['export']} | {e['activities']} | {e['p50_ms']} | {e['p95_ms']} "
            f"| {e['queries']} | ≤ 300 ms: {_mark(e['met'])} |"
        )
    for i in result["import"]:
        lines.append(
            f"| {i['step']} | {i['activities']} | {i['p50_ms']} | {i['p95_ms']} "
            f"| {i['queries']} | – |"
        )
    k = result["consolidated"]
    if k:
        muni = k.get("municipality") or {}
        lines += [
            "",
            f"Consolidated regional workbook: {k['activities']:,} activities in "
            f"{k['seconds']} s ({k['bytes'] / 1e6:.1f} MB file); "
            f"{k['per_50k_s']} s per 50 000 activities (≤ 10 s: "
            f"{_mark(k['time_met'])}{_extrapolated(k)}). "
            f"Python memory peak {k['peak_python_mb']} MB against "
            f"{muni.get('peak_python_mb')} MB for a municipality's "
            f"{muni.get('activities')} activities; process RSS grew "
            f"{k['rss_growth_mb']} MB (flat memory: {_mark(k.get('flat_memory'))}).",
        ]
    lines += ["", f"Whole run: {result['duration_s']} s."]
    return "\n".join(lines)


def _extrapolated(k: dict) -> str:
    if k["time_met"] is None:
        return "; too few rows to extrapolate"
    return ", extrapolated linearly" if k["activities"] < 50000 else ""


def render_loadtest(result: dict) -> str:
    lines = _header(result)
    g = result["gunicorn"]
    lines += [
        f"gunicorn: {g['workers']} workers × {g['threads']} threads "
        f"({g['config']}), DEBUG off, on 127.0.0.1; locust {result['locust']} in "
        "another process on the same machine (its CPU counts against the server).",
        "",
        "| phase | users | seconds | requests | req/s | p50 ms | p95 ms "
        "| errors | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for phase in result["phases"]:
        a = phase["aggregated"]
        target = ""
        if phase["name"].startswith("mixed reads"):
            ok = a["rps"] >= 150 and a["failures"] == 0
            target = f"≥ 150 req/s, 0 errors: {_mark(ok)}"
        elif a["failures"] == 0:
            target = f"0 errors: {MET}"
        else:
            target = f"0 errors: {MISSED}"
        lines.append(
            f"| {phase['name']} | {phase['users']} | {phase['seconds']} "
            f"| {a['requests']} | {a['rps']} | {a['p50_ms']} | {a['p95_ms']} "
            f"| {a['failures']} | {target} |"
        )
    for phase in result["phases"]:
        lines += [
            "",
            f"{phase['name']}, per request:",
            "",
            "| request | count | p50 ms | p95 ms | errors |",
            "|---|---:|---:|---:|---:|",
        ]
        for r in phase["requests"]:
            lines.append(
                f"| {r['name']} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} "
                f"| {r['failures']} |"
            )
        if phase.get("errors"):
            lines += ["", "Errors: " + "; ".join(phase["errors"][:5])]
    if result.get("burst_check"):
        lines += ["", result["burst_check"]]
    cached = [p for p in result["phases"] if p.get("page_cache")]
    if cached:
        lines += [
            "",
            "How the measured reads were answered (`X-Page-Cache`; with the page "
            f"cache on, it was in {result.get('page_cache', '?')}):",
            "",
        ]
        for phase in cached:
            counts = phase["page_cache"]
            total = sum(counts.values()) or 1
            shares = ", ".join(
                f"{name} {n} ({100 * n / total:.0f} %)"
                for name, n in sorted(counts.items())
            )
            lines.append(f"- {phase['name']}: {shares}")
    return "\n".join(lines)


def save_result(result: dict, kind: str) -> Path:
    """bench/results/<date>[-loadtest].json; a second run the same day gets -2."""
    RESULTS.mkdir(exist_ok=True)
    day = datetime.now().astimezone().strftime("%Y-%m-%d")
    suffix = "" if kind == "bench" else f"-{kind}"
    path = RESULTS / f"{day}{suffix}.json"
    n = 2
    while path.exists():
        path = RESULTS / f"{day}{suffix}-{n}.json"
        n += 1
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    return path


def replace_section(text: str, kind: str, body: str) -> str:
    start, end = f"<!-- {kind}:start -->", f"<!-- {kind}:end -->"
    block = f"{start}\n{body}\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _m: block, text)
    return f"{text.rstrip()}\n\n{block}\n"


def update_readme(result: dict, kind: str) -> None:
    body = render_bench(result) if kind == "bench" else render_loadtest(result)
    text = README.read_text() if README.exists() else "# Benchmark\n"
    README.write_text(replace_section(text, kind, body))
