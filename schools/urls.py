from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation-detail"
    ),
]
