"""Forgeries found in review: an annex attached after signing, and an envelope with NaN — each
reported as what it is (never valid, never a 500 or a traceback)."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from yiwang.certificates import issuing, keys
from yiwang.certificates.envelope import ENVELOPE_NAME, extract
from yiwang.certificates.offline import verify_document
from yiwang.certificates.tests.test_issuing import granted


def _append_attachment(pdf: bytes, name: str, data: bytes) -> bytes:
    writer = PdfWriter(PdfReader(BytesIO(pdf)), incremental=True)
    writer.add_attachment(name, data)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_annex_attached_after_signing_is_a_modification(world):
    cert = issuing.issue_for_case(granted(world))
    genuine = issuing.current_pdf(cert)
    published = keys.published()
    assert verify_document(genuine, published, None).valid
    forged = _append_attachment(genuine, "许可范围补充.txt", "另准予经营烟草制品".encode())
    report = verify_document(forged, published, None)
    assert not report.valid and "pdf_modified" in {code for code, _m in report.problems}


@pytest.mark.django_db
def test_an_envelope_with_nan_is_malformed_not_a_crash(client, world, tmp_path):
    from django.core.management import call_command

    cert = issuing.issue_for_case(granted(world))
    envelope, prefix = extract(issuing.current_pdf(cert))
    text = json.dumps(envelope, ensure_ascii=False).replace('"version": "001"', '"version": NaN')
    forged = _append_attachment(prefix, ENVELOPE_NAME, text.encode())
    body = client.post("/api/v1/certificates/verify", {"file": SimpleUploadedFile("c.pdf", forged)})
    assert body.status_code == 200 and body.json()["status"] == "unknown"
    page = client.post("/certificates/verify/", {"file": SimpleUploadedFile("c.pdf", forged)})
    assert page.status_code == 200 and "verify-unknown" in page.content.decode()
    (tmp_path / "c.pdf").write_bytes(forged)
    (tmp_path / "keys.json").write_text(json.dumps(keys.published()))
    with pytest.raises(SystemExit) as exc:
        call_command("certs", "verify", str(tmp_path / "c.pdf"), "--keys", str(tmp_path / "keys.json"),
                     stdout=StringIO())
    assert exc.value.code == 1
