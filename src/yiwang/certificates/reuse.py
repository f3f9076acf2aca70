"""The certificate library as a material source (DESIGN §3): a material whose source is
``certificate`` is satisfied from the applicant's valid certificate of that type, and each such
use is recorded with the case as its purpose."""

from __future__ import annotations

from yiwang.cases.sources import FoundMaterial, MaterialSource
from yiwang.catalog import codes
from yiwang.certificates import queries
from yiwang.certificates.models import Certificate, UseRecord
from yiwang.core import audit

SOURCE_NAME = "证照库"


class CertificateSource(MaterialSource):
    name = SOURCE_NAME

    def find(self, applicant, enterprise, material) -> FoundMaterial | None:
        type_code = (getattr(material, "certificate_type", "") or "").strip()
        if getattr(material, "source", "") != codes.MaterialSource.CERTIFICATE or not type_code:
            return None
        cert = queries.valid_of_type(type_code, enterprise=enterprise) if enterprise is not None else None
        cert = cert or queries.valid_of_type(type_code, user=applicant)
        if cert is None:
            return None
        return FoundMaterial(reference=cert.identifier, note=cert.type.name)

    def still_valid(self, case, reference: str) -> bool:
        cert = Certificate.objects.filter(identifier=reference).first()
        return cert is not None and queries.public_status(cert) == queries.VALID

    def record_use(self, case, material, found: FoundMaterial) -> None:
        cert = Certificate.objects.filter(identifier=found.reference).first()
        if cert is None:
            return
        purpose = f"办理“{case.item_version.name}”"[:200]
        UseRecord.objects.create(certificate=cert, kind=UseRecord.Kind.CASE, case=case, purpose=purpose,
                                 user=case.applicant)
        audit.record("certificates.used", actor=case.applicant, obj=cert, summary=f"办件自动获取（{purpose}）",
                     data={"case_id": case.pk})
