"""Plans and orders in the admin: for reading only.

Plans change only through the portal's services (rights, optimistic locks,
editions, history); approved editions and signed orders never change. So the
admin shows these models but refuses to add, change or delete them, whoever
asks — a superuser included. They have no "revert to this version" page
(no `SimpleHistoryAdmin`): their history is read in the portal's audit log
(roadmaps/audit/) instead.
"""

from django.contrib import admin

from .models import Activity, Order, Roadmap, RoadmapEdition


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "issuer", "title", "status"]
    list_filter = ["status", "year"]
    list_select_related = ["issuer"]
    search_fields = ["number", "title"]


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "level", "region", "period_start"]
    list_filter = ["level", "region"]
    list_select_related = ["owner", "region"]
    search_fields = ["search_text"]


@admin.register(RoadmapEdition)
class RoadmapEditionAdmin(ReadOnlyAdmin):
    list_display = ["roadmap", "number", "status", "approving_order"]
    list_filter = ["status"]
    list_select_related = ["roadmap", "approving_order"]
    raw_id_fields = ["roadmap", "replaces", "approving_order", "submitted_by"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "deadline_text", "deadline_end", "edition"]
    list_filter = ["edition__status", "edition__roadmap__level"]
    list_select_related = ["edition", "edition__roadmap"]
    raw_id_fields = ["edition", "section", "source_activity"]
    list_per_page = 50
