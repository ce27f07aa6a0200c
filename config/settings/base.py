"""Settings of the roadmap portal, read from the environment (django-environ).

Development defaults are safe: SQLite in the project folder, DEBUG off unless
asked. Production sets the variables listed in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not env.bool("ALLOW_INSECURE_KEY", default=False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or DEBUG=true for "
            "development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "axes",
    "schools",
    "roadmaps",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "schools.middleware.RussianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "schools.middleware.RegionTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "roadmaps.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))


def _no_jit(database: dict) -> None:
    """The portal's queries are short; PostgreSQL's JIT spent seconds compiling
    the dashboard's counts (bench/README.md), so it is off for our sessions."""
    if "postgresql" in database["ENGINE"]:
        database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")


_no_jit(DATABASES["default"])
# A PostgreSQL read replica (streaming replication). Only GET and HEAD requests
# read from it, and not for REPLICA_PIN_SECONDS after the same browser changed
# something, so a user always sees their own changes (config/routers.py).
# Writes, transactions, row locks, the task worker and commands use "default".
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"].setdefault(
        "CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    _no_jit(DATABASES["replica"])
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    MIDDLEWARE.insert(0, "config.routers.ReplicaMiddleware")
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for
# one user name from one address, that pair is refused (even with the right
# password) for AXES_COOLOFF_TIME; other users and addresses are unaffected.
# The axes backend only watches attempts; ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "config.auth_backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a proxy the client's address comes from X-Forwarded-For (set by it).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env.bool("BEHIND_PROXY", default=False)
    else ["REMOTE_ADDR"]
)

# Content Security Policy (Django's own middleware), in every environment so
# the tests and the browser tests run under it: no inline scripts, no inline
# styles or style attributes, no eval, no framing, forms only to the portal.
# htmx is told not to inject its indicator <style> (meta htmx-config in
# base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Russian first; English for visiting staff and developers.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Times are stored in UTC; each request shows them in the user's region's zone
# (schools.middleware.RegionTimezoneMiddleware). This is the fallback zone.
TIME_ZONE = env("TIME_ZONE", default="Europe/Moscow")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Development serves from the finders; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded and generated files (school documents, report evidence, answer
# files, exports) go through the default storage: MEDIA_ROOT on this server (or
# a disk all servers mount), or, with STORAGE=s3, a private bucket of any
# S3-compatible service shared by every app server. Files stay private: no
# public ACL; the portal streams them through its permission-checked views.
STORAGE = env("STORAGE", default="filesystem")
if STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env("AWS_LOCATION", default=""),
            # Path-style addresses for MinIO and most self-hosted services.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            # Two uploads of "concept.pdf" must not overwrite each other.
            "file_overwrite": False,
        },
    }
elif STORAGE != "filesystem":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("STORAGE must be 'filesystem' or 's3'.")

# Behind nginx (or another proxy) that terminates HTTPS and sets
# X-Forwarded-Proto: trust that header to know the request was secure. Only
# when the proxy overwrites the header (a client could send its own).
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Mail: the console by default; SMTP when EMAIL_URL is set
# (smtp+tls://user:password@host:587).
_email_url = env("EMAIL_URL", default="")
if _email_url:
    _email = environ.Env.email_url_config(_email_url)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email["EMAIL_HOST"],
                "port": _email["EMAIL_PORT"],
                "username": _email["EMAIL_HOST_USER"],
                "password": _email["EMAIL_HOST_PASSWORD"],
                "use_tls": _email.get("EMAIL_USE_TLS", False),
                "use_ssl": _email.get("EMAIL_USE_SSL", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@localhost")
# The portal's address as users reach it, for links in e-mails.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
# Sessions are rows in PostgreSQL, shared by every app server; the store also
# reads the snapshot that keys the page cache (config/pagecache.py).
SESSION_ENGINE = "config.sessions"
# The cache: each process's own memory unless CACHE_URL names a shared one
# (redis://127.0.0.1:6379/1). The page cache is correct either way, since its
# keys carry the database snapshot; a shared one only misses less.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://portal")}
PAGE_CACHE_ALIAS = "default"
# Seconds a drawn page is kept per user (0: no page cache); it bounds only
# what the database does not show: relative times and a new release's look.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# Set on deploy (e.g. the commit) so that no page of the old release is served.
RELEASE = env("RELEASE", default="")

DJANGO_TABLES2_TEMPLATE = "partials/table.html"
DJANGO_TABLES2_PAGE_RANGE = 8

# Upper bound of one uploaded school document (bytes).
SCHOOL_DOCUMENT_MAX_BYTES = env.int(
    "SCHOOL_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024
)
# Upper bound of the rows read from one imported sheet or table.
ROADMAP_IMPORT_MAX_ROWS = env.int("ROADMAP_IMPORT_MAX_ROWS", default=5000)
# Django refuses request bodies above this (bytes); the importer's own limit
# below gives the clear message, this one stops abuse.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int(
    "DATA_UPLOAD_MAX_MEMORY_SIZE", default=15 * 1024 * 1024
)
# Upper bound of one imported file (bytes).
ROADMAP_IMPORT_MAX_BYTES = env.int("ROADMAP_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Background jobs (Django's tasks framework, stored in the database; run
# `python manage.py db_worker` beside the web server). Exports of more rows
# than EXPORT_INLINE_MAX_ROWS are generated there with visible progress;
# smaller ones are streamed at once.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2000)
# Finished export files are deleted after this many days (prune_exports).
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
