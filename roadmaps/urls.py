from django.urls import path

from . import views

app_name = "roadmaps"

urlpatterns = [
    path("", views.RoadmapListView.as_view(), name="roadmap-list"),
    path("<int:pk>/", views.RoadmapDetailView.as_view(), name="roadmap-detail"),
    path(
        "<int:pk>/editions/<int:number>/",
        views.EditionDetailView.as_view(),
        name="edition-detail",
    ),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
]
