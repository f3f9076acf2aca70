"""The signature envelope carried inside a certificate PDF, as an attached JSON file.

Why an incremental update: the envelope holds the hashes of the PDF it travels in, so it cannot
be part of the bytes it signs. It is appended after them (PDF incremental update), leaving the
signed PDF as an untouched prefix whose length the envelope records; a verifier cuts the file
there and checks the hashes. What a viewer shows must also be what was signed, so
``only_envelope_appended`` checks that the appended part changed nothing but the attachment
list — otherwise a forger could append new page content after a genuine signature.

No Django here: the offline verifier uses this module as it is.
"""

from __future__ import annotations

import hashlib
import json
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from yiwang.certificates.signing import canonical_json

ENVELOPE_NAME = "yiwang-certificate.json"
ENVELOPE_DESCRIPTION = "一网电子证照签名信息"
KEYWORDS = "/Keywords"
_ENVELOPE_START = b'{"kind":"yiwang.envelope.v1",'  # canonical JSON: sorted keys, "kind" first
_MAX_OBJECTS = 50_000  # a certificate has a few dozen; a bigger graph is not ours


class EnvelopeError(Exception):
    """The file carries no usable envelope. ``code`` is ``no_envelope`` or ``malformed``."""

    def __init__(self, message: str, code: str = "malformed"):
        super().__init__(message)
        self.code = code


def embed(pdf: bytes, envelope: dict[str, Any]) -> bytes:
    """``pdf`` with the envelope attached in an incremental update; ``pdf`` stays a byte-identical
    prefix. Sets ``envelope["signed_length"]`` to ``len(pdf)`` first (on the caller's dict)."""
    envelope["signed_length"] = len(pdf)
    data = canonical_json(envelope)
    writer = PdfWriter(PdfReader(BytesIO(pdf)), incremental=True)
    attachment = writer.add_attachment(ENVELOPE_NAME, data)
    attachment.subtype = NameObject("/application/json")  # written as /application#2Fjson
    attachment.description = TextStringObject(ENVELOPE_DESCRIPTION)
    attachment.size = NumberObject(len(data))
    if writer.metadata is not None:
        # pypdf repeats /Info in the new trailer only when it changed; viewers read the newest
        # trailer, so without this the document would lose its title.
        writer.add_metadata({KEYWORDS: ENVELOPE_DESCRIPTION})
    out = BytesIO()
    writer.write(out)
    result = out.getvalue()
    if not result.startswith(pdf):  # pypdf promises this in incremental mode; never ship otherwise
        raise EnvelopeError("附加签名信息时改动了原文件。")
    return result


def _reader(data: bytes) -> PdfReader:
    try:
        return PdfReader(BytesIO(data))
    except Exception as exc:  # pypdf raises many types on hostile input; all mean "not readable"
        raise EnvelopeError("文件不是可读取的 PDF。", "no_envelope") from exc


def _no_constant(name: str):
    """NaN and Infinity are not JSON, and canonical_json could not re-serialise them."""
    raise ValueError(f"{name} 不是有效的 JSON 数值")


def extract(data: bytes) -> tuple[dict[str, Any], bytes]:
    """The envelope and the signed prefix ``data[:signed_length]``; EnvelopeError otherwise."""
    if not data.startswith(b"%PDF-"):
        raise EnvelopeError("文件不是 PDF。", "no_envelope")
    reader = _reader(data)
    try:
        contents = list(reader.attachments.get(ENVELOPE_NAME) or [])
    except Exception as exc:  # a broken name tree or stream, see _reader
        raise EnvelopeError("PDF 的附件无法读取。") from exc
    if not contents:
        raise EnvelopeError(f"文件中没有一网电子证照签名信息（附件 {ENVELOPE_NAME}）。", "no_envelope")
    if len(contents) > 1:
        raise EnvelopeError(f"文件中有多个签名信息附件 {ENVELOPE_NAME}，无法确定以哪个为准。")
    try:
        envelope = json.loads(contents[0].decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise EnvelopeError("签名信息附件不是有效的 JSON。") from exc
    if not isinstance(envelope, dict):
        raise EnvelopeError("签名信息附件应为 JSON 对象。")
    length = envelope.get("signed_length")
    if isinstance(length, bool) or not isinstance(length, int) or not 0 < length <= len(data):
        raise EnvelopeError("签名信息中的已签名长度（signed_length）无效。")
    return envelope, data[:length]


def recover(data: bytes) -> tuple[dict[str, Any], bytes] | None:
    """The envelope found by scanning the raw bytes, for a file pypdf cannot read any more.

    Only for diagnosis: ``embed`` writes the JSON as a plain stream, so a file whose structure a
    changed byte has broken still shows what was signed, and the verifier can say "modified"
    instead of "no envelope". Nothing recovered this way is ever reported valid.
    """
    start = data.rfind(_ENVELOPE_START)
    end = data.find(b"endstream", start)
    if start < 0 or end < 0:
        return None
    try:
        envelope = json.loads(data[start:end].decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    length = envelope.get("signed_length") if isinstance(envelope, dict) else None
    if isinstance(length, bool) or not isinstance(length, int) or not 0 < length <= len(data):
        return None
    return envelope, data[:length]


def only_envelope_appended(data: bytes, signed_length: int) -> bool:
    """Whether everything a viewer draws from ``data`` is what the signed prefix holds: the two
    documents' object graphs, from the catalog down, are equal once the embedded-files list is
    set aside. Any failure to read either side counts as a change."""
    try:
        return _snapshot(_reader(data)) == _snapshot(_reader(data[:signed_length]))
    except Exception:  # see _reader: unreadable is "not provably unchanged"
        return False


def _snapshot(reader: PdfReader) -> tuple[Any, Any, dict[tuple[int, int], Any]]:
    info = reader.trailer.get("/Info")
    info = DictionaryObject(info.get_object()) if info is not None else DictionaryObject()
    info.pop(NameObject(KEYWORDS), None)  # the one entry ``embed`` sets
    catalog = DictionaryObject(reader.trailer["/Root"].get_object())
    names = catalog.get("/Names")
    if names is not None:
        rest = DictionaryObject(names.get_object())
        embedded = rest.pop(NameObject("/EmbeddedFiles"), None)
        if embedded is not None and set(reader.attachments) - {ENVELOPE_NAME}:
            raise ValueError("an attachment besides the envelope")  # e.g. a forged annex
        if rest:
            catalog[NameObject("/Names")] = rest
        else:
            del catalog[NameObject("/Names")]
    pending: list[IndirectObject] = []
    shape = _shape(catalog, pending), _shape(info, pending)
    objects: dict[tuple[int, int], Any] = {}
    while pending:
        ref = pending.pop()
        key = (ref.idnum, ref.generation)
        if key in objects:
            continue
        if len(objects) >= _MAX_OBJECTS:
            raise ValueError("too many objects")
        objects[key] = _shape(ref.get_object(), pending)
    return *shape, objects


def _shape(obj: Any, pending: list[IndirectObject]) -> Any:
    """A comparable value for one PDF object; references are kept as numbers and queued."""
    if isinstance(obj, IndirectObject):
        pending.append(obj)
        return ("ref", obj.idnum, obj.generation)
    if isinstance(obj, DictionaryObject):
        items = tuple(sorted((str(k), _shape(v, pending)) for k, v in obj.items()))
        if isinstance(obj, StreamObject):
            return ("stream", items, hashlib.sha256(_raw_stream(obj)).hexdigest())
        return ("dict", items)
    if isinstance(obj, ArrayObject):
        return ("array", tuple(_shape(v, pending) for v in obj))
    if isinstance(obj, bytes):
        return ("bytes", bytes(obj))
    return (type(obj).__name__, str(obj))


def _raw_stream(obj: StreamObject) -> bytes:
    """The stream bytes as stored, not decoded: unchanged objects have identical raw bytes, and
    decoding whatever a forger appended (a deflate bomb, say) is work a verifier must not do.
    pypdf keeps them in ``_data``; should that ever change, fall back to the decoded data."""
    raw = getattr(obj, "_data", None)
    return bytes(raw) if isinstance(raw, bytes | bytearray) else obj.get_data()
