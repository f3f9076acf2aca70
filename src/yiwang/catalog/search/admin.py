"""Admin for the search synonym table (and a read-only view of the index).

Imported from ``yiwang/catalog/admin.py``. Synonyms apply at query time: a saved edit takes effect
on the next search, no reindex.
"""

from django.contrib import admin

from yiwang.catalog.models import SearchEntry, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "active", "note", "updated_at")
    list_filter = ("kind", "active")
    search_fields = ("source", "terms", "note")
    fields = ("kind", "source", "terms", "active", "note")


@admin.register(SearchEntry)
class SearchEntryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department_code", "item_type", "online_level", "popularity", "indexed_at")
    list_filter = ("item_type", "case_type", "online_level")
    search_fields = ("code", "name")
    readonly_fields = [f.name for f in SearchEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
