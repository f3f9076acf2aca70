"""The demo county (山东省济宁市兖州区): regions, departments, USCCs, idempotency."""

import pytest
from django.forms.models import model_to_dict

from yiwang.core.identifiers import is_valid_uscc, parse_uscc
from yiwang.core.models import AuditRecord
from yiwang.org import demo
from yiwang.org.models import Department, Region
from yiwang.org.services import departments_within, region_subtree_codes

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "regions": [model_to_dict(r) for r in Region.objects.order_by("code")],
        "departments": [model_to_dict(d) for d in Department.objects.order_by("code")],
    }


def test_demo_loads_with_counts():
    counts = demo.load_demo_org()
    assert counts["regions"] == {"created": len(demo.REGIONS), "updated": 0}
    assert counts["departments"] == {"created": len(demo.DEPARTMENTS), "updated": 0}
    county = Region.objects.get(code=demo.COUNTY_CODE)
    assert county.name == "兖州区" and county.level == Region.Level.COUNTY
    county_departments = Department.objects.filter(region=county).exclude(kind=Department.Kind.GOVERNMENT)
    assert county_departments.count() >= 15
    townships = Region.objects.filter(parent=county)
    assert townships.count() == len(demo.TOWNSHIPS) >= 9
    for township in townships:
        centres = Department.objects.filter(region=township, kind=Department.Kind.SERVICE_CENTRE)
        assert centres.count() == 1, township.name
        assert centres.get().name == f"济宁市兖州区{township.name}便民服务中心"


def test_required_departments_and_constants():
    demo.load_demo_org()
    names = set(Department.objects.values_list("name", flat=True))
    for name in [
        "济宁市兖州区行政审批服务局",
        "济宁市兖州区市场监督管理局",
        "济宁市公安局兖州区分局",
        "济宁市兖州区民政局",
        "济宁市兖州区人力资源和社会保障局",
        "济宁市兖州区医疗保障局",
        "济宁市兖州区卫生健康局",
        "济宁市兖州区住房和城乡建设局",
        "济宁市自然资源和规划局兖州区分局",
        "国家税务总局济宁市兖州区税务局",
        "济宁市住房公积金管理中心兖州分中心",
        "济宁市兖州区教育和体育局",
        "济宁市兖州区交通运输局",
        "济宁市生态环境局兖州区分局",
        "济宁市兖州区残疾人联合会",
    ]:
        assert name in names
    approval = Department.objects.get(code=demo.APPROVAL_BUREAU_CODE)
    assert approval.kind == Department.Kind.APPROVAL_BUREAU
    assert "政务服务中心" in approval.address
    gov = Department.objects.get(code=demo.GOVERNMENT_CODE)
    assert gov.kind == Department.Kind.GOVERNMENT and gov.parent is None
    assert not Department.objects.exclude(pk=gov.pk).filter(parent__isnull=True).exists()
    assert all(d.is_demo and d.active for d in Department.objects.all())
    assert {d["code"] for d in demo.DEPARTMENTS} == set(Department.objects.values_list("code", flat=True))


def test_department_codes_are_stable_slugs():
    codes = [d["code"] for d in demo.DEPARTMENTS]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert code == code.lower() and " " not in code and len(code) <= 40
    assert {"approval", "market", "police", "tax", "housing-fund", "centre-gulou"} <= set(codes)


def test_every_uscc_is_valid_unique_and_county_registered():
    demo.load_demo_org()
    usccs = list(Department.objects.values_list("uscc", flat=True))
    assert len(usccs) == len(set(usccs))
    for uscc in usccs:
        assert is_valid_uscc(uscc), uscc
        info = parse_uscc(uscc)
        assert info.registration_dept == "1"  # 机构编制
        assert info.region_code == demo.COUNTY_CODE
    assert parse_uscc(Department.objects.get(code="market").uscc).org_category == "1"  # 机关
    assert parse_uscc(Department.objects.get(code="housing-fund").uscc).org_category == "2"  # 事业单位


def test_phones_and_addresses_are_local():
    for row in demo.DEPARTMENTS:
        assert row["phone"].startswith("0537-")
        assert row["address"].startswith("山东省济宁市兖州区")


def test_load_is_idempotent():
    demo.load_demo_org()
    before = snapshot()
    audit_count = AuditRecord.objects.count()
    counts = demo.load_demo_org()
    assert counts == {"regions": {"created": 0, "updated": 0}, "departments": {"created": 0, "updated": 0}}
    assert snapshot() == before
    assert AuditRecord.objects.count() == audit_count


def test_load_repairs_a_changed_row():
    demo.load_demo_org()
    Department.objects.filter(code="market").update(name="改错的名字", active=False)
    counts = demo.load_demo_org()
    assert counts["departments"] == {"created": 0, "updated": 1}
    market = Department.objects.get(code="market")
    assert market.name == "济宁市兖州区市场监督管理局" and market.active


def test_region_tree():
    demo.load_demo_org()
    county = Region.objects.get(code="370812")
    assert county.parent.code == "370800" and county.parent.parent.code == "370000"
    assert not county.is_demo and not county.parent.is_demo
    for township in Region.objects.filter(level=Region.Level.TOWNSHIP):
        assert township.parent_id == "370812"
        assert len(township.code) == 12 and township.code.endswith("000")
        assert township.is_demo
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    assert villages.count() >= 6
    for village in villages:
        assert village.is_demo
        assert village.parent.level == Region.Level.TOWNSHIP
        assert village.code.startswith(village.parent.code[:9])
        assert village.full_name.startswith("山东省济宁市兖州区" + village.parent.name)
    assert Region.objects.get(code="370812001001").full_name == "山东省济宁市兖州区鼓楼街道鼓楼社区"
    names = set(Region.objects.filter(level=Region.Level.TOWNSHIP).values_list("name", flat=True))
    assert {
        "鼓楼街道",
        "酒仙桥街道",
        "龙桥街道",
        "兴隆庄街道",
        "大安镇",
        "新驿镇",
        "颜店镇",
        "漕河镇",
        "小孟镇",
    } <= names


def test_subtree_covers_county_and_townships():
    demo.load_demo_org()
    county_codes = set(region_subtree_codes("370812"))
    assert county_codes == set(
        Region.objects.filter(code__startswith="370812").values_list("code", flat=True)
    )
    assert "370800" not in county_codes and "370812" in county_codes
    assert set(departments_within("370812")) == set(Department.objects.all())
    gulou = set(region_subtree_codes("370812001000"))
    assert gulou == {"370812001000", "370812001001", "370812001002", "370812001003", "370812001004"}
    assert list(departments_within("370812001000").values_list("code", flat=True)) == ["centre-gulou"]
