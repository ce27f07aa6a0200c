"""Show times in the zone of the user's region (Russia spans eleven)."""

import zoneinfo

from django.utils import timezone


class RegionTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tzname = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            tzname = request.session.get("tz")
            if tzname is None:
                from schools.selectors import user_timezone_name

                tzname = user_timezone_name(user=user)
                request.session["tz"] = tzname
        if tzname:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tzname))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
