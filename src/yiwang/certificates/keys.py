"""Signing keys: one certificate key per issuing department and one platform log key, created
on first use, private halves encrypted at rest, public halves published
(``GET /api/v1/certificates/keys``).

The signer is chosen by algorithm from software keys here; a certified signing server or HSM
(needed for 密评) would replace ``signer_for`` with an adapter implementing ``signing.Signer``.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.certificates.models import SigningKey
from yiwang.certificates.signing import (
    ALGORITHMS,
    Signer,
    SigningError,
    generate_private_key,
    software_signer,
)
from yiwang.core import audit

_signers: dict[str, Signer] = {}
_lock = threading.Lock()


def _algorithm(purpose: str) -> str:
    name = "YIWANG_LOG_KEY_ALGORITHM" if purpose == SigningKey.Purpose.LOG else "YIWANG_CERT_KEY_ALGORITHM"
    algorithm = getattr(settings, name, "SM2-SM3")
    if algorithm not in ALGORITHMS:
        raise SigningError(f"{name} 应为 {'、'.join(ALGORITHMS)} 之一。")
    return algorithm


def signer_for(key: SigningKey) -> Signer:
    """The (cached) signer of a stored key; decrypts the private key once per process."""
    with _lock:
        signer = _signers.get(key.key_id)
    if signer is None:
        signer = software_signer(key.algorithm, key.key_id, key.private_key)
        with _lock:
            _signers[key.key_id] = signer
    return signer


def _create(purpose: str, department=None, *, actor=None) -> SigningKey:
    algorithm = _algorithm(purpose)
    private = generate_private_key(algorithm)
    public = software_signer(algorithm, "new", private).public_key()
    owner = department.code if department is not None else "platform"
    key_id = f"{purpose}-{owner}-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3)}"
    key = SigningKey.objects.create(key_id=key_id, purpose=purpose, department=department, algorithm=algorithm,
                                    public_key=public, private_key=private,
                                    owner_code=(department.uscc or department.code) if department else "platform")
    audit.record("certificates.key_created", actor=actor, obj=key,
                 summary=f"生成签名密钥 {key_id}（{algorithm}）", data={"purpose": purpose, "owner": owner})
    return key


def active_key(purpose: str, department=None) -> SigningKey:
    """The active key, created when there is none yet (two first users race on the unique
    constraint; the loser reads the winner's key)."""
    found = SigningKey.objects.filter(purpose=purpose, department=department, status=SigningKey.Status.ACTIVE).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _create(purpose, department)
    except IntegrityError:
        return SigningKey.objects.get(purpose=purpose, department=department, status=SigningKey.Status.ACTIVE)


def department_signer(department) -> Signer:
    return signer_for(active_key(SigningKey.Purpose.CERTIFICATE, department))


def log_signer() -> Signer:
    return signer_for(active_key(SigningKey.Purpose.LOG))


def rotate(purpose: str, department=None, *, actor=None) -> SigningKey:
    """Retire the active key (it still verifies what it signed) and make a new one."""
    with transaction.atomic():
        old = SigningKey.objects.select_for_update().filter(purpose=purpose, department=department,
                                                            status=SigningKey.Status.ACTIVE).first()
        if old is not None:
            old.status, old.retired_at = SigningKey.Status.RETIRED, timezone.now()
            old.save(update_fields=["status", "retired_at"])
            audit.record("certificates.key_retired", actor=actor, obj=old, summary=f"停用签名密钥 {old.key_id}")
        return _create(purpose, department, actor=actor)


def published() -> dict[str, Any]:
    """The public key list, in the format the offline verifier reads."""
    rows = SigningKey.objects.select_related("department").defer("private_key").order_by("created_at", "id")
    return {"keys": [{
        "key_id": k.key_id, "algorithm": k.algorithm, "public_key": k.public_key, "purpose": k.purpose,
        "owner_name": k.department.name if k.department else "一网平台",
        "owner_code": k.owner_code or ((k.department.uscc or k.department.code) if k.department else "platform"),
        "status": k.status, "created_at": k.created_at.isoformat(),
        "retired_at": k.retired_at.isoformat() if k.retired_at else None,
    } for k in rows]}
