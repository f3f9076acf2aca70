"""The certificate PDF: one A4 page rendered by WeasyPrint from a Django template.

Why these choices: the PDF is what gets signed, so it is self-contained (QR code and seal are
data URIs; every other URL is refused, which also keeps an admin-edited body template from
reading local files or probing the network). The page is always in Chinese whatever the
requester's language, because it is a legal document. Fonts are the system's Noto CJK faces
(Debian ``fonts-noto-cjk``), two faces only: each embedded face is subset on every render, which
is most of the cost. The stylesheet is parsed once and one ``FontConfiguration`` per thread is
reused.
"""

from __future__ import annotations

import base64
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import segno
from django.template import Template, TemplateDoesNotExist, engines
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from yiwang.certificates.documents import ID_TYPE_ORG, ID_TYPE_PERSON, CertificateDocument
from yiwang.certificates.seal import seal_svg

TEMPLATE_NAME = "certificates/pdf/certificate.html"
TEMPLATE_PATH = Path(__file__).parent / "templates" / TEMPLATE_NAME
STYLESHEET_PATH = TEMPLATE_PATH.with_name("certificate.css")
CERTIFICATE_LANGUAGE = "zh-hans"
WATERMARK_ROWS = 14

_local = threading.local()


def _weasyprint() -> Any:
    """Imported on first use: WeasyPrint pulls in Pango through cffi, which the web processes
    that never render do not need to load."""
    import weasyprint

    return weasyprint


def _font_config() -> Any:
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


@lru_cache(maxsize=1)
def _url_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


@lru_cache(maxsize=1)
def _stylesheet() -> Any:
    """Parsed once: re-parsing the CSS on every render cost about a tenth of the budget."""
    return _weasyprint().CSS(string=STYLESHEET_PATH.read_text(encoding="utf-8"), url_fetcher=_url_fetcher())


def _engine() -> Any:
    return engines["django"]


def _page_template() -> Any:
    """The app template when the app is installed (so a deployment can override it), else the
    file next to this module."""
    try:
        return _engine().get_template(TEMPLATE_NAME)
    except TemplateDoesNotExist:
        return _file_template()


@lru_cache(maxsize=1)
def _file_template() -> Any:
    return _engine().from_string(TEMPLATE_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def _body_template(source: str) -> Template:
    return _engine().from_string(source)


def chinese_date(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def validity_text(doc: CertificateDocument) -> str:
    start = chinese_date(doc.valid_from)
    if doc.valid_until is None:
        return _("%(start)s 起长期有效") % {"start": start}
    return _("%(start)s 至 %(end)s") % {"start": start, "end": chinese_date(doc.valid_until)}


def id_type_label(id_type: str) -> str:
    return {ID_TYPE_PERSON: _("居民身份证号"), ID_TYPE_ORG: _("统一社会信用代码")}.get(id_type, "")


def qr_data_uri(verify_url: str) -> str:
    """The verify URL as a vector QR code (error correction M, enough for a printed copy)."""
    return segno.make_qr(verify_url, error="m").png_data_uri(scale=1, border=4)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_body(body_template: str, doc: CertificateDocument) -> SafeString:
    """An admin-edited 照面信息 template, autoescaped; a syntax error raises
    ``django.template.TemplateSyntaxError`` (the type's edit form should check it first)."""
    context = {"doc": doc, "fields": dict(doc.fields), "field_list": doc.fields}
    return mark_safe(_body_template(body_template).render(context))


def render_html(
    doc: CertificateDocument, *, verify_url: str, demo: bool, body_template: str = "", watermark: str = ""
) -> str:
    """The HTML that ``render_pdf`` prints (useful for a preview page and for tests)."""
    with translation.override(CERTIFICATE_LANGUAGE):
        context = {
            "doc": doc,
            "demo": demo,
            "verify_url": verify_url,
            "issued_on": chinese_date(doc.issued_on),
            "validity": validity_text(doc),
            "id_type_label": id_type_label(doc.holder.id_type),
            "body": render_body(body_template, doc) if body_template else "",
            "qr_uri": qr_data_uri(verify_url),
            "seal_uri": svg_data_uri(seal_svg(doc.issuer.name, demo=demo)),
            "watermark": watermark,
            "watermark_rows": [i % 2 == 1 for i in range(WATERMARK_ROWS)],
        }
        return _page_template().render(context)


def render_pdf(
    doc: CertificateDocument, *, verify_url: str, demo: bool, body_template: str = "", watermark: str = ""
) -> bytes:
    """The certificate as PDF bytes. ``watermark`` non-empty gives a 用证授权 copy with the text
    repeated diagonally across the page."""
    html = render_html(doc, verify_url=verify_url, demo=demo, body_template=body_template, watermark=watermark)
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, url_fetcher=_url_fetcher())
    return document.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config())
