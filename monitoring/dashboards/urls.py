"""URLs of the monitoring app: dashboards (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.stub import placeholder

# Placeholders: the area's owner replaces them with real views.
urlpatterns = [
    path("", placeholder, name="dashboard"),
]
