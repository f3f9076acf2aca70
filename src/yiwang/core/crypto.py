"""Personal-data protection: AES-256-GCM field encryption with key ids, and keyed blind indexes.

Keys live outside the database: ``YIWANG_DATA_KEY`` (``kid:base64key[,kid:base64key…]``, the
first is active) or, in the embedded setup, ``var/keys/datakeys.json`` generated on first use.
Ciphertexts are ``v1$<kid>$<base64(nonce ‖ ciphertext ‖ tag)>``; the field label is the AAD so
a value cannot be moved to another column unnoticed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
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
_lock = threading.Lock()
_cached: Keyring | None = None


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any known key."""


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes]

    def index_key(self, kid: str | None = None) -> bytes:
        key = self.keys[kid or self.active]
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"yiwang blind index").derive(key)


def _decode_key(kid: str, text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
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
        keys[kid] = _decode_key(kid, text)
        order.append(kid)
    if not order:
        raise ImproperlyConfigured("YIWANG_DATA_KEY 为空。")
    return Keyring(active=order[0], keys=keys)


def keyring_path() -> Path:
    return Path(settings.KEYS_DIR) / KEYRING_FILE


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _load_file_keyring() -> Keyring:
    path = keyring_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        kid = "k" + secrets.token_hex(4)
        write_keyring_file({"active": kid, "keys": {kid: new_key_text()}})
    data = json.loads(path.read_text())
    return Keyring(active=data["active"], keys={k: _decode_key(k, v) for k, v in data["keys"].items()})


def write_keyring_file(data: dict) -> None:
    """Write the keyring atomically with owner-only permissions."""
    path = keyring_path()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)


def keyring() -> Keyring:
    global _cached
    with _lock:
        if _cached is None:
            env = settings.YIWANG_DATA_KEY
            _cached = parse_env_keys(env) if env else _load_file_keyring()
        return _cached


def reset_keyring_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def encrypt(plaintext: str, label: str) -> str:
    ring = keyring()
    nonce = secrets.token_bytes(12)
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
    raw = base64.b64decode(body)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], label.encode()).decode()
    except Exception as exc:  # cryptography raises InvalidTag
        raise DecryptionError("密文校验失败") from exc


def normalize_for_index(value: str) -> str:
    return "".join(str(value).split()).upper()


def blind_index(purpose: str, value: str, kid: str | None = None) -> str:
    """Keyed HMAC-SHA256 of a normalised value, for exact look-ups of encrypted data."""
    msg = f"{purpose}\x00{normalize_for_index(value)}".encode()
    return hmac.new(keyring().index_key(kid), msg, hashlib.sha256).hexdigest()


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

    def pre_save(self, model_instance, add):
        raw = getattr(model_instance, self.source)
        value = blind_index(self.source, raw) if raw else ""
        setattr(model_instance, self.attname, value)
        return value
