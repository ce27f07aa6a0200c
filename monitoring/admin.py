from django.contrib import admin

from .models import MonitoringStageType, RiskFactor


@admin.register(RiskFactor)
class RiskFactorAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "code", "is_active"]
    list_filter = ["is_active"]


@admin.register(MonitoringStageType)
class MonitoringStageTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "usual_month", "position"]
