"""Uploaded materials: type by content, parsing, size, zip bombs, scanners, storage (DESIGN §5)."""

import io
import stat
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfWriter

from yiwang.core import uploads
from yiwang.core.uploads import UploadInfo, UploadRejected, check_upload, register_scanner, store

OFD_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
    b"<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>"
    b"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)


def make_pdf(pages=2, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image(fmt, size=(8, 6)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def make_zip(entries, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def make_ofd():
    return make_zip({"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"})


def rejected(data, **kwargs):
    with pytest.raises(UploadRejected) as excinfo:
        check_upload(data, **kwargs)
    return excinfo.value


# --- Accepted ---------------------------------------------------------------------------------


def test_pdf_is_accepted_with_its_page_count():
    data = make_pdf(pages=3)
    info = check_upload(SimpleUploadedFile("申请表.pdf", data, content_type="application/pdf"))
    assert info.kind == "pdf" and info.content_type == "application/pdf"
    assert info.pages == 3 and info.size == len(data)
    assert len(info.sha256) == 64


def test_jpeg_and_png_are_accepted_with_dimensions():
    jpg = check_upload(make_image("JPEG"))
    png = check_upload(make_image("PNG", size=(3, 4)))
    assert (jpg.kind, jpg.content_type, jpg.width, jpg.height, jpg.pages) == ("jpg", "image/jpeg", 8, 6, None)
    assert (png.kind, png.content_type, png.width, png.height) == ("png", "image/png", 3, 4)


def test_minimal_ofd_is_accepted():
    info = check_upload(make_ofd())
    assert info.kind == "ofd" and info.content_type == "application/ofd"


def test_name_is_ignored_and_content_kind_reported():
    # a PNG uploaded as "scan.pdf": allowed content, so accepted as what it really is
    info = check_upload(SimpleUploadedFile("scan.pdf", make_image("PNG"), content_type="application/pdf"))
    assert info.kind == "png"


def test_file_object_is_rewound_after_reading():
    fh = io.BytesIO(make_pdf())
    fh.read(10)
    check_upload(fh)
    assert fh.tell() == 0


def test_owner_password_only_pdf_opens_and_is_accepted():
    assert check_upload(make_pdf(pages=1, password="")).pages == 1


# --- Rejected ---------------------------------------------------------------------------------


def test_exe_renamed_pdf_is_rejected():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.%PDF-1.7"
    error = rejected(SimpleUploadedFile("营业执照.pdf", exe, content_type="application/pdf"))
    assert error.code == "type_not_allowed"
    assert "文件类型不支持" in error.message


def test_text_named_png_is_rejected():
    error = rejected(SimpleUploadedFile("photo.png", "这不是图片".encode(), content_type="image/png"))
    assert error.code == "type_not_allowed"


def test_plain_zip_without_ofd_xml_is_not_an_ofd():
    assert rejected(make_zip({"readme.txt": b"hi", "sub/OFD.xml": OFD_XML})).code == "type_not_allowed"


def test_empty_file():
    error = rejected(SimpleUploadedFile("a.pdf", b""))
    assert error.code == "empty" and "空" in error.message
    assert rejected(b"").code == "empty"


def test_oversized_file_names_the_limit():
    error = rejected(make_pdf(), max_bytes=100)
    assert error.code == "too_large" and "超过" in error.message and "100 字节" in error.message


def test_limit_wording():
    assert uploads._format_limit(20 * 1024 * 1024) == "20 MB"
    assert uploads._format_limit(1536 * 1024) == "1.5 MB"
    assert uploads._format_limit(512 * 1024) == "512 KB"
    assert uploads._format_limit(100) == "100 字节"


def test_default_limit_is_20_mb_and_comes_from_settings(settings):
    assert uploads.max_upload_bytes() == 20 * 1024 * 1024
    settings.YIWANG_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    big = b"%PDF-" + b"\0" * (2 * 1024 * 1024)
    error = rejected(SimpleUploadedFile("big.pdf", big))
    assert error.code == "too_large" and "2 MB" in error.message
    del settings.YIWANG_UPLOAD_MAX_BYTES
    assert "20 MB" in rejected(b"%PDF-" + b"\0" * (20 * 1024 * 1024)).message


def test_truncated_pdf_is_corrupt():
    data = make_pdf(pages=2)
    error = rejected(data[: len(data) // 2])
    assert error.code == "corrupt" and "PDF" in error.message


def test_garbage_after_pdf_header_is_corrupt():
    assert rejected(b"%PDF-1.7\nnot really a pdf at all").code == "corrupt"


def test_password_protected_pdf_is_rejected():
    error = rejected(make_pdf(pages=1, password="secret"))
    assert error.code == "encrypted" and "密码" in error.message


def test_corrupt_images():
    png = make_image("PNG")
    assert rejected(png[:20]).code == "corrupt"
    bad_crc = bytearray(png)
    bad_crc[29] ^= 0xFF  # inside the IHDR chunk: CRC no longer matches
    assert rejected(bytes(bad_crc)).code == "corrupt"
    assert rejected(b"\xff\xd8\xff\xe0garbage").code == "corrupt"


def test_zip_bomb_like_ofd_is_capped(monkeypatch):
    # 2 MB of zeros compresses to a few KB; with the cap lowered it counts as a bomb
    bomb = make_zip({"OFD.xml": OFD_XML, "Doc_0/big.bin": b"\0" * (2 * 1024 * 1024)})
    assert len(bomb) < 20_000
    monkeypatch.setattr(uploads, "OFD_MAX_UNCOMPRESSED", 1024 * 1024)
    assert rejected(bomb).code == "corrupt"


def test_ofd_with_too_many_entries_is_capped(monkeypatch):
    monkeypatch.setattr(uploads, "OFD_MAX_ENTRIES", 5)
    many = make_zip({"OFD.xml": OFD_XML, **{f"Res/{i}.xml": b"<a/>" for i in range(10)}})
    assert rejected(many).code == "corrupt"


def test_ofd_with_bogus_ofd_xml_is_corrupt():
    assert rejected(make_zip({"OFD.xml": b"\x00\x01binary"})).code == "corrupt"


def test_truncated_ofd_is_corrupt():
    data = make_ofd()
    assert rejected(data[: len(data) // 2]).code == "corrupt"


def test_allowed_restricts_the_kinds():
    error = rejected(make_pdf(), allowed=("jpg", "png"))
    assert error.code == "type_not_allowed" and "JPG、PNG" in error.message
    assert check_upload(make_image("JPEG"), allowed=("jpeg",)).kind == "jpg"
    with pytest.raises(ValueError):
        check_upload(make_pdf(), allowed=("exe",))


# --- Scanners ---------------------------------------------------------------------------------


def reject_all(data, info):
    raise UploadRejected("infected", "文件未通过病毒检查")


def broken_scanner(data, info):
    raise ConnectionError("clamd is down")


def test_registered_scanner_can_reject():
    seen = []

    def eicar(data, info):
        seen.append(info.kind)
        if b"EICAR" in data:
            raise UploadRejected("infected", "文件未通过病毒检查")

    register_scanner(eicar)
    try:
        assert check_upload(make_pdf()).kind == "pdf"
        png = make_image("PNG") + b"EICAR"  # trailing data after IEND still verifies
        assert rejected(png).code == "infected"
        assert seen == ["pdf", "png"]
    finally:
        uploads.unregister_scanner(eicar)
    assert check_upload(make_image("PNG") + b"EICAR").kind == "png"


def test_scanner_from_settings(settings):
    settings.YIWANG_UPLOAD_SCANNERS = [f"{__name__}.reject_all"]
    assert rejected(make_pdf()).code == "infected"
    settings.YIWANG_UPLOAD_SCANNERS = [f"{__name__}.broken_scanner"]
    error = rejected(make_pdf())
    assert error.code == "scan_failed"  # fails closed
    settings.YIWANG_UPLOAD_SCANNERS = ["yiwang.core.tests.no_such_module.scan"]
    with pytest.raises(ImproperlyConfigured):
        check_upload(make_pdf())


def test_no_scanner_by_default():
    assert uploads.scanners() == []


# --- Storing ----------------------------------------------------------------------------------


def test_store_writes_0600_under_media_root_with_a_random_name(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    data = make_pdf()
    upload = SimpleUploadedFile("我的 身份证.PNG", data)
    info = check_upload(upload)
    name = store(upload, info, subdir="materials/2025")
    assert name.startswith("materials/2025/") and name.endswith(".pdf")
    assert "身份证" not in name
    path = tmp_path / "media" / name
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other = store(data, info, subdir="materials/2025")
    assert other != name


def test_store_refuses_changed_content_and_bad_subdirs(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    info = check_upload(make_pdf())
    with pytest.raises(ValueError):
        store(make_pdf(pages=5), info, subdir="materials")
    for bad in ("../etc", "a/../../b", "", "a b", "/abs/../x"):
        with pytest.raises(ValueError):
            store(make_pdf(), info, subdir=bad)


def test_store_refuses_media_root_inside_static_root(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.MEDIA_ROOT = str(tmp_path / "static" / "media")
    data = make_pdf()
    with pytest.raises(ImproperlyConfigured):
        store(data, check_upload(data), subdir="materials")


# --- Property: arbitrary input never escapes as anything but UploadRejected -------------------

MAGICS = [b"", b"%PDF-", b"%PDF-1.4\n", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"MZ"]


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(MAGICS), body=st.binary(max_size=2048))
def test_arbitrary_bytes_only_raise_upload_rejected(prefix, body):
    try:
        info = check_upload(prefix + body, max_bytes=4096)
    except UploadRejected as error:
        assert error.code and error.message
    else:
        assert isinstance(info, UploadInfo) and info.kind in uploads.KINDS


@hsettings(max_examples=100, deadline=None)
@given(data=st.data())
def test_mutated_valid_files_only_raise_upload_rejected(data):
    original = data.draw(st.sampled_from([make_pdf(1), make_image("PNG"), make_image("JPEG"), make_ofd()]))
    cut = data.draw(st.integers(min_value=0, max_value=len(original)))
    pos = data.draw(st.integers(min_value=0, max_value=max(0, len(original) - 1)))
    mutated = bytearray(original[:cut] or original)
    if pos < len(mutated):
        mutated[pos] = data.draw(st.integers(min_value=0, max_value=255))
    try:
        check_upload(bytes(mutated))
    except UploadRejected:
        pass
