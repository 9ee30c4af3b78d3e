from django.contrib import admin

from outbox.models import Job, WorkerHeartbeat


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "task_name",
        "status",
        "send_attempts",
        "created_at",
        "queued_at",
        "finished_at",
    ]
    list_filter = ["status", "task_name"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
