"""Pages: wallet and identity level, 用证授权 with its code and QR, the third party's view and
watermarked copy, verify by id and upload, and the department's 证照管理 with confirmation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.certificates import issuing
from yiwang.certificates.models import Certificate, UseGrant, UseRecord
from yiwang.certificates.tests.test_issuing import granted


@pytest.fixture
def cert(world):
    return issuing.issue_for_case(granted(world))


@pytest.mark.django_db
def test_wallet_needs_identity_level_two(client, world, cert):
    world["citizen"].level = 1
    world["citizen"].save()
    client.force_login(world["citizen"])
    page = client.get("/certificates/")
    assert page.status_code == 403 and "实名核验" in page.content.decode()
    world["citizen"].level = 2
    world["citizen"].save()
    page = client.get("/certificates/")
    assert page.status_code == 200 and cert.type.name in page.content.decode()


@pytest.mark.django_db
def test_grant_flow_on_the_pages(client, world, cert):
    client.force_login(world["citizen"])
    bad = client.post(f"/certificates/{cert.pk}/", {"purpose": "", "hours": "99"})
    assert bad.status_code == 400 and "请填写用途" in bad.content.decode()
    assert not UseGrant.objects.exists()
    made = client.post(f"/certificates/{cert.pk}/", {"purpose": "租房备案", "hours": "3"})
    body = made.content.decode()
    assert made.status_code == 200 and 'class="grant-code"' in body and 'src="data:image/svg+xml' in body
    code = body.split('class="grant-code">')[1].split("<")[0]
    third = client.__class__()
    assert code in third.get(f"/certificates/shared/?code={code}").content.decode()  # the QR fills it in
    assert not UseRecord.objects.exists()  # … but opening the link alone is not a use
    seen = third.post("/certificates/shared/", {"code": code})
    assert seen.status_code == 200 and "租房备案" in seen.content.decode()
    copy = third.get("/certificates/shared/copy/")
    assert copy.status_code == 200 and copy["Content-Type"] == "application/pdf"
    assert UseRecord.objects.filter(kind="grant").count() == 2
    wrong = client.__class__().post("/certificates/shared/", {"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400 and "授权码不存在" in wrong.content.decode()
    grant = UseGrant.objects.get()
    client.post(f"/certificates/{cert.pk}/grants/{grant.pk}/revoke/")
    assert third.get("/certificates/shared/copy/").status_code == 302  # revoked: back to the code form


@pytest.mark.django_db
def test_document_only_for_holder_issuer_or_clerk(client, world, cert):
    client.force_login(world["clerk"])
    assert client.get(f"/certificates/{cert.pk}/document/").status_code == 404
    client.force_login(world["undertaker"])  # staff of the issuing department
    assert client.get(f"/certificates/{cert.pk}/document/").status_code == 200
    client.force_login(world["citizen"])
    response = client.get(f"/certificates/{cert.pk}/document/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_verify_page_by_id_and_upload(client, cert):
    page = client.get("/certificates/verify/", {"id": cert.identifier})
    assert page.status_code == 200 and "verify-valid" in page.content.decode()
    assert "verify-unknown" in client.get("/certificates/verify/", {"id": "1.2.156.3005.2.X"}).content.decode()
    empty = client.post("/certificates/verify/", {})
    assert empty.status_code == 400 and "请选择" in empty.content.decode()
    data = bytearray(cert.pdf.open("rb").read())
    genuine = client.post("/certificates/verify/", {"file": SimpleUploadedFile("c.pdf", bytes(data))})
    assert "文件内容与签发时一致" in genuine.content.decode()
    data[1000] ^= 0x20
    tampered = client.post("/certificates/verify/", {"file": SimpleUploadedFile("c.pdf", bytes(data))})
    assert "verify-unknown" in tampered.content.decode() and "改动" in tampered.content.decode()


@pytest.mark.django_db
def test_manage_needs_confirmation_and_role(client, world, cert):
    client.force_login(world["reviewer"])  # same department, not an approver: sees, cannot act
    page = client.get(f"/certificates/manage/{cert.pk}/")
    assert page.status_code == 200 and 'name="action"' not in page.content.decode()
    client.force_login(world["approver"])
    client.post(f"/certificates/manage/{cert.pk}/", {"action": "revoke", "reason": "吊销"})
    assert Certificate.objects.get(pk=cert.pk).status == "valid"  # no confirmation ticked
    client.post(f"/certificates/manage/{cert.pk}/", {"action": "revoke", "reason": "吊销", "confirm": "1"})
    assert Certificate.objects.get(pk=cert.pk).status == "revoked"
    listing = client.get("/certificates/manage/", {"q": cert.identifier[-12:]})
    assert cert.identifier in listing.content.decode()
    client.force_login(world["citizen"])
    assert client.get(f"/certificates/manage/{cert.pk}/").status_code == 403
