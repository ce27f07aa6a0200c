"""URLs of the monitoring app: stages (included by monitoring/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.stage_list, name="stage-list"),
    path("new/", views.stage_create, name="stage-create"),
    path("<int:pk>/", views.stage_detail, name="stage-detail"),
    path("<int:pk>/edit/", views.stage_edit, name="stage-edit"),
    path("<int:pk>/publish/", views.stage_publish, name="stage-publish"),
    path("<int:pk>/fill-form/", views.stage_fill_form, name="stage-fill-form"),
    path("<int:pk>/indicators/add/", views.field_add, name="field-add"),
    path("<int:pk>/indicators/<int:field_pk>/", views.field_edit, name="field-edit"),
    path(
        "<int:pk>/indicators/<int:field_pk>/move/",
        views.field_move,
        name="field-move",
    ),
    path(
        "<int:pk>/indicators/<int:field_pk>/delete/",
        views.field_delete,
        name="field-delete",
    ),
    path("<int:pk>/completion/", views.stage_completion, name="stage-completion"),
    path("<int:pk>/export/", views.stage_export, name="stage-export"),
    path(
        "<int:pk>/schools/<int:school_id>/",
        views.submission_detail,
        name="submission-detail",
    ),
    path(
        "<int:pk>/schools/<int:school_id>/decide/",
        views.submission_decide,
        name="submission-decide",
    ),
    path(
        "<int:pk>/schools/<int:school_id>/compare/",
        views.submission_compare,
        name="submission-compare",
    ),
    path("answers/<int:answer_pk>/file/", views.answer_file, name="answer-file"),
]
