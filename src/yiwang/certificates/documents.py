"""The data shapes a certificate travels in, outside the database: the document to render, the
payload that is signed, the log leaf, the signed tree head and the published key list.

Why one module without Django models: the issuing service, the PDF renderer, the verify API and
the offline verifier (which runs with no database) must agree byte for byte on what is signed
and hashed. Everything signed or hashed is ``signing.canonical_json`` of a dict built here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from yiwang.certificates.signing import canonical_json, sha256_hex, sm3_hex

CERTIFICATE_KIND = "yiwang.certificate.v1"
ENVELOPE_KIND = "yiwang.envelope.v1"
LEAF_KIND = "yiwang.log.v1"
STH_KIND = "yiwang.sth.v1"

# 持证主体证件类型 (DESIGN §4.8)
ID_TYPE_PERSON = "111"  # 居民身份证号
ID_TYPE_ORG = "001"  # 统一社会信用代码


@dataclass(frozen=True)
class Holder:
    name: str
    id_type: str  # ID_TYPE_PERSON | ID_TYPE_ORG
    id_number: str


@dataclass(frozen=True)
class Issuer:
    name: str
    code: str  # the issuing department's USCC


@dataclass(frozen=True)
class CertificateDocument:
    """What a certificate says (GB/T 36902 metadata + 照面信息), independent of storage."""

    identifier: str
    type_code: str
    type_name: str
    name: str
    holder: Holder
    issuer: Issuer
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date | None  # None: 长期有效
    fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, value) in display order
    version: str = "001"
    previous_identifier: str | None = None

    def metadata(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "type_code": self.type_code,
            "type_name": self.type_name,
            "name": self.name,
            "holder": {"name": self.holder.name, "id_type": self.holder.id_type, "id_number": self.holder.id_number},
            "issuer": {"name": self.issuer.name, "code": self.issuer.code},
            "issued_on": self.issued_on.isoformat(),
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "fields": [[label, value] for label, value in self.fields],
            "version": self.version,
            "previous_identifier": self.previous_identifier,
        }

    @classmethod
    def from_metadata(cls, data: dict[str, Any]) -> CertificateDocument:
        """Inverse of ``metadata``; raises KeyError/ValueError/TypeError on a malformed dict."""
        until = data["valid_until"]
        return cls(
            identifier=str(data["identifier"]), type_code=str(data["type_code"]), type_name=str(data["type_name"]),
            name=str(data["name"]),
            holder=Holder(str(data["holder"]["name"]), str(data["holder"]["id_type"]), str(data["holder"]["id_number"])),
            issuer=Issuer(str(data["issuer"]["name"]), str(data["issuer"]["code"])),
            issued_on=dt.date.fromisoformat(data["issued_on"]), valid_from=dt.date.fromisoformat(data["valid_from"]),
            valid_until=dt.date.fromisoformat(until) if until else None,
            fields=tuple((str(label), str(value)) for label, value in data.get("fields") or []),
            version=str(data.get("version") or "001"), previous_identifier=data.get("previous_identifier"),
        )


def signed_payload(doc: CertificateDocument, pdf: bytes) -> dict[str, Any]:
    """What the issuing department signs: the metadata and both hashes of the rendered PDF."""
    return {"kind": CERTIFICATE_KIND, "metadata": doc.metadata(),
            "pdf": {"sha256": sha256_hex(pdf), "sm3": sm3_hex(pdf), "length": len(pdf)}}


def record_sha256(payload: dict[str, Any]) -> str:
    """Fingerprint of a signed payload, as the log leaf records it."""
    return sha256_hex(canonical_json(payload))


def log_leaf(action: str, identifier: str, record: str, at: dt.datetime) -> dict[str, Any]:
    """One transparency-log entry. ``action``: issue | revoke | suspend | resume | renew | change;
    ``record``: ``record_sha256`` of the signed payload for issue/renew/change, else the SHA-256
    of the canonical JSON of the status change (identifier, status, reason)."""
    return {"kind": LEAF_KIND, "action": action, "identifier": identifier, "record_sha256": record,
            "at": iso_utc(at)}


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sth_message(tree_size: int, root_hash_hex: str, timestamp: str) -> bytes:
    """The bytes a log key signs for a tree head."""
    return canonical_json({"kind": STH_KIND, "tree_size": tree_size, "root_hash": root_hash_hex,
                           "timestamp": timestamp})


def tree_head_dict(tree_size: int, root_hash_hex: str, timestamp: str, key_id: str, algorithm: str,
                   signature_b64: str) -> dict[str, Any]:
    """A signed tree head as the API publishes it (``GET /api/v1/certificates/log/sth``)."""
    return {"tree_size": tree_size, "root_hash": root_hash_hex, "timestamp": timestamp, "key_id": key_id,
            "algorithm": algorithm, "signature": signature_b64}
