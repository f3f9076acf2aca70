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


class FormFieldSource(ABC):
    """Answers form fields from data already held (profile, shared data)."""

    name = "base"

    @abstractmethod
    def values(self, applicant, enterprise, specs) -> dict[str, Any]:
        """``specs`` are the form's field specs (catalog.formschema.FieldSpec); return known values
        by field name. Only values for fields in ``specs`` are used."""


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


def find_material(applicant, enterprise, material) -> tuple[str, FoundMaterial] | None:
    """The first source that has the material, as ``(source name, found)``. A failing source is
    logged and skipped: the applicant can still upload."""
    for source in _material_sources:
        try:
            found = source.find(applicant, enterprise, material)
        except Exception:  # a broken provider must never block an application
            log.exception("材料来源 %s 查询失败", source.name)
            continue
        if found is not None:
            return source.name, found
    return None


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


class ProfileFieldSource(FormFieldSource):
    """The applicant's own profile and enterprise (UI hint ``prefill: profile.name`` etc.)."""

    name = "profile"
    PROFILE = ("name", "id_number", "phone", "address", "email")
    ENTERPRISE = ("name", "uscc", "address", "legal_rep_name")

    def values(self, applicant, enterprise, specs) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for spec in specs:
            owner, _, attr = (spec.prefill or "").partition(".")
            if owner == "profile" and attr in self.PROFILE:
                value = getattr(applicant, attr, "")
            elif owner == "enterprise" and enterprise is not None and attr in self.ENTERPRISE:
                value = getattr(enterprise, attr, "")
            else:
                continue
            if value:
                found[spec.name] = str(value)
        return found
