from django.contrib import admin

from crossings.web.reporting.models import ImportBatch, Record, RecordVersion
from crossings.web.reporting.visibility import Detail, Purpose, visible_records


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records change through actions (import, workflow), never by editing rows by hand."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    """Through the visibility rule like every other read (an administrator sees no records)."""

    list_display = ("reference", "record_type", "country", "unit", "version", "status",
                    "event_date", "deleted_at")
    list_filter = ("record_type", "country", "status")
    search_fields = ("reference",)

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return visible_records(request.user, Purpose.READ)


@admin.register(RecordVersion)
class RecordVersionAdmin(ReadOnlyAdmin):
    list_display = ("record", "version", "change", "batch", "source_row", "created_at")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        visible = visible_records(request.user, Purpose.READ).filter(**{"detail": Detail.FULL})
        return super().get_queryset(request).filter(record__in=visible.values("pk"))


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("pk", "unit", "user", "created_at", "created", "revised", "unchanged")
