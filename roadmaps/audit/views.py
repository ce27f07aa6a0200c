"""The audit log page (superusers only; others get 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .filters import AuditFilterForm
from .selectors import LogPage, can_read_log, log_page

# Deeper pages are reached by narrowing the filters, not by paging.
MAX_PAGE = 1000


def _page_number(raw) -> int:
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@require_GET
def audit_log(request):
    if not can_read_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    criteria = form.criteria()
    number = _page_number(request.GET.get("page"))
    page = (
        log_page(criteria, number)
        if criteria is not None
        else LogPage([], number, has_next=False)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "export_query": query.urlencode()},
    )
