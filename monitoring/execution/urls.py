"""URLs of the monitoring app: execution (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.stub import placeholder

# Placeholders: the area's owner replaces them with real views.
urlpatterns = [
    path("activities/", placeholder, name="activity-list"),
    path("tasks/", placeholder, name="my-tasks"),
]
