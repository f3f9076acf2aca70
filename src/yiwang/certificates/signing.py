"""Signatures for certificates and tree heads: a ``Signer`` interface, software keys, and a
``verify`` that never raises.

Why an interface: the default signers hold software keys (SM2 with SM3 through the pure-Python
``gmssl`` package; Ed25519 through ``cryptography`` as the alternative). A deployment that must
pass 密评 (GB/T 39786) signs in a certified signing server or HSM instead; its adapter implements
``Signer`` and nothing else changes. This module needs no database, so the offline verifier uses
it as it is.

Encodings: an SM2 public key is the uncompressed point ``04‖x‖y`` in hex (130 characters), an
Ed25519 public key the 32 raw bytes in hex; signatures are raw (SM2 ``r‖s``, 64 bytes) and travel
base64-encoded in JSON.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from abc import ABC, abstractmethod
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from gmssl import func as gm_func
from gmssl import sm2 as gm_sm2
from gmssl import sm3 as gm_sm3

SM2 = "SM2-SM3"
ED25519 = "Ed25519"
ALGORITHMS = (SM2, ED25519)

_SM2_N = int(gm_sm2.default_ecc_table["n"], 16)


class SigningError(Exception):
    """A key or algorithm the platform cannot use."""


def canonical_json(obj: Any) -> bytes:
    """The bytes that get signed and hashed: sorted keys, no spaces, UTF-8 (not \\u escapes), so
    any verifier that re-serialises the same object gets the same bytes."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sm3_hex(data: bytes) -> str:
    """SM3 (GB/T 32905) through OpenSSL when it has it, else gmssl's pure-Python one (slow)."""
    try:
        return hashlib.new("sm3", data).hexdigest()
    except ValueError:  # an OpenSSL built without SM3
        return gm_sm3.sm3_hash(gm_func.bytes_to_list(data))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Strict base64 decoding; raises ValueError on anything else."""
    try:
        return base64.b64decode(str(text).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("签名不是有效的 base64 文本。") from exc


class Signer(ABC):
    """Signs with one key. ``key_id`` names the key in published key lists and signatures."""

    algorithm: str
    key_id: str

    @abstractmethod
    def sign(self, message: bytes) -> bytes: ...

    @abstractmethod
    def public_key(self) -> str: ...


class Sm2SoftwareSigner(Signer):
    """SM2 signature with SM3 (GB/T 32918.2, default user id) from a software key — not a
    certified cryptographic module."""

    algorithm = SM2

    def __init__(self, key_id: str, private_key_hex: str):
        self.key_id = key_id
        d = int(private_key_hex, 16)
        if not 1 <= d < _SM2_N - 1:
            raise SigningError("SM2 私钥超出范围。")
        self._private = f"{d:064x}"
        self._public = _sm2_public_from_private(d)
        self._crypt = _crypt(self._private, self._public)

    def sign(self, message: bytes) -> bytes:
        # gmssl's own nonce comes from ``random``; the nonce of an SM2 signature must be secret.
        k = secrets.randbelow(_SM2_N - 1) + 1
        return bytes.fromhex(self._crypt.sign_with_sm3(message, f"{k:064x}"))

    def public_key(self) -> str:
        return "04" + self._public


class Ed25519SoftwareSigner(Signer):
    """Ed25519 (RFC 8032) from a software key: the algorithm-agility alternative."""

    algorithm = ED25519

    def __init__(self, key_id: str, private_key_hex: str):
        self.key_id = key_id
        try:
            self._key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_key_hex))
        except ValueError as exc:
            raise SigningError("Ed25519 私钥无效。") from exc

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def public_key(self) -> str:
        return self._key.public_key().public_bytes_raw().hex()


def _crypt(private_hex: str, public_xy_hex: str) -> gm_sm2.CryptSM2:
    """gmssl's constructor strips the point's "04" prefix with ``lstrip("04")``, which also eats
    the leading 0s and 4s of an x coordinate starting so (about 1 key in 256 then never
    verifies): set the bare x‖y ourselves."""
    crypt = gm_sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public_xy_hex
    return crypt


def _sm2_public_from_private(d: int) -> str:
    crypt = gm_sm2.CryptSM2(private_key=f"{d:064x}", public_key="")
    return crypt._kg(d, gm_sm2.default_ecc_table["g"])


def generate_private_key(algorithm: str) -> str:
    """A new private key in hex (store it encrypted: ``core.crypto``)."""
    if algorithm == SM2:
        return f"{secrets.randbelow(_SM2_N - 2) + 1:064x}"
    if algorithm == ED25519:
        return secrets.token_bytes(32).hex()
    raise SigningError(f"不支持的签名算法：{algorithm}")


def software_signer(algorithm: str, key_id: str, private_key_hex: str) -> Signer:
    if algorithm == SM2:
        return Sm2SoftwareSigner(key_id, private_key_hex)
    if algorithm == ED25519:
        return Ed25519SoftwareSigner(key_id, private_key_hex)
    raise SigningError(f"不支持的签名算法：{algorithm}")


def verify(algorithm: str, public_key: str, message: bytes, signature: bytes) -> bool:
    """True only for a good signature; a malformed key or signature is simply False."""
    try:
        if algorithm == SM2:
            point = str(public_key)
            if len(point) != 130 or not point.startswith("04") or len(signature) != 64:
                return False
            int(point, 16)
            r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            if not (0 < r < _SM2_N and 0 < s < _SM2_N):
                return False
            crypt = _crypt("", point[2:])
            return bool(crypt.verify_with_sm3(signature.hex(), message))
        if algorithm == ED25519:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(signature, message)
            return True
    except (InvalidSignature, ValueError, TypeError, ZeroDivisionError, AttributeError):
        return False
    return False
