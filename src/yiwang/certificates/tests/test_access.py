"""Findings of the review, each pinned by a test that failed before the fix: who of the staff may
open a certificate (and that it is recorded), double 换发, grants of a certificate no longer
valid, a certificate revoked while the draft waited, enumeration by id, field sources."""

import pytest

from yiwang.accounts.roles import Role
from yiwang.cases import applying
from yiwang.cases.models import CaseMaterial
from yiwang.cases.tests.helpers import staff
from yiwang.cases.tests.test_applying import complete
from yiwang.catalog.tests import factories
from yiwang.certificates import issuing, lifecycle, queries, use
from yiwang.certificates.models import Certificate, UseRecord
from yiwang.certificates.tests.test_issuing import granted
from yiwang.core.api import ApiError, Conflict
from yiwang.core.models import AuditRecord


@pytest.fixture
def cert(world):
    return issuing.issue_for_case(granted(world))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.HOTLINE_AGENT, Role.DATA_STEWARD])
def test_staff_without_a_certificate_role_cannot_open_it(client, world, cert, role):
    from yiwang.accounts.services.staff import assign_role

    user = staff(f"u-{role}", Role.WINDOW_CLERK, world["approval"])  # staff, but no certificate role
    if role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        assign_role(user, role, region=world["market"].region)
    else:
        assign_role(user, role, department=world["market"])
    client.force_login(user)
    assert client.get(f"/certificates/{cert.pk}/document/").status_code == 404
    assert client.get("/certificates/manage/").status_code == 403


@pytest.mark.django_db
def test_a_staff_view_is_audited_and_shown_to_the_holder(client, world, cert):
    client.force_login(world["reviewer"])
    assert client.get(f"/certificates/{cert.pk}/document/").status_code == 200
    record = UseRecord.objects.get(certificate=cert)
    assert record.kind == UseRecord.Kind.STAFF and record.user == world["reviewer"]
    assert AuditRecord.objects.filter(action="certificates.viewed", object_id=str(cert.pk)).exists()
    client.force_login(world["citizen"])  # the holder's own downloads are not "uses"
    client.get(f"/certificates/{cert.pk}/document/")
    assert UseRecord.objects.filter(certificate=cert).count() == 1


@pytest.mark.django_db
def test_renewing_twice_from_the_same_page_gives_409(world, cert):
    lifecycle.renew(world["approver"], cert, "换发")
    with pytest.raises(Conflict):
        issuing.issue(cert.type, holder_user=world["citizen"], fields=(), previous=cert, action="renew")
    assert Certificate.objects.filter(previous=cert).count() == 1


@pytest.mark.django_db
def test_one_first_certificate_per_case(world, cert):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        issuing.issue(cert.type, holder_user=world["citizen"], fields=(), case=cert.case)


@pytest.mark.django_db
def test_a_grant_stops_working_when_the_certificate_is_revoked(world, cert):
    grant, code = use.create_grant(world["citizen"], cert, purpose="开户", hours=2)
    lifecycle.revoke(world["approver"], cert, "注销")
    with pytest.raises(Conflict) as exc:
        use.lookup(code, ip="10.1.1.1")
    assert exc.value.code == "not_valid"


@pytest.mark.django_db
def test_any_holder_of_an_enterprise_certificate_may_revoke_its_grants(client, world):
    from yiwang.accounts.models import Enterprise, EnterpriseMembership, User

    rep = User.objects.create_user(username="rep", password="x", name="法人代表", level=2)
    agent = User.objects.create_user(username="agent", password="x", name="经办人", level=2)
    ent = Enterprise.objects.create(name="示范公司", uscc="91370812MA3C5ABC2X"[:17] + "0", legal_rep_name="法人代表",
                                    created_by=rep)
    for user, kind in ((rep, "legal_rep"), (agent, "agent")):
        EnterpriseMembership.objects.create(enterprise=ent, user=user, kind=kind)
    world["licence"].holder_kind = "organisation"
    world["licence"].save()
    cert = issuing.issue(world["licence"], holder_enterprise=ent, fields=())
    grant, _code = use.create_grant(agent, cert, purpose="投标", hours=2)
    client.force_login(rep)
    response = client.post(f"/certificates/{cert.pk}/grants/{grant.pk}/revoke/")
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None


@pytest.mark.django_db
def test_a_certificate_revoked_while_the_draft_waited_must_be_uploaded(world, cert):
    needs = factories.item("食品经营许可注销", department_obj=world["market"], materials=[
        {"code": "M02", "name": "食品经营许可证", "necessity": "required", "source": "certificate",
         "certificate_type": "SPJYXKZ", "originals": 1}])
    case, _ = applying.create_draft(world["citizen"], needs.code)
    assert case.materials.get(material_code="M02").status == CaseMaterial.Status.AUTO
    lifecycle.revoke(world["approver"], cert, "注销")
    complete(case)
    case.materials.update(status=CaseMaterial.Status.AUTO)  # complete() marks all uploaded; keep M02 auto
    with pytest.raises(ApiError) as exc:
        applying.submit(world["citizen"], case, declaration=True)
    assert "materials.M02" in exc.value.fields
    assert case.materials.get(material_code="M02").status == CaseMaterial.Status.MISSING


@pytest.mark.django_db
def test_verify_by_id_is_rate_limited_per_address(client, settings, cert):
    settings.YIWANG_CERT_VERIFY_PER_HOUR = 3
    for _n in range(3):
        assert client.get("/api/v1/certificates/verify", {"id": cert.identifier}, REMOTE_ADDR="10.9.9.9").status_code == 200
    limited = client.get("/api/v1/certificates/verify", {"id": cert.identifier}, REMOTE_ADDR="10.9.9.9")
    assert limited.status_code == 429 and "频繁" in limited.json()["message"]
    assert client.get("/api/v1/certificates/verify", {"id": cert.identifier}, REMOTE_ADDR="10.9.9.8").status_code == 200


@pytest.mark.django_db
def test_field_sources_print_only_whitelisted_attributes(world):
    world["licence"].fields = [{"name": "x", "label": "密码", "source": "holder.password"},
                               {"name": "y", "label": "姓名", "source": "holder.name"}]
    values = dict(issuing.field_values(world["licence"], holder_user=world["citizen"]))
    assert values == {"密码": "—", "姓名": "张三"}


@pytest.mark.django_db
def test_status_labels_beside_codes(world, cert):
    assert queries.verify_by_identifier(cert.identifier)["status_label"] == "有效"
    assert queries.wallet_item(cert)["status_label"] == "有效"


@pytest.mark.django_db
def test_control_characters_in_free_text_are_dropped_not_stored(client, world, cert):
    from yiwang.notifications.tests.support import bearer

    revoked = client.post(f"/api/v1/certificates/{cert.pk}/revoke", {"reason": "吊\x00销\x07"},
                          content_type="application/json", **bearer(world["approver"]))
    assert revoked.status_code == 200
    assert Certificate.objects.get(pk=cert.pk).status_reason == "吊销"
    client.force_login(world["approver"])
    assert client.get("/certificates/manage/", {"q": "\x00"}).status_code == 200
    assert client.get("/certificates/document/", {"id": "1.2\x00"}).status_code == 404
