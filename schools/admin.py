"""Reference data and people in the admin.

Roles and curator assignments are recorded by django-simple-history (the
portal's audit log reads them); their admin pages show each one's history,
whose "revert" writes only for users who may change them (HistoryAdmin).
"""

from django.contrib import admin

from roadmaps.audit.admin import HistoryAdmin

from .models import (
    CuratorAssignment,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Project,
    ProjectParticipation,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "timezone"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "kind"]
    list_filter = ["region", "kind"]
    search_fields = ["name"]
    list_select_related = ["region"]


@admin.register(OrganisationKind)
class OrganisationKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "position"]


class ParticipationInline(admin.TabularInline):
    model = ProjectParticipation
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "municipality", "is_shnor"]
    list_filter = ["kind", "region", "is_shnor"]
    search_fields = ["name", "short_name"]
    list_select_related = ["kind", "region", "municipality"]
    autocomplete_fields = ["region", "municipality", "parent"]
    inlines = [ParticipationInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "first_year", "last_year"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "role", "organisation", "position"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(CuratorAssignment)
class CuratorAssignmentAdmin(HistoryAdmin):
    list_display = ["curator", "school", "project", "year"]
    list_filter = ["year", "project"]
    list_select_related = ["curator", "school", "project"]
    autocomplete_fields = ["curator", "school"]
