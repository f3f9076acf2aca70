"""Certificates API contracts: keys, tree head, proofs, verify by id and by upload, the wallet,
grants and the department's actions — shapes, status codes and Chinese errors."""

import pytest

from yiwang.certificates import issuing, merkle
from yiwang.certificates.models import Certificate
from yiwang.certificates.signing import canonical_json
from yiwang.certificates.tests.test_issuing import granted
from yiwang.notifications.tests.support import bearer

API = "/api/v1/certificates"


def post(client, url, data=None, **extra):
    return client.post(url, data=data or {}, content_type="application/json", **extra)


@pytest.fixture
def cert(world):
    return issuing.issue_for_case(granted(world))


@pytest.mark.django_db
def test_keys_sth_and_proofs_are_public_and_check(client, cert):
    keys = client.get(f"{API}/keys").json()["keys"]
    purposes = {k["purpose"] for k in keys}
    assert purposes == {"certificate", "log"}
    assert all(set(k) >= {"key_id", "algorithm", "public_key", "status", "owner_name"} for k in keys)
    assert not any("private" in name for k in keys for name in k)
    sth = client.get(f"{API}/log/sth").json()
    assert set(sth) == {"tree_size", "root_hash", "timestamp", "key_id", "algorithm", "signature"}
    assert sth["tree_size"] == 1
    body = client.get(f"{API}/log/proof", {"identifier": cert.identifier}).json()
    proof = body["inclusion_proof"]
    assert proof["leaf_index"] == cert.log_index and body["tree_head"] == sth
    bad = client.get(f"{API}/log/proof", {"index": 5, "tree_size": 1})
    assert bad.status_code == 400 and bad.json()["code"] == "validation_error"
    missing = client.get(f"{API}/log/proof", {"tree_size": 99, "index": 0})
    assert missing.status_code == 400 and "树头" in missing.json()["message"]
    unknown = client.get(f"{API}/log/proof", {"identifier": "1.2.156.3005.2.X.Y.1.001.Z"})
    assert unknown.status_code == 404


@pytest.mark.django_db
def test_verify_by_id_contract(client, cert):
    body = client.get(f"{API}/verify", {"id": cert.identifier}).json()
    assert set(body) >= {"status", "type", "holder_masked", "issuer", "issued_at", "valid_until", "inclusion_proof",
                         "tree_head"}
    assert body["status"] == "valid" and body["type"] == "食品经营许可证" and body["issuer"] == cert.department.name
    leaf = merkle.leaf_hash(canonical_json(body["leaf"]))
    assert merkle.verify_inclusion(leaf, body["inclusion_proof"]["leaf_index"], body["inclusion_proof"]["tree_size"],
                                   [bytes.fromhex(h) for h in body["inclusion_proof"]["hashes"]],
                                   bytes.fromhex(body["tree_head"]["root_hash"]))
    empty = client.get(f"{API}/verify")
    assert empty.status_code == 400 and "id" in empty.json()["fields"]
    assert client.get(f"{API}/verify", {"id": "1.2.156.3005.2.nonsense"}).json()["status"] == "unknown"


@pytest.mark.django_db
def test_verify_upload_genuine_tampered_and_not_a_pdf(client, cert):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = cert.pdf.open("rb").read()
    ok = client.post(f"{API}/verify", {"file": SimpleUploadedFile("c.pdf", data, "application/pdf")}).json()
    assert ok["status"] == "valid" and ok["document"] == "genuine"
    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x01
    bad = client.post(f"{API}/verify", {"file": SimpleUploadedFile("c.pdf", bytes(tampered), "application/pdf")})
    assert bad.status_code == 200 and bad.json()["status"] != "valid"
    junk = client.post(f"{API}/verify", {"file": SimpleUploadedFile("c.pdf", b"not a pdf", "application/pdf")}).json()
    assert junk["status"] == "unknown" and junk["problem"]


@pytest.mark.django_db
def test_wallet_lists_valid_first_and_downloads_only_own(client, world, cert):
    from yiwang.certificates import lifecycle

    second = issuing.issue(world["licence"], holder_user=world["citizen"], fields=(("经营者", "张三"),))
    lifecycle.revoke(world["approver"], cert, "注销")
    body = client.get(f"{API}/mine", **bearer(world["citizen"])).json()
    assert body["total"] == 2 and [i["status"] for i in body["items"]] == ["valid", "revoked"]
    item = body["items"][0]
    assert set(item) >= {"id", "identifier", "type", "name", "status", "issued_at", "valid_until"}
    assert item["identifier"] == second.identifier
    pdf = client.get(f"{API}/{second.pk}/pdf", **bearer(world["citizen"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    world["approver"].level = 2
    world["approver"].save()
    assert client.get(f"{API}/{second.pk}/pdf", **bearer(world["approver"])).status_code == 404  # not the holder
    assert client.get(f"{API}/mine").status_code == 401
    world["citizen"].level = 1
    world["citizen"].save()
    refused = client.get(f"{API}/mine", **bearer(world["citizen"]))
    assert refused.status_code == 403 and refused.json()["code"] == "identity_required"


@pytest.mark.django_db
def test_grant_and_shared_view_and_use_log(client, world, cert):
    bad = post(client, f"{API}/{cert.pk}/grants", {"purpose": "", "hours": 48}, **bearer(world["citizen"]))
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"purpose", "hours"}
    made = post(client, f"{API}/{cert.pk}/grants", {"purpose": "银行开户", "hours": 2}, **bearer(world["citizen"]))
    assert made.status_code == 200
    code = made.json()["code"]
    seen = client.get(f"{API}/shared", {"code": code}).json()
    assert seen["status"] == "valid" and seen["purpose"] == "银行开户"
    uses = client.get(f"{API}/{cert.pk}/uses", **bearer(world["citizen"])).json()
    assert uses["total"] == 1 and uses["items"][0]["kind"] == "grant" and uses["items"][0]["purpose"] == "银行开户"
    assert client.get(f"{API}/shared", {"code": "AAAA-BBBB-CCCC"}).status_code == 404


@pytest.mark.django_db
def test_department_actions_and_manual_issue(client, world, cert):
    assert post(client, f"{API}/{cert.pk}/revoke", {"reason": "x"}, **bearer(world["citizen"])).status_code == 404
    assert post(client, f"{API}/{cert.pk}/revoke", {"reason": "x"}, **bearer(world["undertaker"])).status_code == 403
    bad = post(client, f"{API}/{cert.pk}/revoke", {"reason": ""}, **bearer(world["approver"]))
    assert bad.status_code == 400 and "reason" in bad.json()["fields"]
    done = post(client, f"{API}/{cert.pk}/revoke", {"reason": "吊销许可"}, **bearer(world["approver"]))
    assert done.status_code == 200 and done.json()["status"] == "revoked"
    again = post(client, f"{API}/{cert.pk}/suspend", {"reason": "x"}, **bearer(world["approver"]))
    assert again.status_code == 409
    assert post(client, f"{API}/{cert.pk}/explode", {"reason": "x"}, **bearer(world["approver"])).status_code == 404
    case = granted(world)
    issued = post(client, f"/api/v1/cases/{case.pk}/certificate", {"reason": "补签"}, **bearer(world["approver"]))
    assert issued.status_code == 200 and issued.json()["status"] == "valid"
    assert Certificate.objects.filter(case=case).count() == 1
    dup = post(client, f"/api/v1/cases/{case.pk}/certificate", {"reason": "补签"}, **bearer(world["approver"]))
    assert dup.status_code == 409


@pytest.mark.django_db
def test_downloaded_pdf_verifies_offline_against_the_published_head_after_the_log_grew(client, world, cert):
    """The documented offline check — keys from /keys, tree head from /log/sth — holds for a
    certificate issued before later log entries: the served PDF carries a proof to the latest head."""
    from yiwang.certificates import lifecycle
    from yiwang.certificates.envelope import extract
    from yiwang.certificates.offline import verify_document

    later = issuing.issue(world["licence"], holder_user=world["citizen"], fields=(("经营者", "张三"),))
    lifecycle.suspend(world["approver"], later, "核查")
    pdf = client.get(f"{API}/{cert.pk}/pdf", **bearer(world["citizen"])).content
    keys, sth = client.get(f"{API}/keys").json(), client.get(f"{API}/log/sth").json()
    assert sth["tree_size"] == 3
    report = verify_document(pdf, keys, sth)
    assert report.valid, report.problems
    stored = cert.pdf.open("rb").read()
    assert not verify_document(stored, keys, sth).valid  # the file as issued needs the proof the API gives
    assert extract(pdf)[1] == extract(stored)[1]  # the signed bytes are the same
    tampered = bytearray(pdf)
    tampered[2000] ^= 0x04
    assert not verify_document(bytes(tampered), keys, sth).valid
