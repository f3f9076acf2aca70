"""Reads of the public catalogue that the API and the portal pages share (DESIGN §3 queries).

Everything here is public information: only published versions (``ServiceItem.current``) are
shown, never drafts. Results are plain dicts in the shape of the API (``docs`` in the issue), so a
template and a JSON answer show the same thing; codes carry a Chinese ``*_label`` beside them.

- :func:`parse_filters` validates listing filters (the API answers 400 with ``fields``; the pages
  drop a bad value and say so beside the control);
- :func:`find_items` runs the search (``yiwang.catalog.search``) and turns ids into item cards;
- :func:`guide` is the whole 办事指南 of one item; :func:`bundle_detail` a 一件事 with its merged
  material list (each material once), merged form and total time;
- themes, life events, departments and hot items for the portal's entry pages.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.catalog import codes
from yiwang.catalog.models import Bundle, ItemVersion, LifeEvent, Material, ServiceItem, Theme, VersionStatus
from yiwang.catalog.models.taxonomy import Audience as ThemeAudience
from yiwang.core.clock import SHANGHAI, iso
from yiwang.org.models import Department

QUERY_MAX_LENGTH = 100
MAX_PAGE = 10_000  # deeper pages are meaningless for a listing and would overflow OFFSET arithmetic
LIMIT_WORKDAYS = {codes.LimitUnit.WORKDAY: 1.0, codes.LimitUnit.NATURAL_DAY: 5 / 7}
TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off"}
ONLINE_CHOICES = (("full", gettext_lazy("全程网办")), ("capable", gettext_lazy("网上可办")))
CHARGES_CHOICES = (("yes", gettext_lazy("收费")), ("no", gettext_lazy("不收费")))
FILTER_NAMES = ("audience", "department", "theme", "item_type", "case_type", "online", "tongban", "charges")
ONLINE_LEVEL_LABELS = {
    1: gettext_lazy("Ⅰ级（互联网咨询）"),
    2: gettext_lazy("Ⅱ级（网上收件）"),
    3: gettext_lazy("Ⅲ级（网上预审、受理）"),
    4: gettext_lazy("Ⅳ级（全程网办）"),
}
NECESSITY_RANK = {codes.Necessity.REQUIRED: 3, codes.Necessity.DEFERRABLE: 2, codes.Necessity.OPTIONAL: 1}


def _label(enum, value) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value or "")


def clean_query(q: str | None) -> str:
    """A search query as residents type it: control characters dropped, whitespace collapsed,
    cut to 100 characters (the issue's limit). Never raises."""
    text = "".join(ch for ch in str(q or "") if unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
    return " ".join(text.split())[:QUERY_MAX_LENGTH]


def clamp_page(page: Any, page_size: Any = 20) -> tuple[int, int]:
    from yiwang.core.api import clamp_page as core_clamp

    try:
        page = int(page or 1)
    except (TypeError, ValueError):
        page = 1
    try:
        page_size = int(page_size or 20)
    except (TypeError, ValueError):
        page_size = 20
    page, page_size = core_clamp(min(max(page, 1), MAX_PAGE), page_size)
    return page, page_size


# --- published items --------------------------------------------------------------------------------


def published_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(current__status=VersionStatus.PUBLISHED).select_related(
        "current", "department", "region", "base"
    )


def guide_url(code: str) -> str:
    return reverse("catalog:guide", args=[code])


def apply_url(code: str) -> str:
    """Where 在线办理 starts (the case issue wires ``/cases/apply/<code>/``)."""
    return f"/cases/apply/{code}/"


def limit_dict(value: int | None, unit: str) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"value": value, "unit": unit, "unit_label": _label(codes.LimitUnit, unit)}


def limit_text(value: int | None, unit: str) -> str:
    """``20 个工作日`` / ``即时办结`` / ``无法定时限``."""
    if value is None:
        return _("无法定时限")
    if value == 0:
        return _("即时办结")
    if unit == codes.LimitUnit.NATURAL_DAY:
        return _("%(n)s 个自然日") % {"n": value}
    return _("%(n)s 个工作日") % {"n": value}


def as_workdays(value: int | None, unit: str) -> float | None:
    if value is None:
        return None
    return value * LIMIT_WORKDAYS.get(unit, 1.0)


def item_card(item: ServiceItem, version: ItemVersion | None = None) -> dict[str, Any]:
    """One row of the item listing (the API's ``items[]``), from the published version."""
    v = version or item.current
    level = codes.online_depth_level(v.online_depth)
    return {
        "code": item.code,
        "name": v.name,
        "department": {"code": item.department.code, "name": item.department.name},
        "item_type": v.item_type,
        "item_type_label": _label(codes.ItemType, v.item_type),
        "case_type": v.case_type,
        "case_type_label": _label(codes.CaseType, v.case_type),
        "process_template": v.process_template,
        "process_template_label": _label(codes.ProcessTemplate, v.process_template),
        "audiences": [str(a) for a in v.audiences],
        "audiences_labels": [_label(codes.Audience, a) for a in v.audiences],
        "online_depth_level": level,
        "online_depth_level_label": str(ONLINE_LEVEL_LABELS[level]),
        "fully_online": level == 4,
        "online_capable": codes.is_online_capable(v.online_depth),
        "legal_days": v.legal_limit_value,
        "legal_limit_unit": v.legal_limit_unit,
        "legal_limit_text": limit_text(v.legal_limit_value, v.legal_limit_unit),
        "promised_days": v.promised_limit_value,
        "promised_limit_unit": v.promised_limit_unit,
        "promised_limit_text": limit_text(v.promised_limit_value, v.promised_limit_unit),
        "visits": v.visits,
        "charges": v.charges,
        "tongban_scope": v.tongban_scope,
        "tongban_scope_label": _label(codes.TongbanScope, v.tongban_scope),
        "summary": v.summary,
        "url": guide_url(item.code),
    }


def cards_for_ids(ids: list[int]) -> list[dict[str, Any]]:
    """Cards in the order of ``ids`` (search ranking); ids no longer published are dropped."""
    heavy = ("current__form_schema", "current__form_ui", "current__faq", "current__process_steps",
             "current__conditions", "current__legal_basis")
    found = {i.pk: i for i in published_items().filter(pk__in=ids).defer(*heavy)}
    return [item_card(found[pk]) for pk in ids if pk in found]


# --- filters ------------------------------------------------------------------------------------------


@dataclass
class FilterSpec:
    """One filter control: its name, label and options; ``value``/``error`` once bound."""

    name: str
    label: str
    options: list[tuple[str, str]]
    value: str = ""
    error: str = ""
    secondary: bool = False  # hidden in elder mode (fewer controls) unless set

    @property
    def id(self) -> str:
        return f"filter-{self.name.replace('_', '-')}"


def filter_specs() -> list[FilterSpec]:
    """The listing filters with their options (departments and themes that have published items)."""
    item_versions = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    departments = (
        Department.objects.filter(service_items__current__in=item_versions).distinct().order_by("region_id", "code")
    )
    themes = Theme.objects.filter(item_versions__in=item_versions).distinct()
    return [
        FilterSpec("audience", _("服务对象"), [("1", _("个人（自然人）")), ("2", _("法人（企业法人）"))]
                   + [(v, str(label)) for v, label in codes.Audience.choices if v not in ("1", "2")]),
        FilterSpec("department", _("实施部门"), [(d.code, d.name) for d in departments]),
        FilterSpec("theme", _("服务主题"), [(t.code, f"{t.name}（{t.get_audience_display()}）") for t in themes]),
        FilterSpec("item_type", _("事项类型"), [(v, str(label)) for v, label in codes.ItemType.choices],
                   secondary=True),
        FilterSpec("case_type", _("办件类型"), [(v, str(label)) for v, label in codes.CaseType.choices],
                   secondary=True),
        FilterSpec("online", _("网上办理"), [(v, str(label)) for v, label in ONLINE_CHOICES]),
        FilterSpec("tongban", _("通办范围"), [(v, str(label)) for v, label in codes.TongbanScope.choices
                                          if v != codes.TongbanScope.NONE], secondary=True),
        FilterSpec("charges", _("是否收费"), [(v, str(label)) for v, label in CHARGES_CHOICES], secondary=True),
    ]


def parse_filters(params) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate listing filters from a mapping of strings. Returns ``(clean, errors)``: ``clean``
    holds the accepted values (``charges`` as bool), ``errors`` a Chinese message per bad field."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in FILTER_NAMES:
        raw = params.get(name)
        value = str(raw).strip() if raw is not None else ""
        if not value:
            continue
        ok = True
        if name == "audience":
            ok = value in codes.Audience.values
        elif name == "department":
            ok = Department.objects.filter(code=value).exists()
        elif name == "theme":
            ok = Theme.objects.filter(code=value).exists()
        elif name == "item_type":
            ok = value in codes.ItemType.values
        elif name == "case_type":
            ok = value in codes.CaseType.values
        elif name == "online":
            ok = value in dict(ONLINE_CHOICES)
        elif name == "tongban":
            ok = value in codes.TongbanScope.values
        elif name == "charges":
            lowered = value.lower()
            ok = lowered in TRUE_VALUES | FALSE_VALUES
            if ok:
                clean[name] = lowered in TRUE_VALUES
                continue
        if ok:
            clean[name] = value
        else:
            errors[name] = _invalid_filter_message(name)
    return clean, errors


def _invalid_filter_message(name: str) -> str:
    messages = {
        "audience": _("服务对象代码无效，可选 1–6（1 自然人，2 企业法人……）。"),
        "department": _("没有这个部门代码。"),
        "theme": _("没有这个主题代码。"),
        "item_type": _("事项类型代码无效（01–10 或 20）。"),
        "case_type": _("办件类型须为 1（即办件）或 2（承诺件）。"),
        "online": _("网上办理须为 full（全程网办）或 capable（网上可办）。"),
        "tongban": _("通办范围代码无效。"),
        "charges": _("是否收费须为 true 或 false。"),
    }
    return messages[name]


def find_items(q: str, filters: dict[str, Any] | None = None, page: Any = 1, page_size: Any = 20) -> dict[str, Any]:
    """The listing envelope ``{"items", "total", "page", "page_size"}``: ranked by the search when
    ``q`` is given, by popularity otherwise."""
    from yiwang.catalog import search

    page, page_size = clamp_page(page, page_size)
    found = search.search(clean_query(q), search.SearchFilters(**(filters or {})), page=page, page_size=page_size)
    return {"items": cards_for_ids(list(found.item_ids)), "total": found.total, "page": page, "page_size": page_size}


def suggestions(q: str, limit: int = 8) -> list[dict[str, str]]:
    from yiwang.catalog import search

    q = clean_query(q)
    if not q:
        return []
    return [{"code": s["code"], "name": s["name"], "url": guide_url(s["code"])} for s in search.suggest(q, limit=limit)]


# --- the guide (办事指南) --------------------------------------------------------------------------


def material_dict(item_code: str, m: Material, version: ItemVersion | None = None) -> dict[str, Any]:
    number = version.number if version is not None else None
    return {
        "code": m.code,
        "name": m.name,
        "required": m.necessity == codes.Necessity.REQUIRED,
        "necessity": m.necessity,
        "necessity_label": _label(codes.Necessity, m.necessity),
        "source": m.source,
        "source_label": _label(codes.MaterialSource, m.source),
        "certificate_type": m.certificate_type or None,
        "sharing_resource": m.sharing_resource or None,
        "form": m.form,
        "form_label": _label(codes.MaterialForm, m.form),
        "originals": m.originals,
        "copies": m.copies,
        "issuer": m.issuer,
        "notes": m.notes,
        "blank_form_url": _file_url(item_code, m.code, "blank", number) if m.blank_form else None,
        "sample_url": _file_url(item_code, m.code, "sample", number) if m.sample else None,
    }


def _file_url(item_code: str, material_code: str, kind: str, number: int | None) -> str:
    url = reverse("catalog:material_file", args=[item_code, material_code, kind])
    return f"{url}?v={number}" if number is not None else url


def _date(value) -> str | None:
    return value.astimezone(SHANGHAI).date().isoformat() if value else None


def public_versions(item: ServiceItem) -> QuerySet[ItemVersion]:
    """Versions the public may see: the published one and those it superseded (never drafts)."""
    return item.versions.filter(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED]).order_by("-number")


def guide(code: str) -> dict[str, Any] | None:
    """The whole 办事指南 of a published item, or None (unknown or not published)."""
    item = published_items().filter(code=code).first()
    if item is None:
        return None
    return guide_for(item, item.current)


def guide_for(item: ServiceItem, v: ItemVersion) -> dict[str, Any]:
    data = item_card(item, v)
    level = codes.online_depth_level(v.online_depth)
    data.update({
        "basic_code": item.base.basic_code,
        "region": {"code": item.region.code, "name": item.region.name},
        "exercise_level": v.exercise_level,
        "exercise_level_label": _label(codes.ExerciseLevel, v.exercise_level),
        "subject_nature": v.subject_nature,
        "subject_nature_label": _label(codes.SubjectNature, v.subject_nature),
        "undertaking_org": v.undertaking_org,
        "joint_departments": [{"code": d.code, "name": d.name} for d in v.joint_departments.order_by("code")],
        "legal_basis": v.legal_basis,
        "conditions": v.conditions,
        "process_steps": [
            {"name": str(s.get("name", "")), "description": str(s.get("description", ""))}
            for s in (v.process_steps or []) if isinstance(s, dict)
        ],
        "legal_limit": limit_dict(v.legal_limit_value, v.legal_limit_unit),
        "promised_limit": limit_dict(v.promised_limit_value, v.promised_limit_unit),
        "visits_reason": v.visits_reason,
        "fees": [{"name": f.name, "standard": f.standard, "basis": f.basis, "reduction": f.reduction}
                 for f in v.fees.all()],
        "handling_forms": [str(x) for x in v.handling_forms],
        "handling_forms_labels": [_label(codes.HandlingForm, x) for x in v.handling_forms],
        "online_depth": [str(x) for x in v.online_depth],
        "online_depth_labels": [_label(codes.OnlineDepth, x) for x in v.online_depth],
        "online_depth_level": level,
        "supports_appointment": v.supports_appointment,
        "supports_online_payment": v.supports_online_payment,
        "supports_delivery": v.supports_delivery,
        "accepted_at": v.accepted_at,
        "accepted_at_label": _label(codes.AcceptedAt, v.accepted_at),
        "place": v.place,
        "window": v.window,
        "hours": v.hours,
        "consult_phone": v.consult_phone,
        "supervise_phone": v.supervise_phone,
        "result": {
            "name": v.result_name,
            "certificate_type": v.certificate_type or None,
            "sample_url": reverse("catalog:result_sample", args=[item.code]) + f"?v={v.number}"
            if v.result_sample else None,
        },
        "faq": [{"q": str(f.get("q", "")), "a": str(f.get("a", ""))} for f in (v.faq or []) if isinstance(f, dict)],
        "aliases": [str(a) for a in (v.aliases or [])],
        "themes": [{"code": t.code, "name": t.name} for t in v.themes.all()],
        "form_schema": v.form_schema or {},
        "form_ui": v.form_ui or {},
        "materials": [material_dict(item.code, m, v) for m in v.materials.all()],
        "version": {"number": v.number, "published_at": iso(v.published_at),
                    "published_on": _date(v.published_at), "change_note": v.change_note},
        "versions": [
            {"number": x.number, "status": x.status, "status_label": x.get_status_display(),
             "published_at": iso(x.published_at), "published_on": _date(x.published_at),
             "change_note": x.change_note}
            for x in public_versions(item)
        ],
        "apply_url": apply_url(item.code),
    })
    return data


def form_fields(v_or_guide) -> list:
    """The application form's fields (``formschema.FieldSpec``) for showing on the guide."""
    from yiwang.catalog import formschema

    if isinstance(v_or_guide, dict):
        schema, ui = v_or_guide.get("form_schema") or {}, v_or_guide.get("form_ui") or {}
    else:
        schema, ui = v_or_guide.form_schema or {}, v_or_guide.form_ui or {}
    if not schema.get("properties"):
        return []
    try:
        return list(formschema.fields(schema, ui))
    except Exception:  # a malformed legacy form must not take the guide down
        return []


def public_file(item_code: str, version_number: str | None):
    """The published (or superseded) version whose files may be downloaded, or None."""
    item = ServiceItem.objects.filter(code=item_code).first()
    if item is None:
        return None
    versions = public_versions(item)
    if version_number:
        try:
            return versions.filter(number=int(version_number)).first()
        except (TypeError, ValueError):
            return None
    return versions.filter(status=VersionStatus.PUBLISHED).first()


# --- bundles (一件事) --------------------------------------------------------------------------------


def _norm_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(text.split()).lower()


@dataclass
class _MergedMaterial:
    data: dict[str, Any]
    items: list[dict[str, str]] = field(default_factory=list)


def merge_materials(members: list[ServiceItem]) -> list[dict[str, Any]]:
    """One list of the materials of several items, each material once: two materials are the same
    when their names match (ignoring spaces and full/half width) or they name the same certificate
    type. The merged entry is required if any item requires it and asks for the most copies."""
    merged: list[_MergedMaterial] = []
    by_name: dict[str, _MergedMaterial] = {}
    by_cert: dict[str, _MergedMaterial] = {}
    for item in members:
        v = item.current
        for m in v.materials.all():
            key_name, cert = _norm_name(m.name), (m.certificate_type or "").strip()
            entry = by_name.get(key_name) or (by_cert.get(cert) if cert else None)
            usage = {"code": item.code, "name": v.name, "material_code": m.code}
            if entry is None:
                entry = _MergedMaterial(material_dict(item.code, m, v))
                merged.append(entry)
            else:
                d = entry.data
                if NECESSITY_RANK.get(m.necessity, 0) > NECESSITY_RANK.get(d["necessity"], 0):
                    d["necessity"] = m.necessity
                    d["necessity_label"] = _label(codes.Necessity, m.necessity)
                d["required"] = d["necessity"] == codes.Necessity.REQUIRED
                d["originals"] = max(d["originals"], m.originals)
                d["copies"] = max(d["copies"], m.copies)
                d["certificate_type"] = d["certificate_type"] or cert or None
                if not d["notes"] and m.notes:
                    d["notes"] = m.notes
                d["blank_form_url"] = d["blank_form_url"] or (
                    _file_url(item.code, m.code, "blank", v.number) if m.blank_form else None)
                d["sample_url"] = d["sample_url"] or (
                    _file_url(item.code, m.code, "sample", v.number) if m.sample else None)
            if all(u["code"] != item.code for u in entry.items):
                entry.items.append(usage)
            by_name.setdefault(key_name, entry)
            if cert:
                by_cert.setdefault(cert, entry)
    return [{**e.data, "items": e.items} for e in merged]


def bundle_total_time(members: list[ServiceItem]) -> dict[str, Any] | None:
    """The bundle's promised time: its items run in parallel, so the longest promised time of its
    items (compared in working days; a natural day counts 5/7)."""
    if not members:
        return None
    longest = max(members, key=lambda i: (as_workdays(i.current.promised_limit_value,
                                                       i.current.promised_limit_unit) or 0))
    v = longest.current
    return {
        **limit_dict(v.promised_limit_value, v.promised_limit_unit),
        "text": limit_text(v.promised_limit_value, v.promised_limit_unit),
        "rule": "longest",
        "rule_label": _("各事项并联办理，总时限取其中最长的承诺时限"),
        "item_code": longest.code,
    }


def bundles(audience: str | None = None) -> QuerySet[Bundle]:
    qs = Bundle.objects.filter(published=True).annotate(
        item_count=Count("members", filter=Q(members__item__current__status=VersionStatus.PUBLISHED))
    ).select_related("lead_department")
    if audience:
        qs = qs.filter(audience=audience)
    return qs.order_by("audience", "code")


def bundle_summary(b: Bundle) -> dict[str, Any]:
    return {
        "code": b.code,
        "name": b.name,
        "audience": b.audience,
        "audience_label": b.get_audience_display(),
        "description": b.description,
        "lead_department": {"code": b.lead_department.code, "name": b.lead_department.name}
        if b.lead_department else None,
        "item_count": getattr(b, "item_count", None),
        "url": reverse("catalog:bundle", args=[b.code]),
        "apply_url": f"/cases/bundle/{b.code}/",  # 一件事一次申请 (cases wires the page)
    }


def bundle_members(b: Bundle) -> list[ServiceItem]:
    members = b.members.select_related("item__current", "item__department", "item__region", "item__base")
    return [m.item for m in members.order_by("order", "id")
            if m.item.current_id and m.item.current.status == VersionStatus.PUBLISHED]


def bundle_detail(code: str) -> dict[str, Any] | None:
    b = bundles().filter(code=code).first()
    if b is None:
        return None
    from yiwang.catalog import formschema

    members = bundle_members(b)
    schema, ui, owners = formschema.merge([(i.code, i.current.form_schema or {}, i.current.form_ui or {},
                                            i.current.name) for i in members])
    longest_visits = max((i.current.visits for i in members), default=0)
    return {
        **bundle_summary(b),
        "items": [item_card(i) for i in members],
        "materials": merge_materials(members),
        "material_count_before_merge": sum(i.current.materials.count() for i in members),
        "form_schema": schema,
        "form_ui": ui,
        "field_owners": {name: [{"item_code": code, "field": original} for code, original in pairs]
                         for name, pairs in (owners or {}).items()},
        "total_time": bundle_total_time(members),
        "max_visits": longest_visits,
    }


# --- themes, life events, departments, hot items ----------------------------------------------------


def _theme_dict(t: Theme) -> dict[str, Any]:
    return {"code": t.code, "name": t.name, "audience": t.audience, "audience_label": t.get_audience_display(),
            "item_count": getattr(t, "item_count", 0), "url": reverse("catalog:theme", args=[t.code])}


def themes_with_counts(audience: str | None = None) -> list[dict[str, Any]]:
    """Every theme (服务主题) with the number of published items under it."""
    qs = Theme.objects.annotate(
        item_count=Count("item_versions", filter=Q(item_versions__status=VersionStatus.PUBLISHED), distinct=True))
    if audience:
        qs = qs.filter(audience=audience)
    return [_theme_dict(t) for t in qs]


def theme_detail(code: str) -> dict[str, Any] | None:
    theme = Theme.objects.filter(code=code).annotate(
        item_count=Count("item_versions", filter=Q(item_versions__status=VersionStatus.PUBLISHED), distinct=True)
    ).first()
    return _theme_dict(theme) if theme else None


def theme_items(code: str, limit: int | None = None) -> list[dict[str, Any]]:
    qs = published_items().filter(current__themes__code=code).order_by("-popularity", "code").distinct()
    return [item_card(i) for i in (qs[:limit] if limit else qs)]


def themes_with_items(audience: str, per_theme: int = 5) -> list[dict[str, Any]]:
    """Themes of one audience with their most used items (for 个人服务 / 法人服务)."""
    themes = themes_with_counts(audience)
    wanted = {t["code"] for t in themes if t["item_count"]}
    top: dict[str, list[dict[str, Any]]] = {c: [] for c in wanted}
    if wanted:
        qs = published_items().filter(current__themes__code__in=wanted).prefetch_related("current__themes")
        for item in qs.order_by("-popularity", "code").distinct():
            card = None
            for t in item.current.themes.all():
                if t.code in top and len(top[t.code]) < per_theme:
                    card = card or item_card(item)
                    top[t.code].append(card)
    return [{**t, "items": top.get(t["code"], [])} for t in themes]


def life_events(audience: str | None = None) -> list[dict[str, Any]]:
    qs = LifeEvent.objects.annotate(item_count=Count(
        "items", filter=Q(items__current__status=VersionStatus.PUBLISHED), distinct=True))
    if audience:
        qs = qs.filter(audience=audience)
    return [{"code": e.code, "name": e.name, "audience": e.audience, "audience_label": e.get_audience_display(),
             "description": e.description, "item_count": e.item_count,
             "url": reverse("catalog:life_event", args=[e.code])} for e in qs]


def life_event_detail(code: str) -> dict[str, Any] | None:
    event = LifeEvent.objects.filter(code=code).first()
    if event is None:
        return None
    items = published_items().filter(life_events=event).order_by("-popularity", "code")
    related = [bundle_summary(b) for b in bundles(event.audience)
               if b.members.filter(item__life_events=event).exists()]
    return {"code": event.code, "name": event.name, "audience": event.audience,
            "audience_label": event.get_audience_display(), "description": event.description,
            "items": [item_card(i) for i in items], "bundles": related}


def departments_with_counts() -> list[dict[str, Any]]:
    """Departments that implement published items, with how many (for 按部门办事)."""
    qs = Department.objects.filter(active=True).annotate(item_count=Count(
        "service_items", filter=Q(service_items__current__status=VersionStatus.PUBLISHED), distinct=True
    )).filter(item_count__gt=0).select_related("region").order_by("-item_count", "code")
    return [{"code": d.code, "name": d.name, "short_name": d.short_name or d.name, "item_count": d.item_count,
             "url": reverse("catalog:list") + f"?department={d.code}"} for d in qs]


def hot_items(limit: int = 8, audience: str | None = None) -> list[dict[str, Any]]:
    """热门服务: the most used published items (``ServiceItem.popularity``); ``audience`` is
    ``personal`` or ``enterprise`` (服务对象 1, or 2–6), filtered here because JSON containment
    queries differ between SQLite and PostgreSQL."""
    qs = published_items().order_by("-popularity", "code")
    if not audience:
        return [item_card(i) for i in qs[:limit]]
    wanted = codes.PERSONAL_AUDIENCES if audience == ThemeAudience.PERSONAL else codes.LEGAL_PERSON_AUDIENCES
    rows = [i for i in qs[: limit * 10] if wanted & {str(a) for a in i.current.audiences}]
    return [item_card(i) for i in rows[:limit]]


def published_count() -> int:
    return published_items().count()
