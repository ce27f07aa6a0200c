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


class RussianFirstLocaleMiddleware:
    """Russian unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language; staff with
    English browsers must still get the Russian portal by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
