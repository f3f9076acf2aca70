"""Verifying a certificate PDF with no database and no network: the published key list and,
optionally, a signed tree head obtained separately are all it needs.

Why it stands alone: a citizen, a bank or an auditor must be able to check a certificate
without trusting our servers at the moment of checking (``yiwang certs verify``), and the
online verify page runs the very same checks before it adds the live status. Each problem is
reported as what it is, with a stable code; nothing half-checked is ever called valid.
Revocation cannot be known offline: the report says so.

Plain Chinese strings, no gettext: this module must work without Django settings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from yiwang.certificates import merkle
from yiwang.certificates.documents import (
    CERTIFICATE_KIND,
    ENVELOPE_KIND,
    LEAF_KIND,
    CertificateDocument,
    record_sha256,
    sth_message,
)
from yiwang.certificates.envelope import EnvelopeError, extract, only_envelope_appended, recover
from yiwang.certificates.signing import canonical_json, sha256_hex, sm3_hex, unb64, verify

PURPOSE_CERTIFICATE = "certificate"
PURPOSE_LOG = "log"
STATUS_LABELS = {"active": "在用", "retired": "已停用（仍可核验停用前的签名）", "revoked": "已吊销"}
USABLE_STATUSES = ("active", "retired")  # anything else (revoked, or unknown to us) verifies nothing
ISSUE_ACTIONS = ("issue", "renew", "change")
REVOCATION_NOTE = ("离线核验无法确认证照是否已被注销、吊销或暂停；证照的当前状态请在一网平台在线核验页面"
                   "（扫描证照上的二维码）查询。")
PROBLEM_LABELS = {
    "no_envelope": "没有签名信息", "malformed": "签名信息格式错误", "pdf_modified": "文件在签发后被改动",
    "unknown_key": "签名密钥不在公钥列表中", "revoked_key": "签名密钥已吊销", "bad_signature": "签名无效",
    "log_mismatch": "日志记录与证照不符", "bad_tree_head": "树头签名无效", "not_in_log": "不能证明已记入透明日志",
    "log_forked": "日志分叉", "tree_head_unlinked": "所给树头无法与证照关联", "tree_head_too_old": "所给树头过旧",
    "expired": "已过有效期",
}
VERIFY_API = "/api/v1/certificates/verify?id={identifier}"
PROOF_API = "/api/v1/certificates/log/proof?first={first}&second={second}"

_HEX64 = re.compile(r"[0-9a-f]{64}")


class InputError(ValueError):
    """A key list or tree-head file that cannot be used: a mistake in the input, not a finding
    about the document."""


@dataclass
class OfflineReport:
    valid: bool
    identifier: str | None
    metadata: dict[str, Any] | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (code, 中文说明)
    checks: list[str] = field(default_factory=list)  # 已通过的检查
    notes: list[str] = field(default_factory=list)  # what offline checking cannot tell


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    algorithm: str
    public_key: str
    purpose: str
    status: str
    owner_name: str
    owner_code: str
    retired_at: str | None


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    algorithm: str
    signature: str

    @property
    def root(self) -> bytes:
        return bytes.fromhex(self.root_hash)


@dataclass(frozen=True)
class Proof:
    """``kind`` "inclusion": (leaf_index, tree_size); "consistency": (first, second)."""

    kind: str
    a: int
    b: int
    hashes: tuple[bytes, ...]


@dataclass(frozen=True)
class GivenHead:
    head: TreeHead
    proofs: tuple[Proof, ...]


# --- parsing -------------------------------------------------------------------------------------


def _size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("应为非负整数")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("应为字符串")
    return value


def _hash_list(value: Any) -> tuple[bytes, ...]:
    if not isinstance(value, list) or not all(isinstance(h, str) and _HEX64.fullmatch(h) for h in value):
        raise ValueError("应为 64 位十六进制哈希值的列表")
    return tuple(bytes.fromhex(h) for h in value)


def _tree_head(data: Any) -> TreeHead:
    if not isinstance(data, dict):
        raise ValueError("树头应为 JSON 对象")
    root = _text(data.get("root_hash"))
    if not _HEX64.fullmatch(root):
        raise ValueError("树头的 root_hash 应为 64 位十六进制")
    return TreeHead(_size(data.get("tree_size")), root, _text(data.get("timestamp")), _text(data.get("key_id")),
                    _text(data.get("algorithm")), _text(data.get("signature")))


def parse_keys(data: Any) -> dict[str, PublishedKey]:
    """The key list as ``GET /api/v1/certificates/keys`` publishes it; InputError otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise InputError('密钥文件应为 {"keys": [...]}，即 /api/v1/certificates/keys 的输出。')
    out: dict[str, PublishedKey] = {}
    for i, item in enumerate(data["keys"], 1):
        try:
            if not isinstance(item, dict):
                raise ValueError("应为 JSON 对象")
            key = PublishedKey(
                key_id=_text(item.get("key_id")), algorithm=_text(item.get("algorithm")),
                public_key=_text(item.get("public_key")), purpose=_text(item.get("purpose")),
                status=_text(item.get("status")), owner_name=str(item.get("owner_name") or ""),
                owner_code=str(item.get("owner_code") or ""),
                retired_at=item.get("retired_at") if isinstance(item.get("retired_at"), str) else None)
        except ValueError as exc:
            raise InputError(f"密钥文件第 {i} 个密钥格式不对（{exc}）。") from None
        if key.key_id in out:
            raise InputError(f"密钥文件中密钥 {key.key_id} 出现了两次。")
        out[key.key_id] = key
    return out


def parse_tree_head_file(data: Any) -> GivenHead:
    """A bare signed tree head, or ``{"tree_head": …}`` with an inclusion or consistency proof."""
    try:
        if isinstance(data, dict) and "tree_head" in data:
            if data["tree_head"] is None:
                raise ValueError("文件中的 tree_head 为空（平台可能未签发过该证照）")
            head = _tree_head(data["tree_head"])
            proofs = []
            inclusion = data.get("inclusion_proof")
            if inclusion is not None:
                if not isinstance(inclusion, dict):
                    raise ValueError("inclusion_proof 应为 JSON 对象")
                proofs.append(Proof("inclusion", _size(inclusion.get("leaf_index")),
                                    _size(inclusion.get("tree_size")), _hash_list(inclusion.get("hashes"))))
            consistency = data.get("consistency_proof")
            if consistency is not None:
                if not isinstance(consistency, dict):
                    raise ValueError("consistency_proof 应为 JSON 对象")
                proofs.append(Proof("consistency", _size(consistency.get("first")),
                                    _size(consistency.get("second")), _hash_list(consistency.get("hashes"))))
            return GivenHead(head, tuple(proofs))
        return GivenHead(_tree_head(data), ())
    except ValueError as exc:
        raise InputError(f"树头文件格式不对：{exc}。") from None


class _Malformed(Exception):
    pass


@dataclass(frozen=True)
class _Envelope:
    signed: dict[str, Any]
    doc: CertificateDocument
    pdf_sha256: str
    pdf_sm3: str
    pdf_length: int
    key_id: str
    algorithm: str
    signature: bytes
    leaf: dict[str, Any]
    index: int
    inclusion: tuple[bytes, ...]
    head: TreeHead


def _parse_envelope(env: dict[str, Any]) -> _Envelope:
    try:
        if env.get("kind") != ENVELOPE_KIND:
            raise ValueError(f"kind 不是 {ENVELOPE_KIND}")
        signed, sig, log = env["signed"], env["signature"], env["log"]
        if not all(isinstance(x, dict) for x in (signed, sig, log)):
            raise ValueError("signed、signature、log 应为 JSON 对象")
        if signed.get("kind") != CERTIFICATE_KIND:
            raise ValueError(f"signed.kind 不是 {CERTIFICATE_KIND}")
        doc = CertificateDocument.from_metadata(signed["metadata"])
        pdf = signed["pdf"]
        if not isinstance(pdf, dict):
            raise ValueError("signed.pdf 应为 JSON 对象")
        if not isinstance(log.get("leaf"), dict):
            raise ValueError("log.leaf 应为 JSON 对象")
        return _Envelope(
            signed=signed, doc=doc, pdf_sha256=_text(pdf.get("sha256")), pdf_sm3=_text(pdf.get("sm3")),
            pdf_length=_size(pdf.get("length")), key_id=_text(sig.get("key_id")),
            algorithm=_text(sig.get("algorithm")), signature=unb64(_text(sig.get("value"))), leaf=log["leaf"],
            index=_size(log.get("index")), inclusion=_hash_list(log.get("inclusion_proof")),
            head=_tree_head(log.get("tree_head")))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _Malformed(f"签名信息格式不对（{exc}）。") from None


# --- checking ------------------------------------------------------------------------------------


class _Run:
    def __init__(self, report: OfflineReport):
        self.report = report

    def ok(self, line: str) -> None:
        self.report.checks.append(line)

    def fail(self, code: str, message: str) -> None:
        self.report.problems.append((code, message))


def _parse_time(text: str | None) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _check_pdf(run: _Run, env: _Envelope, data: bytes, prefix: bytes) -> None:
    if len(prefix) != env.pdf_length or sha256_hex(prefix) != env.pdf_sha256 or sm3_hex(prefix) != env.pdf_sm3:
        run.fail("pdf_modified", "文件内容与签名时不一致（长度或 SHA-256/SM3 哈希不符），文件在签发后被改动过。")
        return
    run.ok(f"文件内容与签名记录一致：前 {len(prefix)} 字节的 SHA-256 与 SM3 哈希均相符。")
    if not only_envelope_appended(data, len(prefix)):
        run.fail("pdf_modified", "签发之后追加的内容改动了页面或文档结构（不只是签名信息附件），显示的内容可能不是签发的内容。")
        return
    run.ok("签发之后只追加了签名信息附件，页面内容未改动。")


def _check_signature(run: _Run, env: _Envelope, keys: dict[str, PublishedKey]) -> None:
    key = keys.get(env.key_id)
    if key is None:
        run.fail("unknown_key", f"签名密钥 {env.key_id} 不在所给的公钥列表中。")
        return
    if key.purpose != PURPOSE_CERTIFICATE:
        run.fail("unknown_key", f"密钥 {env.key_id} 不是证照签名密钥（用途：{key.purpose}）。")
        return
    if key.status not in USABLE_STATUSES:
        run.fail("revoked_key", f"签名密钥 {env.key_id}（{key.owner_name}）{_status(key)}，其签名一律不予认可。")
        return
    issuer = env.doc.issuer
    if key.owner_code and key.owner_code != issuer.code:
        run.fail("bad_signature", f"签名密钥属于“{key.owner_name}”（{key.owner_code}），"
                                  f"不是证照所写颁发机构“{issuer.name}”（{issuer.code}）的密钥。")
        return
    message = canonical_json(env.signed)
    if key.algorithm != env.algorithm or not verify(key.algorithm, key.public_key, message, env.signature):
        run.fail("bad_signature", f"证照签名无效：签名与密钥 {env.key_id} 或签名内容不符。")
        return
    retired, logged = _parse_time(key.retired_at), _parse_time(env.leaf.get("at"))
    if key.status == "retired" and retired and logged and logged > retired:
        run.fail("bad_signature", f"签名密钥 {env.key_id} 已于 {key.retired_at} 停用，而证照登记于其后。")
        return
    run.ok(f"证照签名有效：{key.algorithm}，密钥 {key.key_id}（{key.owner_name}，{_status(key)}）。")


def _status(key: PublishedKey) -> str:
    return STATUS_LABELS.get(key.status, f"状态为“{key.status}”")


def _head_signed(run: _Run, head: TreeHead, keys: dict[str, PublishedKey], which: str) -> bool:
    key = keys.get(head.key_id)
    if key is None or key.purpose != PURPOSE_LOG:
        reason = "不在公钥列表中" if key is None else f"不是日志密钥（用途：{key.purpose}）"
        run.fail("bad_tree_head", f"{which}（大小 {head.tree_size}）的签名密钥 {head.key_id} {reason}。")
        return False
    if key.status not in USABLE_STATUSES:
        run.fail("revoked_key", f"{which}的签名密钥 {head.key_id} {_status(key)}，其签名一律不予认可。")
        return False
    try:
        signature = unb64(head.signature)
    except ValueError:
        signature = b""
    message = sth_message(head.tree_size, head.root_hash, head.timestamp)
    if key.algorithm != head.algorithm or not verify(key.algorithm, key.public_key, message, signature):
        run.fail("bad_tree_head", f"{which}（大小 {head.tree_size}）的签名无效。")
        return False
    run.ok(f"{which}签名有效：大小 {head.tree_size}，时间 {head.timestamp}，日志密钥 {head.key_id}。")
    return True


def _check_log(run: _Run, env: _Envelope, keys: dict[str, PublishedKey]) -> bool:
    """The embedded log entry, tree head and inclusion proof; True when all hold."""
    leaf = env.leaf
    if (leaf.get("kind") != LEAF_KIND or leaf.get("action") not in ISSUE_ACTIONS
            or leaf.get("identifier") != env.doc.identifier or leaf.get("record_sha256") != record_sha256(env.signed)):
        run.fail("log_mismatch", "透明日志记录与证照不符（证照标识或签名内容的哈希不一致）。")
        return False
    run.ok(f"透明日志记录与证照一致（第 {env.index} 条，{leaf.get('action')}，{leaf.get('at')}）。")
    if not _head_signed(run, env.head, keys, "证照内嵌的树头"):
        return False
    leaf_hash = merkle.leaf_hash(canonical_json(leaf))
    if not merkle.verify_inclusion(leaf_hash, env.index, env.head.tree_size, env.inclusion, env.head.root):
        run.fail("not_in_log", f"包含证明无效：不能证明该证照位于大小为 {env.head.tree_size} 的日志树中。")
        return False
    run.ok(f"包含证明有效：证照是日志第 {env.index} 条，在大小为 {env.head.tree_size} 的树中。")
    return True


def _check_given_head(run: _Run, env: _Envelope, given: GivenHead, keys: dict[str, PublishedKey]) -> None:
    """Link the tree head embedded at issue to one the user obtained separately (later, from
    an independent source): same head, an inclusion proof into it, or a consistency proof."""
    head, embedded = given.head, env.head
    if not _head_signed(run, head, keys, "所给树头"):
        return
    leaf_hash = merkle.leaf_hash(canonical_json(env.leaf))
    inclusion = [p for p in given.proofs if p.kind == "inclusion" and p.a == env.index and p.b == head.tree_size]
    consistency = [p for p in given.proofs if p.kind == "consistency"
                   and (p.a, p.b) == (embedded.tree_size, head.tree_size)]
    if head.tree_size == embedded.tree_size:
        if head.root_hash != embedded.root_hash:
            run.fail("log_forked", f"所给树头与证照内嵌的树头大小相同（{head.tree_size}）而根哈希不同：日志出现分叉。")
            return
        run.ok("所给树头与证照内嵌的树头一致。")
    elif head.tree_size <= env.index or (head.tree_size < embedded.tree_size and not inclusion):
        run.fail("tree_head_too_old", f"所给树头（大小 {head.tree_size}）早于证照内嵌的树头（大小 {embedded.tree_size}），"
                                      "不能用来核验该证照；请使用证照签发之后发布的树头。")
        return
    elif not inclusion and not consistency:
        run.fail("tree_head_unlinked", (
            f"所给树头（大小 {head.tree_size}）比证照内嵌的树头（大小 {embedded.tree_size}）新，但文件中没有把两者联系起来的证明。"
            f"请把 {VERIFY_API.format(identifier=env.doc.identifier)} 的输出（含包含证明），或 "
            f"{PROOF_API.format(first=embedded.tree_size, second=head.tree_size)} 的输出（一致性证明）保存为树头文件。"))
        return
    for proof in inclusion:
        if not merkle.verify_inclusion(leaf_hash, env.index, head.tree_size, proof.hashes, head.root):
            run.fail("not_in_log", f"所给包含证明无效：不能证明该证照位于所给树头（大小 {head.tree_size}）的日志中。")
            return
        run.ok(f"所给包含证明有效：证照位于所给树头（大小 {head.tree_size}）的日志中。")
    for proof in consistency:
        if not merkle.verify_consistency(embedded.tree_size, head.tree_size, embedded.root, head.root, proof.hashes):
            run.fail("log_forked", f"一致性证明无效：证照内嵌的树头（大小 {embedded.tree_size}）不是所给树头"
                                   f"（大小 {head.tree_size}）的前缀，日志可能被改写或分叉。")
            return
        run.ok(f"一致性证明有效：证照内嵌的树头（大小 {embedded.tree_size}）是所给树头（大小 {head.tree_size}）的前缀。")


def _diagnose(data: bytes, error: EnvelopeError) -> tuple[str, str]:
    """Why no envelope could be read: when the raw bytes still hold one whose signed prefix no
    longer matches its hashes, the file was modified (a changed byte broke its structure)."""
    recovered = recover(data)
    if recovered is not None:
        try:
            env, prefix = _parse_envelope(recovered[0]), recovered[1]
        except _Malformed:
            pass
        else:
            if len(prefix) != env.pdf_length or sha256_hex(prefix) != env.pdf_sha256:
                return "pdf_modified", f"文件在签发后被改动过，结构已损坏，无法正常读取（{error}）。"
    return error.code, str(error)


def _check_validity(run: _Run, doc: CertificateDocument, today: dt.date) -> None:
    if doc.valid_until is None:
        run.ok("有效期：长期有效。")
    elif doc.valid_until < today:
        run.fail("expired", f"证照已过有效期（有效期至 {doc.valid_until.isoformat()}）。")
    else:
        run.ok(f"在有效期内（{doc.valid_from.isoformat()} 至 {doc.valid_until.isoformat()}）。")


def verify_document(pdf: bytes, keys: dict[str, Any], tree_head: dict[str, Any] | None, *,
                    today: dt.date | None = None) -> OfflineReport:
    """Check a certificate PDF against a published key list and, when given, a tree head file.
    Raises InputError for an unusable key list or tree-head file; every finding about the
    document itself is in the report."""
    key_list = parse_keys(keys)
    given = parse_tree_head_file(tree_head) if tree_head is not None else None
    report = OfflineReport(valid=False, identifier=None, metadata=None, notes=[REVOCATION_NOTE])
    run = _Run(report)
    try:
        raw, prefix = extract(pdf)
    except EnvelopeError as exc:
        run.fail(*_diagnose(pdf, exc))
        return report
    try:
        env = _parse_envelope(raw)
    except _Malformed as exc:
        run.fail("malformed", str(exc))
        return report
    report.identifier, report.metadata = env.doc.identifier, env.doc.metadata()
    run.ok(f"找到签名信息：签名覆盖文件的前 {len(prefix)} 字节。")
    _check_pdf(run, env, pdf, prefix)
    _check_signature(run, env, key_list)
    if _check_log(run, env, key_list) and given is not None:
        _check_given_head(run, env, given, key_list)
    if given is None:
        report.notes.append("未提供另行取得的树头：日志一致性只核到证照内嵌的树头。")
    _check_validity(run, env.doc, today or dt.date.today())
    report.valid = not report.problems
    return report
