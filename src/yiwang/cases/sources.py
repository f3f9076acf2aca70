"""Source providers (DESIGN §3): registries into which higher apps plug so that a material or a
form field is satisfied without the applicant handing it over again — the certificate library
(证照库) finds a licence by the material's certificate type, data sharing (数据共享) answers a
field from another department's data. Cases never imports those apps; they register here at
start-up (``AppConfig.ready``). Until one is registered, or when it finds nothing, the applicant
uploads or types as usual."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("yiwang.cases.sources")


@dataclass(frozen=True)
class FoundMaterial:
    """A material a source can supply: ``reference`` names what was found (e.g. a licence number)."""

    reference: str
    note: str = ""


class MaterialSource(ABC):
    """Supplies a required material of an application, e.g. an electronic licence (电子证照)."""

    name = "base"

    @abstractmethod
    def find(self, applicant, enterprise, material) -> FoundMaterial | None:
        """``material`` is the catalogue's material spec (code, name, certificate_type,
        sharing_resource …). Return None when nothing is on record."""

    def find_for_case(self, case, material, user=None) -> FoundMaterial | None:
        """Like :meth:`find`, for a source that needs the case itself (the department asking,
        the item as the purpose; ``user`` is who is applying). The case may not be saved yet.
        Default: :meth:`find` with the case's applicant."""
        return self.find(case.applicant, case.enterprise, material)

    def confirm(self, case, row, user=None) -> None:
        """After submission, with the case number: a source whose uses must name the case (数据共享)
        records it here. ``row`` is the CaseMaterial it satisfied. Default: nothing."""
        return None

    def still_valid(self, case, reference: str) -> bool:
        """Whether what was found (``reference``) still holds when the case is submitted — a
        certificate may have been revoked or have expired while the draft waited."""
        return True

    def record_use(self, case, material, found: FoundMaterial) -> None:
        """Called once the case holds the material: a source that must log each use (证照用证记录,
        共享调用日志) does it here, with the case as the purpose. Default: nothing to log."""
        return None


@dataclass(frozen=True)
class SourcedField:
    """The answer of a field that declares a source: the value to keep (``ok``), or why the
    applicant must type it (``note``). ``label`` says where it came from, for applicant and clerk."""

    label: str
    ok: bool
    value: Any = None
    note: str = ""
    correction_url: str = ""  # where the applicant reports a wrong value (数据纠错)

    def as_json(self, read_at: str) -> dict[str, Any]:
        return {"label": self.label, "ok": self.ok, "value": self.value if self.ok else None,
                "note": self.note, "read_at": read_at, "correction_url": self.correction_url}


class FormFieldSource(ABC):
    """Answers form fields from data already held (profile, shared data)."""

    name = "base"

    @abstractmethod
    def values(self, applicant, enterprise, specs) -> dict[str, Any]:
        """``specs`` are the form's field specs (catalog.formschema.FieldSpec); return known values
        by field name. Only values for fields in ``specs`` are used. These are suggestions: the
        applicant may change them."""

    def sourced(self, case, specs, user=None) -> dict[str, SourcedField]:
        """Authoritative answers for the fields of ``specs`` that declare this source (``spec.source``):
        the server keeps them whatever the client sends. ``case.number`` is set once submitted;
        ``user`` is who caused the read (applicant, proxy agent, clerk)."""
        return {}


_material_sources: list[MaterialSource] = []
_field_sources: list[FormFieldSource] = []


def register_material_source(source: MaterialSource) -> None:
    if all(s.name != source.name for s in _material_sources):
        _material_sources.append(source)


def register_form_field_source(source: FormFieldSource) -> None:
    if all(s.name != source.name for s in _field_sources):
        _field_sources.append(source)


def unregister(name: str) -> None:
    """Remove a source by name (tests, and apps that are switched off)."""
    _material_sources[:] = [s for s in _material_sources if s.name != name]
    _field_sources[:] = [s for s in _field_sources if s.name != name]


def material_sources() -> list[MaterialSource]:
    return list(_material_sources)


def form_field_sources() -> list[FormFieldSource]:
    return list(_field_sources)


def find_material(applicant, enterprise, material, *, case=None, user=None) -> tuple[str, FoundMaterial] | None:
    """The first source that has the material, as ``(source name, found)``. A failing source is
    logged and skipped: the applicant can still upload."""
    for source in _material_sources:
        try:
            found = (source.find_for_case(case, material, user=user) if case is not None
                     else source.find(applicant, enterprise, material))
        except Exception:  # a broken provider must never block an application
            log.exception("材料来源 %s 查询失败", source.name)
            continue
        if found is not None:
            return source.name, found
    return None


def record_uses(case, used: list[tuple[str, Any, FoundMaterial]]) -> None:
    """Tell each source which of its finds the case now holds, as (source name, material, found).
    A use that cannot be recorded is not used: that material goes back to "to be uploaded"."""
    from django.db import transaction

    from yiwang.cases.models import CaseMaterial

    by_name = {s.name: s for s in _material_sources}
    for name, material, found in used:
        source = by_name.get(name)
        if source is None:
            continue
        try:
            with transaction.atomic():
                source.record_use(case, material, found)
        except Exception:  # the application goes on; the applicant uploads this one instead
            log.exception("材料来源 %s 未能记录使用", name)
            CaseMaterial.objects.filter(case=case, material_code=material.code).update(
                status=CaseMaterial.Status.MISSING, source="", reference="")


def recheck(case, *, actor) -> None:
    """At submission: a material satisfied by a source that no longer vouches for it goes back
    to "to be uploaded" (so the submission asks for it) — only in a draft the actor is party to:
    nobody else's (refused) submit may change a case."""
    from django.db.models import Q

    from yiwang.cases.models import CaseMaterial
    from yiwang.cases.status import CaseStatus

    by_name = {s.name: s for s in _material_sources}
    party = Q(case__applicant=actor) | Q(case__proxy_agent=actor) | Q(case__registered_by=actor)
    for row in case.materials.filter(party, status=CaseMaterial.Status.AUTO, case__status=CaseStatus.DRAFT).only("id", "source", "reference", "material_code"):
        source = by_name.get(row.source)
        try:
            valid = source is None or source.still_valid(case, row.reference)
        except Exception:
            log.exception("材料来源 %s 复核失败", row.source)
            valid = False
        if not valid:
            from yiwang.core import audit

            CaseMaterial.objects.filter(pk=row.pk).update(status=CaseMaterial.Status.MISSING, source="", reference="")
            audit.record("case.material_unsourced", object_type="cases.case", object_id=str(case.pk),
                         summary=f"材料 {row.material_code} 的来源（{row.source}）不再有效，改为待上传",
                         data={"material_code": row.material_code, "source": row.source})


def vouches(case, source_name: str, reference: str) -> bool:
    """Whether the source that satisfied a material still does so for ``case`` (e.g. for a
    一件事 child, whose own department must be allowed to read what the lead one read)."""
    source = next((s for s in _material_sources if s.name == source_name), None)
    try:
        return source is None or source.still_valid(case, reference)
    except Exception:
        log.exception("材料来源 %s 复核失败", source_name)
        return False


def prefill(applicant, enterprise, specs, form: dict[str, Any]) -> dict[str, Any]:
    """``form`` with empty top-level fields filled from the registered sources (typed values win)."""
    names = {s.name for s in specs}
    result = dict(form)
    for source in _field_sources:
        try:
            values = source.values(applicant, enterprise, specs) or {}
        except Exception:
            log.exception("表单来源 %s 查询失败", source.name)
            continue
        for key, value in values.items():
            if key in names and result.get(key) in (None, "", [], {}):
                result[key] = value
    return result


def sourced_fields(case, specs, *, user=None) -> dict[str, SourcedField]:
    """Every top-level field of ``specs`` that declares a source, answered by the registered
    sources. A value that does not fit the field (too long, not an option, control characters)
    is not kept: the applicant could not correct a read-only field. A source that fails outright
    leaves its fields to manual entry with a note."""
    from django.utils.translation import gettext as _

    declared = [s for s in specs if getattr(s, "source", None)]
    if not declared:
        return {}
    found: dict[str, SourcedField] = {}
    for source in _field_sources:
        try:
            found.update(source.sourced(case, declared, user=user) or {})
        except Exception:
            log.exception("表单来源 %s 获取失败", source.name)
    by_name = {s.name: s for s in declared}
    for name, answer in list(found.items()):
        problem = _misfit(by_name[name], answer.value) if answer.ok and name in by_name else ""
        if problem:
            found[name] = SourcedField(label=answer.label, ok=False, note=_(
                "数据共享提供的值不符合本表要求（%(problem)s），请手工填写。") % {"problem": problem})
    for spec in declared:
        found.setdefault(spec.name, SourcedField(
            label=_("数据共享：%(resource)s") % {"resource": spec.source.get("resource", "")}, ok=False,
            note=_("暂时无法从数据共享获取，请手工填写。")))
    return found


def _misfit(spec, value) -> str:
    """Why ``value`` cannot be the answer of ``spec`` (empty when it fits)."""
    from django.utils.translation import gettext as _

    from yiwang.catalog import formschema
    from yiwang.core.text import strip_control

    if isinstance(value, str) and strip_control(value) != value.strip():
        return _("含有不可见字符")
    errors = formschema.validate({"type": "object", "properties": {spec.name: spec.schema}}, {spec.name: value})
    return "；".join(str(m) for m in errors.values())


def confirm_submitted(case, *, user=None) -> None:
    """After submission: each source that satisfied a material of ``case`` records the use with
    the case number (see :meth:`MaterialSource.confirm`). A failing source is logged and skipped."""
    from yiwang.cases.models import CaseMaterial

    by_name = {s.name: s for s in _material_sources}
    for row in case.materials.filter(status=CaseMaterial.Status.AUTO):
        source = by_name.get(row.source)
        if source is None:
            continue
        try:
            source.confirm(case, row, user=user)
        except Exception:
            log.exception("材料来源 %s 提交后确认失败", row.source)


def pin_sourced(field_sources: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """``form`` with every field answered by a source set back to the value read: a client
    cannot change what the source said."""
    pinned = dict(form)
    for name, entry in (field_sources or {}).items():
        if isinstance(entry, dict) and entry.get("ok"):
            pinned[name] = entry.get("value")
    return pinned


# Flat names of fields that mean the applicant's own data when the item gives no ``prefill`` hint.
PROFILE_BY_NAME = {
    "applicant_name": "profile.name", "name": "profile.name",
    "applicant_id_number": "profile.id_number", "id_number": "profile.id_number",
    "applicant_phone": "profile.phone", "phone": "profile.phone",
    "applicant_address": "profile.address", "address": "profile.address",
    "enterprise_name": "enterprise.name", "uscc": "enterprise.uscc",
    "legal_rep_name": "enterprise.legal_rep_name", "enterprise_address": "enterprise.address",
}
# The kind a field must have for the by-name guess to apply (a "phone" that is not a phone field
# is left alone).
_KIND_OF_SOURCE = {"profile.id_number": {"id_number"}, "profile.phone": {"phone"}, "enterprise.uscc": {"uscc"}}


def profile_key(spec) -> str:
    """Where a field's answer lives in the profile: the item's hint, else a guess by name."""
    return spec.prefill or PROFILE_BY_NAME.get(spec.name, "")


def _profile_value(source: str, user, enterprise) -> Any:
    scope, _dot, attr = source.partition(".")
    if scope == "profile":
        value = {"name": user.name, "id_number": user.id_number, "phone": user.phone,
                 "address": user.address}.get(attr)
    elif scope == "enterprise" and enterprise is not None:
        value = {"name": enterprise.name, "uscc": enterprise.uscc, "legal_rep_name": enterprise.legal_rep_name,
                 "address": enterprise.address}.get(attr)
    else:
        value = None
    return value or None


class ProfileFieldSource(FormFieldSource):
    """The applicant's own profile and the enterprise applied for (UI hint ``prefill:
    profile.name`` etc., or a conservative guess by field name and kind). The values are
    decrypted personal data: they only ever go into the applicant's own form."""

    name = "profile"

    def values(self, applicant, enterprise, specs) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for spec in specs:
            source = profile_key(spec)
            if not source or (not spec.prefill and spec.kind not in _KIND_OF_SOURCE.get(source, {spec.kind})):
                continue
            value = _profile_value(source, applicant, enterprise)
            if value is None:
                continue
            if spec.kind == "address":
                region = enterprise.region if source.startswith("enterprise") and enterprise else applicant.region
                found[spec.name] = {"detail": value, **({"region_code": region.code} if region else {})}
            elif spec.kind in ("text", "textarea", "id_number", "uscc", "phone"):
                found[spec.name] = value
        return found
