"""URLs of the monitoring app: stages (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.stub import placeholder

# Placeholders: the area's owner replaces them with real views.
urlpatterns = [
    path("", placeholder, name="stage-list"),
    path("<int:pk>/", placeholder, name="stage-detail"),
    path("<int:pk>/completion/", placeholder, name="stage-completion"),
]
