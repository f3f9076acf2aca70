"""RFC 6962 Merkle tree: published vectors first, then properties over random trees."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.certificates import merkle

# Test leaves and expected values published with Google's RFC 6962 reference implementations:
# transparency-dev/merkle, proof/verify_test.go (`leaves`, `roots`, `inclusionProofs`,
# `consistencyProofs`; the same vectors were in certificate-transparency and trillian before it).
# There leaf numbers in inclusionProofs are 1-based; below they are converted to 0-based indexes.
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
HASHES = [merkle.leaf_hash(d) for d in LEAVES]

ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

# (0-based leaf index, tree size, proof)
INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

# (old size, new size, proof)
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def _unhex(proof):
    return [bytes.fromhex(h) for h in proof]


def _flip(value: bytes, i: int, bit: int = 1) -> bytes:
    b = bytearray(value)
    b[i] ^= bit
    return bytes(b)


# --- hashing -------------------------------------------------------------------------------


def test_empty_tree_root_is_hash_of_empty_string():
    assert merkle.root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.EMPTY_ROOT == merkle.root([])


def test_leaf_and_node_prefixes_differ():
    a, b = HASHES[0], HASHES[1]
    assert merkle.node_hash(a, b) != merkle.leaf_hash(a + b)


@pytest.mark.parametrize("size", sorted(ROOTS))
def test_published_roots(size):
    assert merkle.root(HASHES[:size]).hex() == ROOTS[size]


# --- published proofs ------------------------------------------------------------------------


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_published_inclusion_proofs(index, size, proof):
    proof = _unhex(proof)
    root = bytes.fromhex(ROOTS[size])
    assert merkle.inclusion_proof(index, HASHES[:size]) == proof
    assert merkle.verify_inclusion(HASHES[index], index, size, proof, root)


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_published_consistency_proofs(old, new, proof):
    proof = _unhex(proof)
    old_root, new_root = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new])
    assert merkle.consistency_proof(old, HASHES[:new]) == proof
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)


@pytest.mark.parametrize(("index", "size", "proof"), [c for c in INCLUSION if c[2]])
def test_published_inclusion_proofs_resist_tampering(index, size, proof):
    proof = _unhex(proof)
    root, leaf = bytes.fromhex(ROOTS[size]), HASHES[index]
    bad = [
        (leaf, index - 1, size, proof, root),
        (leaf, index + 1, size, proof, root),
        (leaf, index ^ 2, size, proof, root),
        (leaf, index, size * 2, proof, root),
        (leaf, index, size // 2, proof, root),
        (HASHES[(index + 1) % 8], index, size, proof, root),
        (leaf, index, size, proof, merkle.EMPTY_ROOT),
        (leaf, index, size, proof, SOME_HASH),
        (leaf, index, size, [*proof, root], root),
        (leaf, index, size, [root, *proof], root),
        (leaf, index, size, [*proof, b""], root),
        (leaf, index, size, proof[:-1], root),
        (leaf, index, size, [proof[0], SOME_HASH, *proof[1:]], root),
    ]
    bad += [
        (leaf, index, size, [*proof[:i], _flip(p, 0, 8), *proof[i + 1 :]], root) for i, p in enumerate(proof)
    ]
    for args in bad:
        assert not merkle.verify_inclusion(*args), args


@pytest.mark.parametrize(("old", "new", "proof"), [c for c in CONSISTENCY if c[2]])
def test_published_consistency_proofs_resist_tampering(old, new, proof):
    proof = _unhex(proof)
    r1, r2 = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new])
    bad = [
        (old - 1, new, r1, r2, proof),
        (old + 1, new, r1, r2, proof),
        (old ^ 2, new, r1, r2, proof),
        (old, new * 2, r1, r2, proof),
        (old, new // 2, r1, r2, proof),
        (old, new, SOME_HASH, r2, proof),
        (old, new, r1, SOME_HASH, proof),
        (old, new, r2, r1, proof),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*proof, r1]),
        (old, new, r1, r2, [*proof, r2]),
        (old, new, r1, r2, [r1, *proof]),
        (old, new, r1, r2, [r2, *proof]),
        (old, new, r1, r2, [proof[0], *proof]),
        (old, new, r1, r2, proof[:-1]),
    ]
    bad += [(old, new, r1, r2, [*proof[:i], _flip(p, 0, 16), *proof[i + 1 :]]) for i, p in enumerate(proof)]
    for args in bad:
        assert not merkle.verify_consistency(*args), args


# --- which subtrees a storage layer is asked for ----------------------------------------------
# Expected ranges follow the node lists in transparency-dev/merkle proof/proof_test.go
# (TestInclusion / TestConsistency), translated from node ids to leaf ranges.


def _requested(fn, *args):
    calls = []

    def subtree(start, end):
        calls.append((start, end))
        return SOME_HASH

    fn(*args, subtree)
    return list(reversed(calls))


@pytest.mark.parametrize(
    ("index", "size", "ranges"),
    [
        (0, 7, [(1, 2), (2, 4), (4, 7)]),
        (4, 7, [(5, 6), (6, 7), (0, 4)]),
        (6, 7, [(4, 6), (0, 4)]),
        (3, 5, [(2, 3), (0, 2), (4, 5)]),
        (81, 95, [(80, 81), (82, 84), (84, 88), (88, 95), (64, 80), (0, 64)]),
    ],
)
def test_inclusion_asks_only_for_path_subtrees(index, size, ranges):
    assert _requested(merkle.inclusion_path, index, size) == ranges


@pytest.mark.parametrize(
    ("old", "new", "ranges"),
    [
        (1, 6, [(1, 2), (2, 4), (4, 6)]),
        (3, 7, [(2, 3), (3, 4), (0, 2), (4, 7)]),
        (4, 7, [(4, 7)]),
        (5, 7, [(4, 5), (5, 6), (6, 7), (0, 4)]),
        (7, 8, [(6, 7), (7, 8), (4, 6), (0, 4)]),
        (24, 31, [(16, 24), (24, 31), (0, 16)]),
    ],
)
def test_consistency_asks_only_for_proof_subtrees(old, new, ranges):
    assert _requested(merkle.consistency_path, old, new) == ranges


# --- edge cases and malformed input -----------------------------------------------------------


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 1), (8, 7), (-1, 3)])
def test_inclusion_proof_of_missing_leaf_raises(index, size):
    with pytest.raises(ValueError):
        merkle.inclusion_path(index, size, lambda s, e: SOME_HASH)


def test_consistency_proof_into_the_past_raises():
    with pytest.raises(ValueError):
        merkle.consistency_path(5, 4, lambda s, e: SOME_HASH)


def test_trivial_consistency():
    r = bytes.fromhex(ROOTS[3])
    assert merkle.consistency_proof(0, HASHES[:3]) == []
    assert merkle.verify_consistency(0, 3, merkle.EMPTY_ROOT, r, [])
    assert merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [])
    assert merkle.verify_consistency(3, 3, r, r, [])
    assert not merkle.verify_consistency(0, 3, SOME_HASH, r, [])
    assert not merkle.verify_consistency(3, 3, r, SOME_HASH, [])
    assert not merkle.verify_consistency(3, 3, r, r, [r])
    assert not merkle.verify_consistency(0, 3, merkle.EMPTY_ROOT, r, [r])


GARBAGE = [None, "", "abc", b"", b"\x00" * 31, b"\x00" * 33, 3, 1.5, [], object()]


@pytest.mark.parametrize("junk", GARBAGE)
def test_verification_rejects_garbage_without_raising(junk):
    leaf, root = HASHES[0], bytes.fromhex(ROOTS[2])
    proof = merkle.inclusion_proof(0, HASHES[:2])
    assert merkle.verify_inclusion(leaf, 0, 2, proof, root)
    assert not merkle.verify_inclusion(junk, 0, 2, proof, root)
    assert not merkle.verify_inclusion(leaf, junk, 2, proof, root)
    assert not merkle.verify_inclusion(leaf, 0, junk, proof, root)
    assert not merkle.verify_inclusion(leaf, 0, 2, junk, root)
    assert not merkle.verify_inclusion(leaf, 0, 2, [junk], root)
    assert not merkle.verify_inclusion(leaf, 0, 2, proof, junk)
    r1, r2 = bytes.fromhex(ROOTS[1]), root
    assert merkle.verify_consistency(1, 2, r1, r2, proof)
    assert not merkle.verify_consistency(junk, 2, r1, r2, proof)
    assert not merkle.verify_consistency(1, junk, r1, r2, proof)
    assert not merkle.verify_consistency(1, 2, junk, r2, proof)
    assert not merkle.verify_consistency(1, 2, r1, junk, proof)
    assert not merkle.verify_consistency(1, 2, r1, r2, junk)
    assert not merkle.verify_consistency(1, 2, r1, r2, [junk])


def test_verification_rejects_impossible_sizes():
    leaf, root = HASHES[0], bytes.fromhex(ROOTS[1])
    assert not merkle.verify_inclusion(leaf, 1, 1, [], root)
    assert not merkle.verify_inclusion(leaf, 0, 0, [], merkle.EMPTY_ROOT)
    assert not merkle.verify_inclusion(leaf, True, 2, [], root)
    assert not merkle.verify_consistency(2, 1, root, root, [])
    assert not merkle.verify_consistency(-1, 1, root, root, [])
    assert not merkle.verify_consistency(1, 2, root, root, [root] * 100)


# --- properties over random trees -------------------------------------------------------------

trees = st.lists(st.binary(max_size=12), max_size=200)
# Distinct leaves, so a leaf cannot legitimately verify at another index.
distinct_trees = st.lists(st.binary(max_size=12), max_size=200, unique=True)


class _Tree:
    """A leaf list with memoised subtree hashes, standing in for a storage layer."""

    def __init__(self, data):
        self.leaves = [merkle.leaf_hash(d) for d in data]
        self.size = len(self.leaves)
        self._cache = {}

    def subtree(self, start, end):
        key = (start, end)
        if key not in self._cache:
            size = end - start
            if size == 0:
                h = merkle.EMPTY_ROOT
            elif size == 1:
                h = self.leaves[start]
            else:
                mid = start + (1 << ((size - 1).bit_length() - 1))
                h = merkle.node_hash(self.subtree(start, mid), self.subtree(mid, end))
            self._cache[key] = h
        return self._cache[key]

    def root(self, size=None):
        return self.subtree(0, self.size if size is None else size)


def _max_len(n):
    return math.ceil(math.log2(n)) if n > 1 else 0


@settings(max_examples=60, deadline=None)
@given(trees)
def test_every_inclusion_proof_verifies(data):
    t = _Tree(data)
    root = t.root()
    assert root == merkle.root(t.leaves)
    for i in range(t.size):
        proof = merkle.inclusion_path(i, t.size, t.subtree)
        assert len(proof) <= _max_len(t.size)
        assert merkle.verify_inclusion(t.leaves[i], i, t.size, proof, root)


@settings(max_examples=60, deadline=None)
@given(trees)
def test_every_consistency_proof_verifies(data):
    t = _Tree(data)
    n = t.size
    for m in range(n + 1):
        proof = merkle.consistency_path(m, n, t.subtree)
        assert len(proof) <= _max_len(n) + 1
        assert merkle.verify_consistency(m, n, t.root(m), t.root(), proof)


@settings(max_examples=200, deadline=None)
@given(trees.filter(lambda d: len(d) >= 1), st.data())
def test_tampered_inclusion_fails(data, draw):
    t = _Tree(data)
    n = t.size
    i = draw.draw(st.integers(0, n - 1))
    leaf, root = t.leaves[i], t.root()
    proof = merkle.inclusion_path(i, n, t.subtree)
    assert merkle.verify_inclusion(leaf, i, n, proof, root)
    byte = draw.draw(st.integers(0, merkle.HASH_SIZE - 1))
    bit = 1 << draw.draw(st.integers(0, 7))
    assert not merkle.verify_inclusion(_flip(leaf, byte, bit), i, n, proof, root)
    assert not merkle.verify_inclusion(leaf, i, n, proof, _flip(root, byte, bit))
    if proof:
        k = draw.draw(st.integers(0, len(proof) - 1))
        forged = [*proof[:k], _flip(proof[k], byte, bit), *proof[k + 1 :]]
        assert not merkle.verify_inclusion(leaf, i, n, forged, root)
        assert not merkle.verify_inclusion(leaf, i, n, proof[:-1], root)
    assert not merkle.verify_inclusion(leaf, i, n, [*proof, SOME_HASH], root)
    assert not merkle.verify_inclusion(leaf, i, n, [SOME_HASH, *proof], root)


def _inclusion_shape(index, size):
    """Left/right position of each proof hash: all the verifier learns from index and size."""
    if not 0 <= index < size:
        return None
    return tuple(s < index for s, _ in _requested(merkle.inclusion_path, index, size))


def _consistency_shape(old, new):
    if not 0 < old < new:
        return None
    return (old & (old - 1) == 0, *(e <= old for _, e in _requested(merkle.consistency_path, old, new)))


@settings(max_examples=200, deadline=None)
@given(distinct_trees.filter(lambda d: len(d) >= 1), st.data())
def test_wrong_index_or_size_fails_inclusion(data, draw):
    """A root alone does not commit to the tree size (the signed tree head does): a wrong size that
    leaves the proof's shape unchanged verifies by design, every other wrong index or size fails."""
    t = _Tree(data)
    n = t.size
    i = draw.draw(st.integers(0, n - 1))
    leaf, root = t.leaves[i], t.root()
    proof = merkle.inclusion_path(i, n, t.subtree)
    other = draw.draw(st.integers(0, 2 * n + 2).filter(lambda j: j != i))
    assert not merkle.verify_inclusion(leaf, other, n, proof, root)
    size = draw.draw(st.integers(0, 2 * n + 2).filter(lambda s: s != n))
    same_shape = _inclusion_shape(i, size) == _inclusion_shape(i, n)
    assert merkle.verify_inclusion(leaf, i, size, proof, root) == same_shape


@settings(max_examples=200, deadline=None)
@given(trees.filter(lambda d: len(d) >= 2), st.data())
def test_tampered_consistency_fails(data, draw):
    t = _Tree(data)
    n = t.size
    m = draw.draw(st.integers(1, n - 1))
    r1, r2 = t.root(m), t.root()
    proof = merkle.consistency_path(m, n, t.subtree)
    assert merkle.verify_consistency(m, n, r1, r2, proof)
    byte = draw.draw(st.integers(0, merkle.HASH_SIZE - 1))
    bit = 1 << draw.draw(st.integers(0, 7))
    k = draw.draw(st.integers(0, len(proof) - 1))
    forged = [*proof[:k], _flip(proof[k], byte, bit), *proof[k + 1 :]]
    assert not merkle.verify_consistency(m, n, r1, r2, forged)
    assert not merkle.verify_consistency(m, n, _flip(r1, byte, bit), r2, proof)
    assert not merkle.verify_consistency(m, n, r1, _flip(r2, byte, bit), proof)
    assert not merkle.verify_consistency(m, n, r1, r2, proof[:-1])
    assert not merkle.verify_consistency(m, n, r1, r2, [*proof, SOME_HASH])
    assert not merkle.verify_consistency(m, n, r1, r2, [SOME_HASH, *proof])


@settings(max_examples=200, deadline=None)
@given(distinct_trees.filter(lambda d: len(d) >= 2), st.data())
def test_wrong_size_fails_consistency(data, draw):
    """As for inclusion: only a wrong size giving a proof of the same shape can verify."""
    t = _Tree(data)
    n = t.size
    m = draw.draw(st.integers(1, n - 1))
    r1, r2 = t.root(m), t.root()
    proof = merkle.consistency_path(m, n, t.subtree)
    wrong_m = draw.draw(st.integers(0, n).filter(lambda j: j != m))
    same = _consistency_shape(wrong_m, n) == _consistency_shape(m, n)
    assert merkle.verify_consistency(wrong_m, n, r1, r2, proof) == same
    wrong_n = draw.draw(st.integers(0, 2 * n + 2).filter(lambda j: j != n))
    same = _consistency_shape(m, wrong_n) == _consistency_shape(m, n)
    assert merkle.verify_consistency(m, wrong_n, r1, r2, proof) == same


def test_exhaustive_small_trees():
    """Every index and every old size for trees up to 64 leaves, no sampling."""
    t = _Tree([b"%d" % i for i in range(64)])
    for n in range(65):
        root = t.root(n)
        for i in range(n):
            assert merkle.verify_inclusion(t.leaves[i], i, n, merkle.inclusion_path(i, n, t.subtree), root)
        for m in range(n + 1):
            assert merkle.verify_consistency(m, n, t.root(m), root, merkle.consistency_path(m, n, t.subtree))
