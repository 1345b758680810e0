from django.contrib import admin

from riskatlas.apps.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "fmt", "version", "state", "attempts", "created_at")
    list_filter = ("kind", "state")
    readonly_fields = ("heartbeat_at", "finished_at", "created_at")
