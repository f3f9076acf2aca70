"""Consistency rules of DESIGN §4.1, checked when a version is published or imported.

Each rule returns Chinese messages keyed by the field they concern, so forms and import
reports can point at the exact element.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.catalog import codes

LIMIT_UNIT_DAYS = {codes.LimitUnit.WORKDAY: 1.0, codes.LimitUnit.NATURAL_DAY: 5 / 7}


def _as_workdays(value: int | None, unit: str) -> float | None:
    if value is None:
        return None
    return value * LIMIT_UNIT_DAYS.get(unit, 1.0)


def check_version(v, materials: list | None = None, fees: list | None = None, joint: list | None = None) -> dict[str, str]:
    """Check one version. ``materials``/``fees``/``joint`` default to the saved related rows."""
    errors: dict[str, str] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, message)

    materials = list(v.materials.all()) if materials is None else materials
    fees = list(v.fees.all()) if fees is None else fees
    joint = list(v.joint_departments.all()) if joint is None else joint

    if not (v.name or "").strip():
        add("name", _("事项名称不能为空。"))
    if v.item_type not in codes.ItemType.values:
        add("item_type", _("事项类型代码无效。"))
    if v.case_type not in codes.CaseType.values:
        add("case_type", _("办件类型须为 1（即办件）或 2（承诺件）。"))
    # 承诺 ≤ 法定 (compared in working days when the units differ)
    legal = _as_workdays(v.legal_limit_value, v.legal_limit_unit)
    promised = _as_workdays(v.promised_limit_value, v.promised_limit_unit)
    if legal is not None and promised is not None and promised > legal:
        add("promised_limit_value", _("承诺办结时限不能超过法定办结时限。"))
    # 即办件 ⇔ 承诺时限 0
    if v.case_type == codes.CaseType.INSTANT and (v.promised_limit_value or 0) != 0:
        add("promised_limit_value", _("即办件的承诺办结时限必须为 0。"))
    if v.case_type == codes.CaseType.PROMISED and (v.promised_limit_value or 0) == 0:
        add("case_type", _("承诺时限为 0 的事项应为即办件。"))
    if v.case_type == codes.CaseType.INSTANT and v.process_template != codes.ProcessTemplate.INSTANT:
        add("process_template", _("即办件应使用即办流程模板。"))
    if v.process_template == codes.ProcessTemplate.INSTANT and v.case_type != codes.CaseType.INSTANT:
        add("process_template", _("即办流程模板只用于即办件。"))
    # 收费 ⇒ 依据 + 标准
    if v.charges:
        if not fees:
            add("fees", _("收费事项须列明收费项目、标准和依据。"))
        for n, fee in enumerate(fees):
            if not (fee.standard or "").strip():
                add(f"fees.{n}.standard", _("请填写收费标准。"))
            if not (fee.basis or "").strip():
                add(f"fees.{n}.basis", _("请填写收费依据。"))
    elif fees:
        add("charges", _("列有收费项目的事项应标为收费。"))
    # 到现场 > 0 ⇒ 原因
    if (v.visits or 0) > 0 and not (v.visits_reason or "").strip():
        add("visits_reason", _("到现场次数大于 0 时须说明必须到现场的原因。"))
    # Ⅳ级 全程网办 ⇒ 到现场 0
    if codes.online_depth_level(v.online_depth) == 4 and (v.visits or 0) != 0:
        add("visits", _("全程网办（网上办理深度含办理/结果反馈/电子证照反馈）的事项到现场次数必须为 0。"))
    for field, values, allowed in (
        ("audiences", v.audiences, codes.Audience.values),
        ("handling_forms", v.handling_forms, codes.HandlingForm.values),
        ("online_depth", v.online_depth, codes.OnlineDepth.values),
    ):
        if not isinstance(values, list) or any(str(x) not in allowed for x in values):
            add(field, _("取值无效，可选代码：%(codes)s") % {"codes": "、".join(allowed)})
    if not v.audiences:
        add("audiences", _("请选择服务对象。"))
    if v.process_template == codes.ProcessTemplate.JOINT and not joint:
        add("joint_departments", _("联审事项须指定联办机构。"))
    codes_seen: set[str] = set()
    for n, m in enumerate(materials):
        if m.code in codes_seen:
            add(f"materials.{n}.code", _("材料编码重复：%(code)s") % {"code": m.code})
        codes_seen.add(m.code)
        if not (m.name or "").strip():
            add(f"materials.{n}.name", _("材料名称不能为空。"))
        if m.source == codes.MaterialSource.CERTIFICATE and not m.certificate_type:
            add(f"materials.{n}.certificate_type", _("来源为证照库的材料须填写证照类型代码。"))
    if not (v.legal_basis or "").strip():
        add("legal_basis", _("请填写设定依据。"))
    return errors
