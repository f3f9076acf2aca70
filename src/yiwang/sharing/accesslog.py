"""The hash-chained log of every read through the exchange (allowed or refused).

Why its own chain beside the audit log: it is the citizen's 我的数据使用记录 and the providers'
evidence of lawful use, read far more often than the audit log; the same construction (a locked
head row, SHA-256 over the canonical record and the previous hash) makes a deleted or edited
record detectable by ``verify``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yiwang.core.singletons import locked_singleton
from yiwang.sharing.models import AccessChainHead, AccessRecord

GENESIS = "0" * 64


def _canonical(r: AccessRecord) -> bytes:
    body = {
        "seq": r.seq, "created_at": r.created_at.isoformat(), "consumer": r.consumer_id, "user": r.user_id,
        "user_label": r.user_label, "resource": r.resource_id, "grant": r.grant_id, "purpose": r.purpose,
        "case_number": r.case_number, "subject_index": r.subject_index, "subject_masked": r.subject_masked,
        "items": list(r.items), "result": r.result, "reason": r.reason, "prev_hash": r.prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(r: AccessRecord) -> str:
    return hashlib.sha256(_canonical(r)).hexdigest()


def append(record: AccessRecord) -> AccessRecord:
    """Seal and store one record (in the caller's transaction, or its own)."""
    with transaction.atomic():
        head = locked_singleton(AccessChainHead, last_seq=0, last_hash=GENESIS)
        record.seq, record.prev_hash = head.last_seq + 1, head.last_hash
        record.created_at = timezone.now().replace(microsecond=0)
        record.hash = compute_hash(record)
        record.save(force_insert=True)
        head.last_seq, head.last_hash = record.seq, record.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return record


@dataclass
class ChainCheck:
    ok: bool
    checked: int
    first_bad_seq: int | None = None


def verify(batch: int = 5000) -> ChainCheck:
    prev, expected, checked = GENESIS, 1, 0
    rows = AccessRecord.objects.order_by("seq")
    for r in rows.iterator(chunk_size=batch):
        if r.seq != expected or r.prev_hash != prev or compute_hash(r) != r.hash:
            return ChainCheck(False, checked, r.seq)
        prev, expected, checked = r.hash, expected + 1, checked + 1
    head = AccessChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev):
        return ChainCheck(False, checked, checked + 1)
    return ChainCheck(True, checked)
