"""Demo organisations: one real county, 山东省济宁市兖州区 (GB/T 2260 code 370812).

What is real and what is not (DESIGN §6 "Demo data is realistic"):

* Real: the province/city/county codes and names (370000 山东省, 370800 济宁市, 370812 兖州区), the
  names of the county's townships and streets, the full names of its departments, and the seat of
  the district government (九州中路99号). These rows carry ``is_demo=False`` for regions.
* Demo (``is_demo=True``): every 12-digit township and village code (plausible statistical codes:
  街道 001–099, 镇 100–199, 居委会 001–199, 村委会 200–399 — they cannot be checked offline),
  every department row, its USCC (valid by both check digits, not the department's real code),
  its telephone number (0537, the 济宁 area code) and any address other than the government seat.
* Townships: the four long-standing streets and five towns. The streets created more recently
  from the former 新兖镇 are left out because their names and codes cannot be verified offline.

Department codes. ``Department.code`` is a stable English slug used in every API and by other
apps (e.g. ``approval`` runs the 政务服务中心 and its 综合窗口). Codes are *not* prefixed with the
county: an installation serves one county in the common case, and short codes keep URLs and
fixtures readable. A multi-county (city- or province-level) installation creates its own
departments through ``org.services`` and should prefix them with a county slug
(``rencheng-market``); nothing in the code parses department codes, so that is a data decision.
Township service centres are ``centre-<township pinyin>`` (``centre-gulou``).

``parent`` here is the platform's organisational tree for 政务服务 (every county body hangs under
``gov``, 兖州区人民政府), not the line of administrative leadership: vertically managed bodies
(税务、公安、自然资源、生态环境) are marked by ``kind = vertical``.

``load_demo_org()`` is idempotent: it creates what is missing, updates what differs and touches
nothing else, all in one transaction.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from yiwang.core import audit
from yiwang.core.identifiers import make_uscc
from yiwang.org.models import Department, Region

PROVINCE_CODE = "370000"
CITY_CODE = "370800"
COUNTY_CODE = "370812"
GOVERNMENT_CODE = "gov"
APPROVAL_BUREAU_CODE = "approval"


def demo_uscc(code: str, org_category: str = "1") -> str:
    """A deterministic, check-digit-valid USCC for a demo department.

    ``1`` (机构编制) + category (1 机关, 2 事业单位, 3 群团) + 370812 + ``MB`` and six digits derived
    from the department code (stable whatever the list order) + both check characters.
    """
    digits = int(hashlib.sha256(code.encode()).hexdigest(), 16) % 1_000_000
    return make_uscc("1", org_category, COUNTY_CODE, f"MB{digits:06d}")


# --- Regions ------------------------------------------------------------------------------------

#: (code, name, level, parent code, is_demo)
_UPPER_REGIONS: list[tuple[str, str, int, str | None, bool]] = [
    (PROVINCE_CODE, "山东省", Region.Level.PROVINCE, None, False),
    (CITY_CODE, "济宁市", Region.Level.CITY, PROVINCE_CODE, False),
    (COUNTY_CODE, "兖州区", Region.Level.COUNTY, CITY_CODE, False),
]

#: Townships: (12-digit code, name, pinyin slug used in ``centre-<slug>``).
TOWNSHIPS: list[tuple[str, str, str]] = [
    ("370812001000", "鼓楼街道", "gulou"),
    ("370812002000", "酒仙桥街道", "jiuxianqiao"),
    ("370812003000", "龙桥街道", "longqiao"),
    ("370812004000", "兴隆庄街道", "xinglongzhuang"),
    ("370812100000", "大安镇", "daan"),
    ("370812101000", "新驿镇", "xinyi"),
    ("370812102000", "颜店镇", "yandian"),
    ("370812103000", "漕河镇", "caohe"),
    ("370812104000", "小孟镇", "xiaomeng"),
]

#: Communities (居委会, 001–199) and villages (村委会, 200–399) under a few townships.
VILLAGES: list[tuple[str, str]] = [
    ("370812001001", "鼓楼社区"),
    ("370812001002", "府前社区"),
    ("370812001003", "中御桥社区"),
    ("370812001004", "西御桥社区"),
    ("370812003001", "九州社区"),
    ("370812003002", "龙桥社区"),
    ("370812003003", "建设路社区"),
    ("370812101201", "新驿村"),
    ("370812101202", "型堂村"),
    ("370812102201", "颜店村"),
    ("370812102202", "刘胡村"),
    ("370812102203", "南阁村"),
    ("370812102204", "大张村"),
    ("370812102205", "嵫山村"),
]


def _region_rows() -> list[dict[str, Any]]:
    rows = [
        {"code": c, "name": n, "level": int(lv), "parent_id": p, "is_demo": d}
        for c, n, lv, p, d in _UPPER_REGIONS
    ]
    rows += [
        {"code": c, "name": n, "level": int(Region.Level.TOWNSHIP), "parent_id": COUNTY_CODE, "is_demo": True}
        for c, n, _slug in TOWNSHIPS
    ]
    rows += [
        {
            "code": c,
            "name": n,
            "level": int(Region.Level.VILLAGE),
            "parent_id": c[:9] + "000",
            "is_demo": True,
        }
        for c, n in VILLAGES
    ]
    return rows


REGIONS: list[dict[str, Any]] = _region_rows()

# --- Departments --------------------------------------------------------------------------------

_K = Department.Kind
_CENTRE_HALL = "山东省济宁市兖州区政务服务中心"

#: County bodies: (code, full name, short name, kind, USCC category, phone, address).
# fmt: off
_COUNTY_DEPARTMENTS: list[tuple[str, str, str, str, str, str, str]] = [
    (GOVERNMENT_CODE, "济宁市兖州区人民政府", "兖州区政府", _K.GOVERNMENT, "1",
     "0537-3461000", "山东省济宁市兖州区九州中路99号"),
    (APPROVAL_BUREAU_CODE, "济宁市兖州区行政审批服务局", "区行政审批服务局", _K.APPROVAL_BUREAU, "1",
     "0537-3461001", _CENTRE_HALL),
    ("market", "济宁市兖州区市场监督管理局", "区市场监管局", _K.DEPARTMENT, "1",
     "0537-3461002", "山东省济宁市兖州区建设东路126号"),
    ("police", "济宁市公安局兖州区分局", "兖州公安分局", _K.VERTICAL, "1",
     "0537-3461003", "山东省济宁市兖州区九州中路168号"),
    ("civil", "济宁市兖州区民政局", "区民政局", _K.DEPARTMENT, "1",
     "0537-3461004", "山东省济宁市兖州区龙桥路58号"),
    ("hrss", "济宁市兖州区人力资源和社会保障局", "区人社局", _K.DEPARTMENT, "1",
     "0537-3461005", "山东省济宁市兖州区建设东路88号"),
    ("medical-insurance", "济宁市兖州区医疗保障局", "区医保局", _K.DEPARTMENT, "1",
     "0537-3461006", _CENTRE_HALL),
    ("health", "济宁市兖州区卫生健康局", "区卫健局", _K.DEPARTMENT, "1",
     "0537-3461007", "山东省济宁市兖州区中御桥北路21号"),
    ("housing", "济宁市兖州区住房和城乡建设局", "区住建局", _K.DEPARTMENT, "1",
     "0537-3461008", "山东省济宁市兖州区建设西路9号"),
    ("natural-resources", "济宁市自然资源和规划局兖州区分局", "自然资源兖州分局", _K.VERTICAL, "1",
     "0537-3461009", "山东省济宁市兖州区九州中路201号"),
    ("tax", "国家税务总局济宁市兖州区税务局", "兖州区税务局", _K.VERTICAL, "1",
     "0537-3461010", "山东省济宁市兖州区龙桥路101号"),
    ("housing-fund", "济宁市住房公积金管理中心兖州分中心", "公积金兖州分中心", _K.INSTITUTION, "2",
     "0537-3461011", _CENTRE_HALL),
    ("education", "济宁市兖州区教育和体育局", "区教体局", _K.DEPARTMENT, "1",
     "0537-3461012", "山东省济宁市兖州区文化东路16号"),
    ("transport", "济宁市兖州区交通运输局", "区交通运输局", _K.DEPARTMENT, "1",
     "0537-3461013", "山东省济宁市兖州区兴隆大道6号"),
    ("environment", "济宁市生态环境局兖州区分局", "生态环境兖州分局", _K.VERTICAL, "1",
     "0537-3461014", "山东省济宁市兖州区建设东路210号"),
    ("disabled", "济宁市兖州区残疾人联合会", "区残联", _K.INSTITUTION, "3",
     "0537-3461015", "山东省济宁市兖州区龙桥路66号"),
    ("veterans", "济宁市兖州区退役军人事务局", "区退役军人局", _K.DEPARTMENT, "1",
     "0537-3461016", "山东省济宁市兖州区九州中路99号"),
    ("justice", "济宁市兖州区司法局", "区司法局", _K.DEPARTMENT, "1",
     "0537-3461017", "山东省济宁市兖州区中御桥北路35号"),
    ("agriculture", "济宁市兖州区农业农村局", "区农业农村局", _K.DEPARTMENT, "1",
     "0537-3461018", "山东省济宁市兖州区建设西路52号"),
    ("emergency", "济宁市兖州区应急管理局", "区应急局", _K.DEPARTMENT, "1",
     "0537-3461019", "山东省济宁市兖州区九州中路99号"),
    ("culture-tourism", "济宁市兖州区文化和旅游局", "区文旅局", _K.DEPARTMENT, "1",
     "0537-3461020", "山东省济宁市兖州区文化东路30号"),
    ("water", "济宁市兖州区水务局", "区水务局", _K.DEPARTMENT, "1",
     "0537-3461021", "山东省济宁市兖州区龙桥路120号"),
]
# fmt: on


def centre_code(slug: str) -> str:
    return f"centre-{slug}"


def _department_rows() -> list[dict[str, Any]]:
    rows = [
        {
            "code": code,
            "name": name,
            "short_name": short,
            "kind": str(kind),
            "uscc": demo_uscc(code, category),
            "region": COUNTY_CODE,
            "parent": None if code == GOVERNMENT_CODE else GOVERNMENT_CODE,
            "phone": phone,
            "address": address,
        }
        for code, name, short, kind, category, phone, address in _COUNTY_DEPARTMENTS
    ]
    for index, (region_code, township, slug) in enumerate(TOWNSHIPS):
        office = "办事处" if township.endswith("街道") else "人民政府"
        code = centre_code(slug)
        rows.append(
            {
                "code": code,
                "name": f"济宁市兖州区{township}便民服务中心",
                "short_name": f"{township}便民服务中心",
                "kind": str(_K.SERVICE_CENTRE),
                "uscc": demo_uscc(code, "2"),
                "region": region_code,
                "parent": GOVERNMENT_CODE,
                "phone": f"0537-34620{index:02d}",
                "address": f"山东省济宁市兖州区{township}{office}便民服务大厅",
            }
        )
    return rows


#: Every demo department as plain data (``region`` and ``parent`` are codes).
DEPARTMENTS: list[dict[str, Any]] = _department_rows()
COUNTY_DEPARTMENT_CODES: list[str] = [row[0] for row in _COUNTY_DEPARTMENTS]
CENTRE_CODES: list[str] = [centre_code(slug) for _c, _n, slug in TOWNSHIPS]


# --- Loader -------------------------------------------------------------------------------------


def _upsert(model, values: dict[str, Any], counts: dict[str, int]) -> Any:
    """Create the row (looked up by ``code``), or update only the fields that differ."""
    obj = model.objects.filter(code=values["code"]).first()
    if obj is None:
        obj = model.objects.create(**values)
        counts["created"] += 1
        return obj
    changed = [f for f, v in values.items() if getattr(obj, f) != v]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
        counts["updated"] += 1
    return obj


def load_demo_org() -> dict[str, dict[str, int]]:
    """Load the demo county's regions and departments; a second run changes nothing.

    Returns ``{"regions": {"created", "updated"}, "departments": {"created", "updated"}}``.
    """
    regions = {"created": 0, "updated": 0}
    departments = {"created": 0, "updated": 0}
    with transaction.atomic():
        for row in REGIONS:  # parents come first
            _upsert(Region, dict(row), regions)
        ids: dict[str, int] = {}
        for row in DEPARTMENTS:  # ``gov`` comes first
            values = {
                "code": row["code"],
                "name": row["name"],
                "short_name": row["short_name"],
                "kind": row["kind"],
                "uscc": row["uscc"],
                "region_id": row["region"],
                "parent_id": ids[row["parent"]] if row["parent"] else None,
                "phone": row["phone"],
                "address": row["address"],
                "is_demo": True,
                "active": True,
            }
            ids[row["code"]] = _upsert(Department, values, departments).pk
        if regions["created"] or regions["updated"] or departments["created"] or departments["updated"]:
            audit.record(
                "org.demo.loaded",
                object_type="org.region",
                object_id=COUNTY_CODE,
                summary="载入演示区划与部门：山东省济宁市兖州区",
                data={"regions": regions, "departments": departments},
            )
    return {"regions": regions, "departments": departments}
