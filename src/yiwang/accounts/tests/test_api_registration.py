"""Registration through the API: SMS code, field errors, encryption at rest, masking."""

import pytest
from django.db import connection

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import DevSmsMessage, SmsCode, User
from yiwang.core.models import AuditRecord

GOOD_ID = demo_id_number("19900307", "123")


def post(client, url, data, **extra):
    return client.post(url, data=data, content_type="application/json", **extra)


def get_code(client, phone="13912345678", purpose="register", settings=None):
    resp = post(client, "/api/v1/auth/sms-code", {"phone": phone, "purpose": purpose})
    assert resp.status_code == 200, resp.content
    return resp.json()


def registration(**over):
    data = {"name": "李四", "id_number": GOOD_ID, "phone": "13912345678", "sms_code": "", "password": "Str0ng!Passw0rd",
            "consent": True}
    data.update(over)
    return data


@pytest.mark.django_db
def test_sms_code_in_demo_mode_returns_dev_code_and_logs_message(client, settings):
    settings.DEMO_MODE = True
    body = get_code(client)
    assert len(body["dev_code"]) == 6 and body["dev_code"].isdigit()
    assert body["expires_at"].endswith("+08:00")
    msg = DevSmsMessage.objects.get()
    assert body["dev_code"] in msg.text and msg.phone_masked == "139****5678"


@pytest.mark.django_db
def test_sms_code_outside_demo_mode_hides_code(client, settings):
    settings.DEMO_MODE = False
    assert "dev_code" not in get_code(client)


@pytest.mark.django_db
def test_sms_code_rejects_bad_phone_and_purpose(client):
    resp = post(client, "/api/v1/auth/sms-code", {"phone": "12345", "purpose": "nope"})
    assert resp.status_code == 400
    body = resp.json()
    assert set(body["fields"]) == {"phone", "purpose"} and body["code"] == "validation_error"


@pytest.mark.django_db
def test_sms_code_resend_is_rate_limited(client, settings):
    settings.DEMO_MODE = True
    get_code(client)
    resp = post(client, "/api/v1/auth/sms-code", {"phone": "13912345678", "purpose": "register"})
    assert resp.status_code == 429 and "秒后再试" in resp.json()["message"]


@pytest.mark.django_db
def test_register_happy_path_encrypts_and_masks(client, settings):
    settings.DEMO_MODE = True
    code = get_code(client)["dev_code"]
    resp = post(client, "/api/v1/auth/register", registration(sms_code=code))
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["level"] == 1
    assert body["id_number_masked"] == GOOD_ID[:6] + "********" + GOOD_ID[-4:]
    assert body["phone_masked"] == "139****5678"
    user = User.objects.get(pk=body["id"])
    assert user.id_number == GOOD_ID
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone FROM accounts_user WHERE id = %s", [user.pk])
        raw_id, raw_phone = cur.fetchone()
    assert GOOD_ID not in raw_id and raw_id.startswith("v1$")
    assert "13912345678" not in raw_phone
    assert AuditRecord.objects.filter(action="account.registered", object_id=str(user.pk)).exists()
    assert SmsCode.objects.get().used_at is not None


@pytest.mark.django_db
def test_register_bad_check_digit_names_id_number_and_saves_nothing(client, settings):
    settings.DEMO_MODE = True
    code = get_code(client)["dev_code"]
    bad = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
    resp = post(client, "/api/v1/auth/register", registration(id_number=bad, sms_code=code))
    assert resp.status_code == 400
    body = resp.json()
    assert "id_number" in body["fields"] and "校验" in body["fields"]["id_number"]
    assert not User.objects.exists()
    # the code was not consumed by a failed registration: it still works
    resp = post(client, "/api/v1/auth/register", registration(sms_code=code))
    assert resp.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [
        ("id_number", "37081219901332123X"),  # impossible birth date
        ("id_number", "3708121990030712AB"),  # bad characters
        ("password", "password"),  # weak
        ("consent", False),
        ("phone", "1391234567"),
        ("name", "x"),
    ],
)
def test_register_field_errors(client, settings, field, value):
    settings.DEMO_MODE = True
    code = get_code(client)["dev_code"]
    resp = post(client, "/api/v1/auth/register", registration(sms_code=code, **{field: value}))
    assert resp.status_code == 400
    assert field in resp.json()["fields"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_wrong_and_missing_sms_code(client, settings):
    settings.DEMO_MODE = True
    code = get_code(client)["dev_code"]
    wrong = "000000" if code != "000000" else "111111"
    resp = post(client, "/api/v1/auth/register", registration(sms_code=wrong))
    assert resp.status_code == 400 and "sms_code" in resp.json()["fields"]
    resp = post(client, "/api/v1/auth/register", registration(sms_code=""))
    assert resp.status_code == 400 and "sms_code" in resp.json()["fields"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_expired_sms_code_is_refused(client, settings):
    settings.DEMO_MODE = True
    code = get_code(client)["dev_code"]
    from django.utils import timezone

    SmsCode.objects.update(expires_at=timezone.now())
    resp = post(client, "/api/v1/auth/register", registration(sms_code=code))
    assert resp.status_code == 400 and "sms_code" in resp.json()["fields"]


@pytest.mark.django_db
def test_id_already_bound_cannot_register_again(client, settings, make_user):
    settings.DEMO_MODE = True
    make_user("holder", id_number=GOOD_ID)
    code = get_code(client)["dev_code"]
    resp = post(client, "/api/v1/auth/register", registration(sms_code=code))
    assert resp.status_code == 400
    assert "申诉" in resp.json()["fields"]["id_number"]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_malformed_json_and_wrong_types_are_400(client):
    resp = client.post("/api/v1/auth/register", data="{not json", content_type="application/json")
    assert resp.status_code == 400 and "JSON" in resp.json()["message"]
    resp = post(client, "/api/v1/auth/register", {"consent": "maybe"})
    assert resp.status_code == 400 and "consent" in resp.json()["fields"]


@pytest.mark.django_db
def test_dispute_path_for_bound_id(client, make_user):
    make_user("holder", id_number=GOOD_ID)
    resp = post(client, "/api/v1/auth/identity-disputes",
                {"name": "李四", "id_number": GOOD_ID, "phone": "13912345678", "description": "本人从未注册"})
    assert resp.status_code == 201 and resp.json()["status"] == "open"
