"""Bench data for the certificate log: a transparency log of N entries written in bulk (leaves,
every perfect-subtree node and the frontier, exactly as ``log.append`` would leave them), a
sample of certificate rows pointing into it, and a signed tree head at size N.

Why not ``issuing.issue`` N times: a million renders and SM2 signatures take hours; what the
verify bench needs is a log of that size and certificates that are in it. ``verify_log`` checks
the result like any other log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator

from django.db import connection, transaction
from django.utils import timezone

from yiwang.certificates import keys, log, merkle
from yiwang.certificates.documents import ID_TYPE_PERSON, log_leaf
from yiwang.certificates.models import Certificate, CertificateType, LogEntry, LogNode, LogState, SigningKey
from yiwang.certificates.signing import canonical_json
from yiwang.core.identifiers import make_certificate_identifier

BENCH_TYPE = "BENCHZ"


def _bench_type() -> CertificateType:
    from yiwang.org.models import Department

    dept = Department.objects.exclude(uscc="").order_by("id").first()
    if dept is None:
        from yiwang.org.demo import load_demo_org

        load_demo_org()
        dept = Department.objects.exclude(uscc="").order_by("id").first()
    found, _ = CertificateType.objects.get_or_create(code=BENCH_TYPE, defaults={
        "name": "压测证照", "department": dept, "holder_kind": CertificateType.HolderKind.PERSON})
    return found


def identifier_for(cert_type: CertificateType, index: int) -> str:
    return make_certificate_identifier(cert_type.code, cert_type.department.uscc, f"9{index:09d}", 1)


def _leaves(cert_type: CertificateType, n: int, at: dt.datetime) -> Iterator[tuple[int, str, str]]:
    for i in range(n):
        ident = identifier_for(cert_type, i)
        leaf = log_leaf("issue", ident, hashlib.sha256(ident.encode()).hexdigest(), at)
        yield i, ident, canonical_json(leaf).decode()


def _copy(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def seed_log(n: int, *, certificates: int = 10000, log_progress: Callable[[str], None] = print) -> list[str]:
    """Make the log hold ``n`` entries (only into an empty log); returns the identifiers that have
    certificate rows. PostgreSQL only (COPY)."""
    cert_type = _bench_type()
    state = LogState.objects.filter(pk=1).first()
    every = max(1, n // max(1, certificates))
    if state is not None and state.size:
        if state.size < n:
            raise RuntimeError(f"日志已有 {state.size} 条，压测数据只能写入空日志。")
        return list(Certificate.objects.filter(type=cert_type).values_list("identifier", flat=True))
    at = timezone.now()
    frontier: list[bytes] = []
    nodes: list[tuple[int, int, bytes]] = []
    sampled: list[tuple[int, str]] = []

    def entries():
        for i, ident, leaf in _leaves(cert_type, n, at):
            node, level, position = merkle.leaf_hash(leaf.encode()), 0, i
            nodes.append((0, i, node))
            while position & 1:
                node = merkle.node_hash(frontier.pop(), node)
                level, position = level + 1, position >> 1
                nodes.append((level, position, node))
            frontier.append(node)
            if i % every == 0:
                sampled.append((i, ident))
            if i and i % 200000 == 0:
                log_progress(f"日志 {i:,} 条")
            yield (i, "issue", ident, leaf, at)

    with transaction.atomic():
        _copy(LogEntry._meta.db_table, ["index", "action", "identifier", "leaf", "created_at"], entries())
        _copy(LogNode._meta.db_table, ["level", "position", "hash"], iter(nodes))
        LogState.objects.update_or_create(pk=1, defaults={
            "size": n, "frontier": [h.hex() for h in frontier], "root_hash": log._root_of(frontier).hex()})
        _certificates(cert_type, sampled, at)
        log.sign_head()
    log_progress(f"日志 {n:,} 条，节点 {len(nodes):,} 个，证照 {len(sampled):,} 个")
    return [ident for _i, ident in sampled]


def _certificates(cert_type: CertificateType, sampled: list[tuple[int, str]], at: dt.datetime) -> None:
    from yiwang.accounts.models import User

    holder, _ = User.objects.get_or_create(username="bench-holder", defaults={"name": "压测持证人"})
    key = keys.active_key(SigningKey.Purpose.CERTIFICATE, cert_type.department)
    envelope = "{}"
    Certificate.objects.bulk_create([Certificate(
        type=cert_type, identifier=ident, serial=f"9{i:09d}", version="001", department=cert_type.department,
        holder_user=holder, holder_name="压测持证人", holder_id_type=ID_TYPE_PERSON, holder_masked="370812********0018",
        issued_at=at, valid_from=at.date(), envelope=envelope, key=key, signature_checked=True, pdf_sha256="",
        log_index=i) for i, ident in sampled], batch_size=2000)
