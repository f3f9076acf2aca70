"""Checking and storing uploaded materials (DESIGN §5 "Uploads"; issue 5 "Materials").

The kernel imports no app; apps call this module.

- :func:`check_upload` decides the type by CONTENT (magic bytes), never by the file name, and makes
  sure the content parses: a PDF must open with pypdf (pages counted; a PDF that needs a password
  or is corrupt is rejected), a JPEG or PNG must pass Pillow's ``verify()``, an OFD must be a ZIP
  container with ``OFD.xml`` at its root (checked without extracting, with caps on the entry count
  and the total uncompressed size against zip bombs). Every problem raises :class:`UploadRejected`
  with a stable ``code`` and a Chinese ``message`` for the applicant; nothing else escapes.
- Virus scanning plugs in through :func:`register_scanner` or the setting
  ``YIWANG_UPLOAD_SCANNERS`` (dotted paths). A scanner is called as ``scanner(data, info)`` with the
  file's bytes and the :class:`UploadInfo`, and rejects by raising
  ``UploadRejected("infected", "…")``. None is configured by default. ClamAV plugs in here, e.g.
  with the ``clamd`` package::

      def clamav(data, info):
          result = clamd.ClamdUnixSocket().instream(io.BytesIO(data))["stream"]
          if result[0] == "FOUND":
              raise UploadRejected("infected", "文件未通过病毒检查，请检查后重新上传")

  A scanner that fails in any other way (daemon down, timeout) rejects the upload with
  ``scan_failed``: uploads fail closed.
- :func:`store` saves the checked content through Django's default storage (``MEDIA_ROOT``, outside
  the web root and never served by whitenoise; materials are served only through a permission-
  checked view) under a random name with the canonical extension, mode 0600.

Settings: ``YIWANG_UPLOAD_MAX_BYTES`` (default 20 MB), ``YIWANG_UPLOAD_SCANNERS`` (default ``[]``).
The whole file is held in memory while it is checked, so keep the limit in the tens of megabytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import secrets
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Caps for the OFD (ZIP) container: entries, total declared uncompressed size, size of OFD.xml.
OFD_MAX_ENTRIES = 10_000
OFD_MAX_UNCOMPRESSED = 512 * 1024 * 1024
OFD_MAX_ENTRY_XML = 1024 * 1024
#: Images above this many pixels are refused (decompression bombs); Pillow's own cap is larger.
IMAGE_MAX_PIXELS = 100_000_000

KINDS = ("pdf", "jpg", "png", "ofd")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "ofd": "application/ofd",
}
LABELS = {"pdf": "PDF", "jpg": "JPG", "png": "PNG", "ofd": "OFD"}
_ALIASES = {"jpeg": "jpg", "jpe": "jpg"}

_PDF_MAGIC = b"%PDF-"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_ZIP_MAGIC = b"PK\x03\x04"

Scanner = Callable[[bytes, "UploadInfo"], None]
_scanners: list[Scanner] = []


class UploadRejected(Exception):
    """An upload that must not be accepted. ``code`` is stable (API); ``message`` is for people.

    Codes: ``empty``, ``too_large``, ``type_not_allowed``, ``corrupt``, ``encrypted``,
    ``infected``, ``scan_failed`` (and whatever a scanner chooses).
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"UploadRejected({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class UploadInfo:
    kind: str  # canonical extension: "pdf" | "jpg" | "png" | "ofd"
    content_type: str
    size: int
    sha256: str  # hex
    pages: int | None = None  # PDF only
    width: int | None = None  # images only
    height: int | None = None

    @property
    def extension(self) -> str:
        return self.kind


# --- Scanners ---------------------------------------------------------------------------------


def register_scanner(scanner: Scanner) -> Scanner:
    """Add a scanner (usable as a decorator). Registering the same callable twice is a no-op."""
    if scanner not in _scanners:
        _scanners.append(scanner)
    return scanner


def unregister_scanner(scanner: Scanner) -> None:
    if scanner in _scanners:
        _scanners.remove(scanner)


def scanners() -> list[Scanner]:
    """The scanners in effect: those registered in code, then those named in settings."""
    configured = []
    for path in getattr(settings, "YIWANG_UPLOAD_SCANNERS", None) or ():
        try:
            configured.append(import_string(path))
        except ImportError as exc:
            raise ImproperlyConfigured(f"YIWANG_UPLOAD_SCANNERS: cannot import {path!r}: {exc}") from exc
    return [*_scanners, *[s for s in configured if s not in _scanners]]


def _run_scanners(data: bytes, info: UploadInfo) -> None:
    for scanner in scanners():
        try:
            scanner(data, info)
        except UploadRejected:
            raise
        except Exception:
            logger.exception("upload scanner %r failed; rejecting the upload", scanner)
            raise UploadRejected("scan_failed", "文件安全检查暂时无法完成，请稍后重新上传") from None


# --- Checking ---------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return int(getattr(settings, "YIWANG_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES) or DEFAULT_MAX_BYTES)


def _format_limit(limit: int) -> str:
    mb = limit / (1024 * 1024)
    if mb >= 1:
        return f"{mb:.1f}".removesuffix(".0") + " MB"
    if limit < 1024:
        return f"{limit} 字节"
    return f"{limit / 1024:.1f}".removesuffix(".0") + " KB"


def _normalise_allowed(allowed: Iterable[str]) -> tuple[str, ...]:
    if isinstance(allowed, str):
        allowed = (allowed,)
    result = []
    for item in allowed:
        kind = item.strip().lower().lstrip(".")
        kind = _ALIASES.get(kind, kind)
        if kind not in KINDS:
            raise ValueError(f"unknown upload kind {item!r}; known: {', '.join(KINDS)}")
        if kind not in result:
            result.append(kind)
    if not result:
        raise ValueError("allowed must name at least one kind")
    return tuple(result)


def _type_not_allowed(allowed: tuple[str, ...]) -> UploadRejected:
    names = "、".join(LABELS[k] for k in allowed)
    return UploadRejected("type_not_allowed", f"文件类型不支持，请上传 {names} 格式的文件")


def _read(file, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes from bytes, a Django ``File`` or a binary file object."""
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file[: limit + 1])
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        return b"\0" * (limit + 1)  # too large: no need to read it
    try:
        file.seek(0)
    except (AttributeError, OSError, ValueError):
        pass
    chunks, total = [], 0
    while total <= limit:
        chunk = file.read(min(1024 * 1024, limit + 1 - total))
        if not chunk:
            break
        if isinstance(chunk, str):
            raise TypeError("upload must be opened in binary mode")
        chunks.append(chunk)
        total += len(chunk)
    try:
        file.seek(0)
    except (AttributeError, OSError, ValueError):
        pass
    return b"".join(chunks)


def sniff(data: bytes) -> str | None:
    """The kind the content's magic bytes announce (not yet validated), or None."""
    if data.startswith(_JPEG_MAGIC):
        return "jpg"
    if data.startswith(_PNG_MAGIC):
        return "png"
    if data.startswith(_ZIP_MAGIC):
        return "ofd"  # only a candidate: any ZIP; _check_ofd decides
    if data.startswith(_PDF_MAGIC):  # at offset 0 only: no polyglots with a PDF header further in
        return "pdf"
    return None


def check_upload(
    file,
    *,
    max_bytes: int | None = None,
    allowed: Iterable[str] = ("pdf", "jpg", "png", "ofd"),
) -> UploadInfo:
    """Check an upload by its content; return what it is or raise :class:`UploadRejected`.

    ``file`` is bytes, a Django ``UploadedFile``/``File`` or a binary file object (rewound after
    reading). The declared name and content type are ignored: a ``.png`` that is really a PDF is
    accepted as a PDF when PDF is allowed (``info.kind`` says so), an ``.exe`` named ``.pdf`` is not.
    """
    allowed = _normalise_allowed(allowed)
    limit = max_upload_bytes() if max_bytes is None else int(max_bytes)
    data = _read(file, limit)
    if not data:
        raise UploadRejected("empty", "文件是空的，请重新选择文件上传")
    if len(data) > limit:
        raise UploadRejected("too_large", f"文件大小超过上限 {_format_limit(limit)}，请压缩或拆分后再上传")

    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise _type_not_allowed(allowed)
    extra = {}
    try:
        if kind == "pdf":
            extra = _check_pdf(data)
        elif kind in ("jpg", "png"):
            extra = _check_image(data, kind)
        else:
            _check_ofd(data, allowed)
    except UploadRejected:
        raise
    except Exception as exc:  # any parser failure on hostile input is "corrupt", never a 500
        logger.info("upload rejected as corrupt %s: %r", kind, exc)
        raise UploadRejected("corrupt", f"{LABELS[kind]} 文件已损坏或格式不正确，无法打开") from None

    info = UploadInfo(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **extra,
    )
    _run_scanners(data, info)
    return info


def _check_pdf(data: bytes) -> dict:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        # A PDF with only an owner password (print/edit restrictions) opens for everybody and is
        # accepted; one that needs a password to open is not.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:
            opened = False
        if not opened:
            raise UploadRejected("encrypted", "PDF 文件设有打开密码，请去除密码后再上传")
    pages = len(reader.pages)
    if pages < 1:
        raise UploadRejected("corrupt", "PDF 文件没有任何页面")
    for page in reader.pages:  # resolve every page object: a truncated file fails here
        _ = page.mediabox
    return {"pages": pages}


def _check_image(data: bytes, kind: str) -> dict:
    from PIL import Image

    fmt = "JPEG" if kind == "jpg" else "PNG"
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            width, height = image.size
            image.verify()
    if width < 1 or height < 1:
        raise UploadRejected("corrupt", f"{LABELS[kind]} 图片尺寸无效")
    if width * height > IMAGE_MAX_PIXELS:
        raise UploadRejected("corrupt", f"{LABELS[kind]} 图片像素过大，请缩小后再上传")
    return {"width": width, "height": height}


def _check_ofd(data: bytes, allowed: tuple[str, ...]) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRejected("corrupt", "OFD 文件已损坏或格式不正确，无法打开") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > OFD_MAX_ENTRIES:
            raise UploadRejected("corrupt", "OFD 文件包含的条目过多，无法处理")
        if sum(e.file_size for e in entries) > OFD_MAX_UNCOMPRESSED:
            raise UploadRejected("corrupt", "OFD 文件解压后过大，无法处理")
        root = [e for e in entries if e.filename == "OFD.xml"]
        if not root:
            raise _type_not_allowed(allowed)  # a ZIP, but not an OFD
        entry = root[0]
        if entry.file_size > OFD_MAX_ENTRY_XML or entry.flag_bits & 0x1:
            raise UploadRejected("corrupt", "OFD 文件的 OFD.xml 无效")
        with archive.open(entry) as fh:
            xml = fh.read(OFD_MAX_ENTRY_XML + 1)
    head = xml.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<") or b"OFD" not in xml:
        raise UploadRejected("corrupt", "OFD 文件的 OFD.xml 无效")


# --- Storing ----------------------------------------------------------------------------------

_SUBDIR = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")


def store(file, info: UploadInfo, *, subdir: str) -> str:
    """Save checked content under ``subdir`` in the default storage; return the storage name.

    The name is random (no part of the applicant's file name survives) with the canonical
    extension of ``info.kind``. On the file system the file gets mode 0600. The content must be
    the one :func:`check_upload` saw (same SHA-256), else ``ValueError``.
    """
    subdir = subdir.strip("/")
    if not _SUBDIR.match(subdir):
        raise ValueError(f"invalid upload subdir {subdir!r}")
    data = _read(file, info.size)
    if len(data) != info.size or hashlib.sha256(data).hexdigest() != info.sha256:
        raise ValueError("the content differs from the one checked")
    _check_location()
    name = default_storage.save(f"{subdir}/{secrets.token_hex(16)}.{info.kind}", ContentFile(data))
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # not on the local file system (object storage): nothing to chmod
        return name
    os.chmod(path, 0o600)
    return name


def _check_location() -> None:
    """Refuse to write uploads anywhere static files are served from."""
    location = getattr(default_storage, "location", None)
    if not location:
        return
    media = Path(location).resolve()
    served = [getattr(settings, "STATIC_ROOT", None), *getattr(settings, "STATICFILES_DIRS", ())]
    for root in served:
        if isinstance(root, tuple | list):
            root = root[-1]
        if not root:
            continue
        root = Path(root).resolve()
        if media == root or root in media.parents or media in root.parents:
            raise ImproperlyConfigured(f"MEDIA_ROOT {media} overlaps the served static files at {root}")
