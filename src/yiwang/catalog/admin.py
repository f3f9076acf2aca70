"""Django admin for the catalogue: themes, life events and bundles are plain data; items and
versions are read-only here (they change only through the versioned workflow in the workbench)."""

from django.contrib import admin

from yiwang.catalog.models import BaseItem, Bundle, BundleItem, ItemVersion, LifeEvent, ServiceItem, Theme
from yiwang.catalog.search import admin as search_admin  # noqa: F401  (Synonym, SearchEntry)
from yiwang.core.admin import ReadOnlyMixin


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "audience", "order")
    list_filter = ("audience",)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "audience")
    filter_horizontal = ("items",)


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    extra = 1
    autocomplete_fields = ("item",)


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "audience", "published")
    inlines = [BundleItemInline]


@admin.register(BaseItem)
class BaseItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("basic_code", "name", "item_type")
    search_fields = ("basic_code", "name")


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "department", "current", "popularity")
    list_filter = ("department",)
    search_fields = ("code", "current__name")


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("item", "number", "name", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("name", "item__code")
