"""Read-only viewer of the audit log for the audit administrator (三员分立, DESIGN §5).

Nobody — not even a superuser — can add, change or delete a record here; the model-level
guards in ``core.audit`` and ``yiwang audit verify`` cover everything else.
"""

from django.contrib import admin

from yiwang.core import audit  # noqa: F401  (connects the append-only guards)
from yiwang.core.models import AuditRecord


class ReadOnlyMixin:
    """Admin pages that only show: changes go through the services (audited), never the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("seq", "created_at", "actor_label", "action", "object_type", "object_id", "summary", "ip")
    list_display_links = ("seq",)
    list_filter = ("action", "object_type", ("created_at", admin.DateFieldListFilter))
    search_fields = ("=seq", "actor_label", "action", "object_type", "=object_id", "summary", "ip")
    date_hierarchy = "created_at"
    ordering = ("-seq",)
    list_per_page = 50
    show_full_result_count = False  # counting millions of rows on every page is wasted work
    actions = None
    fields = (
        "seq",
        "created_at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "summary",
        "data",
        "ip",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields
