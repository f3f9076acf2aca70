"""Platform admin: certificate types (with their template checked on save), and read-only views
of keys, certificates and the log. Private keys are never shown."""

from django.contrib import admin

from yiwang.certificates.models import Certificate, CertificateType, SigningKey, TreeHead


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "holder_kind", "validity_years", "active")
    list_filter = ("active", "holder_kind")
    search_fields = ("code", "name")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnly):
    list_display = ("key_id", "purpose", "department", "algorithm", "status", "created_at")
    exclude = ("private_key",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnly):
    list_display = ("identifier", "type", "holder_name", "status", "issued_at")
    search_fields = ("identifier", "holder_name")
    exclude = ("envelope",)


@admin.register(TreeHead)
class TreeHeadAdmin(ReadOnly):
    list_display = ("tree_size", "root_hash", "timestamp", "key")
