"""List exports: streamed when small, a background job with progress when large."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..exports import jobs
from ..models import ExportJob


def _stream(prepared: jobs.Prepared) -> FileResponse:
    # Memory stays flat: the workbook spills to disk past a few megabytes.
    # FileResponse closes the file when the response is sent.
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115
    prepared.write(spooled, None)
    spooled.seek(0)
    return FileResponse(spooled, as_attachment=True, filename=prepared.filename)


@require_http_methods(["GET", "POST"])
def export(request, kind: str):
    """GET: the file at once, or for a large export a page offering to
    generate it in the background; POST: queue that background job."""
    if kind not in jobs.KINDS:
        raise Http404
    today = timezone.localdate()
    if request.method == "POST":
        job = jobs.export_start(
            user=request.user, kind=kind, filters=request.GET, today=today
        )
        messages.success(
            request,
            _(
                "The export is being prepared. You can leave this page: "
                "it stays in «My exports»."
            ),
        )
        return redirect("roadmaps:export-job", pk=job.pk)
    prepared = jobs.prepare(kind, request.user, request.GET, today)
    if not jobs.is_large(prepared):
        return _stream(prepared)
    return render(
        request, "roadmaps/export_large.html", {"prepared": prepared, "kind": kind}
    )


def _own_job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


@require_GET
def job_detail(request, pk):
    """The export's progress; htmx polls the progress block until it ends."""
    job = _own_job(request, pk)
    template = (
        "roadmaps/_export_progress.html" if request.htmx else "roadmaps/export_job.html"
    )
    return render(request, template, {"job": job})


@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@require_GET
def job_list(request):
    """The user's recent exports."""
    jobs_ = ExportJob.objects.filter(user=request.user)[:50]
    return render(
        request,
        "roadmaps/export_jobs.html",
        {"jobs": jobs_, "keep_days": settings.EXPORT_KEEP_DAYS},
    )
