"""Django admin's changelist of activities, the benchmark's yardstick.

The portal's own admin shows activities read-only and without the region
filter, so the benchmark mounts a separate admin site (bench/urls.py) with a
plain ModelAdmin that shows the same columns as the activity list, 50 rows a
page, filtered by region like it.
"""

from django.contrib import admin

from roadmaps.models import Activity

site = admin.AdminSite(name="bench_admin")


@admin.register(Activity, site=site)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "deadline_text", "responsible_text", "edition")
    list_select_related = ("edition__roadmap__owner",)
    list_filter = ("edition__roadmap__region",)
    list_per_page = 50
    ordering = ("deadline_end", "deadline_start", "pk")
