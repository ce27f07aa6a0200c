"""Exports that may be large: streamed at once when small, else a background job.

Each kind of export registers a builder that turns (user, filters) into a
`Prepared` export: its title, file name, the number of rows it will write and
a writer. The web view streams exports of up to EXPORT_INLINE_MAX_ROWS rows
straight away; larger ones become an `ExportJob` run by the task worker
(`manage.py db_worker`), which writes the file with a progress counter the
user watches, so no request ever times out. The worker builds the export
again as the user stands when it runs: rights are checked then, too.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.tasks import task
from django.utils import timezone, translation

from ..models import ExportJob

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass
class Prepared:
    title: str
    filename: str
    rows: int
    # write(out, progress) writes the workbook; progress(n) after n rows.
    write: Callable[[IO[bytes], Progress | None], object]


# kind -> builder(user, filters: QueryDict, today: date) -> Prepared
KINDS: dict[str, Callable[..., Prepared]] = {}


def export_kind(name: str):
    """Register the builder of one kind of export."""

    def decorator(builder):
        KINDS[name] = builder
        return builder

    return decorator


def prepare(kind: str, user, filters: QueryDict, today: date) -> Prepared:
    """Build the export; the builder raises Http404 for filters out of scope."""
    return KINDS[kind](user, filters, today)


def is_large(prepared: Prepared) -> bool:
    return prepared.rows > settings.EXPORT_INLINE_MAX_ROWS


def _params(filters: QueryDict, today: date) -> dict:
    return {
        "filters": {key: filters.getlist(key) for key in filters},
        "today": today.isoformat(),
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }


def _filters(params: dict) -> QueryDict:
    filters = QueryDict(mutable=True)
    for key, values in params.get("filters", {}).items():
        filters.setlist(key, values)
    return filters


def export_start(*, user, kind: str, filters: QueryDict, today: date) -> ExportJob:
    """Queue a background export for the user (the worker runs it)."""
    prepared = prepare(kind, user, filters, today)
    job = ExportJob.objects.create(
        user=user,
        kind=kind,
        params=_params(filters, today),
        title=prepared.title[:300],
        filename=prepared.filename[:200],
        rows_total=prepared.rows,
    )
    transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


class _Counter:
    """Writes the progress to the job every `step` rows (one UPDATE each)."""

    def __init__(self, job_id: int, step: int = 200):
        self.job_id = job_id
        self.step = step
        self.last = 0

    def __call__(self, rows: int) -> None:
        if rows - self.last >= self.step:
            self.last = rows
            ExportJob.objects.filter(pk=self.job_id).update(rows_done=rows)


@task()
def run_export(job_id: int) -> str:
    """Generate one queued export into its file."""
    claimed = ExportJob.objects.filter(
        pk=job_id, status=ExportJob.Status.QUEUED
    ).update(status=ExportJob.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    params = job.params
    try:
        with translation.override(params.get("language") or settings.LANGUAGE_CODE):
            prepared = prepare(
                job.kind,
                job.user,
                _filters(params),
                date.fromisoformat(params["today"]),
            )
            with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as out:
                prepared.write(out, _Counter(job.pk))
                out.seek(0)
                job.file.save(prepared.filename, File(out), save=False)
    except Exception as exc:  # the job must end in a state the user sees
        log.exception("Export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return "failed"
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        file=job.file.name,
        rows_total=prepared.rows,
        rows_done=prepared.rows,
        finished_at=timezone.now(),
    )
    return "done"


def prune_exports(*, older_than_days: int | None = None) -> int:
    """Delete finished exports (and their files) older than the given days."""
    days = settings.EXPORT_KEEP_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
