"""Data sharing as a form-field and material source (DESIGN §3, "数据多跑路，群众少跑腿"):
a field that declares ``source: {resource, item}`` and a material whose source is ``sharing``
are answered through the exchange, on behalf of the department handling the case, with the
item applied for as the purpose — so every such read is checked against the grant and shows
in the citizen's 我的数据使用记录. Nothing here raises: a refused or failed read leaves the field
to manual entry (with the reason) and the material to upload."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from yiwang.cases.sources import FormFieldSource, FoundMaterial, MaterialSource, SourcedField
from yiwang.catalog import codes
from yiwang.sharing import exchange
from yiwang.sharing.models import AccessRecord, Resource, ShareType

FIELD_SOURCE_NAME = "sharing"
MATERIAL_SOURCE_NAME = "数据共享"  # shown to the applicant beside a material it satisfied


def purpose_of(case) -> str:
    return f"办理“{case.item_version.name}”"[:300]


def subject_of(case, resource: Resource) -> str:
    """The person (身份证号) or the enterprise (统一社会信用代码) the resource is about."""
    if resource.subject_kind == Resource.SubjectKind.ORGANISATION:
        return case.enterprise.uscc if case.enterprise_id else ""
    return case.applicant.id_number or ""


def source_label(resource: Resource) -> str:
    return _("数据共享：%(provider)s%(resource)s") % {"provider": resource.provider.name, "resource": resource.name}


def _unavailable_note(reading: exchange.Reading) -> str:
    if reading.result == AccessRecord.Result.NOT_FOUND:
        return _("提供部门没有您的这项记录，请手工填写。")
    return _("未能从数据共享获取（%(reason)s），请手工填写。") % {"reason": reading.reason}


def as_answer(spec, value: Any) -> Any:
    """The shared value in the field's terms: an option may be given by its value or its label."""
    if spec.options and value is not None:
        for option in spec.options:
            if value == option.value or str(value) == str(option.label):
                return option.value
        return None
    if spec.kind in ("number",) and isinstance(value, str):
        try:
            return int(value) if spec.integer else float(value)
        except ValueError:
            return None
    return value


class SharingFieldSource(FormFieldSource):
    name = FIELD_SOURCE_NAME

    def values(self, applicant, enterprise, specs) -> dict[str, Any]:
        return {}  # shared data is never a mere suggestion: see sourced()

    def sourced(self, case, specs, user=None) -> dict[str, SourcedField]:
        wanted: dict[str, list] = defaultdict(list)
        for spec in specs:
            if spec.source:
                wanted[spec.source["resource"]].append(spec)
        resources = {r.code: r for r in Resource.objects.select_related("provider").filter(code__in=list(wanted))}
        answers: dict[str, SourcedField] = {}
        for code, field_specs in wanted.items():
            resource = resources.get(code)
            if resource is None:
                continue  # an unknown resource: cases' default note (manual entry) applies
            label = source_label(resource)
            subject = subject_of(case, resource)
            if not subject:
                for spec in field_specs:
                    answers[spec.name] = SourcedField(label=label, ok=False,
                                                      note=_("未选择单位，无法获取，请手工填写。"))
                continue
            items = list(dict.fromkeys(spec.source["item"] for spec in field_specs))
            reading = exchange.read(resource, subject, consumer=case.department, purpose=purpose_of(case),
                                    items=items, user=user, case_number=case.number or "")
            for spec in field_specs:
                value = as_answer(spec, reading.values.get(spec.source["item"])) if reading.ok else None
                if reading.ok and value not in (None, ""):
                    answers[spec.name] = SourcedField(label=label, ok=True, value=value, correction_url=(
                        f"/sharing/objections/new/?{urlencode({'resource': code, 'item': spec.source['item']})}"))
                else:
                    answers[spec.name] = SourcedField(label=label, ok=False, note=_unavailable_note(reading)
                                                      if not reading.ok else _("共享数据中没有该项，请手工填写。"))
        return answers


class SharingMaterialSource(MaterialSource):
    """A material with source ``sharing`` (e.g. 户籍信息 in place of the 户口簿) is satisfied when
    the department handling the case may read the subject's record of that resource and it exists.
    Only one item is read — enough to know the record exists; the department reads what it needs
    when it handles the case. After submission the read is made again with the case number."""

    name = MATERIAL_SOURCE_NAME

    def find(self, applicant, enterprise, material) -> FoundMaterial | None:
        return None  # needs the case (department, purpose): see find_for_case

    def find_for_case(self, case, material, user=None) -> FoundMaterial | None:
        code = (getattr(material, "sharing_resource", "") or "").strip()
        if getattr(material, "source", "") != codes.MaterialSource.SHARING or not code:
            return None
        resource = Resource.objects.select_related("provider").filter(code=code, active=True).first()
        reading = self._read(case, resource, user) if resource is not None else None
        if reading is None or not reading.ok:
            return None
        return FoundMaterial(reference=f"{resource.code}#{reading.record.seq}", note=source_label(resource))

    def still_valid(self, case, reference: str) -> bool:
        """At submission: the department may still read the resource (a grant revoked while the
        draft waited sends the material back to upload). Checked without reading the data."""
        from yiwang.cases.models import Case

        code = reference.partition("#")[0]
        resource = Resource.objects.filter(code=code, active=True).first()
        department = Case.objects.filter(pk=case.pk).values_list("department", flat=True).first()
        return resource is not None and bool(minimal_item(resource, department))

    def confirm(self, case, row, user=None) -> None:
        resource = Resource.objects.select_related("provider").filter(code=row.reference.partition("#")[0]).first()
        if resource is not None:
            self._read(case, resource, user)

    @staticmethod
    def _read(case, resource: Resource, user) -> exchange.Reading | None:
        item = minimal_item(resource, case.department_id)
        subject = subject_of(case, resource)
        if resource.share_type == ShareType.NONE or not item or not subject:
            return None
        return exchange.read(resource, subject, consumer=case.department, purpose=purpose_of(case), items=[item],
                             user=user, case_number=case.number or "")


def minimal_item(resource: Resource, consumer_id) -> str:
    """One item the consumer department may read (the first in the catalogue's order): every item
    of a 无条件 resource or of its own, those of one live grant for a 有条件 one; '' when none."""
    names = resource.item_names()
    if resource.share_type == ShareType.NONE or not names:
        return ""
    if resource.share_type == ShareType.UNCONDITIONAL or resource.provider_id == consumer_id:
        return names[0]
    granted = {i for items in exchange.live_grants(consumer_id, resource).values_list("items", flat=True)
               for i in items}
    return next((n for n in names if n in granted), "")
