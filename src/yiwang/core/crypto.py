"""Personal-data protection: AES-256-GCM field encryption with key ids, and keyed blind indexes.

Keys live outside the database: ``YIWANG_DATA_KEY`` (``kid:base64key[,kid:base64key…]``, the
first is active) or, in the embedded setup, ``var/keys/datakeys.json`` generated on first use.
Ciphertexts are ``v1$<kid>$<base64(nonce ‖ ciphertext ‖ tag)>``; the field label is the AAD so
a value cannot be moved to another column unnoticed. Old keys stay in the keyring after a
rotation (``yiwang keys rotate``) so that old backups still open. See ADR 0005.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "v1"
KEYRING_FILE = "datakeys.json"
NONCE_BYTES = 12
KID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# A running server notices a keyring file rewritten by ``yiwang keys rotate`` within this time.
FILE_RECHECK_SECONDS = 1.0

_lock = threading.Lock()
_cached: Keyring | None = None
_cached_sig: tuple | None = None
_checked_at = 0.0


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any known key."""


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes]
    source: str = "file"  # "env" (YIWANG_DATA_KEY) or "file" (KEYS_DIR/datakeys.json)

    def index_key(self, kid: str | None = None) -> bytes:
        return _derive_index_key(self.keys[kid or self.active])


@functools.lru_cache(maxsize=32)
def _derive_index_key(key: bytes) -> bytes:
    """The blind-index key is derived, never the encryption key itself (domain separation)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"yiwang blind index").derive(key)


def _check_kid(kid: str) -> str:
    if not KID_RE.match(kid):
        raise ImproperlyConfigured(
            f"密钥标识 {kid!r} 无效：只能含字母、数字、下划线和连字符（不超过 32 个字符）。"
        )
    return kid


def _decode_key(kid: str, text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (ValueError, binascii.Error) as exc:
        raise ImproperlyConfigured(f"数据密钥 {kid} 不是有效的 Base64。") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured(f"数据密钥 {kid} 必须是 32 字节（AES-256）。")
    return raw


def parse_env_keys(value: str) -> Keyring:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for n, part in enumerate(p for p in value.split(",") if p.strip()):
        kid, sep, text = part.strip().partition(":")
        if not sep:
            kid, text = f"env{n + 1}", part.strip()
        kid = _check_kid(kid.strip())
        if kid in keys:
            raise ImproperlyConfigured(f"YIWANG_DATA_KEY 中密钥标识 {kid} 重复。")
        keys[kid] = _decode_key(kid, text)
        order.append(kid)
    if not order:
        raise ImproperlyConfigured("YIWANG_DATA_KEY 为空。")
    return Keyring(active=order[0], keys=keys, source="env")


def keyring_path() -> Path:
    return Path(settings.KEYS_DIR) / KEYRING_FILE


def uses_env_keys() -> bool:
    """True when keys come from ``YIWANG_DATA_KEY`` (then nothing is generated or written)."""
    return bool(settings.YIWANG_DATA_KEY)


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def new_kid(existing=()) -> str:
    while True:
        kid = "k" + secrets.token_hex(4)
        if kid not in existing:
            return kid


def _atomic_write(path: Path, text: str, *, exclusive: bool = False) -> bool:
    """Write ``text`` to ``path`` through a private temp file (mode 0600), then publish it.

    ``exclusive`` publishes only if ``path`` does not exist yet (two processes starting at once
    must not each generate a different first key); returns False when somebody else won.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".datakeys-", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        if exclusive:
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            except OSError:  # a filesystem without hard links: exclusive create instead
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "w") as fh:
                    fh.write(text)
        else:
            os.replace(tmp, path)
            tmp = ""
        return True
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def read_keyring_file(path: Path | None = None) -> dict:
    path = path or keyring_path()
    try:
        data = json.loads(path.read_text())
        active, keys = data["active"], data["keys"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"密钥文件 {path} 无法读取或格式错误：{exc}") from exc
    if active not in keys:
        raise ImproperlyConfigured(f"密钥文件 {path} 中的当前密钥 {active} 不在密钥环里。")
    return data


def write_keyring_file(data: dict, path: Path | None = None) -> None:
    """Write the keyring atomically with owner-only permissions."""
    _atomic_write(path or keyring_path(), json.dumps(data, indent=2, ensure_ascii=False))


def _keyring_from_data(data: dict) -> Keyring:
    keys = {_check_kid(k): _decode_key(k, v) for k, v in data["keys"].items()}
    return Keyring(active=data["active"], keys=keys, source="file")


def _file_signature(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _load_file_keyring() -> Keyring:
    path = keyring_path()
    if not path.exists():
        kid = new_kid()
        _atomic_write(
            path, json.dumps({"active": kid, "keys": {kid: new_key_text()}}, indent=2), exclusive=True
        )
    return _keyring_from_data(read_keyring_file(path))


def keyring() -> Keyring:
    """The current keyring; re-read when the settings point elsewhere or the file changed."""
    global _cached, _cached_sig, _checked_at
    env = settings.YIWANG_DATA_KEY
    with _lock:
        if env:
            sig = ("env", env)
            if _cached is None or _cached_sig != sig:
                _cached, _cached_sig = parse_env_keys(env), sig
            return _cached
        path = keyring_path()
        now = time.monotonic()
        if (
            _cached is not None
            and _cached_sig is not None
            and _cached_sig[:2] == ("file", str(path))
            and now - _checked_at < FILE_RECHECK_SECONDS
        ):
            return _cached
        sig = ("file", str(path), _file_signature(path))
        if _cached is None or _cached_sig != sig:
            ring = _load_file_keyring()
            _cached, _cached_sig = ring, ("file", str(path), _file_signature(path))
        _checked_at = now
        return _cached


def reset_keyring_cache() -> None:
    global _cached, _cached_sig
    with _lock:
        _cached, _cached_sig = None, None


def encrypt(plaintext: str, label: str) -> str:
    ring = keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    ct = AESGCM(ring.keys[ring.active]).encrypt(nonce, plaintext.encode(), label.encode())
    return f"{PREFIX}${ring.active}${base64.b64encode(nonce + ct).decode()}"


def key_id_of(token: str) -> str | None:
    parts = token.split("$", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def decrypt(token: str, label: str) -> str:
    parts = token.split("$", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("不是加密值")
    kid, body = parts[1], parts[2]
    key = keyring().keys.get(kid)
    if key is None:
        raise DecryptionError(f"未知密钥 {kid}")
    try:
        raw = base64.b64decode(body, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise DecryptionError("密文格式错误") from exc
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionError("密文格式错误")
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], label.encode()).decode()
    except Exception as exc:  # cryptography raises InvalidTag
        raise DecryptionError("密文校验失败") from exc


def normalize_for_index(value: str) -> str:
    return "".join(str(value).split()).upper()


def blind_index(purpose: str, value: str, kid: str | None = None) -> str:
    """Keyed HMAC-SHA256 of a normalised value, for exact look-ups of encrypted data."""
    msg = f"{purpose}\x00{normalize_for_index(value)}".encode()
    return hmac.new(keyring().index_key(kid), msg, hashlib.sha256).hexdigest()


def blind_index_candidates(purpose: str, value: str) -> list[str]:
    """The value's index under every key in the ring, active first.

    For look-ups that must keep working while a rotation is in progress (``field__in=…``).
    """
    ring = keyring()
    kids = [ring.active, *(k for k in ring.keys if k != ring.active)]
    return [blind_index(purpose, value, kid) for kid in kids]


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads give plaintext, equality filters do not work —
    filter on the paired :class:`BlindIndexField` instead."""

    def __init__(self, *args, label: str | None = None, **kwargs):
        self.label = label
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.label:
            kwargs["label"] = self.label
        return name, path, args, kwargs

    def _aad(self) -> str:
        return self.label or f"{self.model._meta.label_lower}.{self.name}"

    @property
    def aad(self) -> str:
        """The label bound into every ciphertext of this column (used by key rotation)."""
        return self._aad()

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value, self._aad())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), self._aad())


class BlindIndexField(models.CharField):
    """HMAC of another field's plaintext, recomputed on every save (empty when the source is)."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for k in ("max_length", "blank", "default", "editable", "db_index"):
            kwargs.pop(k, None)
        return name, path, args, kwargs

    def compute(self, raw) -> str:
        return blind_index(self.source, raw) if raw else ""

    def pre_save(self, model_instance, add):
        value = self.compute(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
