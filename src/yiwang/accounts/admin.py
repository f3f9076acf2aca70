"""Django admin for platform administrators. Writes go through the services so they are
audited; personal data is shown masked."""

from django.contrib import admin, messages

from yiwang.accounts import policies
from yiwang.accounts.models import (
    DevSmsMessage,
    Enterprise,
    IdentityDispute,
    ProxyAuthorization,
    StaffRole,
    User,
)
from yiwang.accounts.services import enterprises, login, registration
from yiwang.core.admin import AuditRecordAdmin, ReadOnlyMixin
from yiwang.core.api import ApiError
from yiwang.core.models import AuditRecord


@admin.register(User)
class UserAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("username", "name", "phone_masked", "id_number_masked", "level", "is_demo", "locked_until", "is_active")
    list_filter = ("level", "is_demo", "is_active")
    search_fields = ("username", "name")
    fields = ("username", "name", "phone_masked", "id_number_masked", "email", "level", "locked_until", "is_active",
              "date_joined", "last_login")
    readonly_fields = fields
    actions = ["unlock"]

    @admin.display(description="手机号")
    def phone_masked(self, obj):
        return obj.phone_masked

    @admin.display(description="身份证号")
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.action(description="解除所选账号的锁定")
    def unlock(self, request, queryset):
        for user in queryset:
            login.unlock_by_admin(request.user, user)
        messages.success(request, f"已解锁 {queryset.count()} 个账号。")

    def has_change_permission(self, request, obj=None):
        return policies.can(request.user, "account.unlock")  # only to run the unlock action


@admin.register(StaffRole)
class StaffRoleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "role", "department", "region", "granted_by", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__name", "department__name")


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "uscc", "legal_rep_name", "status", "created_at")
    list_filter = ("status", "type")
    search_fields = ("name", "uscc")
    actions = ["approve", "reject"]

    def _review(self, request, queryset, approve):
        for ent in queryset:
            try:
                enterprises.review_enterprise(request.user, ent, approve=approve, note="平台管理员核验")
            except ApiError as exc:
                messages.error(request, f"{ent.name}：{exc.message}")

    @admin.action(description="核验通过（已核对法定代表人）")
    def approve(self, request, queryset):
        self._review(request, queryset, True)

    @admin.action(description="核验不通过")
    def reject(self, request, queryset):
        self._review(request, queryset, False)

    def has_change_permission(self, request, obj=None):
        return policies.can(request.user, "enterprise.review")


@admin.register(IdentityDispute)
class IdentityDisputeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "status", "created_at", "resolved_at")
    list_filter = ("status",)
    fields = ("name", "description", "status", "resolution", "created_at")
    readonly_fields = fields
    actions = ["uphold", "reject"]

    @admin.action(description="申诉成立：解除原账号的身份证号绑定")
    def uphold(self, request, queryset):
        for d in queryset:
            registration.resolve_dispute(request.user, d, upheld=True, resolution="核实本人身份后解绑")

    @admin.action(description="申诉不成立")
    def reject(self, request, queryset):
        for d in queryset:
            registration.resolve_dispute(request.user, d, upheld=False, resolution="核实后不成立")

    def has_change_permission(self, request, obj=None):
        return policies.can(request.user, "dispute.resolve")


@admin.register(ProxyAuthorization)
class ProxyAuthorizationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("grantor", "agent", "all_items", "valid_from", "valid_until", "revoked_at")


@admin.register(DevSmsMessage)
class DevSmsMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The development SMS provider's outbox (开发短信): what would have been sent."""

    list_display = ("created_at", "phone_masked", "text")
    fields = ("created_at", "phone_masked", "text")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return policies.can(request.user, "dev_sms.read")


admin.site.unregister(AuditRecord)


@admin.register(AuditRecord)
class ScopedAuditRecordAdmin(AuditRecordAdmin):
    """三员分立: only the audit administrator reads the log, not the platform admin."""

    def has_view_permission(self, request, obj=None):
        return policies.can(request.user, "audit.read")

    def has_module_permission(self, request):
        return policies.can(request.user, "audit.read")
