"""Settings of a real deployment: HTTPS only, strict cookies, HSTS.

    DJANGO_SETTINGS_MODULE=config.settings.production

SECRET_KEY must come from the environment (never a default). Behind nginx that
terminates TLS and redirects to HTTPS itself, set BEHIND_PROXY=true (trust
X-Forwarded-Proto) and, if wanted, SECURE_SSL_REDIRECT=false.
`make check-deploy` runs `check --deploy --fail-level WARNING` with these.
"""

import os

from django.core.exceptions import ImproperlyConfigured

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
if os.environ.get("ALLOW_INSECURE_KEY"):
    raise ImproperlyConfigured("ALLOW_INSECURE_KEY is not allowed in production.")

from .base import *  # noqa: F403
from .base import env

DEBUG = False

# HTTPS only: cookies never travel over plain HTTP.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# HSTS for a year, subdomains included, eligible for the browsers' preload list.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A working day at most; the session ends when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool(
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True
)

# Mail: EMAIL_URL as in base; without it, the server's own mail relay
# (an MTA on localhost:25), never the development console.
if not env("EMAIL_URL", default=""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "localhost", "port": 25, "timeout": 20},
        }
    }
