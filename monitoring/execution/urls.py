"""URLs of the monitoring app: execution (included by monitoring/urls.py)."""

from django.urls import path

from roadmaps.views.exports import export

from . import views

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path(
        "activities/export/",
        export,
        {"kind": "activities"},
        name="activity-list-export",
    ),
    path(
        "activities/<int:pk>/reports/",
        views.activity_reports,
        name="activity-reports",
    ),
    path("reports/<int:pk>/decide/", views.report_decide, name="report-decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("tasks/", views.MyTasksView.as_view(), name="my-tasks"),
    path("tasks/export/", export, {"kind": "my-tasks"}, name="my-tasks-export"),
]
