"""Django admin for regions and departments (platform admins).

Saves go through ``org.services`` so that every change is validated with the same Chinese
messages as the API, audited and announced on the outbox. Nothing is deleted here: regions are
retired (撤销, the code stays for history) and departments are deactivated (``active`` off).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from yiwang.core.clock import today
from yiwang.org import services
from yiwang.org.models import Department, Region


def _add_errors(form: forms.ModelForm, errors: dict[str, str]) -> None:
    for field, message in errors.items():
        if field in form.errors:  # the field's own validation already said what is wrong
            continue
        form.add_error(field if field in form.fields else None, message)


class RegionAdminForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "is_demo"]

    def clean(self):
        data = super().clean()
        if self.instance._state.adding:
            _add_errors(
                self,
                services.check_region(
                    code=data.get("code") or "",
                    name=data.get("name") or "",
                    parent=data.get("parent"),
                    level=data.get("level"),
                ),
            )
        elif "name" in self.fields and not (data.get("name") or "").strip():
            self.add_error("name", "请填写区划名称。")
        return data


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    form = RegionAdminForm
    list_display = ("code", "name", "level", "parent", "is_demo", "retired_on")
    list_filter = ("level", "is_demo", ("retired_on", admin.EmptyFieldListFilter))
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    ordering = ("code",)
    actions = ["retire_selected"]

    def get_readonly_fields(self, request, obj=None):
        return ("code", "level", "parent", "retired_on") if obj is not None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.update_region(obj.code, name=obj.name, is_demo=obj.is_demo, actor=request.user)
        else:
            services.create_region(
                code=obj.code,
                name=obj.name,
                parent=obj.parent,
                level=obj.level,
                is_demo=obj.is_demo,
                actor=request.user,
            )
        obj._state.adding = False

    @admin.action(description="撤销所选区划（自今日起）", permissions=["change"])
    def retire_selected(self, request, queryset):
        done = 0
        for region in queryset.order_by("-level", "code"):  # children before parents
            try:
                services.retire_region(region.code, today(), actor=request.user)
                done += 1
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, f"{region.code} {region.name}：{message}", messages.ERROR)
        if done:
            self.message_user(request, f"已撤销 {done} 个区划。", messages.SUCCESS)


class DepartmentAdminForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "region",
            "parent",
            "uscc",
            "phone",
            "address",
            "is_demo",
            "active",
        ]

    def clean(self):
        data = super().clean()
        instance = None if self.instance._state.adding else self.instance
        values = {f: data.get(f) for f in self.fields if f in data}
        if instance is None:
            values.setdefault("code", data.get("code") or "")
        _add_errors(self, services.check_department(values, instance=instance))
        return data


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentAdminForm
    list_display = ("code", "name", "short_name", "kind", "region", "parent", "active", "is_demo")
    list_filter = ("kind", "active", "is_demo", "region__level", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "short_name", "uscc")
    list_select_related = ("region", "parent")
    autocomplete_fields = ("region", "parent")
    ordering = ("region_id", "code")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            changed = {f: form.cleaned_data[f] for f in form.changed_data if f in services.DEPARTMENT_FIELDS}
            services.update_department(obj.code, actor=request.user, **changed)
        else:
            created = services.create_department(
                code=obj.code,
                name=obj.name,
                short_name=obj.short_name,
                kind=obj.kind,
                region=obj.region,
                parent=obj.parent,
                uscc=obj.uscc,
                phone=obj.phone,
                address=obj.address,
                is_demo=obj.is_demo,
                active=obj.active,
                actor=request.user,
            )
            obj.pk = created.pk
            obj._state.adding = False
