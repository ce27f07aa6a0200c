"""Counts the navigation shows on every page."""

from django.utils.functional import SimpleLazyObject, cached_property

from .selectors import navigation_counts


class _Counts:
    """Both navigation counts, read together (one query) at the first use."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def both(self) -> tuple[int, int]:
        return navigation_counts(user=self.user)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Inner templates (tables) render with the same request: count once.
    counts = getattr(request, "_navigation_counts", None)
    if counts is None:
        both = _Counts(user)
        counts = {
            "nav_inbox_count": SimpleLazyObject(lambda: both.both[0]),
            "nav_unread_count": SimpleLazyObject(lambda: both.both[1]),
        }
        request._navigation_counts = counts
    return counts
