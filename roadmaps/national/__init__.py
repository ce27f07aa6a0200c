"""The national data generator: the whole country's plans, at any scale.

`generate(options)` fills the database with territories, bodies, schools,
people, orders, roadmaps with editions, activities drawn from the real seed
documents, reports, monitoring forms, risk profiles and curators' visits, in
one transaction, writing rows in batches (COPY on PostgreSQL). It writes no
simple_history rows: generated data has no history.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone, translation

from monitoring.models import MonitoringStageType, RiskFactor
from schools.models import OrganisationKind, Project, Region

from ..imports import DEFAULT_PROJECT_CODE
from .monitoring import risk_profiles, stages, visits
from .plans import plans
from .pool import load_pool
from .reset import delete_generated
from .scale import counts_for
from .state import REGION_PREFIX, USER_PREFIX, Options, State
from .territories import people, territories
from .writer import Progress

__all__ = ["AlreadyGenerated", "Options", "Summary", "generate"]


class AlreadyGenerated(Exception):
    """Generated data is there already and no reset was asked for."""


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    removed_regions: int = 0
    parsed_phrases: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(t for _, t in self.timings)


def has_generated() -> bool:
    from django.contrib.auth import get_user_model

    return (
        Region.objects.filter(code__startswith=REGION_PREFIX).exists()
        or get_user_model().objects.filter(username__startswith=USER_PREFIX).exists()
    )


def _reference() -> None:
    if (
        not OrganisationKind.objects.exists()
        or not Project.objects.filter(code=DEFAULT_PROJECT_CODE).exists()
    ):
        call_command("loaddata", "fixtures/reference.json", verbosity=0)


def generate(
    options: Options, *, reset: bool = False, progress: Progress | None = None
) -> Summary:
    """Generate national data at `options.scale`; all or nothing."""
    progress = progress or Progress(quiet=True)
    summary = Summary()

    def timed(name: str, fn: Callable[[], object]):
        started = time.monotonic()
        result = fn()
        progress.finish()
        summary.timings.append((name, time.monotonic() - started))
        return result

    with translation.override("ru"), transaction.atomic():
        if has_generated():
            if not reset:
                raise AlreadyGenerated
            progress.start("removing generated data", 1)
            summary.removed_regions = timed("removing generated data", delete_generated)
        _reference()
        s = State(
            options=options,
            counts=counts_for(options.scale),
            pool=load_pool(),
            progress=progress,
            today=options.today or timezone.localdate(),
            now=timezone.now(),
            rng=random.Random(options.seed),  # noqa: S311 (test data, not secrets)
        )
        s.kinds = dict(OrganisationKind.objects.values_list("code", "pk"))
        s.project_id = Project.objects.get(code=DEFAULT_PROJECT_CODE).pk
        s.factor_ids = list(
            RiskFactor.objects.filter(is_active=True)
            .order_by("number")
            .values_list("pk", flat=True)
        )
        s.stage_types = [
            (t.pk, t.code, t.name, t.usual_month)
            for t in MonitoringStageType.objects.order_by("position")
        ]
        for name, fn in (
            ("territories and bodies", territories),
            ("users and roles", people),
            ("risk profiles", risk_profiles),
            ("roadmaps", plans),
            ("monitoring forms", stages),
            ("curators' visits", visits),
        ):
            timed(name, lambda fn=fn: fn(s))
        progress.start("finishing", 1)
        timed("finishing", s.ids.reset_sequences)
        summary.parsed_phrases = s.pool.parsed_phrases
        summary.counts = {
            w.model._meta.label: w.count
            for w in sorted(s.writers.values(), key=lambda w: w.model._meta.label)
        }
        committing = time.monotonic()
    # Deferred foreign keys are checked here, at the commit.
    summary.timings.append(
        ("commit (foreign key checks)", time.monotonic() - committing)
    )
    if connection.vendor == "postgresql":
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        summary.timings.append(("analyze", time.monotonic() - started))
    return summary
