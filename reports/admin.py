from django.contrib import admin

from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "progress", "requested_by", "created_at"]
    list_filter = ["state", "kind"]
    readonly_fields = [f.name for f in ReportJob._meta.fields]
