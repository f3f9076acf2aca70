"""The signature envelope and the offline verifier, on a complete genuine example built here
(SM2 certificate key, Ed25519 log key, a small RFC 6962 log) and on one concrete forgery per
problem code. No test here has database access: pytest-django refuses it without the ``db``
fixture, which also proves ``yiwang certs verify`` never touches the database."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText

from yiwang.certificates import merkle
from yiwang.certificates.documents import (
    ENVELOPE_KIND,
    ID_TYPE_ORG,
    CertificateDocument,
    Holder,
    Issuer,
    iso_utc,
    log_leaf,
    record_sha256,
    signed_payload,
    sth_message,
    tree_head_dict,
)
from yiwang.certificates.envelope import ENVELOPE_NAME, EnvelopeError, embed, extract
from yiwang.certificates.management.commands.certs import Command
from yiwang.certificates.offline import REVOCATION_NOTE, InputError, OfflineReport, verify_document
from yiwang.certificates.render import render_pdf
from yiwang.certificates.signing import (
    ED25519,
    SM2,
    Signer,
    b64,
    canonical_json,
    generate_private_key,
    software_signer,
)

ISSUER = Issuer("济宁市兖州区行政审批服务局", "11370812MB2854321X")
OTHER_DEPT = Issuer("济宁市兖州区民政局", "11370812MB2851234Y")
DOC = CertificateDocument(
    identifier="1.2.156.3005.2.SPJYXKZ.11370812MB2854321X.2026000007.001.Q",
    type_code="SPJYXKZ", type_name="食品经营许可证", name="食品经营许可证",
    holder=Holder("济宁市兖州区张记餐饮店", ID_TYPE_ORG, "92370812MA3C8XYZ1K"), issuer=ISSUER,
    issued_on=dt.date(2026, 3, 5), valid_from=dt.date(2026, 3, 5), valid_until=dt.date(2031, 3, 4),
    fields=(("经营场所", "山东省济宁市兖州区建设东路88号"), ("经营项目", "热食类食品制售")),
)
URL = "https://yiwang.example.gov.cn/certificates/verify/?id=" + DOC.identifier
ISSUED_AT = dt.datetime(2026, 3, 5, 2, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 1)
EARLIER_ENTRIES, LATER_ENTRIES = 3, 7


def sm2_signer(key_id: str) -> Signer:
    """A fresh SM2 key. gmssl's ``CryptSM2`` does ``public_key.lstrip("04")``, which mangles a
    key whose x coordinate starts with hex "04" (1 key in 256); reported to the owner of
    signing.py. Until that is fixed, skip such keys so these tests are not flaky."""
    while True:
        signer = software_signer(SM2, key_id, generate_private_key(SM2))
        if not signer.public_key()[2:].startswith("04"):
            return signer


def key_entry(signer: Signer, purpose: str, owner: Issuer | None = ISSUER, *, status: str = "active",
              retired_at: str | None = None) -> dict[str, Any]:
    return {"key_id": signer.key_id, "algorithm": signer.algorithm, "public_key": signer.public_key(),
            "purpose": purpose, "owner_name": owner.name if owner else "一网平台",
            "owner_code": owner.code if owner else "platform", "status": status,
            "created_at": "2026-01-01T08:00:00+08:00", "retired_at": retired_at}


class Log:
    """A tiny transparency log kept in a list, using only the merkle functions."""

    def __init__(self, signer: Signer):
        self.signer, self.hashes = signer, []

    def append(self, entry: bytes) -> int:
        self.hashes.append(merkle.leaf_hash(entry))
        return len(self.hashes) - 1

    def head(self, size: int, *, signer: Signer | None = None, root: str | None = None) -> dict[str, Any]:
        signer = signer or self.signer
        root = root or merkle.root(self.hashes[:size]).hex()
        stamp = iso_utc(ISSUED_AT + dt.timedelta(minutes=size))
        signature = b64(signer.sign(sth_message(size, root, stamp)))
        return tree_head_dict(size, root, stamp, signer.key_id, signer.algorithm, signature)

    def inclusion(self, index: int, size: int) -> list[str]:
        return [h.hex() for h in merkle.inclusion_proof(index, self.hashes[:size])]

    def consistency(self, first: int, second: int) -> list[str]:
        return [h.hex() for h in merkle.consistency_proof(first, self.hashes[:second])]


def other_entry(n: int) -> bytes:
    return canonical_json(log_leaf("issue", f"other-certificate-{n}", f"{n:064x}", ISSUED_AT))


def make_envelope(payload: dict, signer: Signer, leaf: dict, index: int, proof: list[str], head: dict, *,
                  key_id: str | None = None) -> dict[str, Any]:
    return {"kind": ENVELOPE_KIND, "signed": payload,
            "signature": {"key_id": key_id or signer.key_id, "algorithm": signer.algorithm,
                          "value": b64(signer.sign(canonical_json(payload)))},
            "log": {"leaf": leaf, "index": index, "inclusion_proof": proof, "tree_head": head}}


@dataclass
class World:
    rendered: bytes  # the PDF as rendered: the signed prefix
    signed: bytes  # the certificate as issued, envelope embedded
    envelope: dict[str, Any]
    cert_key: Signer
    log_key: Signer
    log: Log
    index: int
    keys: dict[str, Any]

    @property
    def head_size(self) -> int:
        return self.index + 1

    def forged(self, change: Callable[[dict[str, Any]], None]) -> bytes:
        """The genuine PDF with a changed envelope embedded instead of the genuine one."""
        envelope = copy.deepcopy(self.envelope)
        del envelope["signed_length"]
        change(envelope)
        return embed(self.rendered, envelope)

    def keys_with(self, cert_entry: dict[str, Any]) -> dict[str, Any]:
        return {"keys": [cert_entry, *self.keys["keys"][1:]]}


@pytest.fixture(scope="module")
def world() -> World:
    cert_key = sm2_signer("certificate-11370812MB2854321X-20260101-a1b2c3")
    log_key = software_signer(ED25519, "log-platform-20260101-d4e5f6", generate_private_key(ED25519))
    rendered = render_pdf(DOC, verify_url=URL, demo=True)
    log = Log(log_key)
    for n in range(EARLIER_ENTRIES):
        log.append(other_entry(n))
    payload = signed_payload(DOC, rendered)
    leaf = log_leaf("issue", DOC.identifier, record_sha256(payload), ISSUED_AT)
    index = log.append(canonical_json(leaf))
    envelope = make_envelope(payload, cert_key, leaf, index, log.inclusion(index, index + 1), log.head(index + 1))
    signed = embed(rendered, envelope)
    for n in range(LATER_ENTRIES):  # the log grows after the certificate is issued
        log.append(other_entry(100 + n))
    keys = {"keys": [key_entry(cert_key, "certificate"), key_entry(log_key, "log", None)]}
    return World(rendered, signed, envelope, cert_key, log_key, log, index, keys)


def check(world: World, data: bytes | None = None, *, keys: dict | None = None, tree_head: dict | None = None,
          today: dt.date = TODAY) -> OfflineReport:
    return verify_document(world.signed if data is None else data, keys or world.keys, tree_head, today=today)


def codes(report: OfflineReport) -> set[str]:
    return {code for code, _message in report.problems}


def messages(report: OfflineReport) -> str:
    return "\n".join(message for _code, message in report.problems)


def attach(pdf: bytes, content: bytes) -> bytes:
    writer = PdfWriter(PdfReader(BytesIO(pdf)), incremental=True)
    writer.add_attachment(ENVELOPE_NAME, content)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the envelope --------------------------------------------------------------------------------


def test_embed_appends_and_keeps_the_signed_pdf_as_prefix(world):
    assert world.signed.startswith(world.rendered)
    assert len(world.signed) > len(world.rendered)
    assert world.envelope["signed_length"] == len(world.rendered)
    [content] = PdfReader(BytesIO(world.signed)).attachments[ENVELOPE_NAME]
    assert content == canonical_json(world.envelope)
    envelope, prefix = extract(world.signed)
    assert envelope == world.envelope
    assert prefix == world.rendered
    reader = PdfReader(BytesIO(world.signed))
    assert len(reader.pages) == 1
    assert reader.metadata.title == DOC.name  # the document keeps its title after the update


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda w: w.rendered, "no_envelope"),
        (lambda w: b"not a pdf at all", "no_envelope"),
        (lambda w: attach(w.rendered, b"{not json"), "malformed"),
        (lambda w: attach(w.rendered, b"[1, 2]"), "malformed"),
        (lambda w: attach(w.rendered, b'{"kind": "yiwang.envelope.v1"}'), "malformed"),
        (lambda w: attach(w.rendered, b'{"signed_length": "100"}'), "malformed"),
        (lambda w: attach(w.rendered, b'{"signed_length": 99999999}'), "malformed"),
        (lambda w: attach(w.rendered, b'{"signed_length": 0}'), "malformed"),
        (lambda w: attach(w.signed, b'{"signed_length": 100}'), "malformed"),  # two envelopes
    ],
)
def test_extract_refuses_a_missing_or_broken_envelope(world, make, code):
    data = make(world)
    with pytest.raises(EnvelopeError) as caught:
        extract(data)
    assert caught.value.code == code
    assert str(caught.value)  # a Chinese sentence for the user
    report = check(world, data)
    assert not report.valid
    assert codes(report) == {code}


def test_envelope_without_required_parts_is_malformed(world):
    report = check(world, world.forged(lambda e: e["log"].pop("tree_head")))
    assert codes(report) == {"malformed"}
    report = check(world, world.forged(lambda e: e["signature"].update(value="***")))
    assert codes(report) == {"malformed"}


# --- the genuine certificate -------------------------------------------------------------------


def test_genuine_certificate_is_valid(world):
    report = check(world)
    assert report.problems == []
    assert report.valid
    assert report.identifier == DOC.identifier
    assert report.metadata == DOC.metadata()
    assert len(report.checks) >= 7
    assert REVOCATION_NOTE in report.notes
    assert any("吊销" in note and "在线核验" in note for note in report.notes)


def test_retired_key_still_verifies_what_it_signed_before(world):
    retired = key_entry(world.cert_key, "certificate", status="retired", retired_at="2026-04-01T00:00:00+08:00")
    assert check(world, keys=world.keys_with(retired)).valid


def test_expiry_is_checked_against_today(world):
    assert check(world, today=dt.date(2031, 3, 4)).valid
    report = check(world, today=dt.date(2031, 3, 5))
    assert codes(report) == {"expired"}
    assert not report.valid


# --- forgeries ---------------------------------------------------------------------------------


def flip(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def test_one_flipped_byte_in_the_signed_pdf(world):
    report = check(world, flip(world.signed, len(world.rendered) // 2))
    assert codes(report) == {"pdf_modified"}
    assert not report.valid


@pytest.mark.parametrize("position", [0, 3, -20, -3])  # the header and the last xref/trailer bytes
def test_flipped_structure_bytes_are_reported_as_modified(world, position):
    report = check(world, flip(world.signed, position % len(world.rendered)))
    assert "pdf_modified" in codes(report)
    assert not report.valid


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_single_flipped_byte_of_the_signed_prefix_is_never_valid(world, data):
    position = data.draw(st.integers(min_value=0, max_value=len(world.rendered) - 1), label="position")
    bit = data.draw(st.integers(min_value=0, max_value=7), label="bit")
    changed = bytearray(world.signed)
    changed[position] ^= 1 << bit
    report = check(world, bytes(changed))
    assert not report.valid
    assert "pdf_modified" in codes(report)


def test_content_appended_after_signing_is_detected(world):
    writer = PdfWriter(PdfReader(BytesIO(world.signed)), incremental=True)
    writer.add_annotation(0, FreeText(text="持证主体：李四", rect=(100, 600, 400, 640)))
    out = BytesIO()
    writer.write(out)
    report = check(world, out.getvalue())
    assert codes(report) == {"pdf_modified"}
    assert "追加" in messages(report)


def test_changed_holder_name_in_the_attachment(world):
    def rename(envelope):
        envelope["signed"]["metadata"]["holder"]["name"] = "李四餐饮店"

    report = check(world, world.forged(rename))
    assert {"bad_signature", "log_mismatch"} <= codes(report)
    assert not report.valid


def test_signature_by_another_key_under_the_genuine_key_id(world):
    intruder = sm2_signer(world.cert_key.key_id)
    report = check(world, world.forged(lambda e: e.update(signature={
        "key_id": world.cert_key.key_id, "algorithm": SM2, "value": b64(intruder.sign(canonical_json(e["signed"])))})))
    assert codes(report) == {"bad_signature"}


def test_signature_by_another_departments_key(world):
    other = sm2_signer("certificate-11370812MB2851234Y-20260101-000001")
    keys = {"keys": [*world.keys["keys"], key_entry(other, "certificate", OTHER_DEPT)]}
    report = check(world, world.forged(lambda e: e.update(signature={
        "key_id": other.key_id, "algorithm": SM2, "value": b64(other.sign(canonical_json(e["signed"])))})), keys=keys)
    assert codes(report) == {"bad_signature"}
    assert OTHER_DEPT.name in messages(report)


def test_key_id_not_in_the_key_list(world):
    report = check(world, keys={"keys": world.keys["keys"][1:]})
    assert codes(report) == {"unknown_key"}


def test_log_key_cannot_sign_certificates(world):
    report = check(world, world.forged(lambda e: e.update(signature={
        "key_id": world.log_key.key_id, "algorithm": ED25519,
        "value": b64(world.log_key.sign(canonical_json(e["signed"])))})))
    assert codes(report) == {"unknown_key"}


def test_revoked_key_verifies_nothing(world):
    revoked = key_entry(world.cert_key, "certificate", status="revoked", retired_at="2026-04-01T00:00:00+08:00")
    report = check(world, keys=world.keys_with(revoked))
    assert codes(report) == {"revoked_key"}


def test_key_with_a_status_we_do_not_know_verifies_nothing(world):
    odd = key_entry(world.cert_key, "certificate", status="compromised")
    assert codes(check(world, keys=world.keys_with(odd))) == {"revoked_key"}


def test_revoked_log_key_verifies_no_tree_head(world):
    keys = {"keys": [world.keys["keys"][0], key_entry(world.log_key, "log", None, status="revoked")]}
    report = check(world, keys=keys)
    assert codes(report) == {"revoked_key"}
    assert "树头" in messages(report)


def test_retired_key_does_not_cover_certificates_logged_after_retirement(world):
    retired = key_entry(world.cert_key, "certificate", status="retired", retired_at="2026-03-01T00:00:00+08:00")
    report = check(world, keys=world.keys_with(retired))
    assert codes(report) == {"bad_signature"}


def test_log_entry_of_another_certificate(world):
    other_leaf = json.loads(other_entry(1))

    def swap(envelope):
        envelope["log"].update(leaf=other_leaf, index=1, inclusion_proof=world.log.inclusion(1, world.head_size))

    report = check(world, world.forged(swap))
    assert codes(report) == {"log_mismatch"}


def test_tampered_inclusion_proof(world):
    def tamper(envelope):
        envelope["log"]["inclusion_proof"][0] = "00" * 32

    assert codes(check(world, world.forged(tamper))) == {"not_in_log"}


def test_embedded_tree_head_signed_by_a_non_log_key(world):
    head = world.log.head(world.head_size, signer=world.cert_key)
    report = check(world, world.forged(lambda e: e["log"].update(tree_head=head)))
    assert codes(report) == {"bad_tree_head"}
    assert "不是日志密钥" in messages(report)


def test_embedded_tree_head_signed_by_a_wrong_key(world):
    impostor = software_signer(ED25519, world.log_key.key_id, generate_private_key(ED25519))
    head = world.log.head(world.head_size, signer=impostor)
    assert codes(check(world, world.forged(lambda e: e["log"].update(tree_head=head)))) == {"bad_tree_head"}


def test_embedded_tree_head_by_an_unknown_key(world):
    stranger = software_signer(ED25519, "log-elsewhere-1", generate_private_key(ED25519))
    head = world.log.head(world.head_size, signer=stranger)
    assert codes(check(world, world.forged(lambda e: e["log"].update(tree_head=head)))) == {"bad_tree_head"}


# --- a tree head obtained separately ---------------------------------------------------------


def test_the_same_tree_head_given_back(world):
    report = check(world, tree_head=world.envelope["log"]["tree_head"])
    assert report.valid, report.problems
    assert any("所给树头与证照内嵌的树头一致" in line for line in report.checks)


def test_same_size_other_root_is_a_fork(world):
    forked = world.log.head(world.head_size, root="ab" * 32)
    assert codes(check(world, tree_head=forked)) == {"log_forked"}


def test_larger_head_with_an_inclusion_proof_as_the_verify_api_returns(world):
    size = len(world.log.hashes)
    saved = {"status": "valid", "identifier": DOC.identifier, "tree_head": world.log.head(size),
             "inclusion_proof": {"leaf_index": world.index, "tree_size": size,
                                 "hashes": world.log.inclusion(world.index, size)}}
    report = check(world, tree_head=saved)
    assert report.valid, report.problems
    assert any("所给包含证明有效" in line for line in report.checks)


def test_larger_head_with_a_consistency_proof(world):
    size = len(world.log.hashes)
    saved = {"tree_head": world.log.head(size),
             "consistency_proof": {"first": world.head_size, "second": size,
                                   "hashes": world.log.consistency(world.head_size, size)}}
    report = check(world, tree_head=saved)
    assert report.valid, report.problems
    assert any("一致性证明有效" in line for line in report.checks)


def test_larger_head_alone_is_unlinked(world):
    report = check(world, tree_head=world.log.head(len(world.log.hashes)))
    assert codes(report) == {"tree_head_unlinked"}
    assert f"/api/v1/certificates/verify?id={DOC.identifier}" in messages(report)
    assert "一致性证明" in messages(report)


def test_larger_head_with_a_proof_for_another_certificate_is_unlinked(world):
    size = len(world.log.hashes)
    saved = {"tree_head": world.log.head(size),
             "inclusion_proof": {"leaf_index": 1, "tree_size": size, "hashes": world.log.inclusion(1, size)}}
    assert codes(check(world, tree_head=saved)) == {"tree_head_unlinked"}


def test_larger_head_with_a_wrong_inclusion_proof(world):
    size = len(world.log.hashes)
    hashes = world.log.inclusion(world.index, size)
    hashes[-1] = "11" * 32
    saved = {"tree_head": world.log.head(size),
             "inclusion_proof": {"leaf_index": world.index, "tree_size": size, "hashes": hashes}}
    assert codes(check(world, tree_head=saved)) == {"not_in_log"}


def test_larger_head_of_a_rewritten_log_is_a_fork(world):
    """The log operator rewrote an entry that came before the certificate's tree head."""
    rewritten = Log(world.log_key)
    rewritten.hashes = list(world.log.hashes)
    rewritten.hashes[0] = merkle.leaf_hash(b"rewritten history")
    size = len(rewritten.hashes)
    saved = {"tree_head": rewritten.head(size),
             "consistency_proof": {"first": world.head_size, "second": size,
                                   "hashes": rewritten.consistency(world.head_size, size)}}
    report = check(world, tree_head=saved)
    assert codes(report) == {"log_forked"}


def test_given_head_signed_by_a_non_log_key(world):
    assert codes(check(world, tree_head=world.log.head(world.head_size, signer=world.cert_key))) == {"bad_tree_head"}


def test_given_head_signed_by_a_wrong_key(world):
    impostor = software_signer(ED25519, world.log_key.key_id, generate_private_key(ED25519))
    assert codes(check(world, tree_head=world.log.head(world.head_size, signer=impostor))) == {"bad_tree_head"}


def test_older_head_is_too_old(world):
    assert codes(check(world, tree_head=world.log.head(2))) == {"tree_head_too_old"}


def test_smaller_head_that_holds_the_certificate_needs_its_inclusion_proof(world):
    """An envelope whose embedded head is a later one (size 11): a given head of the size at
    issue is older, which is fine with an inclusion proof into it and too old without."""
    size, later = world.head_size, len(world.log.hashes)
    data = world.forged(lambda e: e["log"].update(tree_head=world.log.head(later),
                                                  inclusion_proof=world.log.inclusion(world.index, later)))
    assert check(world, data).valid
    with_proof = {"tree_head": world.log.head(size),
                  "inclusion_proof": {"leaf_index": world.index, "tree_size": size,
                                      "hashes": world.log.inclusion(world.index, size)}}
    assert check(world, data, tree_head=with_proof).valid
    assert codes(check(world, data, tree_head=world.log.head(size))) == {"tree_head_too_old"}


# --- unusable inputs -------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [[], {"keys": {}}, {"keys": [{"key_id": 1}]}, {"keys": ["x"]}, {"k": []}])
def test_unusable_key_list(world, keys):
    with pytest.raises(InputError):
        verify_document(world.signed, keys, None)


def test_duplicate_key_ids(world):
    with pytest.raises(InputError):
        verify_document(world.signed, {"keys": world.keys["keys"] * 2}, None)


@pytest.mark.parametrize("tree_head", [
    [], {"tree_size": "4"}, {"tree_head": None}, {"tree_head": {"tree_size": 4}},
    {"tree_head": "x", "inclusion_proof": {}},
])
def test_unusable_tree_head_file(world, tree_head):
    with pytest.raises(InputError):
        verify_document(world.signed, world.keys, tree_head)


def test_tree_head_file_with_malformed_proof(world):
    saved = {"tree_head": world.log.head(len(world.log.hashes)),
             "inclusion_proof": {"leaf_index": world.index, "tree_size": 11, "hashes": ["xyz"]}}
    with pytest.raises(InputError):
        verify_document(world.signed, world.keys, saved)


# --- the command -------------------------------------------------------------------------------


@pytest.fixture
def files(world, tmp_path):
    def write(name: str, content: bytes | dict) -> str:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else json.dumps(content, ensure_ascii=False).encode())
        return str(path)

    write("cert.pdf", world.signed)
    write("forged.pdf", flip(world.signed, len(world.rendered) // 3))
    write("keys.json", world.keys)
    write("sth.json", world.log.head(world.head_size))
    write("bad.json", b"{\"keys\": [")
    return tmp_path


def run_verify(*args: str) -> tuple[int, str]:
    """``yiwang certs verify`` in this process (database access is blocked here)."""
    out = StringIO()
    try:
        call_command(Command(), "verify", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def test_command_valid(files):
    status, output = run_verify(str(files / "cert.pdf"), "--keys", str(files / "keys.json"),
                                "--tree-head", str(files / "sth.json"))
    assert status == 0
    assert output.rstrip().endswith("结论：有效")
    assert DOC.identifier in output
    assert "离线核验无法确认" in output


def test_command_invalid(files):
    status, output = run_verify(str(files / "forged.pdf"), "--keys", str(files / "keys.json"))
    assert status == 1
    assert "[pdf_modified]" in output
    assert output.rstrip().endswith("结论：无效（文件在签发后被改动）")


@pytest.mark.parametrize("args", [
    ["missing.pdf", "--keys", "keys.json"],
    ["cert.pdf", "--keys", "missing.json"],
    ["cert.pdf", "--keys", "bad.json"],
    ["cert.pdf", "--keys", "sth.json"],  # JSON, but not a key list
    ["cert.pdf", "--keys", "keys.json", "--tree-head", "keys.json"],
])
def test_command_unusable_input(files, args):
    paths = [a if a.startswith("--") else str(files / a) for a in args]
    with pytest.raises(CommandError) as caught:
        run_verify(*paths)
    assert caught.value.returncode == 2
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(caught.value))  # explained in Chinese


def test_yiwang_certs_verify_exit_status(files):
    """The real command line: exit status and no traceback, for each outcome."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yiwang.test_settings"}

    def run(pdf: str, keys: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "yiwang.cli", "certs", "verify", str(files / pdf), "--keys",
                               str(files / keys)], capture_output=True, text=True, env=env, timeout=120)

    good, forged, broken = run("cert.pdf", "keys.json"), run("forged.pdf", "keys.json"), run("cert.pdf", "bad.json")
    assert (good.returncode, forged.returncode, broken.returncode) == (0, 1, 2)
    assert "结论：有效" in good.stdout
    assert "结论：无效" in forged.stdout
    assert "不是有效的 JSON" in broken.stderr
    assert all("Traceback" not in r.stderr for r in (good, forged, broken))
