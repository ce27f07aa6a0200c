"""URLs of the monitoring app, one package per area."""

from django.urls import include, path

app_name = "monitoring"

urlpatterns = [
    path("", include("monitoring.execution.urls")),
    path("stages/", include("monitoring.stages.urls")),
    path("risks/", include("monitoring.risks.urls")),
    path("visits/", include("monitoring.visits.urls")),
    path("dashboards/", include("monitoring.dashboards.urls")),
]
