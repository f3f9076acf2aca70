"""What the applicant pages share: loading a case the user may see (a denied attempt is audited
and answered with a readable 403 page), problem pages, material uploads from a multipart post."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from yiwang.cases import applying, policies
from yiwang.cases.models import Case
from yiwang.core import audit
from yiwang.core.api import ApiError
from yiwang.core.uploads import max_upload_bytes

FILE_PREFIX = "file-"  # multipart name of a material's upload slot: file-<material code>
ACCEPT = ".pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png"


def problem(request, title: str, message: str, status: int, *, link: str = "", link_text: str = ""):
    return render(request, "cases/problem.html", {"title": title, "message": message, "link": link,
                                                  "link_text": link_text}, status=status)


def _load(case_id: int) -> Case:
    return get_object_or_404(Case.objects.select_related(
        "item", "item_version", "department__region", "accepting_department", "enterprise", "applicant", "bundle"),
        pk=case_id)


def case_name(case: Case) -> str:
    """What the applicant applied for: a 一件事 parent is the bundle, not its lead item."""
    return case.bundle.name if case.bundle_id and case.parent_id is None else case.item_version.name


def case_view(*, party_only: bool = True):
    """Decorator: pass the case to the view when the user may see it (the applicant or their proxy
    agent; with ``party_only=False`` also staff of its departments), else a 403 page."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, case_id: int, *args, **kwargs):
            case = _load(case_id)
            allowed = policies.is_party(request.user, case) if party_only else policies.can_view(request.user, case)
            if not allowed:
                audit.record("case.access_denied", actor=request.user, obj=case, summary="无权访问办件页面")
                return problem(request, _("无权访问"), _("只能查看本人申请或代办的办件。"), 403)
            return view(request, case, *args, **kwargs)
        return wrapper
    return decorate


def upload_files(request, case: Case) -> dict[str, str]:
    """Attach every file chosen in the post (``file-<code>``). Returns messages by material code
    for rejected files; a rejected file changes nothing, the others are stored."""
    errors: dict[str, str] = {}
    for material in case.materials.all():
        upload = request.FILES.get(FILE_PREFIX + material.material_code)
        if upload is None:
            continue
        try:
            applying.attach_material(request.user, case, material.material_code, upload)
        except ApiError as exc:
            errors[material.material_code] = exc.fields.get("file") or exc.message
    return errors


def split_errors(fields: dict[str, str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """A service's field messages → (form field paths, material codes, the rest)."""
    form, materials, other = {}, {}, {}
    for key, message in fields.items():
        if key.startswith("form."):
            form[key.removeprefix("form.")] = message
        elif key.startswith("materials."):
            materials[key.removeprefix("materials.")] = message
        else:
            other[key] = message
    return form, materials, other


def material_rows(case: Case, errors: dict[str, str] | None = None, *, only: set[str] | None = None) -> list[dict]:
    """Each material of the case (or those with codes in ``only``) with the item's description
    (necessity, notes) and its message."""
    if case.bundle_id and case.parent_id is None:
        from yiwang.cases.bundles import merged_materials

        specs = {m.code: m for m in merged_materials(case.bundle)}
    else:
        specs = {m.code: m for m in case.item_version.materials.all()}
    rows = []
    for m in case.materials.all():
        if only is not None and m.material_code not in only:
            continue
        spec = specs.get(m.material_code)
        rows.append({
            "material": m, "spec": spec, "slot": FILE_PREFIX + m.material_code,
            "deferrable": bool(spec and spec.necessity == "deferrable"),
            "error": (errors or {}).get(m.material_code, ""),
        })
    return rows


def upload_limit_text() -> str:
    mb = max_upload_bytes() / (1024 * 1024)
    return _("支持 PDF、JPG、PNG、OFD 格式，单个文件不超过 %(mb)s MB。") % {"mb": f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}"}
