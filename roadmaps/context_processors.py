"""Counts the navigation shows on every page."""

from django.utils.functional import SimpleLazyObject

from .notifications import unread_count
from .selectors import inbox_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Inner templates (tables) render with the same request: count once.
    counts = getattr(request, "_navigation_counts", None)
    if counts is None:
        counts = {
            "nav_inbox_count": SimpleLazyObject(lambda: inbox_count(user=user)),
            "nav_unread_count": SimpleLazyObject(lambda: unread_count(user)),
        }
        request._navigation_counts = counts
    return counts
