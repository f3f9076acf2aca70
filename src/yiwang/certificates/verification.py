"""Online verification of an uploaded PDF: the offline checks against the published keys, then
the certificate's live status from the register (revocation is only known online)."""

from __future__ import annotations

from typing import Any

from yiwang.certificates import keys, queries
from yiwang.certificates.offline import verify_document


def verify_pdf(data: bytes) -> dict[str, Any]:
    report = verify_document(data, keys.published(), None)
    if not report.valid:
        code, message = report.problems[0] if report.problems else ("malformed", "文件无法核验。")
        out = queries._unknown(report.identifier or "", code, message)
        out["problems"] = [{"code": c, "message": m} for c, m in report.problems]
        # A genuine but expired document is still the register's business to report.
        if [c for c, _m in report.problems] == ["expired"] and report.identifier:
            return {**queries.verify_by_identifier(report.identifier), "document": "genuine"}
        return out
    result = queries.verify_by_identifier(report.identifier or "")
    result["document"] = "genuine"
    return result
