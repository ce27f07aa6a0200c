"""Settings of the gunicorn instances started by test_two_instances.py.

Production settings (config.settings.base, DEBUG off, driven by the same
environment variables) except static files: they are served from the finders
so the test need not run collectstatic for a manifest.
"""

from config.settings.base import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
