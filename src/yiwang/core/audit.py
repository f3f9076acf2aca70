"""Append-only, hash-chained audit log.

Mechanism (ADR 0003): a single locked chain head. ``record()`` runs inside the caller's
transaction, locks the head row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE
transactions already hold the write lock), takes the next sequence number, chains the hash and
updates the head. Records therefore commit strictly in sequence, together with the head, and
``verify()`` can read the head and every record up to it while the server keeps writing.

The head lock serialises every writer until its transaction commits, so a long transaction
that records early holds up all the others. Inside ``with deferred():`` (placed inside the
caller's ``transaction.atomic()``) ``record()`` only queues its record; the block's end locks the
head once and appends the queue, the last thing before the commit. Same chain, same order of
the records within a transaction, a much shorter hold on the head.

The ORM refuses to change or delete a record (signal receivers below); changes made with SQL
behind its back are what ``yiwang audit verify`` finds.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, transaction
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from yiwang.core.clock import iso, now
from yiwang.core.models import AuditChainHead, AuditRecord

GENESIS = "0" * 64

# The request middleware sets these so service functions need not pass them around.
current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("audit_ip", default="")
# Records queued by an open ``deferred()`` block (None outside one).
_queued: contextvars.ContextVar[list[AuditRecord] | None] = contextvars.ContextVar("audit_queue", default=None)


class AuditLogImmutable(RuntimeError):
    """Raised when code tries to change or delete an audit record through the ORM."""


@receiver(pre_save, sender=AuditRecord, dispatch_uid="yiwang.core.audit.no_update")
def _refuse_update(sender, instance: AuditRecord, **kwargs) -> None:
    # record() always inserts a fresh instance; anything with a primary key is an edit.
    if instance.pk is not None or not instance._state.adding:
        raise AuditLogImmutable("审计日志只能追加，不能修改。")


@receiver(pre_delete, sender=AuditRecord, dispatch_uid="yiwang.core.audit.no_delete")
@receiver(pre_delete, sender=AuditChainHead, dispatch_uid="yiwang.core.audit.no_delete_head")
def _refuse_delete(sender, instance, **kwargs) -> None:
    raise AuditLogImmutable("审计日志只能追加，不能删除。")


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
    return json.dumps(
        body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode()


def compute_hash(record: AuditRecord) -> str:
    return hashlib.sha256(_canonical(record)).hexdigest()


def _actor(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "pk", None):
        return None, "系统" if actor is None else "匿名"
    return actor.pk, getattr(actor, "username", str(actor))[:150]


def _locked_head(using: str) -> tuple[int, str]:
    """Lock the chain head and return its (last_seq, last_hash). A plain statement: it runs at
    the end of every writing transaction."""
    conn = connections[using]
    table = conn.ops.quote_name(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if conn.features.has_select_for_update else ""
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT last_seq, last_hash FROM {table} WHERE id = 1{lock}")
        row = cursor.fetchone()
        if row is None:
            # First record ever: two writers may race to create the head; the loser's insert fails
            # inside its savepoint and it then waits for the winner's lock like everybody else.
            try:
                with transaction.atomic(using=using):
                    AuditChainHead.objects.using(using).create(pk=1, last_seq=0, last_hash=GENESIS)
            except IntegrityError:
                pass
            cursor.execute(f"SELECT last_seq, last_hash FROM {table} WHERE id = 1{lock}")
            row = cursor.fetchone()
    return row[0], row[1]


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
    using: str = "default",
) -> AuditRecord:
    """Append one audit record in the current transaction (opening one if needed). Inside a
    ``deferred()`` block the record is queued and written (seq, hash) when the block ends."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    actor_id, actor_label = _actor(actor)
    # Round-trip through JSON so the hash is computed over exactly what the database returns.
    clean = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    rec = AuditRecord(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action[:100],
        object_type=object_type[:100],
        object_id=str(object_id or "")[:100],
        summary=summary[:500],
        data=clean,
        ip=(ip if ip is not None else current_ip.get())[:64],
    )
    queue = _queued.get()
    if queue is not None and using == "default":
        queue.append(rec)
        return rec
    with transaction.atomic(using=using):
        _append([rec], using)
    return rec


def _append(recs: list[AuditRecord], using: str) -> None:
    """Lock the head, chain ``recs`` onto it in order, insert them and move the head."""
    seq, prev_hash = _locked_head(using)
    created_at = now().replace(microsecond=0)  # taken under the lock: times never go back along the chain
    for rec in recs:
        seq += 1
        rec.seq, rec.created_at, rec.prev_hash = seq, created_at, prev_hash
        rec.hash = prev_hash = compute_hash(rec)
    if len(recs) == 1:
        recs[0].save(force_insert=True, using=using)
    else:
        AuditRecord.objects.using(using).bulk_create(recs)
    conn = connections[using]
    with conn.cursor() as cursor:
        cursor.execute(f"UPDATE {conn.ops.quote_name(AuditChainHead._meta.db_table)} SET last_seq = %s, "
                       "last_hash = %s WHERE id = 1", [seq, prev_hash])


@contextlib.contextmanager
def deferred():
    """Queue the ``record()`` calls made inside the block and append them at its end, so the
    chain head is locked only for the last statements before the commit. Use it inside the
    caller's ``transaction.atomic()`` (``with transaction.atomic(), audit.deferred():``). When
    the block raises, the queue is dropped with the transaction. A savepoint rolled back inside
    the block does not drop its queued records: keep ``record()`` out of such savepoints. Nested
    blocks write at the end of the outermost one."""
    if _queued.get() is not None:
        yield
        return
    queue: list[AuditRecord] = []
    token = _queued.set(queue)
    try:
        yield
    finally:
        _queued.reset(token)
    if queue:
        # Already inside the caller's transaction: no savepoint (a failure here fails it anyway).
        with transaction.atomic(savepoint=False):
            _append(queue, "default")


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify(batch: int = 2000, using: str = "default") -> VerifyResult:
    """Walk the chain from the genesis to the head read at the start.

    Records beyond that head may be committed meanwhile by a running server; they are left for
    the next run. A record beyond the *current* head, however, can only be a forgery or a sign
    that the head was rolled back, since a record and its head update commit together.
    """
    heads, records = AuditChainHead.objects.using(using), AuditRecord.objects.using(using)
    head = heads.filter(pk=1).first()
    if head is None:
        first = records.order_by("seq").values_list("seq", flat=True).first()
        if first is None:
            return VerifyResult(True, 0)
        head = heads.filter(pk=1).first()  # the very first writer may have committed meanwhile
        if head is None:
            return VerifyResult(False, 0, first, "链头缺失")
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    last_seq = head.last_seq
    while expected_seq <= last_seq:
        rows = list(records.filter(seq__gte=expected_seq, seq__lte=last_seq).order_by("seq")[:batch])
        if not rows:
            return VerifyResult(False, checked, expected_seq, f"记录 {expected_seq} 缺失（被删除）")
        for rec in rows:
            if rec.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, f"记录 {expected_seq} 缺失（被删除）")
            if rec.prev_hash != prev_hash:
                return VerifyResult(
                    False, checked, rec.seq, f"记录 {rec.seq} 的前一条哈希不符（上一条被改写）"
                )
            if compute_hash(rec) != rec.hash:
                return VerifyResult(False, checked, rec.seq, f"记录 {rec.seq} 的内容被修改")
            prev_hash, expected_seq, checked = rec.hash, expected_seq + 1, checked + 1
    if prev_hash != head.last_hash:
        return VerifyResult(False, checked, last_seq or None, f"链头哈希与记录 {last_seq} 不符")
    # Order matters: the highest seq first, then the head (which can only have grown since).
    highest = records.order_by("-seq").values_list("seq", flat=True).first()
    current = heads.filter(pk=1).values_list("last_seq", flat=True).first()
    if highest is not None and (current is None or highest > current):
        bad = (current or 0) + 1
        return VerifyResult(False, checked, bad, f"记录 {bad} 起超出链头（链头被回退或记录被伪造）")
    return VerifyResult(True, checked)
