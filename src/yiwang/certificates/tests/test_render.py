"""The certificate PDF and the seal: what the page shows, the QR code it carries, and that
nothing outside the document (admin template tricks, local files) gets into it."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from io import BytesIO

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from yiwang.certificates.documents import ID_TYPE_PERSON, CertificateDocument, Holder, Issuer
from yiwang.certificates.render import render_html, render_pdf
from yiwang.certificates.seal import seal_svg

ISSUER = Issuer("济宁市兖州区市场监督管理局", "11370812MB2858213K")
DOC = CertificateDocument(
    identifier="1.2.156.3005.2.SPJYXKZ.11370812MB2858213K.2026000001.001.7",
    type_code="SPJYXKZ", type_name="食品经营许可证", name="食品经营许可证",
    holder=Holder("王秀兰", ID_TYPE_PERSON, "370882198805120014"),
    issuer=ISSUER, issued_on=dt.date(2026, 3, 5), valid_from=dt.date(2026, 3, 5),
    valid_until=dt.date(2031, 3, 4),
    fields=(("经营场所", "山东省济宁市兖州区建设东路88号"), ("经营项目", "预包装食品销售")),
)
URL = "https://yiwang.example.gov.cn/certificates/verify/?id=1.2.156.3005.2.SPJYXKZ.11370812MB2858213K.2026000001.001.7"
WATERMARK = "仅供办理银行开户使用 有效期至2026年6月30日"


def page_text(pdf: bytes) -> str:
    """Extracted text with all whitespace removed (letter-spacing and line breaks split words)."""
    return re.sub(r"\s+", "", PdfReader(BytesIO(pdf)).pages[0].extract_text())


@pytest.fixture(scope="module")
def demo_pdf() -> bytes:
    return render_pdf(DOC, verify_url=URL, demo=True)


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    return render_pdf(DOC, verify_url=URL, demo=False)


def test_one_a4_page_in_the_noto_cjk_fonts(demo_pdf):
    assert demo_pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(demo_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.28, abs=0.5)
    assert float(box.height) == pytest.approx(841.89, abs=0.5)
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts == {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC-Bold"}
    assert reader.metadata.title == "食品经营许可证"


def test_page_shows_the_certificate(demo_pdf):
    text = page_text(demo_pdf)
    for expected in (
        "食品经营许可证", "编号：" + DOC.identifier, "持证主体", "王秀兰", "证件号码",
        "370882198805120014（居民身份证号）", "颁发机构", ISSUER.name, "颁发日期2026年3月5日",
        "有效期2026年3月5日至2031年3月4日", "照面信息", "经营场所山东省济宁市兖州区建设东路88号",
        "经营项目预包装食品销售", "扫码核验", "本证照由一网平台签发，可通过扫码或访问" + URL + "核验",
    ):
        assert expected in text


def test_long_term_validity():
    doc = CertificateDocument(**{**DOC.__dict__, "valid_until": None})
    html = render_html(doc, verify_url=URL, demo=False)
    assert "2026年3月5日 起长期有效" in html


def test_qr_code_in_the_pdf_is_the_verify_url(demo_pdf):
    """No QR decoder is installed, so compare the embedded image module by module with what
    segno encodes for the URL (one pixel per module, four-module quiet zone)."""
    expected = segno.make_qr(URL, error="m")
    size = expected.symbol_size(scale=1, border=4)[0]
    images = [i.image for i in PdfReader(BytesIO(demo_pdf)).pages[0].images]
    [qr] = [img for img in images if img.size == (size, size)]
    grey = qr.convert("L")
    dark = [[grey.getpixel((x, y)) < 128 for x in range(size)] for y in range(size)]
    modules = [[bool(v) for v in row] for row in expected.matrix]
    assert [row[4:-4] for row in dark[4:-4]] == modules
    quiet = dark[:4] + dark[-4:] + [row[:4] + row[-4:] for row in dark]
    assert not any(any(row) for row in quiet)


def test_demo_marks(demo_pdf, plain_pdf):
    assert "演示样本" in page_text(demo_pdf)
    assert "演示样本" not in page_text(plain_pdf)


@pytest.mark.parametrize("demo", [True, False])
def test_seal_is_not_an_official_seal_imitation(demo):
    svg = seal_svg(ISSUER.name, demo=demo)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    tags = {el.tag.removeprefix(ns) for el in root.iter()}
    assert not tags & {"circle", "ellipse", "polygon", "path", "polyline"}  # no round seal, no star
    assert root.find(f"{ns}g/{ns}rect").get("rx")  # a rounded rectangle frame
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', svg))
    for colour in colours:
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert not (r > 150 and g < 100 and b < 100), f"{colour} is seal red"
    texts = "".join(el.text or "" for el in root.iter(f"{ns}text"))
    assert "电子证照专用章" in texts
    assert "市场监督管理局" in texts
    assert ("演示样本" in texts) is demo
    assert ("演示样本" in svg) is demo


def test_seal_escapes_the_department_name():
    svg = seal_svg('A&B<局>"x', demo=False)
    root = ET.fromstring(svg)  # well-formed despite the name
    assert "A&B<局>" in "".join(root.itertext())
    assert "<局>" not in svg
    assert root.get("aria-label").startswith('A&B<局>"x')


def test_seal_splits_a_long_name_after_the_place_name():
    svg = seal_svg("济宁市兖州区人力资源和社会保障局", demo=False)
    lines = [el.text for el in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert lines[:2] == ["济宁市兖州区", "人力资源和社会保障局"]


def test_body_template_replaces_the_field_table_and_is_escaped():
    doc = CertificateDocument(**{**DOC.__dict__, "fields": (("经营场所", "<b>建设东路</b>88号"), ("备注", "无"))})
    body = ('<p class="site">场所：{{ fields.经营场所 }}</p>'
            '<ul>{% for label, value in field_list %}<li>{{ label }}={{ value }}</li>{% endfor %}</ul>'
            "<p>{{ doc.holder.name }}</p>")
    html = render_html(doc, verify_url=URL, demo=False, body_template=body)
    assert '<p class="site">场所：&lt;b&gt;建设东路&lt;/b&gt;88号</p>' in html
    assert "<li>备注=无</li>" in html
    assert "<b>建设东路" not in html
    assert 'class="fields"' not in html  # the default table is replaced
    text = page_text(render_pdf(doc, verify_url=URL, demo=False, body_template=body))
    assert "场所：<b>建设东路</b>88号" in text
    assert "备注=无" in text
    assert "王秀兰" in text


def test_local_files_are_never_fetched(tmp_path):
    picture = tmp_path / "secret.png"
    Image.new("RGB", (7, 5), "red").save(picture)
    body = f'<img src="{picture.as_uri()}"><link rel="stylesheet" href="{tmp_path.as_uri()}/x.css">'
    pdf = render_pdf(DOC, verify_url=URL, demo=False, body_template=body)
    sizes = [i.image.size for i in PdfReader(BytesIO(pdf)).pages[0].images]
    assert (7, 5) not in sizes
    assert len(sizes) == 1  # only the QR code


def test_watermarked_copy(plain_pdf):
    copy = render_pdf(DOC, verify_url=URL, demo=False, watermark=WATERMARK)
    reader = PdfReader(BytesIO(copy))
    assert len(reader.pages) == 1
    text = page_text(copy)
    assert text.count(WATERMARK.replace(" ", "")) >= 10  # repeated across the page
    assert "王秀兰" in text
    assert "仅供" not in page_text(plain_pdf)
    html = render_html(DOC, verify_url=URL, demo=False, watermark="<i>仅供</i>")
    assert "&lt;i&gt;仅供&lt;/i&gt;" in html
