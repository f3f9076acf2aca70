"""RFC 6962 Merkle tree hashing and proofs: the storage-independent core of the certificate log.

Why a separate pure module: the transparency log (issue 7) stores leaves and subtree hashes in a
table, but the maths must be checkable on its own against the published RFC 6962 vectors and
usable by any verifier (a citizen's app, an auditor) without Django.

Proof generation takes a ``subtree(start, end) -> bytes`` callable (the MTH of leaves
``[start, end)``) so a storage layer can answer from cached node hashes instead of loading every
leaf; the list-taking functions are conveniences on top. Verification never raises: anything
malformed or forged simply yields ``False``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
#: MTH({}) — the root of the empty tree is the hash of the empty string (RFC 6962 §2.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()

Subtree = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    """Hash of a log entry; the 0x00 prefix keeps a leaf from ever passing for an inner node."""
    return hashlib.sha256(LEAF_PREFIX + bytes(data)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash of an inner node; the 0x01 prefix is the second half of the second-preimage defence."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(size: int) -> int:
    """Largest power of two strictly below ``size`` (size ≥ 2): where RFC 6962 cuts a tree."""
    return 1 << ((size - 1).bit_length() - 1)


def subtree_root(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH of ``leaf_hashes[start:end]``, computed from the leaf hashes (O(end - start))."""
    size = end - start
    if size == 0:
        return EMPTY_ROOT
    if size == 1:
        return leaf_hashes[start]
    k = _split(size)
    return node_hash(subtree_root(leaf_hashes, start, start + k), subtree_root(leaf_hashes, start + k, end))


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """Tree head hash (MTH) of a list of leaf hashes."""
    return subtree_root(leaf_hashes, 0, len(leaf_hashes))


def _check_sizes(*values: int) -> None:
    for v in values:
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise ValueError(f"expected a non-negative integer, got {v!r}")


def inclusion_path(index: int, size: int, subtree: Subtree) -> list[bytes]:
    """PATH(index, D[size]) of RFC 6962 §2.1.1, asking ``subtree`` for ⌈log2 size⌉ hashes at most.

    Walks down from the root, keeping the sibling of the half that holds the leaf; the list is
    returned leaf-side first, as the RFC orders it.
    """
    _check_sizes(index, size)
    if index >= size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    path = []
    lo, hi = 0, size
    while hi - lo > 1:
        mid = lo + _split(hi - lo)
        if index < mid:
            path.append(subtree(mid, hi))
            hi = mid
        else:
            path.append(subtree(lo, mid))
            lo = mid
    path.reverse()
    return path


def consistency_path(old_size: int, new_size: int, subtree: Subtree) -> list[bytes]:
    """PROOF(old_size, D[new_size]) of RFC 6962 §2.1.2, at most ⌈log2 new_size⌉ + 1 hashes.

    Empty when there is nothing to prove (old size 0 or equal sizes). Walks down the new tree
    along the old tree's right edge; the old tree's last complete subtree is only included when
    it is not the old root itself (the verifier already has that).
    """
    _check_sizes(old_size, new_size)
    if old_size > new_size:
        raise ValueError(f"old size {old_size} is larger than new size {new_size}")
    if old_size in (0, new_size):
        return []
    proof = []
    lo, hi = 0, new_size
    is_old_root = True
    while old_size != hi:
        mid = lo + _split(hi - lo)
        if old_size <= mid:
            proof.append(subtree(mid, hi))
            hi = mid
        else:
            proof.append(subtree(lo, mid))
            lo = mid
            is_old_root = False
    if not is_old_root:
        proof.append(subtree(lo, hi))
    proof.reverse()
    return proof


def _list_subtree(leaf_hashes: Sequence[bytes]) -> Subtree:
    return lambda start, end: subtree_root(leaf_hashes, start, end)


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Inclusion proof for ``leaf_hashes[index]`` in the tree of all ``leaf_hashes``."""
    return inclusion_path(index, len(leaf_hashes), _list_subtree(leaf_hashes))


def consistency_proof(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Proof that the tree of the first ``old_size`` leaves is a prefix of the tree of all of them."""
    return consistency_path(old_size, len(leaf_hashes), _list_subtree(leaf_hashes))


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes | bytearray) and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_path(proof: object) -> bool:
    return (
        isinstance(proof, Sequence)
        and not isinstance(proof, bytes | bytearray | str)
        and all(_is_hash(p) for p in proof)
    )


def verify_inclusion(
    leaf: bytes, index: int, tree_size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """Whether ``proof`` shows leaf hash ``leaf`` at ``index`` under ``root_hash`` (RFC 9162 §2.1.3.2).

    Recomputes the root bottom-up; ``fn``/``sn`` track the node's and the last node's positions
    so right-edge nodes without a sibling are skipped and every proof hash must be consumed.
    """
    if not (_is_hash(leaf) and _is_hash(root_hash) and _is_size(index) and _is_size(tree_size)):
        return False
    if index >= tree_size or not _is_path(proof):
        return False
    fn, sn = index, tree_size - 1
    r = bytes(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(bytes(p), r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, bytes(p))
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the old tree head is a prefix of the new one (RFC 9162 §2.1.4.2).

    Rebuilds both roots from the same path: hashes left of the old tree's edge feed both, hashes
    to its right only the new one. An empty old tree is consistent with anything, but its root
    must still be the empty-tree hash so a forged old head is not waved through.
    """
    if not (_is_size(old_size) and _is_size(new_size) and _is_hash(old_root) and _is_hash(new_root)):
        return False
    if old_size > new_size or not _is_path(proof):
        return False
    if old_size == 0:
        return len(proof) == 0 and old_root == EMPTY_ROOT
    if old_size == new_size:
        return len(proof) == 0 and old_root == new_root
    path = [bytes(p) for p in proof]
    if not path:
        return False
    if old_size & (old_size - 1) == 0:
        path.insert(0, bytes(old_root))
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
