from django.urls import path

from .views import approval, browse, documents, edit, exports, history, transfer

app_name = "roadmaps"

activity = "<int:pk>/edit/activities/<int:activity_id>/"
section = "<int:pk>/edit/sections/<int:section_id>/"

urlpatterns = [
    path("", browse.RoadmapListView.as_view(), name="roadmap-list"),
    path("new/", edit.roadmap_new, name="roadmap-new"),
    path("<int:pk>/", browse.RoadmapDetailView.as_view(), name="roadmap-detail"),
    path(
        "<int:pk>/editions/<int:number>/",
        browse.EditionDetailView.as_view(),
        name="edition-detail",
    ),
    path("<int:pk>/edit/", edit.editor, name="roadmap-edit"),
    path("<int:pk>/edit/settings/", edit.settings_update, name="roadmap-settings"),
    path("<int:pk>/edit/preview/", edit.preview, name="roadmap-preview"),
    path("<int:pk>/edit/bulk/", edit.bulk, name="activity-bulk"),
    path("<int:pk>/edit/activities/add/", edit.activity_add, name="activity-add"),
    path(activity, edit.activity_edit, name="activity-edit"),
    path(activity + "row/", edit.activity_row, name="activity-row"),
    path(activity + "delete/", edit.activity_delete, name="activity-delete"),
    path(activity + "duplicate/", edit.activity_duplicate, name="activity-duplicate"),
    path(activity + "move/", edit.activity_move, name="activity-move"),
    path("<int:pk>/edit/sections/add/", edit.section_add, name="section-add"),
    path(section, edit.section_edit, name="section-edit"),
    path(section + "delete/", edit.section_delete, name="section-delete"),
    path(section + "move/", edit.section_move, name="section-move"),
    path("<int:pk>/comments/", edit.comment_add, name="comment-add"),
    path("<int:pk>/history/", history.history, name="roadmap-history"),
    path(
        "<int:pk>/history/<int:history_id>/restore/",
        history.restore,
        name="activity-restore",
    ),
    path(
        "<int:pk>/editions/<int:number>/action/",
        approval.edition_action,
        name="edition-action",
    ),
    path(
        "<int:pk>/editions/<int:number>/approve/",
        approval.edition_approve,
        name="edition-approve",
    ),
    path("<int:pk>/editions/new/", approval.edition_new, name="edition-new"),
    path("<int:pk>/compare/", approval.compare, name="edition-compare"),
    path("export.xlsx", exports.export, {"kind": "roadmaps"}, name="roadmap-export"),
    path(
        "consolidated.xlsx",
        exports.export,
        {"kind": "consolidated"},
        name="consolidated-export",
    ),
    path("exports/", exports.job_list, name="export-jobs"),
    path("exports/<int:pk>/", exports.job_detail, name="export-job"),
    path(
        "exports/<int:pk>/download/",
        exports.job_download,
        name="export-job-download",
    ),
    path("import/", transfer.import_start, name="import-start"),
    path("import/<int:pk>/", transfer.import_preview, name="import-preview"),
    path(
        "<int:pk>/editions/<int:number>/download.<str:fmt>",
        transfer.edition_download,
        name="edition-download",
    ),
    path("inbox/", approval.inbox, name="inbox"),
    path(
        "schools/<int:school_id>/documents/",
        documents.document_list,
        name="document-list",
    ),
    path(
        "documents/<int:pk>/file/",
        documents.document_download,
        name="document-download",
    ),
    path("notifications/", approval.notifications, name="notifications"),
    path("orders/", browse.OrderListView.as_view(), name="order-list"),
    path("orders/<int:pk>/", browse.OrderDetailView.as_view(), name="order-detail"),
]
