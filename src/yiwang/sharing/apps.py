from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "yiwang.sharing"
    label = "sharing"
    verbose_name = _("政务数据共享")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yiwang.accounts.services import enterprises
        from yiwang.cases import sources
        from yiwang.sharing.autofill import SharingFieldSource, SharingMaterialSource
        from yiwang.sharing.enterprise_check import check_binding

        sources.register_form_field_source(SharingFieldSource())
        sources.register_material_source(SharingMaterialSource())
        enterprises.register_registry_check(check_binding)
