"""The transparency log: an append-only RFC 6962 Merkle tree of every issue, status change and
renewal, with signed tree heads and proofs (ADR 0010).

Storage: each leaf's canonical JSON (``LogEntry``), the hash of every perfect subtree
(``LogNode``; level 0 = leaf hashes) and a single ``LogState`` row holding the size, root and
frontier. An append locks that row, writes the leaf, the ⌈log n⌉ nodes it completes and the new
frontier — no leaf is ever read again. A proof reads the O(log n) perfect nodes it needs in one
query. ``verify_log`` recomputes everything from the leaves, for ``yiwang certs verify-log``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.certificates import keys, merkle
from yiwang.certificates.documents import iso_utc, sth_message, tree_head_dict
from yiwang.certificates.models import LogEntry, LogNode, LogState, SigningKey, TreeHead
from yiwang.certificates.signing import b64, canonical_json, unb64, verify
from yiwang.core.singletons import locked_singleton


def _locked_state() -> LogState:
    return locked_singleton(LogState)


def _root_of(frontier: list[bytes]) -> bytes:
    if not frontier:
        return merkle.EMPTY_ROOT
    root = frontier[-1]
    for node in reversed(frontier[:-1]):
        root = merkle.node_hash(node, root)
    return root


@dataclass(frozen=True)
class Appended:
    index: int
    leaf: dict[str, Any]
    tree_size: int
    root_hash: str


def append(leaves: list[dict[str, Any]], *, at: dt.datetime | None = None) -> list[Appended]:
    """Append leaves (dicts, hashed as canonical JSON) in the current transaction."""
    at = at or timezone.now()
    with transaction.atomic():
        state = _locked_state()
        size = state.size
        frontier = [bytes.fromhex(h) for h in state.frontier]
        entries, nodes, out = [], [], []
        for leaf in leaves:
            data = canonical_json(leaf)
            node, level, position = merkle.leaf_hash(data), 0, size
            entries.append(LogEntry(index=size, action=str(leaf.get("action", ""))[:10],
                                    identifier=str(leaf.get("identifier", ""))[:160], leaf=data.decode(),
                                    created_at=at))
            nodes.append(LogNode(level=0, position=size, hash=node))
            # Carry: every set low bit of the old size is a finished sibling to the left.
            while position & 1:
                node = merkle.node_hash(frontier.pop(), node)
                level, position = level + 1, position >> 1
                nodes.append(LogNode(level=level, position=position, hash=node))
            frontier.append(node)
            size += 1
            out.append(Appended(size - 1, leaf, size, _root_of(frontier).hex()))
        LogEntry.objects.bulk_create(entries)
        LogNode.objects.bulk_create(nodes)
        state.size, state.frontier = size, [h.hex() for h in frontier]
        state.root_hash = _root_of(frontier).hex()
        state.save(update_fields=["size", "frontier", "root_hash"])
    return out


def sign_head() -> TreeHead:
    """Sign the current (size, root) with the log key; the same size twice returns the existing head."""
    with transaction.atomic():
        state = _locked_state()
        existing = TreeHead.objects.filter(tree_size=state.size).select_related("key").first()
        if existing is not None:
            return existing
        signer = keys.log_signer()
        root = state.root_hash or merkle.EMPTY_ROOT.hex()
        stamp = iso_utc(timezone.now())
        signature = signer.sign(sth_message(state.size, root, stamp))
        return TreeHead.objects.create(tree_size=state.size, root_hash=root, timestamp=stamp,
                                       key=SigningKey.objects.get(key_id=signer.key_id), signature=b64(signature))


def head_dict(head: TreeHead) -> dict[str, Any]:
    return tree_head_dict(head.tree_size, head.root_hash, head.timestamp, head.key.key_id, head.key.algorithm,
                          head.signature)


def latest_head() -> TreeHead | None:
    return TreeHead.objects.select_related("key").defer("key__private_key").order_by("-tree_size").first()


def head_at(size: int) -> TreeHead | None:
    return TreeHead.objects.select_related("key").defer("key__private_key").filter(tree_size=size).first()


def _perfect_blocks(start: int, end: int) -> list[tuple[int, int]]:
    """(level, position) of the perfect subtrees whose RFC 6962 combination is MTH(start, end)."""
    blocks = []
    while start < end:
        size = end - start
        if size & (size - 1) == 0 and start % size == 0:
            blocks.append((size.bit_length() - 1, start // size))
            break
        k = merkle._split(size)
        blocks.append((k.bit_length() - 1, start // k))
        start += k
    return blocks


class _NodeCache:
    """Answers ``subtree(start, end)`` from stored perfect nodes, fetched in one query per proof."""

    def __init__(self) -> None:
        self.hashes: dict[tuple[int, int], bytes] = {}

    def needed(self, ranges: list[tuple[int, int]]) -> None:
        wanted = {b for s, e in ranges for b in _perfect_blocks(s, e)} - self.hashes.keys()
        if not wanted:
            return
        q = Q()
        for level, position in wanted:
            q |= Q(level=level, position=position)
        for level, position, value in LogNode.objects.filter(q).values_list("level", "position", "hash"):
            self.hashes[(level, position)] = bytes(value)
        missing = wanted - self.hashes.keys()
        if missing:
            raise LookupError(f"日志节点缺失：{sorted(missing)[:3]}")

    def subtree(self, start: int, end: int) -> bytes:
        blocks = [self.hashes[b] for b in _perfect_blocks(start, end)]
        root = blocks[-1]
        for node in reversed(blocks[:-1]):
            root = merkle.node_hash(node, root)
        return root


def _with_nodes(prove) -> list[bytes]:
    ranges: list[tuple[int, int]] = []

    def record(start: int, end: int) -> bytes:
        ranges.append((start, end))
        return b"\0" * merkle.HASH_SIZE

    prove(record)
    cache = _NodeCache()
    cache.needed(ranges)
    return prove(cache.subtree)


def inclusion(index: int, tree_size: int) -> list[str]:
    """Hex audit path of leaf ``index`` in the tree of the first ``tree_size`` leaves."""
    if not 0 <= index < tree_size:
        raise ValueError("序号超出树的大小。")
    return [h.hex() for h in _with_nodes(lambda sub: merkle.inclusion_path(index, tree_size, sub))]


def consistency(first: int, second: int) -> list[str]:
    if not 0 <= first <= second:
        raise ValueError("树的大小顺序不对。")
    if second > (LogState.objects.filter(pk=1).values_list("size", flat=True).first() or 0):
        raise ValueError("树的大小超出日志。")
    return [h.hex() for h in _with_nodes(lambda sub: merkle.consistency_path(first, second, sub))]


def check_head(head: dict[str, Any], published_keys: dict[str, SigningKey] | None = None) -> bool:
    """Whether a tree-head dict is signed by one of our log keys (not revoked)."""
    try:
        key = (published_keys or {}).get(head["key_id"]) or SigningKey.objects.filter(key_id=head["key_id"]).first()
        if key is None or key.purpose != SigningKey.Purpose.LOG or key.status == SigningKey.Status.REVOKED:
            return False
        message = sth_message(int(head["tree_size"]), str(head["root_hash"]), str(head["timestamp"]))
        return key.algorithm == head["algorithm"] and verify(key.algorithm, key.public_key, message,
                                                             unb64(head["signature"]))
    except (KeyError, TypeError, ValueError):
        return False


@dataclass
class LogCheck:
    ok: bool
    size: int
    root_hash: str
    problems: list[str] = field(default_factory=list)


def verify_log(batch: int = 5000) -> LogCheck:
    """Recompute every leaf hash, node and the root from the stored leaves; check the latest
    signed head (and every stored head's root) against them."""
    problems: list[str] = []
    state = LogState.objects.filter(pk=1).first()
    size = state.size if state else 0
    leaf_hashes: list[bytes] = []
    expected_index = 0
    for start in range(0, size, batch):
        for index, leaf in LogEntry.objects.filter(index__gte=start, index__lt=start + batch).order_by(
                "index").values_list("index", "leaf"):
            if index != expected_index:
                problems.append(f"日志序号不连续：缺少第 {expected_index} 条。")
                expected_index = index
            leaf_hashes.append(merkle.leaf_hash(leaf.encode()))
            expected_index += 1
    if len(leaf_hashes) != size:
        problems.append(f"日志应有 {size} 条，实有 {len(leaf_hashes)} 条。")
    level_hashes, level = leaf_hashes, 0
    while level_hashes:
        rows = LogNode.objects.filter(level=level).order_by("position").values_list("position", "hash")
        count = 0
        for pos, h in rows.iterator(chunk_size=10000):
            if pos >= len(level_hashes) or bytes(h) != level_hashes[pos]:
                problems.append(f"节点 ({level}, {pos}) 与叶子重算结果不符。")
                break
            count += 1
        else:
            if count != len(level_hashes):
                problems.append(f"第 {level} 层应有 {len(level_hashes)} 个节点，实有 {count} 个。")
        level_hashes = [merkle.node_hash(level_hashes[i], level_hashes[i + 1])
                        for i in range(0, len(level_hashes) - 1, 2)]
        level += 1
    # One head per append: stream (size, root) pairs, load only the latest as an object.
    heads = dict(TreeHead.objects.values_list("tree_size", "root_hash").iterator(chunk_size=10000))
    frontier: list[bytes] = []
    for size_so_far, leaf_hash in enumerate(leaf_hashes, start=1):
        node, position = leaf_hash, size_so_far - 1
        while position & 1:
            node, position = merkle.node_hash(frontier.pop(), node), position >> 1
        frontier.append(node)
        head_root = heads.get(size_so_far)
        if head_root is not None and head_root != _root_of(frontier).hex():
            problems.append(f"树头（大小 {size_so_far}）的根哈希与日志不符。")
    root = _root_of(frontier).hex()
    if state and state.root_hash != root and size:
        problems.append("日志状态中的根哈希与重算结果不符。")
    for tree_size in sorted(heads):
        if tree_size > len(leaf_hashes):
            problems.append(f"树头大小 {tree_size} 超过日志条数。")
    latest = latest_head()
    if latest is not None:
        if not check_head(head_dict(latest)):
            problems.append(f"最新树头（大小 {latest.tree_size}）签名无效。")
    return LogCheck(ok=not problems, size=size, root_hash=root, problems=problems)
