"""Append-only, hash-chained audit log.

Mechanism (ADR 0003): a single locked chain head. ``record()`` runs inside the caller's
transaction, locks the head row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE
transactions already hold the write lock), takes the next sequence number, chains the hash and
updates the head. Records therefore commit strictly in sequence, and ``verify()`` can read the head
and every record up to it while the server keeps writing.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from yiwang.core.clock import iso, now
from yiwang.core.models import AuditChainHead, AuditRecord

GENESIS = "0" * 64

# The request middleware sets these so service functions need not pass them around.
current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("audit_ip", default="")


def _canonical(record: AuditRecord) -> bytes:
    body = {
        "seq": record.seq,
        "created_at": iso(record.created_at),
        "actor_id": record.actor_id,
        "actor_label": record.actor_label,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "summary": record.summary,
        "data": record.data,
        "ip": record.ip,
        "prev_hash": record.prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def compute_hash(record: AuditRecord) -> str:
    return hashlib.sha256(_canonical(record)).hexdigest()


def _actor(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "pk", None):
        return None, "系统" if actor is None else "匿名"
    return actor.pk, getattr(actor, "username", str(actor))[:150]


def record(
    action: str,
    *,
    actor=None,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditRecord:
    """Append one audit record in the current transaction (opening one if needed)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    actor_id, actor_label = _actor(actor)
    clean = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS)
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        rec = AuditRecord(
            seq=head.last_seq + 1,
            created_at=now().replace(microsecond=0),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            summary=summary[:500],
            data=clean,
            ip=(ip if ip is not None else current_ip.get())[:64],
            prev_hash=head.last_hash,
        )
        rec.hash = compute_hash(rec)
        rec.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(last_seq=rec.seq, last_hash=rec.hash)
    return rec


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify(batch: int = 2000) -> VerifyResult:
    """Walk the chain from the genesis to the head read at the start."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if AuditRecord.objects.exists():
            return VerifyResult(False, 0, AuditRecord.objects.order_by("seq").first().seq, "链头缺失")
        return VerifyResult(True, 0)
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    last_seq = head.last_seq
    while expected_seq <= last_seq:
        rows = list(
            AuditRecord.objects.filter(seq__gte=expected_seq, seq__lte=last_seq).order_by("seq")[:batch]
        )
        if not rows:
            return VerifyResult(False, checked, expected_seq, f"记录 {expected_seq} 缺失（被删除）")
        for rec in rows:
            if rec.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, f"记录 {expected_seq} 缺失（被删除）")
            if rec.prev_hash != prev_hash:
                return VerifyResult(False, checked, rec.seq, f"记录 {rec.seq} 的前一条哈希不符")
            if compute_hash(rec) != rec.hash:
                return VerifyResult(False, checked, rec.seq, f"记录 {rec.seq} 的内容被修改")
            prev_hash, expected_seq, checked = rec.hash, expected_seq + 1, checked + 1
    if prev_hash != head.last_hash:
        return VerifyResult(False, checked, last_seq, "链头哈希与最后一条记录不符")
    return VerifyResult(True, checked)
