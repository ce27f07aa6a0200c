"""URLs of the monitoring app: visits (included by monitoring/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.VisitListView.as_view(), name="visit-list"),
    path("export/", views.visit_list_export, name="visit-export"),
    path("<int:pk>/", views.visit_detail, name="visit-detail"),
    path("schedules/", views.schedule_list, name="schedule-list"),
    path(
        "schedules/<int:municipality_id>/<int:year>/",
        views.schedule_detail,
        name="schedule-detail",
    ),
]
