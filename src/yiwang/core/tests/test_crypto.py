"""Personal data is encrypted at rest, bound to its column, and findable only by blind index."""

import base64
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from yiwang.accounts.models import User
from yiwang.core import crypto

ID = "370812199001011234"
PHONE = "13800000001"
KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()


@pytest.fixture
def file_keyring(settings, tmp_path):
    """A private keyring file, so tests never touch the installation's keys."""
    settings.KEYS_DIR = tmp_path / "keys"
    settings.YIWANG_DATA_KEY = ""
    crypto.reset_keyring_cache()
    yield settings.KEYS_DIR / crypto.KEYRING_FILE
    crypto.reset_keyring_cache()


def raw_columns(user, *columns):
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(User._meta.db_table)} WHERE id = %s",
            [user.pk],
        )
        return cur.fetchone()


@pytest.mark.django_db
def test_id_number_is_not_in_the_raw_row_and_reads_back(file_keyring):
    user = User.objects.create(
        username="zhangsan", id_number=ID, phone=PHONE, address="山东省济宁市兖州区建设路1号"
    )
    raw_id, raw_phone, raw_address = raw_columns(user, "id_number", "phone", "address")
    for raw, plain in ((raw_id, ID), (raw_phone, PHONE), (raw_address, "建设路")):
        assert raw.startswith("v1$")
        assert plain not in raw
    assert "19900101" not in raw_id and "1234" not in raw_id.split("$")[1]
    assert crypto.key_id_of(raw_id) == crypto.keyring().active
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.id_number, fresh.phone) == (ID, PHONE)
    assert fresh.id_number_masked == "370812********1234"


@pytest.mark.django_db
def test_lookup_by_blind_index(file_keyring):
    user = User.objects.create(username="lisi", id_number="37081219900101123x", phone=PHONE)
    assert User.objects.get(id_number_index=crypto.blind_index("id_number", " 37081219900101123X ")) == user
    assert User.objects.get(phone_index=crypto.blind_index("phone", PHONE)) == user
    assert not User.objects.filter(phone_index=crypto.blind_index("phone", "13800000002")).exists()
    # The index is keyed: a plain hash of the value does not find it.
    import hashlib

    assert user.phone_index != hashlib.sha256(PHONE.encode()).hexdigest()
    # Different purposes give unrelated indexes for the same text.
    assert crypto.blind_index("phone", PHONE) != crypto.blind_index("id_number", PHONE)


@pytest.mark.django_db
def test_empty_values_stay_empty(file_keyring):
    user = User.objects.create(username="wangwu")
    assert raw_columns(user, "id_number", "id_number_index") == ("", "")
    assert User.objects.get(pk=user.pk).id_number == ""


@pytest.mark.django_db
def test_value_moved_to_another_column_fails(file_keyring):
    user = User.objects.create(username="zhaoliu", id_number=ID, phone=PHONE)
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {qn(User._meta.db_table)} SET {qn('address')} = {qn('id_number')} WHERE id = %s",
            [user.pk],
        )
    with pytest.raises(crypto.DecryptionError):
        User.objects.get(pk=user.pk)
    token = raw_columns(user, "id_number")[0]
    assert crypto.decrypt(token, "accounts.user.id_number") == ID
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, "accounts.dispute.id_number")


@pytest.mark.django_db
def test_tampered_ciphertext_fails(file_keyring):
    user = User.objects.create(username="sunqi", id_number=ID)
    token = raw_columns(user, "id_number")[0]
    prefix, kid, body = token.split("$")
    raw = bytearray(base64.b64decode(body))
    raw[15] ^= 0x01
    tampered = f"{prefix}${kid}${base64.b64encode(bytes(raw)).decode()}"
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {qn(User._meta.db_table)} SET {qn('id_number')} = %s WHERE id = %s", [tampered, user.pk]
        )
    with pytest.raises(crypto.DecryptionError):
        User.objects.get(pk=user.pk)
    for broken in (
        f"v1${kid}$!!!",
        f"v1${kid}$" + base64.b64encode(b"short").decode(),
        "plain text",
        f"v1$nokey${body}",
    ):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(broken, "accounts.user.id_number")


def test_each_encryption_uses_a_fresh_nonce(file_keyring):
    a, b = crypto.encrypt(ID, "t"), crypto.encrypt(ID, "t")
    assert a != b
    assert crypto.decrypt(a, "t") == crypto.decrypt(b, "t") == ID


def test_file_keyring_is_generated_private_and_reused(file_keyring):
    assert not file_keyring.exists()
    ring = crypto.keyring()
    assert file_keyring.exists()
    assert stat.S_IMODE(os.stat(file_keyring).st_mode) == 0o600
    assert ring.source == "file" and len(ring.keys[ring.active]) == 32
    crypto.reset_keyring_cache()
    assert crypto.keyring() == ring


def test_environment_keys_first_is_active_old_still_decrypts(settings):
    settings.YIWANG_DATA_KEY = f"old:{KEY_A}"
    old_token = crypto.encrypt(ID, "t")
    settings.YIWANG_DATA_KEY = f"new:{KEY_B}, old:{KEY_A}"
    ring = crypto.keyring()
    assert (ring.source, ring.active, sorted(ring.keys)) == ("env", "new", ["new", "old"])
    assert crypto.key_id_of(crypto.encrypt(ID, "t")) == "new"
    assert crypto.decrypt(old_token, "t") == ID
    assert crypto.blind_index("phone", PHONE) == crypto.blind_index("phone", PHONE, "new")
    assert crypto.blind_index_candidates("phone", PHONE)[1] == crypto.blind_index("phone", PHONE, "old")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "k1:notbase64!",
        f"k1:{base64.b64encode(b'short').decode()}",
        f"bad$kid:{KEY_A}",
        f"a:{KEY_A},a:{KEY_B}",
    ],
)
def test_bad_environment_keys_are_refused(value):
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_env_keys(value)


@given(plaintext=st.text(), label=st.text(min_size=1, max_size=40))
def test_round_trip_for_any_text(plaintext, label):
    with override_settings(YIWANG_DATA_KEY=f"prop:{KEY_A}"):
        token = crypto.encrypt(plaintext, label)
        assert token.startswith("v1$prop$")
        assert crypto.decrypt(token, label) == plaintext
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token, label + "x")
