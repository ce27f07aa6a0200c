from django.contrib import admin

from roadmaps.audit.admin import HistoryAdmin

from .models import (
    ActivityReport,
    CuratorVisit,
    MonitoringField,
    MonitoringStage,
    MonitoringStageType,
    MonitoringSubmission,
    RiskFactor,
    RiskProfile,
    RiskProfileEntry,
    VisitSchedule,
)


@admin.register(RiskFactor)
class RiskFactorAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "code", "is_active"]
    list_filter = ["is_active"]


@admin.register(MonitoringStageType)
class MonitoringStageTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "usual_month", "position"]


class FieldInline(admin.TabularInline):
    model = MonitoringField
    extra = 0


@admin.register(MonitoringStage)
class MonitoringStageAdmin(HistoryAdmin):
    list_display = ["title", "region", "year", "stage_type", "opens_on", "closes_on"]
    list_filter = ["year", "stage_type", "is_published"]
    list_select_related = ["region", "stage_type"]
    inlines = [FieldInline]


@admin.register(MonitoringSubmission)
class MonitoringSubmissionAdmin(HistoryAdmin):
    list_display = ["school", "stage", "status", "submitted_at"]
    list_filter = ["status", "stage__year"]
    list_select_related = ["school", "stage"]
    raw_id_fields = ["school", "stage", "submitted_by", "decided_by"]


@admin.register(ActivityReport)
class ActivityReportAdmin(HistoryAdmin):
    list_display = ["activity", "result", "done_on", "decision", "is_latest"]
    list_filter = ["result", "decision", "is_latest"]
    list_select_related = ["activity"]
    raw_id_fields = [
        "roadmap",
        "activity",
        "reporter",
        "reporter_organisation",
        "decided_by",
    ]


class EntryInline(admin.TabularInline):
    model = RiskProfileEntry
    extra = 0


@admin.register(RiskProfile)
class RiskProfileAdmin(HistoryAdmin):
    list_display = ["school", "year", "status"]
    list_filter = ["year", "status"]
    list_select_related = ["school"]
    raw_id_fields = ["school", "verified_by"]
    inlines = [EntryInline]


class VisitInline(admin.TabularInline):
    model = CuratorVisit
    extra = 0
    raw_id_fields = ["curator", "school"]


@admin.register(VisitSchedule)
class VisitScheduleAdmin(HistoryAdmin):
    list_display = ["municipality", "year", "status"]
    list_filter = ["year", "status"]
    list_select_related = ["municipality"]
    raw_id_fields = ["approved_by"]
    inlines = [VisitInline]
