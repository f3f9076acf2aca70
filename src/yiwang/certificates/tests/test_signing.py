"""Signatures: SM2/SM3 and Ed25519 software signers, interoperability with OpenSSL's SM2, and a
``verify`` that is never fooled and never raises."""

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.certificates import signing
from yiwang.certificates.signing import ED25519, SM2, generate_private_key, software_signer, verify

# x of its public key starts with hex "04": gmssl's lstrip("04") used to mangle it (found by review).
DISTID = "distid:1234567812345678"
LSTRIP_KEY = "11c34010e122470d104d84ed02539120f215095fe1c09454bd4d84ecf57aff7b"


@pytest.mark.parametrize("algorithm", [SM2, ED25519])
def test_sign_and_verify_round_trip_and_rejections(algorithm):
    signer = software_signer(algorithm, "k1", generate_private_key(algorithm))
    sig = signer.sign(b"message")
    pub = signer.public_key()
    assert verify(algorithm, pub, b"message", sig)
    assert not verify(algorithm, pub, b"messagf", sig)
    assert not verify(algorithm, pub, b"message", sig[:-1] + bytes([sig[-1] ^ 1]))
    other = software_signer(algorithm, "k2", generate_private_key(algorithm)).public_key()
    assert not verify(algorithm, other, b"message", sig)
    assert not verify(algorithm, "zz", b"message", sig) and not verify(algorithm, pub, b"message", b"")
    assert not verify("RSA", pub, b"message", sig)


def test_sm2_key_whose_x_starts_with_04_signs_and_verifies():
    signer = software_signer(SM2, "k", LSTRIP_KEY)
    assert signer.public_key().startswith("0404")
    for _ in range(5):
        assert verify(SM2, signer.public_key(), b"payload", signer.sign(b"payload"))


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=200))
def test_sm2_verifies_what_it_signs(message):
    signer = software_signer(SM2, "k", generate_private_key(SM2))
    assert verify(SM2, signer.public_key(), message, signer.sign(message))


def _der_to_raw(der: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _raw_to_der(raw: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    return encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))


def test_sm2_interoperates_with_openssl(tmp_path):
    """OpenSSL verifies our signature and we verify OpenSSL's, with the user id GB/T 35276 sets as
    default (1234567812345678; OpenSSL 3's pkeyutl defaults to an empty one, so it is named)."""
    key_pem = tmp_path / "sm2.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out",
                    str(key_pem)], check=True, capture_output=True)
    text = subprocess.run(["openssl", "pkey", "-in", str(key_pem), "-text", "-noout"], check=True,
                          capture_output=True, text=True).stdout
    priv_hex = "".join(text.split("priv:")[1].split("pub:")[0].split()).replace(":", "")
    signer = software_signer(SM2, "k", priv_hex[-64:])
    message = tmp_path / "m.bin"
    message.write_bytes("电子证照 SM2 互通".encode())
    pub_pem = tmp_path / "pub.pem"
    subprocess.run(["openssl", "pkey", "-in", str(key_pem), "-pubout", "-out", str(pub_pem)], check=True)
    ours = tmp_path / "ours.der"
    ours.write_bytes(_raw_to_der(signer.sign(message.read_bytes())))
    checked = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(pub_pem), "-rawin", "-digest",
                              "sm3", "-pkeyopt", DISTID, "-in", str(message), "-sigfile", str(ours)], capture_output=True, text=True)
    assert "Signature Verified Successfully" in checked.stdout, checked.stdout + checked.stderr
    theirs = tmp_path / "theirs.der"
    subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(key_pem), "-rawin", "-digest", "sm3", "-pkeyopt", DISTID,
                    "-in", str(message), "-out", str(theirs)], check=True, capture_output=True)
    raw = _der_to_raw(theirs.read_bytes())
    assert verify(SM2, signer.public_key(), message.read_bytes(), raw)
    assert not verify(SM2, signer.public_key(), message.read_bytes() + b"!", raw)


def test_canonical_json_is_stable_and_utf8():
    assert signing.canonical_json({"b": 1, "a": "中"}) == '{"a":"中","b":1}'.encode()
    with pytest.raises(ValueError):
        signing.canonical_json({"x": float("nan")})
    assert signing.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
