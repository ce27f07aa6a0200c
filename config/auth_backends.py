"""Login throttling backend (django-axes) of the portal."""

from axes.backends import AxesStandaloneBackend


class AxesBackend(AxesStandaloneBackend):
    """django-axes' standalone backend, first in AUTHENTICATION_BACKENDS.

    Every login over HTTP passes its request and is throttled. A call without
    a request (the test client's `login()`, code in a shell) cannot come from
    a guessing browser and has no address to count by: axes would raise, so
    this backend steps aside and lets ModelBackend check the password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
