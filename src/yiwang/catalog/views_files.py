"""Downloads of a published item's files (material blank forms and samples, the result sample).

Uploaded files never live under the web root: they are read from storage here, only for a
published version or one it superseded (a running case may still point at it), and always sent
as an attachment so a browser never renders an uploaded HTML or SVG file as a page."""

from __future__ import annotations

import os

from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yiwang.catalog import queries

FILE_KINDS = {"blank": "blank_form", "sample": "sample"}


def _serve(fieldfile, title: str) -> FileResponse:
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except (OSError, SuspiciousFileOperation, ValueError) as exc:
        raise Http404 from exc
    ext = os.path.splitext(fieldfile.name)[1].lower()[:10]
    response = FileResponse(handle, as_attachment=True, filename=f"{title}{ext}")
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def material_file(request, code: str, material_code: str, kind: str):
    """``kind`` is ``blank`` (空白表格) or ``sample`` (示例样表); ``?v=`` picks a public version."""
    if kind not in FILE_KINDS:
        raise Http404
    version = queries.public_file(code, request.GET.get("v"))
    if version is None:
        raise Http404
    material = version.materials.filter(code=material_code).first()
    if material is None:
        raise Http404
    label = _("空白表格") if kind == "blank" else _("示例样表")
    return _serve(getattr(material, FILE_KINDS[kind]), f"{material.name}-{label}")


@require_GET
def result_sample(request, code: str):
    version = queries.public_file(code, request.GET.get("v"))
    if version is None:
        raise Http404
    return _serve(version.result_sample, f"{version.result_name or version.name}-{_('结果样本')}")
