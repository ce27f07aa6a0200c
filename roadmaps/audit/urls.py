"""URLs of the audit log (included by config/urls.py under "audit/")."""

from django.urls import path

from ..views.exports import export
from . import exports as _exports  # noqa: F401  (registers the "audit" export)
from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.xlsx", export, {"kind": "audit"}, name="export"),
]
