"""Account pages through Django's test client (the browser tests drive the same flows)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.tests.conftest import PASSWORD
from yiwang.accounts.tests.test_api_login import totp_now
from yiwang.core.models import AuditRecord


@pytest.mark.django_db
def test_register_page_flow_send_code_then_register(client, settings):
    settings.DEMO_MODE = True
    id_number = demo_id_number("19851224", "035")
    data = {"name": "赵六", "id_number": id_number, "phone": "13655556666", "password": "", "password2": "",
            "sms_code": "", "consent": ""}
    resp = client.post("/accounts/register/", {**data, "action": "send_code"}, follow=True)
    assert resp.status_code == 200
    code = re.search(r"验证码：(\d{6})", resp.content.decode()).group(1)
    # entered values survive the round trip
    assert 'value="赵六"' in resp.content.decode()
    data.update(sms_code=code, password=PASSWORD, password2=PASSWORD, consent="on", action="register")
    resp = client.post("/accounts/register/", data)
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert User.objects.get(name="赵六").level == 1


@pytest.mark.django_db
def test_register_page_shows_field_errors_and_keeps_input(client):
    resp = client.post("/accounts/register/", {"name": "赵六", "id_number": "370812198512240351", "phone": "13655556666",
                                               "password": "weak", "password2": "weak", "action": "register"})
    html = resp.content.decode()
    assert resp.status_code == 200 and 'role="alert"' in html
    assert "校验" in html and 'value="13655556666"' in html
    assert not User.objects.exists()


@pytest.mark.django_db
def test_login_then_profile_shows_masked_id(client, citizen):
    resp = client.post("/accounts/login/", {"mode": "password", "pw-username": "alice", "pw-password": PASSWORD})
    assert resp.status_code == 302
    html = client.get("/accounts/profile/").content.decode()
    assert citizen.id_number_masked in html and citizen.id_number not in html
    assert citizen.phone not in html
    assert AuditRecord.objects.filter(action="auth.login", actor_label="alice").exists()


@pytest.mark.django_db
def test_login_page_wrong_password_message(client, citizen):
    resp = client.post("/accounts/login/", {"mode": "password", "pw-username": "alice", "pw-password": "bad"})
    assert resp.status_code == 200 and "账号或密码错误" in resp.content.decode()


@pytest.mark.django_db
def test_staff_login_with_totp(client, make_user, market):
    clerk = make_user("clerk", role=Role.WINDOW_CLERK, department=market)
    device = TOTPDevice.objects.create(user=clerk, name="t", confirmed=True)
    resp = client.post("/accounts/login/", {"mode": "password", "pw-username": "clerk", "pw-password": PASSWORD})
    assert resp.status_code == 302 and "/accounts/login/otp/" in resp["Location"]
    assert "_auth_user_id" not in client.session  # not logged in before the second factor
    resp = client.post("/accounts/login/otp/", {"otp": totp_now(device)})
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


@pytest.mark.django_db
def test_staff_without_verified_otp_redirected_when_2fa_required(client, make_user, market, settings):
    settings.YIWANG_STAFF_2FA_REQUIRED = True
    clerk = make_user("clerk2", role=Role.WINDOW_CLERK, department=market)
    client.force_login(clerk)
    resp = client.get("/")
    assert resp.status_code == 302 and "/accounts/login/otp/" in resp["Location"]


@pytest.mark.django_db
def test_demo_login_only_in_demo_mode(client, settings):
    from yiwang.accounts.demo import load_demo_accounts
    from yiwang.org.demo import load_demo_org

    load_demo_org()
    load_demo_accounts()
    settings.DEMO_MODE = False
    assert client.post("/accounts/login/demo/", {"username": "citizen1"}).status_code == 404
    settings.DEMO_MODE = True
    page = client.get("/accounts/login/").content.decode()
    assert "演示账号一键登录" in page and "market-reviewer" in page
    assert client.post("/accounts/login/demo/", {"username": "citizen1"}).status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="citizen1").pk)


@pytest.mark.django_db
def test_audit_viewer_only_for_audit_admin(client, make_user, county):
    auditor = make_user("aud", role=Role.AUDIT_ADMIN, region=county)
    admin = make_user("adm", role=Role.PLATFORM_ADMIN, region=county)
    client.force_login(admin)
    assert client.get("/accounts/audit/").status_code == 403
    client.force_login(auditor)
    resp = client.get("/accounts/audit/?verify=1")
    assert resp.status_code == 200 and "审计链完整" in resp.content.decode()


@pytest.mark.django_db
def test_close_account_erases_personal_data(client, citizen):
    client.force_login(citizen)
    resp = client.post("/accounts/profile/close/", {"password": PASSWORD, "confirm": "on"})
    assert resp.status_code == 302
    citizen.refresh_from_db()
    assert citizen.closed_at and not citizen.is_active and citizen.id_number == "" and citizen.phone == ""


@pytest.mark.django_db
def test_export_contains_own_data(client, citizen):
    client.force_login(citizen)
    resp = client.get("/accounts/profile/export/")
    assert resp["Content-Disposition"].startswith("attachment")
    data = resp.json()
    assert data["account"]["id_number"] == citizen.id_number and data["account"]["username"] == "alice"


@pytest.mark.django_db(transaction=True)
def test_email_is_verified_by_link(client, make_user, mailoutbox):
    user = make_user("mailer")
    client.force_login(user)
    client.post("/accounts/profile/contact/", {"email": "mailer@example.cn", "address": ""})
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["mailer@example.cn"]
    link = re.search(r"http://\S+", mailoutbox[0].body).group(0)
    user.refresh_from_db()
    assert not user.email_verified
    from urllib.parse import urlsplit

    client.get(urlsplit(link).path)
    user.refresh_from_db()
    assert user.email_verified


@pytest.mark.django_db
def test_password_reset_page_with_sms_code(client, make_user, settings):
    settings.DEMO_MODE = True
    make_user("forgetful", phone="13722223333")
    resp = client.post("/accounts/password/reset/", {"phone": "13722223333", "action": "send_code"}, follow=True)
    code = re.search(r"验证码：(\d{6})", resp.content.decode()).group(1)
    resp = client.post("/accounts/password/reset/", {"phone": "13722223333", "sms_code": "000000" if code != "000000"
                                                     else "111111", "new_password": "N3w!Passw0rd", "action": "submit"})
    assert resp.status_code == 200 and "短信验证码错误" in resp.content.decode()
    resp = client.post("/accounts/password/reset/", {"phone": "13722223333", "sms_code": code,
                                                     "new_password": "N3w!Passw0rd", "action": "submit"})
    assert resp.status_code == 302
    assert client.login(username="forgetful", password="N3w!Passw0rd")


@pytest.mark.django_db
def test_unlock_page_clears_lock(client, make_user, settings):
    from django.utils import timezone

    settings.DEMO_MODE = True
    user = make_user("lockedout", phone="13744445555")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=10))
    resp = client.post("/accounts/unlock/", {"phone": "13744445555", "action": "send_code"}, follow=True)
    code = re.search(r"验证码：(\d{6})", resp.content.decode()).group(1)
    resp = client.post("/accounts/unlock/", {"phone": "13744445555", "sms_code": code, "action": "submit"})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert not user.is_locked()
