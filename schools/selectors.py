"""Reads shared by views of the schools app."""

from django.conf import settings

from .models import Membership


def user_timezone_name(*, user) -> str:
    """The time zone of the region of the user's first scoped role."""
    tz = (
        Membership.objects.filter(user=user, organisation__region__isnull=False)
        .order_by("pk")
        .values_list("organisation__region__timezone", flat=True)
        .first()
    )
    return tz or settings.TIME_ZONE
