"""Demo certificate types for the demo items, and a few valid certificates issued to citizen1
and corp1 during ``yiwang demo load`` itself, so that reuse in applications shows at once."""

from __future__ import annotations

from yiwang.certificates.issuing import field_values, issue
from yiwang.certificates.models import Certificate, CertificateType
from yiwang.org.models import Department

PERSON, ORG = CertificateType.HolderKind.PERSON, CertificateType.HolderKind.ORGANISATION


def _f(name: str, label: str, source: str = "") -> dict[str, str]:
    return {"name": name, "label": label, **({"source": source} if source else {})}


# (code, name, department, holder kind, validity years or None, fields)
TYPES = [
    ("YYZZ", "营业执照", "market", ORG, None, [
        _f("name", "名称", "enterprise.name"), _f("type", "类型", "const:有限责任公司"),
        _f("legal_rep", "法定代表人", "enterprise.legal_rep_name"), _f("address", "住所", "enterprise.address"),
        _f("business_scope", "经营范围")]),
    ("GTGSHYYZZ", "个体工商户营业执照", "market", PERSON, None, [
        _f("trade_name", "名称"), _f("operator", "经营者", "holder.name"), _f("address", "经营场所"),
        _f("business_scope", "经营范围"), _f("form", "组成形式", "const:个人经营")]),
    ("SPJYXKZ", "食品经营许可证", "market", ORG, 5, [
        _f("operator", "经营者名称", "enterprise.name"), _f("legal_rep", "法定代表人（负责人）", "enterprise.legal_rep_name"),
        _f("address", "经营场所", "enterprise.address"), _f("main_form", "主体业态"), _f("items", "经营项目")]),
    ("SGXKZ", "建筑工程施工许可证", "housing", ORG, None, [
        _f("project_name", "工程名称"), _f("address", "建设地址"), _f("scale", "建设规模"),
        _f("contract_price", "合同价格"), _f("builder", "建设单位", "enterprise.name")]),
    ("BDCQZS", "不动产权证书", "natural-resources", PERSON, None, [
        _f("owner", "权利人", "holder.name"), _f("location", "坐落"), _f("unit_number", "不动产单元号"),
        _f("right_type", "权利类型", "const:国有建设用地使用权/房屋所有权"), _f("area", "面积")]),
    ("GGCSWSXKZ", "公共场所卫生许可证", "health", ORG, 4, [
        _f("unit", "单位名称", "enterprise.name"), _f("legal_rep", "法定代表人", "enterprise.legal_rep_name"),
        _f("address", "地址", "enterprise.address"), _f("items", "许可项目")]),
    ("CJRZ", "中华人民共和国残疾人证", "disabled", PERSON, 10, [
        _f("name", "姓名", "holder.name"), _f("category", "残疾类别"), _f("grade", "残疾等级"),
        _f("address", "住址", "holder.address")]),
    ("JMSFZ", "居民身份证（电子证照）", "police", PERSON, 10, [
        _f("name", "姓名", "holder.name"), _f("address", "住址", "holder.address")]),
    ("JZZ", "居住证", "police", PERSON, 1, [
        _f("name", "姓名", "holder.name"), _f("address", "居住地址", "holder.address")]),
    ("JHZ", "结婚证", "civil", PERSON, None, [
        _f("holder", "持证人", "holder.name"), _f("spouse", "配偶姓名"), _f("registered_on", "登记日期")]),
]

# (holder username, enterprise?, type code, given 照面信息)
CERTIFICATES = [
    ("citizen1", False, "JMSFZ", {"address": "山东省济宁市兖州区龙桥路1号"}),
    ("citizen1", False, "BDCQZS", {"location": "兖州区九州中路88号3幢2单元501室", "unit_number": "370812001001GB00001F00030051",
                                   "area": "共有宗地面积 5,230.00㎡ / 房屋建筑面积 118.60㎡"}),
    ("corp1", False, "JMSFZ", {"address": "山东省济宁市兖州区建设东路18号"}),
    ("corp1", True, "YYZZ", {"business_scope": "食品销售；餐饮服务（依法须经批准的项目，经相关部门批准后方可开展经营活动）"}),
    ("corp1", True, "SPJYXKZ", {"main_form": "食品销售经营者（网络经营）", "items": "预包装食品（含冷藏冷冻食品）销售；散装食品销售"}),
]


def load_demo_certificate_types() -> int:
    departments = {d.code: d for d in Department.objects.filter(code__in={t[2] for t in TYPES})}
    made = 0
    for code, name, dept_code, holder_kind, years, fields in TYPES:
        dept = departments.get(dept_code)
        if dept is None:
            continue
        _obj, created = CertificateType.objects.update_or_create(code=code, defaults={
            "name": name, "department": dept, "holder_kind": holder_kind, "validity_years": years, "fields": fields})
        made += created
    return made


def load_demo_certificates() -> int:
    """Issue the demo certificates once (a holder who has a valid one of the type is skipped)."""
    from yiwang.accounts.models import User

    load_demo_certificate_types()
    made = 0
    for username, as_enterprise, code, given in CERTIFICATES:
        user = User.objects.filter(username=username).first()
        cert_type = CertificateType.objects.filter(code=code).select_related("department").first()
        if user is None or cert_type is None:
            continue
        enterprise = None
        if as_enterprise:
            membership = user.enterprise_memberships.filter(revoked_at__isnull=True).select_related("enterprise").first()
            enterprise = membership.enterprise if membership else None
            if enterprise is None:
                continue
        holder = {"holder_enterprise": enterprise} if enterprise else {"holder_user": user}
        if Certificate.objects.filter(type=cert_type, **holder).exists():
            continue
        fields = field_values(cert_type, holder_user=user, holder_enterprise=enterprise, given=given)
        issue(cert_type, holder_user=user, holder_enterprise=enterprise, fields=fields, reason="演示数据")
        made += 1
    return made
