"""URLs of the monitoring app: risks (included by monitoring/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("coverage/", views.risk_coverage, name="risk-coverage"),
    path(
        "coverage/export.xlsx", views.risk_coverage_export, name="risk-coverage-export"
    ),
    path("profiles/", views.risk_profile_list, name="risk-profile-list"),
    path("school/<int:school_id>/", views.risk_profile, name="risk-profile"),
    path(
        "school/<int:school_id>/history/",
        views.risk_profile_history,
        name="risk-profile-history",
    ),
]
