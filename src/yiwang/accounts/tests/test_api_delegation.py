"""经办人, 代办授权 and staff roles through the API: who may grant what, and the audit trail."""

import pytest

from yiwang.accounts.models import Enterprise, EnterpriseMembership, StaffRole
from yiwang.accounts.roles import Role
from yiwang.accounts.tests.conftest import PASSWORD
from yiwang.core.models import AuditRecord


def post(client, url, data=None, **extra):
    return client.post(url, data=data or {}, content_type="application/json", **extra)


def auth(client, username):
    key = post(client, "/api/v1/auth/token", {"username": username, "password": PASSWORD}).json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def enterprise(make_user):
    rep = make_user("rep", name="法人代表")
    ent = Enterprise.objects.create(name="示范公司", uscc="91350100M000100Y43", legal_rep_name="法人代表",
                                    created_by=rep, status=Enterprise.Status.VERIFIED)
    EnterpriseMembership.objects.create(enterprise=ent, user=rep, kind=EnterpriseMembership.Kind.LEGAL_REP)
    return ent


@pytest.mark.django_db
def test_legal_rep_grants_and_revokes_agent(client, make_user, enterprise):
    agent = make_user("agent")
    make_user("stranger")
    url = f"/api/v1/enterprises/{enterprise.pk}/agents"
    assert post(client, url, {"user": "agent"}, **auth(client, "stranger")).status_code == 403
    rep_auth = auth(client, "rep")
    resp = post(client, url, {"user": agent.phone}, **rep_auth)
    assert resp.status_code == 201, resp.content
    assert post(client, url, {"user": "agent"}, **rep_auth).status_code == 409
    assert post(client, url, {"user": "nobody"}, **rep_auth).status_code == 400
    membership = resp.json()["id"]
    resp = client.delete(f"{url}/{membership}", **rep_auth)
    assert resp.status_code == 200
    assert EnterpriseMembership.objects.get(pk=membership).revoked_at is not None
    assert AuditRecord.objects.filter(action="enterprise.agent_revoked").exists()


@pytest.mark.django_db
def test_proxy_authorization_by_grantor(client, make_user, county):
    from yiwang.org.models import Department

    centre = Department.objects.create(code="centre-xinyi", name="新驿镇便民服务中心", region=county)
    make_user("elder", name="王秀英")
    agent = make_user("proxy", role=Role.PROXY_AGENT, department=centre)
    make_user("notagent")
    elder_auth = auth(client, "elder")
    body = {"agent": "notagent", "all_items": True, "valid_from": "2026-11-24", "valid_until": "2027-11-23"}
    resp = post(client, "/api/v1/proxy-authorizations", body, **elder_auth)
    assert resp.status_code == 400 and "agent" in resp.json()["fields"]
    resp = post(client, "/api/v1/proxy-authorizations", {**body, "agent": "proxy", "valid_until": "2026-01-01"}, **elder_auth)
    assert resp.status_code == 400 and "valid_until" in resp.json()["fields"]
    resp = post(client, "/api/v1/proxy-authorizations", {**body, "agent": "proxy"}, **elder_auth)
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    seen_by_agent = client.get("/api/v1/proxy-authorizations", **auth(client, "proxy")).json()
    assert seen_by_agent["total"] == 1 and seen_by_agent["items"][0]["agent"] == agent.name
    assert post(client, f"/api/v1/proxy-authorizations/{pk}/revoke", **auth(client, "notagent")).status_code == 403
    assert post(client, f"/api/v1/proxy-authorizations/{pk}/revoke", **elder_auth).json()["revoked"] is True


@pytest.mark.django_db
def test_only_security_admin_grants_roles(client, make_user, county, market, security_admin):
    make_user("platform", role=Role.PLATFORM_ADMIN, region=county)
    target = make_user("newstaff")
    body = {"user": "newstaff", "role": "reviewer", "department_code": "market"}
    assert post(client, "/api/v1/staff-roles", body, **auth(client, "platform")).status_code == 403
    sec_auth = auth(client, "sec")
    resp = post(client, "/api/v1/staff-roles", {**body, "department_code": None}, **sec_auth)
    assert resp.status_code == 400 and "department" in resp.json()["fields"]
    resp = post(client, "/api/v1/staff-roles", body, **sec_auth)
    assert resp.status_code == 201 and resp.json()["role_label"] == "审核人员"
    assert StaffRole.objects.filter(user=target, role="reviewer", department=market).exists()
    rec = AuditRecord.objects.filter(action="staff_role.granted", object_id=str(target.pk)).get()
    assert rec.actor_label == "sec"
    assert client.delete(f"/api/v1/staff-roles/{resp.json()['id']}", **sec_auth).status_code == 200
    assert AuditRecord.objects.filter(action="staff_role.revoked").exists()
