"""Placeholder view while issue 6's pages are being written (to be removed)."""

from django.http import HttpResponse


def placeholder(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
