"""Tokens, lockout per account, identity verification, demo accounts, health and OpenAPI."""

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts.models import ApiToken, User
from yiwang.accounts.roles import Role
from yiwang.accounts.tests.conftest import PASSWORD
from yiwang.core import audit
from yiwang.core.models import AuditRecord


def post(client, url, data, **extra):
    return client.post(url, data=data, content_type="application/json", **extra)


def totp_now(device):
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time = timezone.now().timestamp()
    return f"{t.token():06d}"


@pytest.mark.django_db
@pytest.mark.parametrize("ident", ["username", "phone", "id_number"])
def test_token_by_username_phone_or_id_number(client, citizen, ident):
    login = {"username": "alice", "phone": citizen.phone, "id_number": citizen.id_number}[ident]
    resp = post(client, "/api/v1/auth/token", {"username": login, "password": PASSWORD})
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["expires_at"].endswith("+08:00")
    tok = ApiToken.objects.get()
    assert tok.key_hash != body["token"] and body["token"] not in tok.key_hash
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200 and me.json()["username"] == "alice"
    assert me.json()["id_number_masked"].count("*") == 8


@pytest.mark.django_db
def test_api_without_credentials_is_401_with_envelope(client):
    resp = client.get("/api/v1/me")
    assert resp.status_code == 401
    assert resp.json()["code"] == "unauthenticated" and resp.json()["message"]
    resp = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer yw_forged")
    assert resp.status_code == 401


@pytest.mark.django_db
def test_revoked_and_expired_tokens_stop_working(client, citizen):
    key = post(client, "/api/v1/auth/token", {"username": "alice", "password": PASSWORD}).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.post("/api/v1/auth/token/revoke", **auth).json() == {"revoked": True}
    assert client.get("/api/v1/me", **auth).status_code == 401
    key2 = post(client, "/api/v1/auth/token", {"username": "alice", "password": PASSWORD}).json()["token"]
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key2}").status_code == 401


@pytest.mark.django_db
def test_five_wrong_passwords_lock_only_that_account(client, make_user):
    victim = make_user("victim")
    bystander = make_user("bystander")
    for n in range(4):
        resp = post(client, "/api/v1/auth/token", {"username": "victim", "password": "wrong"})
        assert resp.status_code == 401, n
    resp = post(client, "/api/v1/auth/token", {"username": "victim", "password": "wrong"})
    assert resp.status_code == 403
    assert resp.json()["code"] == "account_locked" and "锁定" in resp.json()["message"]
    # even the right password is refused while locked
    resp = post(client, "/api/v1/auth/token", {"username": "victim", "password": PASSWORD})
    assert resp.status_code == 403 and resp.json()["code"] == "account_locked"
    # another account from the same address is unaffected
    assert post(client, "/api/v1/auth/token", {"username": "bystander", "password": PASSWORD}).status_code == 200
    victim.refresh_from_db()
    assert victim.is_locked()
    assert AuditRecord.objects.filter(action="auth.account_locked", object_id=str(victim.pk)).count() == 1
    assert AuditRecord.objects.filter(action="auth.login_failed", object_id=str(victim.pk)).count() == 5
    assert not User.objects.get(pk=bystander.pk).is_locked()
    assert audit.verify().ok


@pytest.mark.django_db
def test_failures_outside_window_do_not_accumulate(client, make_user):
    user = make_user("slow")
    for _ in range(4):
        post(client, "/api/v1/auth/token", {"username": "slow", "password": "wrong"})
    User.objects.filter(pk=user.pk).update(first_failed_at=timezone.now() - timezone.timedelta(minutes=16))
    resp = post(client, "/api/v1/auth/token", {"username": "slow", "password": "wrong"})
    assert resp.status_code == 401
    assert post(client, "/api/v1/auth/token", {"username": "slow", "password": PASSWORD}).status_code == 200


@pytest.mark.django_db
def test_lock_expires_and_sms_unlock(client, make_user, settings):
    settings.DEMO_MODE = True
    user = make_user("locked", phone="13711112222")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=15))
    code = post(client, "/api/v1/auth/sms-code", {"phone": "13711112222", "purpose": "unlock"}).json()["dev_code"]
    assert post(client, "/api/v1/auth/unlock", {"phone": "13711112222", "sms_code": code}).status_code == 200
    assert post(client, "/api/v1/auth/token", {"username": "locked", "password": PASSWORD}).status_code == 200
    assert AuditRecord.objects.filter(action="auth.account_unlocked").exists()


@pytest.mark.django_db
def test_staff_token_requires_totp_when_enrolled(client, make_user, market):
    clerk = make_user("clerk", role=Role.WINDOW_CLERK, department=market)
    device = TOTPDevice.objects.create(user=clerk, name="t", confirmed=True)
    resp = post(client, "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD})
    assert resp.status_code == 401 and "otp" in resp.json()["fields"]
    resp = post(client, "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD, "otp": "000000"})
    assert resp.status_code == 401
    device.refresh_from_db()
    device.throttle_reset()  # django-otp throttles a device for a moment after a wrong code
    resp = post(client, "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD, "otp": totp_now(device)})
    assert resp.status_code == 200, resp.content


@pytest.mark.django_db
def test_staff_without_totp_refused_when_2fa_required(client, make_user, market, settings):
    settings.YIWANG_STAFF_2FA_REQUIRED = True
    make_user("clerk", role=Role.WINDOW_CLERK, department=market)
    resp = post(client, "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD})
    assert resp.status_code == 403 and resp.json()["code"] == "otp_not_enrolled"


@pytest.mark.django_db
def test_verify_identity_raises_level(client, make_user):
    make_user("bob", level=1)
    key = post(client, "/api/v1/auth/token", {"username": "bob", "password": PASSWORD}).json()["token"]
    resp = client.post("/api/v1/auth/verify-identity", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert resp.status_code == 200 and resp.json()["level"] == 2


@pytest.mark.django_db
def test_enterprise_request_requires_level_2_and_valid_uscc(client, make_user):
    make_user("low", level=1)
    key = post(client, "/api/v1/auth/token", {"username": "low", "password": PASSWORD}).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    resp = post(client, "/api/v1/enterprises", {"name": "某公司", "uscc": "91350100M000100Y43"}, **auth)
    assert resp.status_code == 403
    make_user("high", name="王五")
    key = post(client, "/api/v1/auth/token", {"username": "high", "password": PASSWORD}).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    resp = post(client, "/api/v1/enterprises", {"name": "某公司", "uscc": "91350100M000100Y44"}, **auth)
    assert resp.status_code == 400 and "uscc" in resp.json()["fields"]
    resp = post(client, "/api/v1/enterprises", {"name": "某公司", "uscc": "91350100M000100Y43"}, **auth)
    assert resp.status_code == 201 and resp.json()["status"] == "pending"
    listing = client.get("/api/v1/enterprises?page_size=1000", **auth).json()
    assert listing["total"] == 1 and listing["page_size"] == 100


@pytest.mark.django_db
def test_demo_accounts_endpoint(client, settings):
    settings.DEMO_MODE = False
    assert client.get("/api/v1/demo/accounts").status_code == 404
    settings.DEMO_MODE = True
    from yiwang.accounts.demo import load_demo_accounts
    from yiwang.org.demo import load_demo_org

    load_demo_org()
    load_demo_accounts()
    body = client.get("/api/v1/demo/accounts").json()
    items = body["items"] + client.get("/api/v1/demo/accounts?page=2").json()["items"]
    rows = {(r["username"], r["role"]) for r in items}
    assert ("citizen1", "citizen") in rows and ("corp1", "enterprise") in rows and ("admin", "platform_admin") in rows
    assert body["total"] > 100 and body["page_size"] == 100
    undertakers = [r for r in items if r["role"] == "undertaker"]
    assert all(r["department_code"] and r["department_name"] for r in undertakers)
    settings.PRODUCTION = True
    assert client.get("/api/v1/demo/accounts").status_code == 404


@pytest.mark.django_db
def test_demo_load_is_idempotent(settings):
    from yiwang.accounts.demo import load_demo_accounts
    from yiwang.accounts.models import StaffRole
    from yiwang.org.demo import load_demo_org

    load_demo_org()
    load_demo_accounts()
    before = (User.objects.count(), StaffRole.objects.count(), AuditRecord.objects.count())
    load_demo_org()
    assert load_demo_accounts() == {"created": 0}
    assert (User.objects.count(), StaffRole.objects.count(), AuditRecord.objects.count()) == before


@pytest.mark.django_db
def test_healthz_and_openapi(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] in ("sqlite", "postgresql") and body["version"]
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/auth/sms-code", "/api/v1/auth/register", "/api/v1/auth/token", "/api/v1/demo/accounts"):
        assert path in spec["paths"]


@pytest.mark.django_db
def test_unmasking_needs_permission_and_reason_and_is_audited(client, make_user, market, citizen):
    make_user("clerk", role=Role.WINDOW_CLERK, department=market)
    make_user("plain")
    url = f"/api/v1/users/{citizen.pk}/pii/id_number"
    key = post(client, "/api/v1/auth/token", {"username": "plain", "password": PASSWORD}).json()["token"]
    assert post(client, url, {"reason": "x"}, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 403
    key = post(client, "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD}).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    resp = post(client, url, {"reason": ""}, **auth)
    assert resp.status_code == 400 and "reason" in resp.json()["fields"]
    resp = post(client, url, {"reason": "窗口核对身份"}, **auth)
    assert resp.status_code == 200 and resp.json()["value"] == citizen.id_number
    rec = AuditRecord.objects.get(action="pii.unmasked")
    assert rec.actor_label == "clerk" and rec.object_id == str(citizen.pk) and "窗口核对身份" in rec.summary
