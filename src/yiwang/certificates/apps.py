from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "yiwang.certificates"
    label = "certificates"
    verbose_name = _("电子证照")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yiwang.cases import handling, sources
        from yiwang.certificates import consumers  # noqa: F401  (registers the case.decided consumer)
        from yiwang.certificates.reuse import CertificateSource
        from yiwang.certificates.rules import certificate_before_completion

        sources.register_material_source(CertificateSource())
        handling.register_completion_check(certificate_before_completion)
