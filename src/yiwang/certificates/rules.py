"""Rules the certificate library adds to case handling."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.cases.status import ResultCode
from yiwang.certificates.issuing import IssueError, issuable, type_for_item
from yiwang.certificates.models import Certificate


def certificate_before_completion(case, result_code: str) -> str | None:
    """出证 only once the certificate exists: a granted case whose item issues a certificate
    type cannot be completed by hand with result 出证 before it is issued. When no electronic
    certificate can be issued for the case (no holder id, no enterprise for an organisation's
    licence, no issuer USCC) the paper result is allowed, so the case is never stuck."""
    if result_code != ResultCode.CERTIFICATE:
        return None
    cert_type = type_for_item(case.item_version)
    if cert_type is None or Certificate.objects.filter(case=case).exists():
        return None
    try:
        issuable(cert_type, holder_user=case.applicant, holder_enterprise=case.enterprise)
    except IssueError:
        return None
    return _("电子证照尚未签发：请稍候由系统自动签发，或由颁发部门批准人员手工签发后再办结。")
