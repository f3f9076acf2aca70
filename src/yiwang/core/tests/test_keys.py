"""`yiwang keys rotate|status`: everything re-encrypted under the new key, look-ups keep working."""

import base64
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from yiwang.accounts.models import DevSmsMessage, IdentityDispute, User
from yiwang.core import crypto, keyrotation
from yiwang.core.models import AuditRecord

pytestmark = pytest.mark.django_db

KEY_OLD = base64.b64encode(b"o" * 32).decode()
KEY_NEW = base64.b64encode(b"n" * 32).decode()
PEOPLE = [("370812199001011234", "13800000001"), ("37081219850202456X", "13800000002")]


@pytest.fixture
def file_keyring(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    settings.YIWANG_DATA_KEY = ""
    crypto.reset_keyring_cache()
    yield settings.KEYS_DIR / crypto.KEYRING_FILE
    crypto.reset_keyring_cache()


@pytest.fixture
def env_keyring(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    settings.YIWANG_DATA_KEY = f"old:{KEY_OLD}"
    crypto.reset_keyring_cache()
    yield settings
    crypto.reset_keyring_cache()


def make_data():
    users = [
        User.objects.create(username=f"u{n}", id_number=idn, phone=phone, address="兖州区九州中路")
        for n, (idn, phone) in enumerate(PEOPLE)
    ]
    User.objects.create(username="empty")  # empty values stay empty and unindexed
    dispute = IdentityDispute.objects.create(id_number=PEOPLE[0][0], name="张三", phone="13900000009")
    sms = DevSmsMessage.objects.create(phone_masked="138****0001", phone=PEOPLE[0][1], text="验证码 123456")
    return users, dispute, sms


def raw(model, column, pk):
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT {qn(column)} FROM {qn(model._meta.db_table)} WHERE id = %s", [pk])
        return cur.fetchone()[0]


def run(*args) -> str:
    out = StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def assert_everything_under(kid, users, dispute, sms):
    for user, (idn, phone) in zip(users, PEOPLE, strict=True):
        for column in ("id_number", "phone", "address"):
            assert raw(User, column, user.pk).startswith(f"v1${kid}$")
        fresh = User.objects.get(pk=user.pk)
        assert (fresh.id_number, fresh.phone, fresh.address) == (idn, phone, "兖州区九州中路")
        assert User.objects.get(id_number_index=crypto.blind_index("id_number", idn)) == user
        assert User.objects.get(phone_index=crypto.blind_index("phone", phone)) == user
    assert raw(IdentityDispute, "id_number", dispute.pk).startswith(f"v1${kid}$")
    assert (
        IdentityDispute.objects.get(id_number_index=crypto.blind_index("id_number", PEOPLE[0][0])) == dispute
    )
    assert raw(DevSmsMessage, "phone", sms.pk).startswith(f"v1${kid}$")
    assert DevSmsMessage.objects.get(pk=sms.pk).phone == PEOPLE[0][1]
    assert User.objects.get(username="empty").id_number_index == ""


def test_models_are_discovered_generically():
    found = {
        pm.label: ([f.name for f in pm.encrypted], [f.name for f in pm.indexes])
        for pm in keyrotation.protected_models()
    }
    assert found["accounts.User"] == (["id_number", "phone", "address"], ["id_number_index", "phone_index"])
    assert found["accounts.IdentityDispute"] == (["id_number", "phone"], ["id_number_index"])
    assert found["accounts.DevSmsMessage"] == (["phone"], [])


def test_rotate_in_file_mode(file_keyring):
    users, dispute, sms = make_data()
    old = crypto.keyring().active
    old_index = User.objects.get(pk=users[0].pk).phone_index
    old_token = raw(User, "id_number", users[0].pk)

    out = run("rotate")

    data = json.loads(file_keyring.read_text())
    new = data["active"]
    assert new != old and set(data["keys"]) == {old, new}  # old key kept for old backups
    assert f"已生成新密钥 {new}" in out
    # 2 users × 3 + dispute × 2 + sms × 1 values; 2 users × 2 + dispute × 1 indexes.
    assert "重新加密 9 个值，更新盲索引 5 个" in out
    assert_everything_under(new, users, dispute, sms)
    assert User.objects.get(pk=users[0].pk).phone_index != old_index
    assert crypto.decrypt(old_token, "accounts.user.id_number") == PEOPLE[0][0]
    rec = AuditRecord.objects.get(action="keys.rotated")
    assert rec.data["previous"] == old and rec.data["active"] == new

    run("rotate", "--batch-size", "1")  # again, one row per batch
    data = json.loads(file_keyring.read_text())
    assert len(data["keys"]) == 3
    assert_everything_under(data["active"], users, dispute, sms)


def test_rotate_in_environment_mode(env_keyring):
    users, dispute, sms = make_data()
    assert raw(User, "phone", users[0].pk).startswith("v1$old$")
    env_keyring.YIWANG_DATA_KEY = f"new:{KEY_NEW},old:{KEY_OLD}"  # the operator put the new key first

    out = run("rotate")

    assert "YIWANG_DATA_KEY 的第一位" in out
    assert "重新加密 9 个值" in out
    assert not crypto.keyring_path().exists()  # nothing generated in environment mode
    assert_everything_under("new", users, dispute, sms)
    assert "重新加密 0 个值，更新盲索引 0 个" in run("rotate")  # idempotent


def test_rotate_refuses_when_a_key_is_missing_and_changes_nothing(env_keyring):
    users, _, _ = make_data()
    before = raw(User, "id_number", users[0].pk)
    env_keyring.YIWANG_DATA_KEY = f"new:{KEY_NEW}"  # the old key was dropped by mistake
    with pytest.raises(CommandError, match="数据未改动"):
        run("rotate")
    assert raw(User, "id_number", users[0].pk) == before
    assert not AuditRecord.objects.filter(action="keys.rotated").exists()


def test_status_counts_values_per_key(env_keyring):
    make_data()
    env_keyring.YIWANG_DATA_KEY = f"new:{KEY_NEW},old:{KEY_OLD}"
    out = run("status")
    assert "当前密钥：new" in out
    assert "old: 9" in out and "new: 0" in out
    assert "accounts.User.id_number: old=2" in out
    assert "有 9 个值不在当前密钥下" in out
    run("rotate")
    out = run("status")
    assert "new: 9" in out and "old: 0" in out and "全部数据都在当前密钥下" in out
    env_keyring.YIWANG_DATA_KEY = f"newer:{KEY_OLD}"
    assert "密钥环中没有此密钥" in run("status")


def test_generate_prints_a_usable_key():
    line = run("generate").strip()
    ring = crypto.parse_env_keys(line)
    assert len(ring.keys[ring.active]) == 32


def test_rotate_encrypts_legacy_plaintext(env_keyring):
    user = User.objects.create(username="legacy")
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {qn(User._meta.db_table)} SET {qn('phone')} = %s WHERE id = %s", ["13800000003", user.pk]
        )
    assert "（未加密）: 1" in run("status")
    run("rotate")
    assert raw(User, "phone", user.pk).startswith("v1$old$")
    assert User.objects.get(phone_index=crypto.blind_index("phone", "13800000003")) == user
