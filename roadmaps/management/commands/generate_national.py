"""python manage.py generate_national — realistic national data at a scale."""

from __future__ import annotations

import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ...national import AlreadyGenerated, Options, generate
from ...national.scale import counts_for
from ...national.writer import Progress


def _years(text: str) -> tuple[int, ...]:
    m = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*", text)
    if m:
        first, last = int(m.group(1)), int(m.group(2))
        years = tuple(range(first, last + 1))
    else:
        years = tuple(sorted({int(y) for y in re.split(r"[,\s]+", text) if y}))
    if not years or any(not 2000 <= y <= 2100 for y in years):
        raise CommandError(f"Years must be like 2022-2024 or 2022,2023: {text!r}")
    return years


class Command(BaseCommand):
    help = (
        "Fill the database with generated national data: regions, "
        "municipalities, schools, people, orders, roadmaps with editions, "
        "reports, monitoring forms, risk profiles and visits. Scale 1.0 is the "
        "whole country (85 regions, 2,300 municipalities, 40,000 schools). "
        "Generated rows are marked (region codes 'gen-', usernames 'gen.'); "
        "--reset deletes only them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01)
        parser.add_argument("--seed", type=int, default=500)
        parser.add_argument("--years", default="2022-2024")
        parser.add_argument("--password", default="national-500plus")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete previously generated data first (demo data stays).",
        )
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be positive.")
        opts = Options(
            scale=options["scale"],
            seed=options["seed"],
            years=_years(options["years"]),
            password=options["password"],
            batch_size=options["batch_size"],
        )
        verbosity = options["verbosity"]
        c = counts_for(opts.scale)
        if verbosity:
            self.stdout.write(
                f"Generating scale {opts.scale} on {connection.vendor}: "
                f"{c.regions} regions, {c.municipalities} municipalities, "
                f"{c.schools} schools, {c.participants_per_year} in the project "
                f"per year, years {', '.join(map(str, opts.years))}."
            )
        started = time.monotonic()
        try:
            summary = generate(
                opts,
                reset=options["reset"],
                progress=Progress(quiet=verbosity == 0, stream=self.stderr),
            )
        except AlreadyGenerated:
            raise CommandError(
                "The database already holds generated data. Run again with "
                "--reset to replace it (demo and real data stay)."
            ) from None
        elapsed = time.monotonic() - started
        if not verbosity:
            return
        if summary.removed_regions:
            self.stdout.write(
                f"Removed the previous generated data ({summary.removed_regions} "
                "regions)."
            )
        self.stdout.write("Rows written:")
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label:<40} {count:>10,}")
        self.stdout.write(
            f"Distinct phrases understood (deadlines per year, indicators, "
            f"executors): {summary.parsed_phrases}"
        )
        self.stdout.write("Time per phase:")
        for name, seconds in summary.timings:
            self.stdout.write(f"  {name:<40} {seconds:>8.1f} s")
        self.stdout.write(f"  {'total':<40} {elapsed:>8.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated users (usernames 'gen.…') share the password "
                f"{opts.password!r}; e.g. gen.r01.dept (regional approver), "
                "gen.r01.coord, gen.r01.m0001 (municipal coordinator), "
                "gen.r01.cur001 (curator), gen.observer."
            )
        )
