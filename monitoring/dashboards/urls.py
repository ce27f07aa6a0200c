"""URLs of the monitoring app: dashboards (included by monitoring/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
