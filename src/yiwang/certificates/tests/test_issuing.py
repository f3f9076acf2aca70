"""Issuing through a granted case, manual issue, lifecycle, the log, verification by id, reuse in
a later application and 用证授权 — through the services, on the real database."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.roles import Role
from yiwang.cases import applying, handling
from yiwang.cases.models import CaseMaterial
from yiwang.cases.status import CaseStatus, ResultCode
from yiwang.cases.tests.helpers import open_item, staff, submitted_case
from yiwang.certificates import issuing, keys, lifecycle, log, merkle, queries, use
from yiwang.certificates.documents import sth_message
from yiwang.certificates.models import Certificate, LogEntry, SigningKey, UseRecord
from yiwang.certificates.signing import canonical_json, unb64, verify
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict, NotFound, RateLimited
from yiwang.core.identifiers import is_valid_certificate_identifier
from yiwang.core.worker import Worker


def granted(world):
    case = submitted_case(world, world["item"])
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    handling.act(world["undertaker"], open_item(case, "undertake"), "pass")
    handling.act(world["reviewer"], open_item(case, "review"), "pass")
    handling.act(world["approver"], open_item(case, "approve"), "decide_grant", {"opinion": "准予"})
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_granted_case_issues_then_completes_with_result_certificate(world):
    case = granted(world)
    assert case.status == CaseStatus.DECIDED
    # 出证 by hand before the certificate exists is refused with a clear message.
    with pytest.raises(Conflict) as exc:
        handling.act(world["undertaker"], open_item(case, "complete"), "complete")
    assert "电子证照尚未签发" in exc.value.message
    Worker("t").run_until_idle()
    case.refresh_from_db()
    cert = Certificate.objects.get(case=case)
    assert case.status == CaseStatus.COMPLETED and case.result_code == ResultCode.CERTIFICATE
    assert case.timeline.filter(opinion__contains=cert.identifier).exists()
    assert is_valid_certificate_identifier(cert.identifier)
    assert cert.identifier.startswith(f"1.2.156.3005.2.SPJYXKZ.{world['market'].uscc}.")
    assert cert.holder_user == world["citizen"] and cert.holder_masked == "370812********0018"
    assert cert.signature_checked and cert.status == "valid"
    envelope = json.loads(cert.envelope)
    assert dict(envelope["signed"]["metadata"]["fields"]) == {"经营者": "张三", "经营项目": "预包装食品销售"}
    # the stored signature verifies with the published department key
    published = {k["key_id"]: k for k in keys.published()["keys"]}
    key = published[envelope["signature"]["key_id"]]
    assert key["purpose"] == "certificate" and key["algorithm"] == "SM2-SM3"
    assert verify(key["algorithm"], key["public_key"], canonical_json(envelope["signed"]),
                  unb64(envelope["signature"]["value"]))
    # a second delivery of the event (retry) issues nothing more
    issuing.issue_for_case(case)
    assert Certificate.objects.filter(case=case).count() == 1
    assert audit.verify().ok


@pytest.mark.django_db
def test_private_keys_are_encrypted_at_rest(world):
    key = keys.active_key(SigningKey.Purpose.CERTIFICATE, world["market"])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key FROM certificates_signingkey WHERE id = %s", [key.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1$") and key.private_key not in stored


@pytest.mark.django_db
def test_verify_by_id_gives_status_masked_holder_and_a_proof_that_checks(world):
    case = granted(world)
    cert = issuing.issue_for_case(case)
    result = queries.verify_by_identifier(cert.identifier)
    assert result["status"] == "valid" and result["holder_masked"] == cert.holder_masked
    assert "张三" not in json.dumps(result, ensure_ascii=False) and world["citizen"].id_number not in json.dumps(result)
    head, proof = result["tree_head"], result["inclusion_proof"]
    assert verify(head["algorithm"], SigningKey.objects.get(key_id=head["key_id"]).public_key,
                  sth_message(head["tree_size"], head["root_hash"], head["timestamp"]), unb64(head["signature"]))
    leaf = merkle.leaf_hash(canonical_json(result["leaf"]))
    assert merkle.verify_inclusion(leaf, proof["leaf_index"], proof["tree_size"],
                                   [bytes.fromhex(h) for h in proof["hashes"]], bytes.fromhex(head["root_hash"]))
    # a forged identifier (check character wrong) and an unknown one are never valid
    forged = cert.identifier[:-1] + ("A" if cert.identifier[-1] != "A" else "B")
    assert queries.verify_by_identifier(forged)["status"] == "unknown"
    assert queries.verify_by_identifier(forged)["problem"] == "bad_identifier"
    assert queries.verify_by_identifier("垃圾")["status"] == "unknown"


@pytest.mark.django_db
def test_revoke_suspend_resume_and_renew_are_logged_and_reported(world):
    cert = issuing.issue_for_case(granted(world))
    with pytest.raises(PermissionDenied):
        lifecycle.revoke(world["undertaker"], cert, "错误")
    with pytest.raises(ApiError) as exc:
        lifecycle.suspend(world["approver"], cert, " ")
    assert "reason" in exc.value.fields
    lifecycle.suspend(world["approver"], cert, "经营场所核查中")
    assert queries.verify_by_identifier(cert.identifier)["status"] == "suspended"
    lifecycle.resume(world["approver"], cert, "核查通过")
    assert queries.verify_by_identifier(cert.identifier)["status"] == "valid"
    new = lifecycle.renew(world["approver"], cert, "到期换发")
    assert new.version == "002" and new.previous == cert and new.serial == cert.serial
    old = queries.verify_by_identifier(cert.identifier)
    assert old["status"] == "superseded" and old["superseded_by"] == new.identifier
    lifecycle.revoke(world["approver"], new, "以欺骗手段取得许可")
    result = queries.verify_by_identifier(new.identifier)
    assert result["status"] == "revoked" and result["status_label"] == "已注销"
    assert "status_reason" not in result  # free text: for the holder and the department only
    assert Certificate.objects.get(pk=new.pk).status_reason == "以欺骗手段取得许可"
    with pytest.raises(Conflict):
        lifecycle.resume(world["approver"], new, "误操作")
    actions = list(LogEntry.objects.order_by("index").values_list("action", flat=True))
    assert actions == ["issue", "suspend", "resume", "renew", "supersede", "revoke"]
    check = log.verify_log()
    assert check.ok and check.size == 6


@pytest.mark.django_db
def test_verify_log_finds_a_tampered_leaf(world):
    issuing.issue_for_case(granted(world))
    assert log.verify_log().ok
    entry = LogEntry.objects.get(index=0)
    LogEntry.objects.filter(pk=entry.pk).update(leaf=entry.leaf.replace("issue", "revoke"))
    check = log.verify_log()
    assert not check.ok and any("节点 (0, 0)" in p for p in check.problems)


@pytest.mark.django_db
def test_consistency_between_heads(world):
    issuing.issue_for_case(granted(world))
    first = log.latest_head()
    for n in range(5):
        log.append([{"kind": "test", "action": "issue", "identifier": f"x{n}"}])
    second = log.sign_head()
    proof = [bytes.fromhex(h) for h in log.consistency(first.tree_size, second.tree_size)]
    assert merkle.verify_consistency(first.tree_size, second.tree_size, bytes.fromhex(first.root_hash),
                                     bytes.fromhex(second.root_hash), proof)
    assert not merkle.verify_consistency(first.tree_size, second.tree_size, bytes.fromhex(second.root_hash),
                                         bytes.fromhex(second.root_hash), proof)


@pytest.mark.django_db
def test_manual_issue_only_by_an_approver_of_the_issuing_department(world):
    case = granted(world)
    with pytest.raises(ApiError):
        issuing.issue_by_hand(world["approver"], case, reason="")
    with pytest.raises(PermissionDenied):
        issuing.issue_by_hand(world["undertaker"], case, reason="系统签发失败")
    other = staff("other-app", Role.APPROVER, world["approval"])
    with pytest.raises(PermissionDenied):
        issuing.issue_by_hand(other, case, reason="系统签发失败")
    cert = issuing.issue_by_hand(world["approver"], case, reason="系统签发失败，手工补签")
    case.refresh_from_db()
    assert cert.issued_by == world["approver"] and cert.issue_reason == "系统签发失败，手工补签"
    assert case.status == CaseStatus.COMPLETED and case.result_code == ResultCode.CERTIFICATE
    with pytest.raises(Conflict):
        issuing.issue_by_hand(world["approver"], case, reason="再来一次")


@pytest.mark.django_db
def test_issue_refused_without_holder_identity(world):
    world["citizen"].id_number = ""
    world["citizen"].save()
    with pytest.raises(issuing.IssueError) as exc:
        issuing.issue(world["licence"], holder_user=world["citizen"], fields=())
    assert exc.value.code == "holder_missing"
    assert not Certificate.objects.exists() and not LogEntry.objects.exists()


@pytest.mark.django_db
def test_later_application_fetches_the_valid_certificate_and_logs_the_use(world):
    from yiwang.catalog.tests import factories

    issuing.issue_for_case(granted(world))
    needs = factories.item("食品经营许可变更", department_obj=world["market"], materials=[
        {"code": "M01", "name": "申请书", "necessity": "required", "source": "applicant", "originals": 1},
        {"code": "M02", "name": "食品经营许可证", "necessity": "required", "source": "certificate",
         "certificate_type": "SPJYXKZ", "originals": 1}])
    case, _ = applying.create_draft(world["citizen"], needs.code)
    fetched = case.materials.get(material_code="M02")
    cert = Certificate.objects.get(type__code="SPJYXKZ")
    assert fetched.status == CaseMaterial.Status.AUTO and fetched.reference == cert.identifier
    assert fetched.get_status_display() == "已自动获取"
    assert case.materials.get(material_code="M01").status == CaseMaterial.Status.MISSING
    record = UseRecord.objects.get(certificate=cert)
    assert record.kind == UseRecord.Kind.CASE and record.case == case and "食品经营许可变更" in record.purpose
    # once revoked, the next application asks for an upload as usual
    lifecycle.revoke(world["approver"], cert, "注销")
    again, _ = applying.create_draft(world["citizen"], needs.code, idempotency_key="second")
    assert again.materials.get(material_code="M02").status == CaseMaterial.Status.MISSING


@pytest.mark.django_db
def test_use_grant_code_is_single_purpose_expires_and_is_rate_limited(world, settings):
    cert = issuing.issue_for_case(granted(world))
    citizen = world["citizen"]
    with pytest.raises(ApiError) as exc:
        use.create_grant(citizen, cert, purpose="x" * 201, hours=25)
    assert set(exc.value.fields) == {"purpose", "hours"}
    with pytest.raises(PermissionDenied):  # identity level 2 is required
        use.create_grant(world["approver"], cert, purpose="看看", hours=1)
    world["approver"].level = 2
    with pytest.raises(NotFound):  # … and only the holder may grant
        use.create_grant(world["approver"], cert, purpose="看看", hours=1)
    grant, code = use.create_grant(citizen, cert, purpose="向某银行申请经营贷款", hours=2)
    assert len(code) == use.CODE_LENGTH and code not in grant.code_hash
    found = use.lookup(use.format_code(code).lower(), ip="10.0.0.1")
    assert found == grant
    use.record_use(found, ip="10.0.0.1")
    assert UseRecord.objects.filter(grant=grant, kind="grant").count() == 1
    assert "向某银行申请经营贷款" in use.watermark_text(grant)
    copy = use.watermarked_copy(grant)
    assert copy.startswith(b"%PDF")
    with pytest.raises(NotFound):
        use.lookup("ABCD-EFGH-JKMN", ip="10.0.0.1")
    use.revoke_grant(citizen, grant)
    with pytest.raises(Conflict):
        use.lookup(code, ip="10.0.0.1")
    settings.YIWANG_CERT_GRANT_LOOKUPS_PER_HOUR = 3
    for _n in range(3):
        with pytest.raises(NotFound):
            use.lookup("ZZZZ-ZZZZ-ZZZZ", ip="10.0.0.9")
    with pytest.raises(RateLimited):
        use.lookup(code, ip="10.0.0.9")


@pytest.mark.django_db
def test_a_type_with_a_broken_template_or_bad_code_is_refused(world):
    from django.core.exceptions import ValidationError

    world["licence"].template = "{% if %}"
    with pytest.raises(ValidationError) as exc:
        world["licence"].full_clean()
    assert "template" in exc.value.message_dict
    world["licence"].template, world["licence"].code = "<p>{{ fields.经营者 }}</p>", "spjy-xkz"
    with pytest.raises(ValidationError) as exc:
        world["licence"].full_clean()
    assert set(exc.value.message_dict) == {"code"}


@pytest.mark.django_db
def test_verify_log_command_exit_status(world):
    from io import StringIO

    from django.core.management import call_command

    issuing.issue_for_case(granted(world))
    out = StringIO()
    call_command("certs", "verify-log", stdout=out)
    assert "日志完整" in out.getvalue()
    entry = LogEntry.objects.get(index=0)
    LogEntry.objects.filter(pk=entry.pk).update(leaf=entry.leaf.replace("issue", "revoke"))
    with pytest.raises(SystemExit) as exc:
        call_command("certs", "verify-log", stdout=StringIO())
    assert exc.value.code == 1


@pytest.mark.django_db
def test_a_case_that_cannot_get_an_electronic_certificate_still_completes(world):
    """An organisation's licence applied for without an enterprise (or a holder without an ID
    number): the worker records why it could not issue, and the clerk completes with 出证 (paper)."""
    from yiwang.core.models import AuditRecord

    world["licence"].holder_kind = "organisation"
    world["licence"].save()
    case = granted(world)
    Worker("t").run_until_idle()
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and not Certificate.objects.exists()
    assert AuditRecord.objects.filter(action="certificates.issue_failed").exists()
    handling.act(world["undertaker"], open_item(case, "complete"), "complete")
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.result_code == ResultCode.CERTIFICATE


class UnloggableSource:
    """A material source whose use log is down: it finds, but cannot record the use."""

    name = "unloggable"

    def find(self, applicant, enterprise, material):
        from yiwang.cases.sources import FoundMaterial

        return FoundMaterial(reference="X-1") if material.certificate_type == "NOLOG" else None

    def record_use(self, case, material, found):
        raise RuntimeError("use log unavailable")


@pytest.mark.django_db
def test_a_use_that_cannot_be_logged_is_not_used(world):
    from yiwang.cases import sources
    from yiwang.catalog.tests import factories

    needs = factories.item("某证明开具", department_obj=world["market"], materials=[
        {"code": "M02", "name": "某证明", "necessity": "required", "source": "certificate",
         "certificate_type": "NOLOG", "originals": 1}])
    sources.register_material_source(UnloggableSource())
    try:
        case, _ = applying.create_draft(world["citizen"], needs.code)
    finally:
        sources.unregister("unloggable")
    material = case.materials.get(material_code="M02")
    assert material.status == CaseMaterial.Status.MISSING and material.reference == ""
