"""Build ``demo_catalog.yaml``: the demo service catalogue of 山东省济宁市兖州区 (region 370812).

Run from the repository root::

    .venv/bin/python src/yiwang/catalog/data/build_demo_catalog.py

and commit both this script and its output; the YAML (format ``yiwang-catalog/1``, see
``docs/catalog-format.md``) is what ``yiwang catalog import`` loads.

What is real and what is demo (DESIGN §6):

* Real: the county, its department names, the laws and regulations cited in 设定依据 (articles are
  cited only where the article number is certain; otherwise the regulation alone), the statutory
  time limits taken from them, the fee standards (不动产登记费 per 发改价格规〔2016〕2559号, 居民身份证
  工本费 per 发改价格〔2003〕2322号), the national codes of GB/T 39046 (事项类型, 服务对象…).
* Demo: every 基本编码 (national shape 00 + 部门 4 位 + 主项 3 位 + 子项 3 位, not the real national
  codes), every 实施编码 (built on the departments' demo USCCs), 承诺时限, window numbers, floors,
  telephone numbers, certificate-type codes and data-sharing resource codes. The importer marks every
  row as demo data.

The department USCCs are those of ``yiwang.org.demo`` (``demo_uscc``), so the 实施编码 validate.
Shared form fields use one property name and one schema in every item (``FIELDS`` below), so a 一件事
bundle's merged form asks a shared field once.
"""

from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "demo_catalog.yaml"
REGION = "370812"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _department_directory() -> dict[str, dict]:
    if str(HERE.parents[2]) not in sys.path:  # src/
        sys.path.insert(0, str(HERE.parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()
    from yiwang.org.demo import DEPARTMENTS

    return {row["code"]: row for row in DEPARTMENTS}


# --- codes ---------------------------------------------------------------------------------------

#: Demo 4-digit department part of the 基本编码 (national shape; not the real national codes).
BASE_DEPT = {
    "approval": "0103", "police": "0104", "education": "0105", "civil": "0106", "justice": "0107",
    "hrss": "0111", "natural-resources": "0112", "environment": "0113", "housing": "0114",
    "transport": "0115", "water": "0117", "agriculture": "0118", "culture-tourism": "0120",
    "health": "0121", "veterans": "0122", "emergency": "0123", "medical-insurance": "0131",
    "housing-fund": "0141", "tax": "0170", "market": "0172", "disabled": "0190",
}

WD = "workday"
ND = "natural_day"

# 网上办理深度 presets (1 咨询 2 收件 3 预审 4 受理 5 办理 6 结果反馈 7 电子证照反馈)
FULL_CERT = ["1", "2", "3", "4", "5", "6", "7"]  # 全程网办，电子证照
FULL = ["1", "2", "3", "4", "5", "6"]  # 全程网办
ACCEPT = ["1", "2", "3", "4"]  # 网上受理，线下办结/领取
PRE = ["1", "2", "3"]  # 网上预约预审

CENTRE = "兖州区政务服务中心"
HOURS_CENTRE = "工作日 上午 9:00–12:00，下午 13:30–17:30（法定节假日除外）；周六上午 9:00–12:00 预约服务"
HOURS_DEPT = "工作日 上午 8:30–12:00，下午 13:30–17:00（法定节假日除外）"
SUPERVISE = "0537-12345"
APP = "兖州区政务服务网或“爱山东”App兖州分厅"

#: Where each department's items are accepted by default: (accepted_at, place, window, 承办机构).
DEPT_DEFAULTS = {
    "approval": ("centre", f"{CENTRE}三楼工程建设项目审批区", "投资项目综合窗口 31 号", "投资项目审批科"),
    "market": ("centre", f"{CENTRE}二楼市场准入区", "企业开办综合窗口 11–16 号", "登记注册科"),
    "police": ("department", f"{CENTRE}一楼公安综合窗口，或户籍所在地派出所户籍室", "公安综合窗口 5–6 号",
               "户政管理大队"),
    "civil": ("centre", f"{CENTRE}二楼社会事务区", "民政综合窗口 21–22 号", "社会救助科"),
    "hrss": ("centre", f"{CENTRE}二楼社会事务区", "人社综合窗口 23–27 号", "区社会保险事业中心"),
    "medical-insurance": ("centre", f"{CENTRE}二楼社会事务区", "医保综合窗口 28–30 号", "区医疗保障服务中心"),
    "health": ("centre", f"{CENTRE}二楼社会事务区", "卫生健康窗口 19–20 号", "医政医管科"),
    "housing": ("centre", f"{CENTRE}三楼工程建设项目审批区", "工程建设综合窗口 32–35 号", "建筑市场管理科"),
    "natural-resources": ("centre", f"{CENTRE}三楼不动产登记和交易区", "不动产登记综合窗口 39–48 号",
                          "区不动产登记中心"),
    "tax": ("centre", f"{CENTRE}一楼办税服务区", "综合办税窗口 51–58 号", "纳税服务股"),
    "housing-fund": ("centre", f"{CENTRE}一楼住房公积金服务区", "公积金综合窗口 61–64 号", "归集提取科"),
    "education": ("department", "兖州区教育和体育局一楼服务大厅（文化东路16号）", "教育服务窗口", "基础教育科"),
    "transport": ("centre", f"{CENTRE}三楼工程建设项目审批区", "交通运输窗口 36 号", "运输管理科"),
    "environment": ("centre", f"{CENTRE}三楼工程建设项目审批区", "生态环境窗口 37 号", "环境影响评价股"),
    "disabled": ("department", "兖州区残疾人联合会一楼服务大厅（龙桥路66号）", "残疾人综合服务窗口", "康复部"),
    "veterans": ("centre", f"{CENTRE}二楼社会事务区", "退役军人服务窗口 18 号", "优抚安置科"),
    "justice": ("department", "兖州区公共法律服务中心（中御桥北路35号）", "法律援助窗口", "区法律援助中心"),
    "agriculture": ("centre", f"{CENTRE}二楼市场准入区", "农业农村窗口 17 号", "农业综合执法和审批科"),
    "emergency": ("centre", f"{CENTRE}二楼市场准入区", "应急管理窗口 17 号", "危险化学品安全监督管理科"),
    "culture-tourism": ("centre", f"{CENTRE}二楼市场准入区", "文化旅游窗口 17 号", "文化市场管理科"),
    "water": ("centre", f"{CENTRE}三楼工程建设项目审批区", "水务窗口 38 号", "水资源管理科"),
}

# 证照类型代码 (demo codes; the certificate issue gives them meaning)
CERT = {
    "id_card": ("JMSFZ", "居民身份证", "公安机关"),
    "hukou": ("JMHKB", "居民户口簿", "公安机关"),
    "license": ("YYZZ", "营业执照", "市场监督管理部门"),
    "marriage": ("JHZ", "结婚证", "婚姻登记机关"),
    "birth": ("CSYXZM", "出生医学证明", "助产机构"),
    "property": ("BDCQZS", "不动产权证书", "不动产登记机构"),
    "ss_card": ("SHBZK", "社会保障卡", "人力资源社会保障部门"),
    "disability": ("CJRZ", "中华人民共和国残疾人证", "残疾人联合会"),
    "residence": ("JZZ", "居住证", "公安机关"),
    "food": ("SPJYXKZ", "食品经营许可证", "市场监督管理部门"),
    "land_plan": ("JSYDGHXKZ", "建设用地规划许可证", "自然资源主管部门"),
    "build_plan": ("JSGCGHXKZ", "建设工程规划许可证", "自然资源主管部门"),
    "retire": ("TXSPB", "职工退休审批表", "人力资源社会保障部门"),
    "veteran": ("TYJRZ", "退出现役证", "部队"),
    "physician": ("YSZGZS", "医师资格证书", "卫生健康主管部门"),
    "teacher_qual": ("JSZGZS", "教师资格证书", "教育行政部门"),
}

# 数据共享资源编码 (demo codes) → name
SHARE = {
    "GA-HJRK": "户籍人口基本信息（公安）",
    "GA-SWZX": "死亡注销户口信息（公安）",
    "MZ-HYDJ": "婚姻登记信息（民政）",
    "MZ-HHXX": "遗体火化信息（民政）",
    "MZ-DBTK": "低保、特困人员信息（民政）",
    "WJ-CSYXZM": "出生医学证明信息（卫生健康）",
    "WJ-SWYXZM": "居民死亡医学证明信息（卫生健康）",
    "SJ-SCZT": "市场主体登记信息（市场监管）",
    "ZR-BDCDJ": "不动产登记信息（自然资源）",
    "ZJ-WQBA": "房屋交易网签备案信息（住建）",
    "RS-SBCB": "社会保险参保缴费信息（人社）",
    "RS-TXSP": "职工退休审批信息（人社）",
    "YB-CBXX": "基本医疗保险参保信息（医保）",
    "GJJ-JCXX": "住房公积金缴存信息（公积金）",
    "CL-CJRXX": "残疾人证信息（残联）",
    "SW-WSXX": "完税信息（税务）",
    "XX-XJXX": "学籍信息（教育）",
    "TY-TYJR": "退役军人信息（退役军人事务）",
}


# --- form fields ---------------------------------------------------------------------------------


def _ui(label: str, widget: str, **extra) -> dict:
    ui = {"label": label, "widget": widget}
    ui.update({k: v for k, v in extra.items() if v not in (None, "")})
    return ui


def text(label, max_length=100, *, widget="text", help="", placeholder=""):
    return {"type": "string", "maxLength": max_length}, _ui(label, widget, help=help, placeholder=placeholder)


def textarea(label, max_length=1000, *, help="", placeholder=""):
    return text(label, max_length, widget="textarea", help=help, placeholder=placeholder)


def number(label, *, minimum=0, maximum=None, integer=False, help="", unit=""):
    schema = {"type": "integer" if integer else "number", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema, _ui(label, "number", help=help, unit=unit)


def date(label, *, help=""):
    return {"type": "string", "format": "date"}, _ui(label, "date", help=help)


def fmt(kind, label, *, help="", prefill=""):
    """id_number, uscc, phone, email."""
    return {"type": "string", "format": kind}, _ui(label, kind, help=help, prefill=prefill)


def choice(label, options, *, widget="select", help=""):
    values = [v for v, _ in options]
    return {"type": "string", "enum": values}, _ui(
        label, widget, help=help, options=[{"value": v, "label": lab} for v, lab in options]
    )


def radio(label, options, *, help=""):
    return choice(label, options, widget="radio", help=help)


def checkboxes(label, options, *, help=""):
    values = [v for v, _ in options]
    schema = {"type": "array", "items": {"type": "string", "enum": values}, "uniqueItems": True, "minItems": 1}
    return schema, _ui(label, "checkboxes", help=help, options=[{"value": v, "label": lab} for v, lab in options])


def checkbox(label, *, help=""):
    return {"type": "boolean"}, _ui(label, "checkbox", help=help)


def address(label, *, help=""):
    schema = {
        "type": "object",
        "properties": {
            "region_code": {"type": "string", "format": "region_code"},
            "detail": {"type": "string", "maxLength": 200},
        },
        "required": ["region_code", "detail"],
    }
    return schema, _ui(label, "address", help=help)


def group(label, members, *, required, min_items=1, max_items=None, help=""):
    """A repeating group: ``members`` is [(name, (schema, ui))]."""
    items = {
        "type": "object",
        "properties": {name: schema for name, (schema, _ui_) in members},
        "required": list(required),
    }
    schema = {"type": "array", "items": items, "minItems": min_items}
    if max_items:
        schema["maxItems"] = max_items
    ui = _ui(label, "group", help=help)
    # formschema reads a group's child hints from the group's own hint (``order`` and ``fields``).
    ui["order"] = [name for name, _ in members]
    ui["fields"] = {name: ui_ for name, (_s, ui_) in members}
    return schema, ui


SEX = [("1", "男"), ("2", "女")]
RELATION = [
    ("spouse", "配偶"), ("child", "子女"), ("parent", "父母"), ("grandparent", "祖父母、外祖父母"),
    ("grandchild", "孙子女、外孙子女"), ("sibling", "兄弟姐妹"), ("other", "其他"),
]
ID_TYPE = [("id_card", "居民身份证"), ("passport", "护照"), ("hk_mo_tw", "港澳台居民居住证或通行证")]
SEAL_TYPES = [
    ("official", "公章"), ("finance", "财务专用章"), ("invoice", "发票专用章"), ("contract", "合同专用章"),
    ("legal_rep", "法定代表人名章"),
]
BANKS = [
    ("icbc", "中国工商银行"), ("abc", "中国农业银行"), ("boc", "中国银行"), ("ccb", "中国建设银行"),
    ("bocom", "交通银行"), ("psbc", "中国邮政储蓄银行"), ("rcb", "兖州农村商业银行"), ("other", "其他银行"),
]

#: One schema per shared concept; every item uses these names so bundles merge them.
FIELDS: dict[str, tuple[dict, dict]] = {
    # the applicant (a natural person acting for themself)
    "applicant_name": text("申请人姓名", 50),
    "applicant_id_number": fmt("id_number", "申请人公民身份号码"),
    "applicant_phone": fmt("phone", "联系电话", help="用于接收办理进度短信"),
    "applicant_address": address("现居住地址", help="先选择所在区划，再填写街道门牌"),
    "applicant_email": fmt("email", "电子邮箱", help="选填，用于接收电子证照和办理结果"),
    "applicant_sex": radio("性别", SEX),
    # agents
    "by_agent": checkbox("委托他人代为办理"),
    "agent_name": text("代办人姓名", 50),
    "agent_id_number": fmt("id_number", "代办人公民身份号码"),
    "agent_phone": fmt("phone", "代办人联系电话"),
    # legal persons (法定代表人 / 负责人 / 个体工商户经营者)
    "enterprise_name": text("企业（单位）名称", 100),
    "uscc": fmt("uscc", "统一社会信用代码"),
    "legal_rep_name": text("法定代表人（负责人）姓名", 50),
    "legal_rep_id_number": fmt("id_number", "法定代表人（负责人）公民身份号码"),
    "contact_name": text("联系人姓名", 50),
    "contact_phone": fmt("phone", "联系人电话"),
    "contact_email": fmt("email", "联系人电子邮箱"),
    "enterprise_address": address("住所（经营场所）"),
    "business_scope": textarea("经营范围", 2000, help="按《经营范围规范表述目录》选择规范表述"),
    "employee_count": number("从业人员数", integer=True, maximum=100000, unit="人"),
    "project_name": text("项目名称", 200),
    "project_address": address("项目地址（建设地点）"),
    "project_code": text("投资项目代码", 40, help="投资项目在线审批监管平台赋予的项目代码，如 2501-370812-04-01-123456"),
    "total_investment": number("总投资", unit="万元"),
    "floor_area": number("总建筑面积", unit="平方米"),
    "seal_types": checkboxes("刻制印章种类", SEAL_TYPES),
    "deregistration_reason": choice("注销原因", [
        ("dissolution", "决议解散"), ("licence_revoked", "被吊销营业执照、责令关闭或者被撤销"),
        ("merger", "因合并、分立解散"), ("other", "其他原因"),
    ]),
    # children, parents and family
    "child_name": text("新生儿姓名", 50),
    "child_sex": radio("新生儿性别", SEX),
    "child_birth_date": date("出生日期"),
    "child_id_number": fmt("id_number", "新生儿公民身份号码", help="落户后取得；一件事中由出生登记结果自动回填"),
    "birth_certificate_no": text("出生医学证明编号", 20, help="一件事中由出生医学证明签发结果自动回填"),
    "birth_hospital": text("出生医院（助产机构）", 100),
    "father_name": text("父亲姓名", 50),
    "father_id_number": fmt("id_number", "父亲公民身份号码"),
    "mother_name": text("母亲姓名", 50),
    "mother_id_number": fmt("id_number", "母亲公民身份号码"),
    "spouse_name": text("配偶姓名", 50),
    "spouse_id_number": fmt("id_number", "配偶公民身份号码"),
    "household_address": text("户籍地址", 200),
    "marital_status": radio("婚姻状况", [("10", "未婚"), ("20", "已婚"), ("30", "丧偶"), ("40", "离婚")]),
    "family_members": group("共同生活的家庭成员", [
        ("member_name", text("姓名", 50)),
        ("member_id_number", fmt("id_number", "公民身份号码")),
        ("member_relation", choice("与申请人关系", RELATION)),
        ("member_monthly_income", number("月收入", unit="元")),
    ], required=["member_name", "member_id_number", "member_relation"], min_items=0, max_items=20,
        help="不含申请人本人"),
    "household_monthly_income": number("家庭月总收入", unit="元", help="共同生活家庭成员上年度月平均收入合计"),
    # property and housing
    "property_certificate_no": text("不动产权证书号", 60, placeholder="鲁（2024）兖州区不动产权第0001234号"),
    "property_address": address("房屋坐落"),
    "property_area": number("建筑面积", unit="平方米"),
    "transaction_price": number("成交价格", unit="万元"),
    "seller_name": text("出卖人（原产权人）姓名或名称", 100),
    "seller_id_number": text("出卖人证件号码", 30, help="自然人填写公民身份号码，单位填写统一社会信用代码"),
    "seller_phone": fmt("phone", "出卖人联系电话"),
    "payment_method": choice("付款方式", [
        ("full", "一次性付款"), ("commercial_loan", "商业贷款"), ("fund_loan", "住房公积金贷款"),
        ("combined_loan", "组合贷款"),
    ]),
    "water_account_no": text("供水户号", 30, help="见水费发票或缴费通知单"),
    "electricity_account_no": text("供电户号", 30, help="见电费账单或“网上国网”App"),
    "gas_account_no": text("燃气用户号", 30, help="见燃气卡或缴费凭证"),
    # work, pensions and payments
    "employer_name": text("工作单位（参保单位）名称", 100),
    "employer_uscc": fmt("uscc", "工作单位统一社会信用代码"),
    "bank_name": choice("开户银行", BANKS),
    "bank_account": text("银行账号（社会保障卡金融账户）", 32, help="须为申请人本人名下的账户"),
    "fund_account_no": text("住房公积金个人账号", 30, help="不清楚的可不填，按公民身份号码查询"),
    # death
    "deceased_name": text("逝者姓名", 50),
    "deceased_id_number": fmt("id_number", "逝者公民身份号码"),
    "death_date": date("死亡日期"),
    "relation_to_deceased": choice("申请人与逝者关系", RELATION),
    # disability
    "disability_certificate_no": text("残疾人证号", 22, help="已持证的填写；一件事中由办证结果自动回填"),
    "disability_category": choice("残疾类别", [
        ("1", "视力残疾"), ("2", "听力残疾"), ("3", "言语残疾"), ("4", "肢体残疾"), ("5", "智力残疾"),
        ("6", "精神残疾"), ("7", "多重残疾"),
    ]),
    # misc
    "reason": textarea("申请事由", 500),
    "remark": textarea("备注", 500),
    "delivery_method": radio("结果领取方式", [("window", "窗口领取"), ("post", "免费邮寄"), ("electronic", "电子证照")]),
    "postal_address": address("邮寄地址"),
}


def F(name: str) -> tuple[dict, dict]:
    schema, ui = FIELDS[name]
    return copy.deepcopy(schema), copy.deepcopy(ui)


def when(field: str, value, *then_required: str) -> tuple:
    return (field, value, list(then_required))


def form(*specs, conditions=()) -> dict:
    """Build ``{"schema", "ui"}``. A spec is ``"name"`` (shared field, required), ``"name?"``
    (shared, optional), ``("name", {ui overrides})`` or ``("name", (schema, ui))`` (item-specific;
    a ``?`` suffix makes it optional). Fields named in ``conditions`` (when(...)) after ``then`` are
    required only when the condition holds."""
    props: dict = {}
    order: list = []
    fields: dict = {}
    required: list = []
    for spec in specs:
        if isinstance(spec, str):
            raw, extra = spec, None
        else:
            raw, extra = spec
        optional = raw.endswith("?")
        name = raw.rstrip("?")
        if isinstance(extra, tuple):
            schema, ui = copy.deepcopy(extra[0]), copy.deepcopy(extra[1])
        else:
            schema, ui = F(name)
            if extra:
                ui.update(extra)
        if name in props:
            raise ValueError(f"duplicate field {name}")
        props[name] = schema
        fields[name] = ui
        order.append(name)
        if not optional:
            required.append(name)
    conditional = set()
    all_of = []
    for field, value, then in conditions:
        if field not in props:
            raise ValueError(f"condition on unknown field {field}")
        for t in then:
            if t not in props:
                raise ValueError(f"conditional field {t} not in form")
            conditional.add(t)
        all_of.append({
            "if": {"properties": {field: {"const": value}}, "required": [field]},
            "then": {"required": then},
        })
    required = [r for r in required if r not in conditional]
    schema = {"$schema": DRAFT, "type": "object", "properties": props, "required": required}
    if all_of:
        schema["allOf"] = all_of
    return {"schema": schema, "ui": {"order": order, "fields": fields}}


PERSON = ("applicant_name", "applicant_id_number", "applicant_phone")
ENTERPRISE = ("enterprise_name", "uscc", "legal_rep_name", "legal_rep_id_number", "contact_name", "contact_phone")
#: In an opening bundle the 统一社会信用代码 comes from the registration done in the same bundle.
ENTERPRISE_NEW = ("enterprise_name", ("uscc?", {"help": "已领取营业执照的填写；与营业执照同时申请的免填，由登记结果自动回填"}),
                  "legal_rep_name", "legal_rep_id_number", "contact_name", "contact_phone")
AGENT = ("by_agent?", "agent_name?", "agent_id_number?", "agent_phone?")
AGENT_WHEN = when("by_agent", True, "agent_name", "agent_id_number", "agent_phone")


# --- materials -----------------------------------------------------------------------------------


def mat(code, name, *, source="applicant", necessity="required", form="both", originals=1, copies=0, issuer="",
        cert="", share="", notes=""):
    if source == "certificate" and cert in CERT:
        cert_code, _cert_name, default_issuer = CERT[cert]
        cert, issuer = cert_code, issuer or default_issuer
    if source == "sharing":
        form, originals, copies = "electronic", 0, 0
        notes = notes or f"通过政务数据共享获取“{SHARE[share]}”，申请人无需提交"
    return {
        "code": code, "name": name, "form": form, "originals": originals, "copies": copies,
        "necessity": necessity, "source": source, "issuer": issuer,
        "certificate_type": cert if source == "certificate" else "",
        "sharing_resource": share if source == "sharing" else "",
        "notes": notes,
    }


def id_card(code, who="申请人", necessity="required"):
    return mat(code, f"{who}居民身份证", source="certificate", cert="id_card", necessity=necessity,
               notes="窗口办理出示原件；网上办理通过电子证照库调取，无需上传")


def licence(code, necessity="required"):
    return mat(code, "营业执照", source="certificate", cert="license", necessity=necessity,
               notes="通过电子营业执照调取，无需提交纸质件")


def hukou_share(code, who=""):
    return mat(code, f"{who}户籍信息（居民户口簿）", source="sharing", share="GA-HJRK", issuer="公安机关")


def application(code, name, notes="网上办理在线填写；窗口办理由工作人员打印，申请人签字确认"):
    return mat(code, name, form="both", originals=1, notes=notes)


def agent_letter(code):
    return mat(code, "授权委托书及受托人居民身份证", necessity="optional", form="both", originals=1,
               notes="委托他人代办时提供")


# --- items ---------------------------------------------------------------------------------------

ITEMS: list[dict] = []
BASES: list[dict] = []
KEYS: dict[str, str] = {}  # short key → 实施编码 (for bundles and life events)
DEPTS: dict[str, dict] = {}


def _limit(value) -> dict | None:
    """``5`` (working days), ``(15, ND)`` or ``None`` (no statutory limit)."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return {"value": value[0], "unit": value[1]}
    return {"value": value, "unit": WD}


def _steps(template, dept, undertaking, joint, *, online, result_name):
    deliver = "电子证照实时推送至申请人“爱山东”证照夹，需要纸质件的可免费邮寄或窗口领取"
    if template == "instant":
        return [
            {"name": "申请", "description": f"通过{APP}在线申请，或到窗口提交材料" if online
             else "到窗口提交申请材料（可网上预约、预审）"},
            {"name": "受理并办结", "description": "工作人员核验身份和材料，符合条件的当场办结"},
            {"name": "送达", "description": f"当场领取{result_name}；{deliver}" if result_name else "当场告知办理结果"},
        ]
    steps = [
        {"name": "申请", "description": f"通过{APP}在线申请，或到窗口提交材料"},
        {"name": "受理", "description": "材料齐全、符合法定形式的当场受理并出具受理通知书；不齐全的一次性告知需要补正的全部内容"},
    ]
    if template == "joint":
        names = "、".join(DEPTS[j]["short_name"] for j in joint)
        steps += [
            {"name": "并联审查", "description": f"{DEPTS[dept]['short_name']}牵头，{names}同步审查，意见一次性汇总"},
            {"name": "联合现场核查", "description": "需要现场核查的，由牵头部门组织联办部门一次联合踏勘，不重复上门"},
            {"name": "决定", "description": "牵头部门汇总各部门意见作出决定，不予许可的书面说明理由"},
        ]
    else:
        steps += [
            {"name": "审查", "description": f"{undertaking}承办人审查材料，需要核查的进行现场核查"},
            {"name": "审核", "description": "科室负责人审核"},
            {"name": "决定", "description": "分管负责人批准；不予批准的书面说明理由并告知救济途径"},
        ]
    steps.append({"name": "送达", "description": deliver if result_name else "办理结果通过短信和网上办事大厅告知"})
    return steps


def add(key, dept, basic, name, *, itype, basis, legal, promised, template, audiences, themes, summary,
        conditions, materials, form, faq, aliases, base_name=None, visits=0, visits_reason="", depth=FULL_CERT,
        handling=("1", "2", "3"), tongban="none", appointment=True, online_payment=False, delivery=True,
        accepted_at=None, place=None, window=None, hours=None, phone=None, result="", cert="", fees=(),
        joint=(), undertaking=None, nature="1", steps=None, popularity=50, base_basis=None):
    if key in KEYS:
        raise ValueError(f"duplicate key {key}")
    basic_code = f"00{BASE_DEPT[dept]}{basic}"
    if len(basic_code) != 12 or not basic_code.isdigit():
        raise ValueError(f"bad basic code {basic_code}")
    if any(b["basic_code"] == basic_code for b in BASES):
        raise ValueError(f"duplicate basic code {basic_code} ({name})")
    code = f"{DEPTS[dept]['uscc']}4{basic_code}"
    d_accept, d_place, d_window, d_under = DEPT_DEFAULTS[dept]
    accepted_at = accepted_at or d_accept
    undertaking = undertaking or d_under
    online = bool(set(depth) & {"5", "6", "7"})
    if cert in CERT:
        cert = CERT[cert][0]
    version = {
        "number": 1,
        "status": "published",
        "name": name,
        "item_type": itype,
        "exercise_level": "4",
        "subject_nature": nature,
        "undertaking_org": undertaking,
        "joint_departments": list(joint),
        "legal_basis": basis,
        "conditions": conditions.strip(),
        "process_steps": steps or _steps(template, dept, undertaking, joint, online=online, result_name=result),
        "legal_limit": _limit(legal),
        "promised_limit": _limit(promised),
        "case_type": "1" if template == "instant" else "2",
        "visits": visits,
        "visits_reason": visits_reason,
        "charges": bool(fees),
        "fees": [dict(f) for f in fees],
        "audiences": list(audiences),
        "handling_forms": list(handling),
        "online_depth": list(depth),
        "tongban_scope": tongban,
        "supports_appointment": appointment,
        "supports_online_payment": online_payment,
        "supports_delivery": delivery,
        "accepted_at": accepted_at,
        "place": place or d_place,
        "window": window or d_window,
        "hours": hours or (HOURS_CENTRE if (place or d_place).startswith(CENTRE) else HOURS_DEPT),
        "consult_phone": phone or DEPTS[dept]["phone"],
        "supervise_phone": SUPERVISE,
        "result_name": result,
        "certificate_type": cert,
        "process_template": template,
        "summary": summary.strip(),
        "faq": [{"q": q, "a": a} for q, a in faq],
        "aliases": list(aliases),
        "themes": list(themes),
        "change_note": "首次发布（演示数据）",
        "materials": list(materials),
        "form": form,
    }
    BASES.append({
        "basic_code": basic_code,
        "name": base_name or name,
        "item_type": itype,
        "legal_basis": base_basis or basis,
        "legal_limit": _limit(legal),
    })
    ITEMS.append({
        "code": code,
        "base": basic_code,
        "department": dept,
        "region": REGION,
        "popularity": popularity,
        "versions": [version],
    })
    KEYS[key] = code
    return code


# --- more shared vocabulary ----------------------------------------------------------------------

CERT.update({
    "hygiene": ("GGCSWSXKZ", "公共场所卫生许可证", "卫生健康主管部门"),
    "construction": ("SGXKZ", "建筑工程施工许可证", "住房城乡建设主管部门"),
    "drug": ("YPJYXKZ", "药品经营许可证", "药品监督管理部门"),
    "vaccination": ("YFJZZ", "预防接种证", "接种单位"),
    "no_crime": ("WFZJLZM", "无犯罪记录证明", "公安机关"),
    "nurse": ("HSZYZS", "护士执业证书", "卫生健康主管部门"),
    "transport": ("DLYSJYXKZ", "道路运输经营许可证", "交通运输主管部门"),
    "hazchem": ("WXHXPJYXKZ", "危险化学品经营许可证", "应急管理部门"),
    "entertainment": ("YLJYXKZ", "娱乐经营许可证", "文化和旅游主管部门"),
    "medical_org": ("YLJGZYXKZ", "医疗机构执业许可证", "卫生健康主管部门"),
    "water_permit": ("QSXKZ", "取水许可证", "水行政主管部门"),
    "pollutant": ("PWXKZ", "排污许可证", "生态环境主管部门"),
    "school": ("BXXKZ", "办学许可证", "教育行政部门"),
    "hr_service": ("RLZYFWXKZ", "人力资源服务许可证", "人力资源社会保障部门"),
    "dispatch": ("LWPQJYXKZ", "劳务派遣经营许可证", "人力资源社会保障部门"),
    "pesticide": ("NYJYXKZ", "农药经营许可证", "农业农村主管部门"),
    "animal_epidemic": ("DWFYTJHGZ", "动物防疫条件合格证", "农业农村主管部门"),
    "fireworks": ("YHBZJYXKZ", "烟花爆竹经营（零售）许可证", "应急管理部门"),
    "performance": ("YYXYCXKZ", "营业性演出许可证", "文化和旅游主管部门"),
    "special_equipment": ("TZSBSYDJZ", "特种设备使用登记证", "市场监督管理部门"),
    "preferential": ("TYJRYDZ", "中华人民共和国退役军人优待证", "退役军人事务部门"),
    "social_org": ("SHTTFRDJZS", "社会团体法人登记证书", "民政部门"),
    "divorce": ("LHZ", "离婚证", "婚姻登记机关"),
})

SHARE.update({
    "WJ-JKZM": "从业人员健康合格证明信息（卫生健康）",
    "ZR-GHXK": "建设用地和建设工程规划许可信息（自然资源）",
    "HB-HPSP": "建设项目环境影响评价审批信息（生态环境）",
    "ZJ-SGXK": "建筑工程施工许可信息（住建）",
    "FG-XMDM": "投资项目审批（备案）信息（行政审批）",
    "RS-JYDJ": "就业失业登记信息（人社）",
    "SJ-ZXDJ": "市场主体注销登记信息（市场监管）",
    "YB-TXDY": "退休人员医保待遇信息（医保）",
    "JY-XLXX": "高等教育学历学位信息（教育）",
    "JY-JSKS": "中小学教师资格考试合格信息（教育）",
})

ETHNIC = [
    ("01", "汉族"), ("03", "回族"), ("02", "蒙古族"), ("11", "满族"), ("04", "藏族"), ("05", "维吾尔族"),
    ("08", "壮族"), ("06", "苗族"), ("97", "其他民族"),
]
PURPOSE = [("job", "就业（入职、招聘）"), ("abroad", "出国（境）"), ("study", "入学、升学"),
           ("qualification", "资格认定、执业"), ("other", "其他用途")]

FIELDS.update({
    "enterprise_type": choice("企业类型", [
        ("llc_person", "有限责任公司（自然人投资或控股）"), ("llc_sole", "有限责任公司（自然人独资）"),
        ("llc_corp", "有限责任公司（法人独资）"), ("jsc", "股份有限公司"),
        ("partnership", "合伙企业"), ("sole_invest", "个人独资企业"),
    ]),
    "registered_capital": number("注册资本（认缴）", unit="万元",
                                 help="有限责任公司全体股东认缴的出资额应自公司成立之日起五年内缴足"),
    "shareholders": group("股东（出资人）", [
        ("shareholder_name", text("股东姓名或名称", 100)),
        ("shareholder_kind", radio("股东类型", [("person", "自然人"), ("entity", "法人或其他组织")])),
        ("shareholder_id_number", text("证件号码", 30, help="自然人填写公民身份号码，法人或其他组织填写统一社会信用代码")),
        ("subscribed_capital", number("认缴出资额", unit="万元")),
        ("contribution_deadline", date("认缴出资期限")),
    ], required=["shareholder_name", "shareholder_kind", "shareholder_id_number", "subscribed_capital",
                 "contribution_deadline"], min_items=1, max_items=50, help="有限责任公司股东人数为一个以上五十个以下"),
    "premises_area": number("经营场所面积", unit="平方米"),
    "unit_bank_name": choice("单位开户银行", BANKS),
    "unit_bank_account": text("单位银行账号", 32, help="企业基本存款账户或一般存款账户"),
    "contract_no": text("存量房买卖合同网签备案编号", 40, help="网签备案完成后生成；一件事中自动回填"),
    "has_co_owner": checkbox("买受人有共有人"),
    "co_owners": group("共有人", [
        ("co_owner_name", text("共有人姓名", 50)),
        ("co_owner_id_number", fmt("id_number", "共有人公民身份号码")),
        ("co_owner_share", text("共有方式及份额", 40, placeholder="共同共有，或按份共有 50%")),
    ], required=["co_owner_name", "co_owner_id_number", "co_owner_share"], min_items=1, max_items=10),
    "auto_debit": checkbox("签约银行代扣费用"),
    "delivery_type": radio("分娩方式", [("natural", "自然分娩"), ("caesarean", "剖宫产"),
                                       ("multiple", "多胞胎生育"), ("miscarriage", "流产")]),
    "retire_date": date("退休（待遇领取）时间"),
    "tax_staff_name": text("办税人员姓名", 50),
    "tax_staff_id_number": fmt("id_number", "办税人员公民身份号码"),
    "tax_staff_phone": fmt("phone", "办税人员手机号码", help="用于“电子税务局”实名登录"),
    "place_category": choice("公共场所类别", [
        ("lodging", "住宿场所（宾馆、旅店、招待所、民宿）"), ("bath", "沐浴场所（公共浴室、洗浴中心）"),
        ("beauty", "美容美发场所"), ("swimming", "游泳场所"), ("other", "其他需卫生许可的公共场所"),
    ]),
})

PREFILL = {
    "applicant_name": "profile.name", "applicant_id_number": "profile.id_number", "applicant_phone": "profile.phone",
    "enterprise_name": "enterprise.name", "uscc": "enterprise.uscc",
}
for _name, _key in PREFILL.items():
    FIELDS[_name][1]["prefill"] = _key

# Fields answered by data sharing (数据共享): shown read-only with their source, never asked again.
SOURCED = {"household_address": ("GA-HJRK", "household_address"), "marital_status": ("MZ-HYDJ", "marital_status")}
for _name, (_resource, _item) in SOURCED.items():
    FIELDS[_name][1]["source"] = {"resource": _resource, "item": _item}

DELIVERY = ("delivery_method", "postal_address?")
DELIVERY_WHEN = when("delivery_method", "post", "postal_address")


def L(label, **extra):
    """UI override for a shared field (label and/or help); the schema stays the shared one."""
    return {"label": label, **extra}


# common materials
def licence_new(code):
    return mat(code, "营业执照", source="certificate", cert="license",
               notes="通过电子营业执照调取；与营业执照同时申请的，登记完成后自动关联，无需提交")


def legal_rep_id(code):
    return mat(code, "法定代表人（负责人）居民身份证", source="certificate", cert="id_card",
               notes="通过电子证照库调取；窗口办理出示原件")


def property_share(code, necessity="required"):
    return mat(code, "不动产权证书（不动产登记信息）", source="sharing", share="ZR-BDCDJ", issuer="不动产登记机构",
               necessity=necessity)


def bank_card(code, who="申请人"):
    return mat(code, f"{who}本人银行账户（社会保障卡金融账户）信息", form="electronic", originals=0,
               notes="在线填写账号即可，无需上传银行卡照片")


# --- the catalogue -------------------------------------------------------------------------------


def market_items():
    add("company_setup", "market", "001001", "有限责任公司设立登记", base_name="公司设立登记",
        itype="01", legal=3, promised=1, template="promised", audiences=["2"], popularity=320,
        basis="《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》第三条、第十九条；"
              "《中华人民共和国市场主体登记管理条例实施细则》",
        themes=["establishment"],
        summary="""
在兖州区设立有限责任公司（含一人有限责任公司）。名称自主申报，设立登记与公章刻制、发票领用、
社保和医保单位参保、住房公积金单位缴存登记可在“企业开办一件事”中一次填报、同步办理，
登记通过即生成电子营业执照。""",
        conditions="""
1. 股东为一个以上五十个以下，共同制定公司章程；
2. 有公司名称，名称符合《企业名称登记管理规定》；
3. 有公司住所，建立符合有限责任公司要求的组织机构；
4. 全体股东认缴的出资额由股东按照公司章程的规定自公司成立之日起五年内缴足；
5. 经营范围中有依法须经批准的项目的，取得批准后方可开展相关经营活动。""",
        materials=[
            application("M01", "公司登记（备案）申请书"),
            mat("M02", "公司章程", notes="全体股东签署；可使用系统提供的章程范本在线生成、电子签名"),
            mat("M03", "股东的主体资格证明或者自然人身份证件", notes="自然人股东通过电子证照库核验，法人股东通过市场主体登记信息核验"),
            mat("M04", "法定代表人、董事、监事和经理的任职文件", notes="股东会决议或股东决定，在线生成、电子签名"),
            mat("M05", "住所（经营场所）使用证明", notes="自有房产通过不动产登记信息核验，免于提交；租赁的提交租赁合同"),
            legal_rep_id("M06"),
            agent_letter("M07"),
        ],
        form=form(
            ("enterprise_name", L("拟设公司名称", help="企业名称自主申报：行政区划 + 字号 + 行业 + 组织形式，如“济宁市兖州区某某商贸有限公司”")),
            "enterprise_type", "registered_capital", "enterprise_address",
            ("address_use", radio("住所使用方式", [("own", "自有房产"), ("lease", "租赁"), ("free", "无偿使用")])),
            ("lease_end_date?", date("租赁期限至")),
            "business_scope", "shareholders", "legal_rep_name", "legal_rep_id_number",
            ("supervisor_name?", text("监事姓名", 50, help="规模较小或者股东人数较少的公司，经全体股东一致同意，可以不设监事")),
            "contact_name", "contact_phone", "contact_email?", "employee_count?",
            conditions=[when("address_use", "lease", "lease_end_date")],
        ),
        faq=[
            ("公司名称需要先单独核准吗？", "不需要。实行企业名称自主申报，在填写设立登记申请时一并申报名称，系统自动比对，通过即可使用。"),
            ("注册资本可以随意认缴吗？", "依照2024年7月1日起施行的《中华人民共和国公司法》第四十七条，有限责任公司全体股东认缴的出资额应当自公司成立之日起五年内缴足，请根据实际经营需要合理确定注册资本。"),
            ("营业执照怎么领？", "登记通过即生成电子营业执照，可在“电子营业执照”小程序下载使用；需要纸质执照的，可选择免费邮寄或到窗口领取。"),
        ],
        aliases=["开公司", "注册公司", "成立公司", "办营业执照", "办执照", "公司注册", "企业开办"],
        result="营业执照", cert="license")

    add("sole_setup", "market", "002001", "个体工商户设立登记", base_name="个体工商户登记",
        itype="01", legal=3, promised=0, template="instant", audiences=["1", "6"], popularity=260,
        basis="《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》第三条、第十九条",
        themes=["establishment", "employment"],
        summary="""
有经营能力的公民在兖州区从事工商业经营，申请登记为个体工商户。材料齐全、符合法定形式的当场登记，
发放营业执照。可在“个体工商户开业一件事”中同时申请食品经营许可、公共场所卫生许可和发票领用。""",
        conditions="""
1. 有经营能力的自然人，可以个人经营或者家庭经营；
2. 有固定的经营场所，符合安全、环保、消防等规定；
3. 经营范围不属于法律、行政法规禁止个体工商户经营的项目。""",
        materials=[
            application("M01", "个体工商户登记（备案）申请书"),
            mat("M02", "经营者居民身份证", source="certificate", cert="id_card", notes="通过电子证照库调取"),
            mat("M03", "经营场所使用证明", notes="自有房产通过不动产登记信息核验，免于提交；租赁的提交租赁合同"),
            mat("M04", "家庭经营的家庭成员关系证明", necessity="optional",
                notes="家庭经营的提供；同一户口的通过户籍信息共享核验，免于提交"),
        ],
        form=form(
            ("enterprise_name?", L("个体工商户名称（字号）", help="可以不使用名称；使用名称的，一户只能使用一个名称")),
            ("legal_rep_name", L("经营者姓名")), ("legal_rep_id_number", L("经营者公民身份号码")),
            ("contact_phone", L("经营者联系电话")),
            ("enterprise_address", L("经营场所")), "business_scope",
            ("organization_form", radio("组成形式", [("personal", "个人经营"), ("family", "家庭经营")])),
            ("family_operators?", group("参加经营的家庭成员", [
                ("operator_name", text("姓名", 50)),
                ("operator_id_number", fmt("id_number", "公民身份号码")),
            ], required=["operator_name", "operator_id_number"], max_items=10)),
            ("operating_capital", number("资金数额", unit="万元")),
            "employee_count?",
            conditions=[when("organization_form", "family", "family_operators")],
        ),
        faq=[
            ("个体工商户一定要起名字吗？", "不一定。个体工商户可以不使用名称；使用名称的，名称由行政区划、字号、行业、组织形式依次组成。"),
            ("在家里开网店要办营业执照吗？", "通过网络平台从事便民劳务活动、零星小额交易活动的，依法不需要办理登记；其他网店经营者可以将网络经营场所作为经营场所登记为个体工商户。"),
            ("个体工商户可以转为公司吗？", "可以。个体工商户转为企业的，可以保留原名称中的字号和行业表述，按规定办理转型登记。"),
        ],
        aliases=["个体户", "开店", "办个体执照", "个体营业执照", "摆摊执照", "开小店"],
        result="营业执照", cert="license")

    add("food_licence", "market", "009001", "食品经营许可（新办）", base_name="食品经营许可",
        itype="01", legal=10, promised=3, template="promised", audiences=["2", "6"], popularity=240,
        basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        themes=["permits"],
        summary="""
在兖州区从事食品销售、餐饮服务或单位食堂经营的，取得营业执照后申请食品经营许可。
仅销售预包装食品的，办理备案即可，不需要申请许可。""",
        conditions="""
1. 具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所，
   与有毒、有害场所以及其他污染源保持规定的距离；
2. 具有与经营的食品品种、数量相适应的经营设备或者设施；
3. 有专职或者兼职的食品安全总监、食品安全员等食品安全管理人员和保证食品安全的规章制度；
4. 具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染；
5. 法律、法规规定的其他条件。""",
        materials=[
            application("M01", "食品经营许可申请书"),
            licence_new("M02"),
            mat("M03", "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
                notes="餐饮服务提供经营场所平面布局图（标明面积、功能分区）"),
            mat("M04", "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度目录"),
            mat("M05", "从业人员健康合格证明", source="sharing", share="WJ-JKZM", issuer="卫生健康部门",
                necessity="deferrable", notes="通过健康证明信息共享核验；尚未体检的可容缺受理，许可前补齐"),
        ],
        form=form(
            *ENTERPRISE_NEW,
            ("enterprise_address", L("经营场所")),
            ("food_business", checkboxes("主体业态", [("sales", "食品销售经营者"), ("catering", "餐饮服务经营者"),
                                                   ("canteen", "单位食堂")])),
            ("food_items", checkboxes("经营项目", [
                ("prepackaged", "预包装食品销售（含冷藏冷冻食品）"), ("bulk", "散装食品销售（含冷藏冷冻食品）"),
                ("special", "特殊食品销售（保健食品、特殊医学用途配方食品、婴幼儿配方乳粉）"),
                ("hot", "热食类食品制售"), ("cold", "冷食类食品制售"), ("raw", "生食类食品制售"),
                ("drinks", "自制饮品制售"), ("semi", "半成品制售"),
            ])),
            "premises_area", "employee_count",
            ("online_sales", checkbox("通过网络经营")),
            ("online_platform?", text("网络平台名称或网站地址", 200)),
            conditions=[when("online_sales", True, "online_platform")],
        ),
        faq=[
            ("只卖包装好的零食饮料，需要办食品经营许可证吗？", "不需要。仅销售预包装食品的，在取得营业执照后向市场监管部门备案即可。"),
            ("许可证有效期多久？", "食品经营许可证有效期为五年，需要延续的，应当在有效期届满前九十个工作日至十五个工作日期间提出延续申请。"),
            ("需要等现场核查吗？", "需要核查的，工作人员在受理后预约时间上门核查，申请人无需到窗口；材料齐全、承诺符合条件的可以当场作出许可决定。"),
        ],
        aliases=["开饭店", "开餐馆", "开超市", "食品许可证", "餐饮许可证", "食品经营许可证", "卖吃的"],
        result="食品经营许可证", cert="food")

    add("company_change", "market", "001002", "企业变更登记", base_name="公司变更登记",
        itype="01", legal=3, promised=1, template="promised", audiences=["2"], popularity=150,
        basis="《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》；《中华人民共和国市场主体登记管理条例实施细则》",
        themes=["establishment"],
        summary="企业的名称、住所、法定代表人、注册资本、经营范围、股东等登记事项发生变化的，自作出变更决议或者决定之日起30日内申请变更登记。",
        conditions="""
1. 已作出变更决议、决定，或者法定变更事项已经发生；
2. 变更后的登记事项符合法律、行政法规的规定；
3. 变更经营范围涉及依法须经批准的项目的，已取得批准。""",
        materials=[
            application("M01", "公司登记（备案）申请书"),
            mat("M02", "关于变更事项的决议或者决定", notes="股东会决议或者股东决定，可在线生成、电子签名"),
            mat("M03", "修改后的公司章程或者章程修正案", necessity="optional", notes="变更事项涉及章程的提供"),
            mat("M04", "变更后住所（经营场所）使用证明", necessity="optional", notes="变更住所的提供；自有房产通过不动产登记信息核验"),
            licence("M05"),
        ],
        form=form(
            *ENTERPRISE,
            ("change_items", checkboxes("变更事项", [
                ("name", "名称"), ("address", "住所"), ("legal_rep", "法定代表人"), ("capital", "注册资本"),
                ("scope", "经营范围"), ("shareholder", "股东及出资"), ("officer", "董事、监事、经理"),
            ])),
            ("change_description", textarea("变更内容（变更前后）", 1000)),
            ("change_legal_rep", checkbox("变更法定代表人")),
            ("new_legal_rep_name?", text("新任法定代表人姓名", 50)),
            ("new_legal_rep_id_number?", fmt("id_number", "新任法定代表人公民身份号码")),
            conditions=[when("change_legal_rep", True, "new_legal_rep_name", "new_legal_rep_id_number")],
        ),
        faq=[("变更后要重新刻章吗？", "变更名称的需要重新刻制印章并备案；其他事项变更不需要。"),
             ("变更后营业执照怎么换？", "变更登记完成后电子营业执照自动更新，纸质执照可选择邮寄换发。")],
        aliases=["公司变更", "执照变更", "换法人", "改经营范围", "迁址", "增资", "减资"],
        result="营业执照（变更）", cert="license")

    add("company_dereg", "market", "001003", "企业简易注销登记", base_name="企业注销登记",
        itype="01", legal=3, promised=1, template="promised", audiences=["2", "6"], popularity=130,
        basis="《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》；《中华人民共和国市场主体登记管理条例实施细则》",
        themes=["deregistration"],
        summary="""
未发生债权债务或者已将债权债务清偿完结的企业，经全体投资人承诺，通过国家企业信用信息公示系统公示20日后，
申请简易注销登记。在“企业注销一件事”中，税务、社保注销同步办理。""",
        conditions="""
1. 未发生债权债务或者已将债权债务清偿完结；
2. 未发生或者已结清清偿费用、职工工资、社会保险费用、法定补偿金、应缴纳税款（滞纳金、罚款）；
3. 全体投资人书面承诺对上述情况的真实性承担法律责任；
4. 公示期（20日）内无异议。""",
        materials=[
            application("M01", "简易注销登记申请书"),
            mat("M02", "全体投资人承诺书", notes="公示前在线签署"),
            licence("M03"),
        ],
        form=form(
            *ENTERPRISE, "deregistration_reason",
            ("announcement_start", date("简易注销公示开始日期")),
            ("debts_cleared", checkbox("全体投资人承诺债权债务已清偿完结")),
        ),
        faq=[("简易注销要登报公告吗？", "不需要。通过国家企业信用信息公示系统免费公示20日即可。"),
             ("哪些企业不能简易注销？", "涉及国家规定实施准入特别管理措施的外商投资企业、被列入严重违法失信名单、存在股权冻结或被吊销营业执照等情形的企业不适用简易注销，应当办理一般注销。")],
        aliases=["注销公司", "公司注销", "关公司", "简易注销", "企业注销", "注销执照"],
        result="准予注销登记通知书", undertaking="登记注册科")

    add("food_record", "market", "009101", "仅销售预包装食品备案", base_name="仅销售预包装食品备案",
        itype="10", legal=None, promised=0, template="instant", audiences=["2", "6"], popularity=90,
        basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        themes=["permits"],
        summary="仅销售预包装食品的经营者，不需要取得食品经营许可，在取得营业执照后向市场监管部门备案，当场完成。",
        conditions="已取得营业执照，经营项目仅为预包装食品（含冷藏冷冻食品）销售。",
        materials=[licence_new("M01"), application("M02", "仅销售预包装食品备案信息采集表")],
        form=form(
            *ENTERPRISE_NEW, ("enterprise_address", L("经营场所")),
            ("cold_chain", checkbox("含冷藏冷冻食品")),
            ("online_sales", checkbox("通过网络经营")),
            ("online_platform?", text("网络平台名称或网站地址", 200)),
            conditions=[when("online_sales", True, "online_platform")],
        ),
        faq=[("开小超市、便利店是办许可还是备案？", "只卖包装好的食品的办理备案；销售散装食品、现场制售食品的，须申请食品经营许可。")],
        aliases=["预包装食品备案", "小卖部", "开便利店", "食品备案"],
        result="仅销售预包装食品备案信息", undertaking="食品经营监管科")

    add("special_equipment", "market", "012001", "特种设备使用登记", base_name="特种设备使用登记",
        itype="01", legal=15, promised=3, template="promised", audiences=["2", "3", "6"], popularity=60,
        basis="《中华人民共和国特种设备安全法》第三十三条；《特种设备使用管理规则》（TSG 08）",
        themes=["permits"], undertaking="特种设备安全监察科",
        summary="电梯、锅炉、压力容器、起重机械、场（厂）内专用机动车辆等特种设备投入使用前或者投入使用后30日内，使用单位申请使用登记。",
        conditions="""
1. 特种设备已经安装、改造或者重大修理监督检验合格（需要检验的）；
2. 使用单位已建立安全管理制度，配备安全管理人员和持证作业人员。""",
        materials=[
            application("M01", "特种设备使用登记表"),
            licence("M02"),
            mat("M03", "特种设备产品合格证（含产品数据表）"),
            mat("M04", "监督检验证明或定期检验报告", notes="检验机构已上传的无需提交"),
        ],
        form=form(
            *ENTERPRISE,
            ("equipment_type", choice("设备种类", [("elevator", "电梯"), ("boiler", "锅炉"), ("vessel", "压力容器"),
                                                  ("crane", "起重机械"), ("vehicle", "场（厂）内专用机动车辆"),
                                                  ("ride", "大型游乐设施")])),
            ("equipment_count", number("设备台数", integer=True, minimum=1, maximum=500, unit="台")),
            ("equipment_address", address("设备使用地点")),
            ("safety_manager", text("安全管理人员姓名", 50)),
        ),
        faq=[("住宅小区电梯由谁办理使用登记？", "由电梯使用单位办理，一般为受委托的物业服务企业。")],
        aliases=["电梯登记", "锅炉登记", "特种设备登记", "叉车登记"],
        result="特种设备使用登记证", cert="special_equipment")

    add("drug_retail", "market", "010001", "药品零售企业经营许可", base_name="药品经营许可",
        itype="01", legal=20, promised=10, template="promised", audiences=["2", "6"], popularity=70,
        basis="《中华人民共和国药品管理法》第五十一条；《药品经营和使用质量监督管理办法》",
        themes=["permits"], undertaking="药品医疗器械监管科",
        summary="在兖州区开办药品零售企业（药店），向区市场监管局申请药品经营许可证。",
        conditions="""
1. 有依法经过资格认定的药师或者其他药学技术人员；
2. 有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境；
3. 有与所经营药品相适应的质量管理机构或者人员；
4. 有保证药品质量的规章制度，并符合药品经营质量管理规范要求。""",
        materials=[
            application("M01", "药品经营许可证申请表"),
            licence_new("M02"),
            mat("M03", "执业药师注册证及药学技术人员资格证明"),
            mat("M04", "经营场所、仓储设施平面布置图及房屋使用证明"),
            mat("M05", "药品质量管理制度文件目录"),
        ],
        form=form(
            *ENTERPRISE_NEW, ("enterprise_address", L("经营场所")), "premises_area",
            ("pharmacist_name", text("执业药师姓名", 50)),
            ("pharmacist_cert_no", text("执业药师注册证编号", 40)),
            ("drug_scope", checkboxes("经营范围", [("tcm_pieces", "中药饮片"), ("tcm_patent", "中成药"),
                                               ("chemical", "化学药"), ("biological", "生物制品（限于预防用以外）")])),
        ),
        faq=[("开药店必须有执业药师吗？", "经营处方药、甲类非处方药的药品零售企业应当配备执业药师；只经营乙类非处方药的，可以配备经过培训的药学技术人员。")],
        aliases=["开药店", "药店许可证", "药品经营许可证"],
        result="药品经营许可证", cert="drug")

    add("food_reward", "market", "020001", "食品安全违法行为举报奖励",
        itype="08", legal=None, promised=15, template="promised", audiences=["1"], popularity=30,
        basis="《中华人民共和国食品安全法》第一百一十五条；《市场监管领域重大违法行为举报奖励暂行办法》",
        themes=["health"], undertaking="执法稽查局",
        summary="举报食品安全违法行为经查证属实的，市场监管部门按规定给予举报人奖励，并对举报人信息保密。",
        conditions="""
1. 举报人提供的违法线索经查证属实并已作出行政处罚决定或者移送司法机关；
2. 举报的违法行为事先未被市场监管部门掌握；
3. 举报人为实名举报，并在规定期限内申领奖励。""",
        materials=[id_card("M01", "举报人"), bank_card("M02", "举报人")],
        form=form(
            ("applicant_name", L("举报人姓名")), ("applicant_id_number", L("举报人公民身份号码")), "applicant_phone",
            ("report_no", text("举报编号", 40, help="见举报受理告知短信")),
            ("report_date", date("举报日期")), "bank_name", "bank_account",
        ),
        faq=[("举报人的信息会泄露吗？", "不会。市场监管部门对举报人信息严格保密，奖励可由举报人本人在线申领。")],
        aliases=["举报奖励", "食品举报", "12315举报奖励"],
        result="举报奖励决定")


def police_items():
    add("birth_reg", "police", "001001", "出生登记（新生儿落户）", base_name="出生登记",
        itype="07", legal=None, promised=0, template="instant", audiences=["1"], popularity=280,
        basis="《中华人民共和国户口登记条例》第七条",
        themes=["household", "birth_adoption"],
        summary="""
婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。
在“新生儿出生一件事”中，出生医学证明签发后自动推送，父母在线确认即可落户，户口簿可邮寄到家。""",
        conditions="""
1. 新生儿已取得出生医学证明；
2. 随父或随母落户，父亲或母亲户口在兖州区；
3. 出生后一个月以内申报；超过一个月的，仍可申报，须说明原因。""",
        materials=[
            mat("M01", "出生医学证明", source="certificate", cert="birth", issuer="助产机构",
                notes="通过出生医学证明电子证照调取；院外分娩的另须提供亲子鉴定证明"),
            mat("M02", "父母双方居民身份证", source="certificate", cert="id_card", notes="通过电子证照库调取"),
            hukou_share("M03", "落户方"),
            mat("M04", "父母婚姻登记信息（结婚证）", source="sharing", share="MZ-HYDJ", issuer="婚姻登记机关",
                necessity="optional"),
        ],
        form=form(
            "child_name", "child_sex", "child_birth_date", "birth_certificate_no",
            ("child_ethnicity", choice("新生儿民族", ETHNIC)),
            ("child_ethnicity_other?", text("其他民族名称", 20)),
            ("hukou_follow", radio("落户方式", [("father", "随父落户"), ("mother", "随母落户")])),
            "father_name", "father_id_number", "mother_name", "mother_id_number",
            ("applicant_name", L("申报人姓名")), ("applicant_id_number", L("申报人公民身份号码")), "applicant_phone",
            *DELIVERY,
            conditions=[when("child_ethnicity", "97", "child_ethnicity_other"), DELIVERY_WHEN],
        ),
        faq=[
            ("超过一个月没有报户口怎么办？", "超过一个月的仍然可以申报出生登记，按规定说明逾期原因即可，不影响落户。"),
            ("孩子可以随母亲落户吗？", "可以。新生儿可以随父或者随母落户，由父母协商确定。"),
            ("户口簿要去派出所取吗？", "不用。办理时可以选择免费邮寄，户口簿首页和新生儿页寄送到家；也可以到户籍室领取。"),
        ],
        aliases=["上户口", "报户口", "新生儿落户", "宝宝上户口", "生孩子", "落户", "新生儿户口"],
        result="居民户口簿（新生儿户口页）", cert="hukou", handling=("1", "2", "3", "4"))

    add("id_card", "police", "002001", "居民身份证申领、换领", base_name="居民身份证申领、换领",
        itype="07", legal=(60, ND), promised=10, template="promised", audiences=["1"], popularity=300,
        visits=1, visits_reason="须本人到场采集人像和指纹信息", depth=ACCEPT, tongban="national",
        online_payment=True, handling=("1", "2", "3", "4"),
        basis="《中华人民共和国居民身份证法》",
        fees=[{"name": "居民身份证工本费（申领、换领）", "standard": "20 元/证",
               "basis": "《国家发展改革委 财政部关于第二代居民身份证收费标准等有关问题的通知》（发改价格〔2003〕2322号）",
               "reduction": "城乡居民中领取最低生活保障金的人员免收工本费"}],
        themes=["household"],
        summary="""
年满十六周岁的公民首次申领居民身份证、有效期满换领或姓名等登记项目变更换领。可在全国任一公安机关
居民身份证受理点异地申请，网上预约并完成照片预审后，到窗口采集指纹即可，证件可免费邮寄。""",
        conditions="""
1. 具有中华人民共和国国籍并定居在中国境内的公民；
2. 年满十六周岁的应当申领，未满十六周岁的可以由监护人代为申领；
3. 居民身份证有效期满前三个月内即可申请换领。""",
        materials=[
            mat("M01", "居民户口簿", source="sharing", share="GA-HJRK", issuer="公安机关",
                notes="本人户籍信息通过公安系统核验，无需提交；首次申领的未成年人由监护人陪同"),
            mat("M02", "原居民身份证", necessity="optional", form="paper", notes="换领的交回原证"),
            mat("M03", "数码相片回执", necessity="optional", form="electronic", originals=0,
                notes="可在受理点现场免费拍照，也可到具备资质的照相馆拍摄并上传回执号"),
        ],
        form=form(
            *PERSON,
            ("apply_type", radio("申请类型", [("first", "首次申领"), ("expire", "有效期满换领"),
                                            ("change", "登记项目变更换领")])),
            ("is_minor", checkbox("申请人未满十六周岁")),
            ("guardian_name?", text("监护人姓名", 50)),
            ("guardian_id_number?", fmt("id_number", "监护人公民身份号码")),
            ("photo_receipt_no?", text("数码相片回执号", 30)),
            *DELIVERY,
            conditions=[when("is_minor", True, "guardian_name", "guardian_id_number"), DELIVERY_WHEN],
        ),
        faq=[
            ("身份证可以在外地换吗？", "可以。居民身份证申领、换领、补领已实现全国通办，可在居住地任一受理点办理。"),
            ("办理期间需要乘飞机、火车怎么办？", "可以申请临时居民身份证，或在“国家政务服务平台”App申领电子临时身份证明。"),
            ("多久能拿到新证？", "承诺10个工作日内制证；选择邮寄的，制证完成后免费寄送到家。"),
        ],
        aliases=["身份证", "办身份证", "换身份证", "身份证到期", "身份证过期", "第一次办身份证"],
        result="居民身份证", cert="id_card", window="居民身份证受理窗口 5–6 号")

    add("id_card_lost", "police", "002002", "居民身份证补领",
        itype="07", legal=(60, ND), promised=10, template="promised", audiences=["1"], popularity=220,
        visits=1, visits_reason="须本人到场核验身份并采集人像和指纹信息", depth=ACCEPT, tongban="national",
        online_payment=True, handling=("1", "2", "3", "4"),
        basis="《中华人民共和国居民身份证法》",
        fees=[{"name": "居民身份证工本费（丢失补领、损坏换领）", "standard": "40 元/证",
               "basis": "《国家发展改革委 财政部关于第二代居民身份证收费标准等有关问题的通知》（发改价格〔2003〕2322号）",
               "reduction": "城乡居民中领取最低生活保障金的人员免收工本费"}],
        themes=["household"],
        summary="居民身份证丢失或者损坏的，向任一居民身份证受理点申请补领或换领。丢失后请尽快挂失，原证件挂失后即作废。",
        conditions="""
1. 居民身份证丢失、被盗或者损坏无法辨认；
2. 申请人为本人，未满十六周岁的由监护人陪同。""",
        materials=[
            mat("M01", "居民户口簿", source="sharing", share="GA-HJRK", issuer="公安机关"),
            mat("M02", "损坏的居民身份证", necessity="optional", form="paper", notes="损坏换领的交回原证"),
        ],
        form=form(
            *PERSON,
            ("lost_type", radio("申请原因", [("lost", "丢失或被盗"), ("damaged", "损坏")])),
            ("lost_date?", date("丢失日期")),
            ("report_loss", checkbox("同时申请挂失原证件")),
            *DELIVERY,
            conditions=[when("lost_type", "lost", "lost_date"), DELIVERY_WHEN],
        ),
        faq=[
            ("身份证丢了第一步做什么？", "先通过“爱山东”App或到派出所挂失，挂失后原证件在全国范围内失效，可防止被冒用。"),
            ("补领期间怎么证明身份？", "可以申请临时居民身份证（工本费10元），或使用电子临时身份证明。"),
        ],
        aliases=["身份证丢了", "补身份证", "身份证补办", "身份证坏了", "身份证挂失"],
        result="居民身份证", cert="id_card", window="居民身份证受理窗口 5–6 号")

    add("no_crime", "police", "005001", "无犯罪记录证明开具",
        itype="20", legal=3, promised=1, template="promised", audiences=["1"], popularity=210,
        basis="《公安机关办理无犯罪记录证明工作规定》（公通字〔2021〕19号）",
        themes=["employment"],
        summary="为个人出具在我国境内有无犯罪记录的证明，用于就业、出国（境）、资格认定等。网上申请，电子证明在线下载。",
        conditions="""
1. 中国公民可以向户籍地或者居住地公安派出所申请；
2. 查询本人的，由本人申请；委托他人代为申请的，提交委托书。""",
        materials=[
            id_card("M01"),
            agent_letter("M02"),
        ],
        form=form(
            *PERSON,
            ("proof_purpose", choice("证明用途", PURPOSE)),
            ("proof_purpose_other?", text("具体用途", 100)),
            ("receiving_org?", text("证明提交单位", 100, help="如用人单位、学校或出国（境）目的地机构名称")),
            *AGENT,
            conditions=[when("proof_purpose", "other", "proof_purpose_other"), AGENT_WHEN],
        ),
        faq=[
            ("电子证明和纸质证明效力一样吗？", "一样。电子无犯罪记录证明可通过二维码或验证码在线核验真伪。"),
            ("可以查询别人的无犯罪记录吗？", "不可以。单位需要核查的，应当依法向公安机关申请，个人只能为本人申请或者委托他人代为申请。"),
        ],
        aliases=["无犯罪证明", "无犯罪记录", "开无犯罪证明", "政审证明"],
        result="无犯罪记录证明", cert="no_crime", undertaking="户政管理大队、各派出所")

    add("seal_filing", "police", "007001", "新办企业印章刻制备案", base_name="印章刻制备案",
        itype="10", legal=None, promised=0, template="instant", audiences=["2", "6"], popularity=140,
        basis="《印铸刻字业暂行管理规则》；《国务院关于国家行政机关和企业事业单位社会团体印章管理的规定》（国发〔1999〕25号）",
        themes=["establishment"],
        summary="""
新开办企业（含个体工商户）刻制公章等印章，在线选择刻章企业，备案信息实时推送公安机关。
新开办企业首套印章由区财政统一购买服务，免费刻制、免费邮寄。""",
        conditions="已取得营业执照（与设立登记同步申请的，执照核发后自动推送刻章企业）。",
        materials=[licence_new("M01"), legal_rep_id("M02")],
        form=form(
            *ENTERPRISE_NEW, "seal_types",
            ("seal_maker", radio("刻章企业", [("assigned", "由系统就近分配"), ("self", "自行选择")])),
            ("seal_maker_name?", text("刻章企业名称", 100)),
            *DELIVERY,
            conditions=[when("seal_maker", "self", "seal_maker_name"), DELIVERY_WHEN],
        ),
        faq=[
            ("刻章要钱吗？", "新开办企业首套印章（公章、财务专用章、发票专用章、合同专用章、法定代表人名章）免费刻制。"),
            ("印章多久能拿到？", "刻章企业收到信息后当日刻制完成，可选择免费邮寄或到政务服务中心刻章窗口领取。"),
        ],
        aliases=["刻章", "刻公章", "公章刻制", "办公章"],
        result="印章备案信息", window="企业开办综合窗口 11–16 号", place=f"{CENTRE}二楼市场准入区")

    add("hukou_move", "police", "003001", "户口迁入（购房、投靠、就业落户）", base_name="户口迁移",
        itype="07", legal=None, promised=3, template="promised", audiences=["1"], popularity=190,
        basis="《中华人民共和国户口登记条例》；《国务院关于进一步推进户籍制度改革的意见》（国发〔2014〕25号）",
        themes=["household"],
        summary="""
在兖州区有合法稳定住所（含租赁）、合法稳定就业，或投靠直系亲属的，可以申请将户口迁入兖州区。
跨省、省内迁移均由迁入地派出所直接办理，不需要回原籍开具迁移证。""",
        conditions="""
1. 在兖州区购买住房并取得不动产权证书；或
2. 在兖州区合法稳定就业并参加社会保险；或
3. 投靠在兖州区落户的配偶、父母、子女。""",
        materials=[
            id_card("M01"),
            hukou_share("M02", "本人及随迁人员"),
            property_share("M03", necessity="optional"),
            mat("M04", "亲属关系证明", necessity="optional", notes="投靠落户的提供；同一户口簿或已有登记的通过户籍信息核验，免于提交"),
        ],
        form=form(
            *PERSON,
            ("move_reason", choice("迁入原因", [("purchase", "购房落户"), ("relative", "投靠亲属"), ("job", "就业落户"),
                                               ("other", "其他")])),
            ("property_certificate_no?", L("落户房屋不动产权证书号")),
            ("relative_name?", text("被投靠人姓名", 50)),
            ("relative_relation?", choice("与被投靠人关系", RELATION)),
            "employer_name?",
            ("applicant_address", L("拟迁入地址")),
            ("hukou_origin", text("现户籍所在地", 100)),
            ("movers", group("随迁人员", [
                ("mover_name", text("姓名", 50)), ("mover_id_number", fmt("id_number", "公民身份号码")),
                ("mover_relation", choice("与申请人关系", RELATION)),
            ], required=["mover_name", "mover_id_number", "mover_relation"], min_items=0, max_items=10)),
            *DELIVERY,
            conditions=[when("move_reason", "purchase", "property_certificate_no"),
                        when("move_reason", "relative", "relative_name", "relative_relation"),
                        when("move_reason", "job", "employer_name"), DELIVERY_WHEN],
        ),
        faq=[("外省户口迁来要回老家开迁移证吗？", "不需要。跨省户口迁移实行“一站式”办理，由兖州区迁入地派出所直接办理。"),
             ("租房能落户吗？", "在兖州区合法稳定就业并租赁住房的，可以申请在社区公共户落户。")],
        aliases=["落户", "户口迁移", "迁户口", "买房落户", "投靠落户"],
        result="居民户口簿", cert="hukou", handling=("1", "2", "3", "4"))

    add("death_dereg", "police", "001003", "死亡注销户口", base_name="死亡登记",
        itype="07", legal=None, promised=0, template="instant", audiences=["1"], popularity=110,
        basis="《中华人民共和国户口登记条例》第八条",
        themes=["household"],
        summary="公民死亡后，由其亲属或者有关人员申报死亡登记、注销户口。“身后一件事”中死亡医学证明和火化信息自动共享，家属在线确认即可。",
        conditions="公民死亡，已取得居民死亡医学证明（推断）书。",
        materials=[
            mat("M01", "居民死亡医学证明（推断）书", source="sharing", share="WJ-SWYXZM", issuer="医疗卫生机构"),
            id_card("M02", "申报人"),
            mat("M03", "逝者居民身份证", necessity="optional", form="paper", notes="交回注销；遗失的不影响办理"),
        ],
        form=form(
            ("applicant_name", L("申报人姓名")), ("applicant_id_number", L("申报人公民身份号码")), "applicant_phone",
            "deceased_name", "deceased_id_number", "death_date", "relation_to_deceased",
            ("death_place_type", radio("死亡地点", [("hospital", "医疗机构内"), ("home", "家中或其他地点")])),
            ("death_proof_org?", text("出具死亡证明的机构", 100)),
            conditions=[when("death_place_type", "home", "death_proof_org")],
        ),
        faq=[("注销户口后还需要办哪些事？", "可在“身后一件事”中一并申请丧葬补助金和抚恤金、惠民殡葬补贴、住房公积金提取等。")],
        aliases=["销户", "注销户口", "死亡销户", "人去世了", "去世"],
        result="户口注销证明", handling=("1", "2", "3"))

    add("residence_permit", "police", "004001", "居住证申领（首次）", base_name="居住证申领",
        itype="07", legal=(15, ND), promised=7, template="promised", audiences=["1"], popularity=90,
        visits=1, visits_reason="首次申领须本人到场采集人像信息", depth=ACCEPT,
        basis="《居住证暂行条例》",
        themes=["household"],
        summary="离开常住户口所在地，到兖州区居住半年以上，符合合法稳定就业、合法稳定住所、连续就读条件之一的，可以申领居住证，享受随迁子女入学等基本公共服务。",
        conditions="""
1. 在兖州区居住半年以上；
2. 有合法稳定就业、合法稳定住所或者连续就读三个条件之一；
3. 首次申领免收工本费。""",
        materials=[
            id_card("M01"),
            mat("M02", "居住地住址证明", notes="房屋租赁合同、房屋产权证明文件或单位、学校出具的住宿证明"),
            mat("M03", "就业或就读证明", necessity="optional", notes="以就业、就读为条件申领的提供"),
        ],
        form=form(
            *PERSON, ("applicant_address", L("兖州区居住地址")),
            ("residence_since", date("在兖州区居住起始日期")),
            ("residence_basis", radio("申领条件", [("job", "合法稳定就业"), ("home", "合法稳定住所"), ("study", "连续就读")])),
            "employer_name?", ("school_name?", text("就读学校", 100)),
            ("hukou_origin", text("户籍所在地", 100)),
            conditions=[when("residence_basis", "job", "employer_name"), when("residence_basis", "study", "school_name")],
        ),
        faq=[("居住证要每年签注吗？", "居住证每年签注一次，可通过“爱山东”App在线签注。")],
        aliases=["居住证", "暂住证", "办居住证"],
        result="居住证", cert="residence")


def civil_items():
    add("marriage", "civil", "001001", "内地居民结婚登记", base_name="结婚登记",
        itype="07", legal=None, promised=0, template="instant", audiences=["1"], popularity=250,
        visits=1, visits_reason="男女双方须亲自到婚姻登记机关共同申请并当场签字声明", depth=PRE,
        tongban="national", accepted_at="department", delivery=False,
        place="兖州区婚姻登记处（区民政局一楼，龙桥路58号）", window="结婚登记窗口", undertaking="区婚姻登记处",
        hours="工作日 上午 9:00–12:00，下午 13:30–17:00；5月20日、七夕等特殊日期如遇周末照常办理（请提前预约）",
        basis="《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条",
        themes=["marriage"],
        summary="""
内地居民结婚，男女双方亲自到婚姻登记机关共同申请结婚登记。符合结婚条件的当场登记，发给结婚证。
可在网上预约登记日期和颁证仪式。""",
        conditions="""
1. 男女双方完全自愿；
2. 男方年满二十二周岁，女方年满二十周岁；
3. 双方均无配偶；
4. 双方不是直系血亲或者三代以内的旁系血亲。""",
        materials=[
            mat("M01", "男女双方居民身份证", source="certificate", cert="id_card", notes="现场出示原件"),
            mat("M02", "本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
                notes="在登记员面前现场签署"),
            mat("M03", "双方近期半身免冠合影照片", originals=3, form="paper", notes="2寸，红底，可现场拍摄"),
        ],
        form=form(
            ("applicant_name", L("一方姓名")), ("applicant_id_number", L("一方公民身份号码")),
            ("applicant_phone", L("一方联系电话")),
            ("spouse_name", L("另一方姓名")), ("spouse_id_number", L("另一方公民身份号码")),
            ("spouse_phone", fmt("phone", "另一方联系电话")),
            ("appointment_date", date("预约登记日期")),
            ("ceremony", checkbox("预约颁证仪式")),
            ("ceremony_guests?", number("观礼亲友人数", integer=True, maximum=20, unit="人")),
            conditions=[when("ceremony", True, "ceremony_guests")],
        ),
        faq=[
            ("可以在外地登记结婚吗？", "可以。内地居民结婚登记已实行全国通办，双方可以在兖州区婚姻登记处或者其他任一婚姻登记机关办理，不再限于户籍地。"),
            ("还需要带户口簿吗？", "按照修订后的《婚姻登记条例》，内地居民办理结婚登记出具本人居民身份证即可，无需户口簿。"),
            ("登记要收费吗？", "不收费。结婚登记和结婚证均免费。"),
        ],
        aliases=["结婚", "领证", "登记结婚", "办结婚证", "扯证"],
        result="结婚证", cert="marriage", phone="0537-3461004")

    add("divorce", "civil", "001002", "内地居民离婚登记", base_name="离婚登记",
        itype="07", legal=(30, ND), promised=(30, ND), template="promised", audiences=["1"], popularity=120,
        visits=2, visits_reason="离婚冷静期前后，双方须两次亲自到婚姻登记机关申请和领证", depth=PRE,
        tongban="national", accepted_at="department", delivery=False,
        place="兖州区婚姻登记处（区民政局一楼，龙桥路58号）", window="离婚登记窗口", undertaking="区婚姻登记处",
        basis="《中华人民共和国民法典》第一千零七十六条、第一千零七十七条；《婚姻登记条例》",
        themes=["marriage"],
        summary="""
夫妻双方自愿离婚的，签订书面离婚协议，亲自到婚姻登记机关申请离婚登记。自收到申请之日起30日为离婚冷静期，
期满后30日内双方亲自到场申请发给离婚证；未申请的，视为撤回离婚登记申请。""",
        conditions="""
1. 双方自愿离婚，并已对子女抚养、财产以及债务处理等事项协商一致；
2. 双方均具有完全民事行为能力；
3. 双方在内地登记结婚。""",
        materials=[
            mat("M01", "男女双方居民身份证", source="certificate", cert="id_card", notes="现场出示原件"),
            mat("M02", "结婚证", source="certificate", cert="marriage", issuer="婚姻登记机关", notes="现场交回"),
            mat("M03", "离婚协议书", originals=3, form="paper", notes="载明双方自愿离婚的意思表示以及对子女抚养、财产及债务处理等事项协商一致的意见"),
            mat("M04", "双方近期半身免冠照片", originals=2, form="paper", notes="每人2张，2寸"),
        ],
        form=form(
            ("applicant_name", L("一方姓名")), ("applicant_id_number", L("一方公民身份号码")),
            ("applicant_phone", L("一方联系电话")),
            ("spouse_name", L("另一方姓名")), ("spouse_id_number", L("另一方公民身份号码")),
            ("marriage_date", date("结婚登记日期")),
            ("has_children", checkbox("有未成年子女")),
            ("children?", group("未成年子女抚养安排", [
                ("kid_name", text("子女姓名", 50)), ("kid_birth_date", date("出生日期")),
                ("custody", choice("随哪一方生活", [("applicant", "申请人一方"), ("spouse", "另一方")])),
            ], required=["kid_name", "kid_birth_date", "custody"], max_items=10)),
            ("agreement_done", checkbox("双方已签订离婚协议")),
            conditions=[when("has_children", True, "children")],
        ),
        faq=[("冷静期内反悔了怎么办？", "离婚冷静期内任何一方不愿意离婚的，可以向婚姻登记机关撤回离婚登记申请。"),
             ("冷静期满后忘记去领证怎么办？", "冷静期届满后30日内双方未共同到场申请发给离婚证的，视为撤回离婚登记申请，需要重新申请。")],
        aliases=["离婚", "协议离婚", "办离婚", "离婚冷静期"],
        result="离婚证", cert="divorce", phone="0537-3461004")

    add("marriage_reissue", "civil", "001003", "补领婚姻登记证", base_name="补领婚姻登记证",
        itype="07", legal=None, promised=0, template="instant", audiences=["1"], popularity=60,
        visits=1, visits_reason="须本人到婚姻登记机关核验身份", depth=PRE, tongban="national", accepted_at="department",
        place="兖州区婚姻登记处（区民政局一楼，龙桥路58号）", window="综合窗口", undertaking="区婚姻登记处",
        basis="《婚姻登记条例》",
        themes=["marriage"],
        summary="结婚证、离婚证遗失或者损毁的，当事人可以持居民身份证向婚姻登记机关申请补领，婚姻登记档案核实无误的当场补发。",
        conditions="当事人依法登记结婚或者离婚，现今仍维持该状况，婚姻登记档案可查。",
        materials=[
            id_card("M01"),
            mat("M02", "本人近期半身免冠照片", originals=3, form="paper", notes="补领结婚证的提供双方近期半身免冠合影照片"),
        ],
        form=form(
            *PERSON,
            ("reissue_cert", radio("补领证件", [("marriage", "结婚证"), ("divorce", "离婚证")])),
            ("registration_date", date("原登记日期", help="记不清的可填写大致日期")),
            ("registration_office", text("原登记机关", 100)),
            ("spouse_name", L("原登记另一方姓名")),
        ),
        faq=[("可以一方去补领吗？", "可以。结婚证、离婚证遗失的，当事人一方即可申请补领。")],
        aliases=["结婚证丢了", "补结婚证", "补离婚证", "结婚证补办"],
        result="结婚证或离婚证（补发）", cert="marriage")

    add("dibao", "civil", "002001", "最低生活保障审核确认", base_name="最低生活保障",
        itype="05", legal=30, promised=20, template="promised", audiences=["1"], popularity=180,
        basis="《社会救助暂行办法》（国务院令第649号）；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        themes=["social_security", "elderly_care", "disability"], undertaking="社会救助科",
        summary="""
共同生活的家庭成员人均收入低于兖州区最低生活保障标准，且家庭财产状况符合规定的，以家庭为单位申请最低生活保障。
可在网上或向户籍所在地、经常居住地乡镇（街道）申请，经济状况通过部门数据自动核对。""",
        conditions="""
1. 申请人具有兖州区户籍，或者持有兖州区居住证；
2. 共同生活家庭成员人均月收入低于兖州区最低生活保障标准；
3. 家庭财产状况符合山东省、济宁市规定。""",
        materials=[
            application("M01", "最低生活保障申请书"),
            mat("M02", "家庭经济状况核对授权书", notes="共同生活家庭成员在线签署，授权核对收入和财产"),
            hukou_share("M03", "家庭成员"),
            mat("M04", "残疾人证信息", source="sharing", share="CL-CJRXX", issuer="残疾人联合会", necessity="optional"),
            mat("M05", "患重病的诊断证明", necessity="optional", notes="家庭成员患重病的提供"),
        ],
        form=form(
            *PERSON, "applicant_address", "household_address", "marital_status", "spouse_name?", "spouse_id_number?",
            "family_members", "household_monthly_income",
            ("hardship_reason", textarea("家庭困难情况说明", 1000)),
            "bank_name", "bank_account",
            conditions=[when("marital_status", "20", "spouse_name", "spouse_id_number")],
        ),
        faq=[("兖州区低保标准是多少？", "低保标准由济宁市人民政府确定并向社会公布，城乡分别执行，请以民政部门最新公布的标准为准。"),
             ("在外地居住能申请吗？", "持有兖州区居住证的，可以在经常居住地申请。"),
             ("多久能知道结果？", "承诺20个工作日内作出审核确认决定，期间包括入户调查和7天公示。")],
        aliases=["低保", "申请低保", "最低生活保障", "困难补助", "贫困补助"],
        result="最低生活保障审核确认决定")

    add("tekun", "civil", "002002", "特困人员救助供养审核确认", base_name="特困人员救助供养",
        itype="05", legal=30, promised=20, template="promised", audiences=["1"], popularity=80,
        basis="《社会救助暂行办法》（国务院令第649号）；《特困人员认定办法》",
        themes=["elderly_care", "disability"], undertaking="社会救助科",
        summary="无劳动能力、无生活来源、无法定赡养抚养扶养义务人或者其法定义务人无履行义务能力的老年人、残疾人以及未满十八周岁的未成年人，申请特困人员救助供养。",
        conditions="""
1. 老年人、残疾人或者未满十八周岁的未成年人；
2. 无劳动能力、无生活来源；
3. 无法定赡养、抚养、扶养义务人，或者其法定义务人无履行义务能力。""",
        materials=[
            application("M01", "特困人员救助供养申请书"),
            id_card("M02"),
            mat("M03", "残疾人证信息", source="sharing", share="CL-CJRXX", issuer="残疾人联合会", necessity="optional"),
            mat("M04", "生活自理能力评估申请", notes="在线勾选，由乡镇（街道）组织评估"),
        ],
        form=form(
            *PERSON, "applicant_address", *AGENT,
            ("support_mode", radio("供养方式", [("dispersed", "分散供养（在家）"), ("centralized", "集中供养（供养机构）")])),
            ("preferred_home?", text("意向供养机构", 100)),
            conditions=[AGENT_WHEN, when("support_mode", "centralized", "preferred_home")],
        ),
        faq=[("生活不能自理可以集中供养吗？", "可以。完全或者部分丧失生活自理能力的特困人员，优先为其提供集中供养服务。")],
        aliases=["五保", "特困供养", "五保户", "孤寡老人"],
        result="特困人员救助供养审核确认决定")

    add("temp_aid", "civil", "002003", "临时救助", base_name="临时救助",
        itype="05", legal=None, promised=10, template="promised", audiences=["1"], popularity=70,
        basis="《社会救助暂行办法》（国务院令第649号）；《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）",
        themes=["social_security"], undertaking="社会救助科",
        summary="因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭或个人，申请临时救助。情况紧急的先行救助。",
        conditions="因意外事件、突发重大疾病或者其他特殊原因，基本生活暂时出现严重困难。",
        materials=[
            application("M01", "临时救助申请书"),
            id_card("M02"),
            mat("M03", "困难情况证明材料", notes="如医疗费用票据、事故或灾害证明等"),
        ],
        form=form(
            *PERSON, "applicant_address",
            ("emergency_type", choice("困难原因", [("accident", "火灾、交通事故等意外事件"), ("illness", "家庭成员突发重大疾病"),
                                                  ("other", "其他特殊原因")])),
            ("hardship_reason", textarea("家庭困难情况说明", 1000)),
            ("needed_amount?", number("已发生或预计支出", unit="元")),
            "family_members?", "bank_name", "bank_account",
        ),
        faq=[("情况很紧急怎么办？", "情况紧急的，可以直接向乡镇（街道）或者拨打0537-12345求助，先行救助后补办手续。")],
        aliases=["临时救助", "急难救助", "救急"],
        result="临时救助决定")

    add("elderly_allowance", "civil", "003001", "高龄津贴申领", base_name="高龄津贴",
        itype="05", legal=None, promised=10, template="promised", audiences=["1"], popularity=160,
        basis="《中华人民共和国老年人权益保障法》第三十三条",
        themes=["elderly_care"], undertaking="养老服务科",
        summary="符合条件的兖州区户籍高龄老年人，申领高龄津贴，按月发放至本人社会保障卡金融账户。年满条件的老年人可“免申即享”，系统主动提醒。",
        conditions="兖州区户籍、达到山东省和济宁市规定年龄的老年人（发放对象和标准按省、市规定执行）。",
        materials=[hukou_share("M01"), bank_card("M02", "老年人")],
        form=form(
            ("applicant_name", L("老年人姓名")), ("applicant_id_number", L("老年人公民身份号码")), "applicant_phone",
            "applicant_address", "bank_name", "bank_account", *AGENT,
            conditions=[AGENT_WHEN],
        ),
        faq=[("子女可以替老人申请吗？", "可以。勾选“委托他人代为办理”，填写代办人信息即可，津贴发放到老人本人账户。")],
        aliases=["老人补贴", "高龄补贴", "老年补贴", "长寿补贴", "高龄津贴"],
        result="高龄津贴发放决定")

    add("funeral_subsidy", "civil", "004001", "基本殡葬服务费用减免", base_name="惠民殡葬补贴",
        itype="05", legal=None, promised=0, template="instant", audiences=["1"], popularity=60,
        basis="《殡葬管理条例》；《关于推行惠民殡葬政策的指导意见》",
        themes=["elderly_care"], undertaking="社会事务科",
        summary="兖州区户籍居民去世后在区殡仪馆火化的，遗体接运、暂存、火化、骨灰寄存等基本殡葬服务费用按规定减免，在殡仪馆结算时直接抵扣。",
        conditions="逝者为兖州区户籍居民或在兖州区死亡，遗体在兖州区殡仪馆火化。",
        materials=[
            mat("M01", "居民死亡医学证明（推断）书", source="sharing", share="WJ-SWYXZM", issuer="医疗卫生机构"),
            mat("M02", "遗体火化信息", source="sharing", share="MZ-HHXX", issuer="殡仪馆"),
            id_card("M03", "经办人"),
        ],
        form=form(
            ("applicant_name", L("经办人姓名")), ("applicant_id_number", L("经办人公民身份号码")), "applicant_phone",
            "deceased_name", "deceased_id_number", "death_date", "relation_to_deceased",
            ("cremation_date", date("火化日期")),
        ),
        faq=[("需要先交钱再报销吗？", "不需要。符合条件的在殡仪馆结算时直接减免，无需垫付。")],
        aliases=["丧葬补贴", "殡葬补贴", "火化费减免", "惠民殡葬", "去世"],
        result="基本殡葬服务费用减免结果", accepted_at="department",
        place="兖州区殡仪馆业务大厅，或区政务服务中心民政窗口", window="殡葬服务窗口")

    add("disability_subsidies", "civil", "005001", "困难残疾人生活补贴和重度残疾人护理补贴", base_name="残疾人两项补贴",
        itype="05", legal=None, promised=15, template="promised", audiences=["1"], popularity=110,
        basis="《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
        themes=["disability"], undertaking="社会事务科",
        summary="低保家庭中的残疾人申请困难残疾人生活补贴；残疾等级为一级、二级且需要长期照护的重度残疾人申请重度残疾人护理补贴。",
        conditions="""
1. 持有第二代中华人民共和国残疾人证，户籍在兖州区；
2. 生活补贴：低保家庭中的残疾人（按山东省规定扩大的范围执行）；
3. 护理补贴：残疾等级为一级、二级且需要长期照护的重度残疾人。""",
        materials=[
            mat("M01", "残疾人证信息", source="sharing", share="CL-CJRXX", issuer="残疾人联合会"),
            mat("M02", "低保、特困人员信息", source="sharing", share="MZ-DBTK", issuer="民政部门", necessity="optional"),
            bank_card("M03", "残疾人"),
        ],
        form=form(
            ("applicant_name", L("残疾人姓名")), ("applicant_id_number", L("残疾人公民身份号码")), "applicant_phone",
            "disability_certificate_no", "disability_category",
            ("disability_level", radio("残疾等级", [("1", "一级"), ("2", "二级"), ("3", "三级"), ("4", "四级")])),
            ("subsidy_types", checkboxes("申请补贴", [("living", "困难残疾人生活补贴"), ("care", "重度残疾人护理补贴")])),
            "bank_name", "bank_account", *AGENT,
            conditions=[AGENT_WHEN],
        ),
        faq=[("两项补贴可以同时领吗？", "可以。既符合生活补贴条件又符合护理补贴条件的，可以同时申请。")],
        aliases=["残疾人补贴", "两项补贴", "残疾人护理补贴", "残疾人生活补贴"],
        result="残疾人两项补贴审核决定")

    add("social_org", "civil", "006001", "社会团体成立登记", base_name="社会团体登记",
        itype="01", legal=(60, ND), promised=20, template="promised", audiences=["4", "6"], popularity=30,
        basis="《社会团体登记管理条例》",
        themes=["establishment"], undertaking="社会组织管理科",
        summary="在兖州区成立区级社会团体（协会、学会、商会等），经业务主管单位审查同意后，向区民政局申请成立登记。",
        conditions="""
1. 有50个以上的个人会员，或者30个以上的单位会员；个人会员、单位会员混合组成的，会员总数不得少于50个；
2. 有规范的名称和相应的组织机构，有固定的住所；
3. 有与其业务活动相适应的专职工作人员；
4. 有合法的资产和经费来源，地方性的社会团体有3万元以上活动资金；
5. 有独立承担民事责任的能力。""",
        materials=[
            application("M01", "社会团体成立登记申请书"),
            mat("M02", "业务主管单位的批准文件", necessity="optional", notes="需要业务主管单位审查同意的提供"),
            mat("M03", "社会团体章程草案"),
            mat("M04", "验资报告或资金证明", notes="活动资金3万元以上"),
            mat("M05", "住所使用证明"),
            mat("M06", "拟任负责人的基本情况和身份证明"),
        ],
        form=form(
            ("enterprise_name", L("社会团体名称")),
            ("org_category", choice("社会团体类别", [("academic", "学术性"), ("industry", "行业性"), ("professional", "专业性"),
                                                    ("joint", "联合性")])),
            ("supervising_unit?", text("业务主管单位", 100, help="直接登记的行业协会商会等可不填")),
            ("member_count", number("会员数", integer=True, minimum=30, unit="个")),
            ("activity_funds", number("活动资金", minimum=3, unit="万元")),
            ("enterprise_address", L("住所")),
            ("legal_rep_name", L("拟任法定代表人姓名")), ("legal_rep_id_number", L("拟任法定代表人公民身份号码")),
            "contact_name", "contact_phone", "contact_email?",
        ),
        faq=[("行业协会商会还需要业务主管单位吗？", "行业协会商会、科技类、公益慈善类、城乡社区服务类社会组织可以直接向民政部门申请登记，不需要业务主管单位审查同意。")],
        aliases=["成立协会", "商会登记", "社团登记", "社会组织登记"],
        result="社会团体法人登记证书", cert="social_org")


def hrss_items():
    add("ss_unit", "hrss", "001001", "单位参加社会保险登记", base_name="参保单位注册登记",
        itype="20", legal=(15, ND), promised=0, template="instant", audiences=["2", "3", "4", "6"], popularity=150,
        basis="《中华人民共和国社会保险法》第五十七条；《社会保险费征缴暂行条例》",
        themes=["human_resources", "establishment"],
        summary="用人单位自成立之日起三十日内办理社会保险登记。企业开办一件事中由营业执照信息自动生成，无需另行申请。",
        conditions="已依法取得营业执照、登记证书或者单位印章的用人单位。",
        materials=[licence_new("M01")],
        form=form(*ENTERPRISE_NEW, "employee_count", "unit_bank_name", "unit_bank_account",
                  ("ss_insurances", checkboxes("参保险种", [
                      ("pension", "企业职工基本养老保险"), ("unemployment", "失业保险"), ("injury", "工伤保险"),
                  ]))),
        faq=[
            ("单位参保后多久要为职工办理参保？", "用人单位应当自用工之日起三十日内为其职工申请办理社会保险登记。"),
            ("社会保险费在哪里缴纳？", "社会保险费由税务部门征收，单位参保登记信息自动推送税务部门，可通过电子税务局申报缴纳。"),
        ],
        aliases=["单位社保开户", "企业社保登记", "公司交社保", "社保开户"],
        result="社会保险登记信息")

    add("retire", "hrss", "005001", "职工正常退休（职）申请", base_name="职工退休申请",
        itype="07", legal=None, promised=5, template="promised", audiences=["1", "2"], popularity=230,
        basis="《国务院关于工人退休、退职的暂行办法》（国发〔1978〕104号）；"
              "《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》；《中华人民共和国社会保险法》第十六条",
        themes=["social_security", "elderly_care"],
        summary="""
企业职工达到法定退休年龄、累计缴费达到规定年限的，由本人或所在单位申请办理退休。自2025年1月1日起，
法定退休年龄逐步延迟，职工可以按规定选择弹性提前或者弹性延迟退休。在“退休一件事”中，
退休审批、养老金核定、医保退休待遇和公积金提取一次申请。""",
        conditions="""
1. 达到法定退休年龄（或者符合弹性提前、弹性延迟退休条件）；
2. 基本养老保险累计缴费年限达到国家规定的最低缴费年限；
3. 出生时间、参加工作时间以人事档案记载为准。""",
        materials=[
            id_card("M01"),
            mat("M02", "职工人事档案", form="paper", issuer="单位或档案存放机构",
                notes="用于认定出生时间和参加工作时间，由单位或存档机构报送，本人无需提交"),
            mat("M03", "社会保险参保缴费信息", source="sharing", share="RS-SBCB", issuer="社会保险经办机构"),
            mat("M04", "特殊工种或因病提前退休的有关材料", necessity="optional",
                notes="特殊工种提前退休的提供从事特殊工种的原始记录；因病的提供劳动能力鉴定结论"),
        ],
        form=form(
            *PERSON, "employer_name?", "employer_uscc?",
            ("retire_type", radio("退休类型", [
                ("normal", "达到法定退休年龄"), ("early", "弹性提前退休"), ("delayed", "弹性延迟退休"),
                ("special_job", "特殊工种提前退休"), ("illness", "因病或非因工致残完全丧失劳动能力"),
            ])),
            "retire_date",
            ("special_job_name?", text("特殊工种名称", 100)),
            ("special_job_years?", number("从事特殊工种年限", unit="年")),
            conditions=[when("retire_type", "special_job", "special_job_name", "special_job_years")],
        ),
        faq=[
            ("我什么时候可以退休？", "自2025年1月1日起，男职工法定退休年龄从60周岁逐步延迟到63周岁，女职工从50周岁、55周岁分别逐步延迟到55周岁、58周岁。可在“爱山东”App或国家社会保险公共服务平台查询本人退休年龄。"),
            ("缴费不满最低年限怎么办？", "达到法定退休年龄时累计缴费不足最低年限的，可以延长缴费至规定年限，也可以按规定转入城乡居民基本养老保险。"),
            ("灵活就业人员自己能申请吗？", "可以。无单位的参保人员由本人在线申请，或到人社综合窗口办理。"),
        ],
        aliases=["退休", "办退休", "退休手续", "退休审批", "延迟退休"],
        result="职工退休审批表", cert="retire", undertaking="养老保险科")

    add("pension", "hrss", "005002", "企业职工基本养老保险待遇申领", base_name="基本养老保险待遇申领",
        itype="20", legal=None, promised=5, template="promised", audiences=["1"], popularity=200,
        basis="《中华人民共和国社会保险法》第十六条；《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）",
        themes=["social_security", "elderly_care"],
        summary="退休审批通过后核定基本养老金，按月发放至本人社会保障卡金融账户。退休一件事中与退休申请一并办理。",
        conditions="""
1. 已办理退休审批；
2. 累计缴费年限达到国家规定的最低缴费年限。""",
        materials=[
            mat("M01", "职工退休审批信息", source="sharing", share="RS-TXSP", issuer="人力资源社会保障部门"),
            bank_card("M02"),
        ],
        form=form(
            *PERSON, "retire_date", "bank_name", "bank_account",
            ("other_place_contribution", checkbox("曾在外省市缴纳养老保险")),
            ("other_place_detail?", textarea("外省市缴费情况", 500, help="写明缴费地、起止年月，已办理转移的可不填")),
            conditions=[when("other_place_contribution", True, "other_place_detail")],
        ),
        faq=[
            ("养老金什么时候开始发？", "自退休审批确定的待遇领取时间的次月起按月发放，首次发放时补发应领未领的部分。"),
            ("在外地交过社保怎么办？", "申请待遇前应将外地的养老保险关系转移到待遇领取地；不便转移的，可在申请时说明，由经办机构协助办理归集。"),
        ],
        aliases=["养老金", "领养老金", "退休金", "养老待遇", "退休工资"],
        result="基本养老金核定结果", undertaking="区社会保险事业中心")

    add("ss_card_child", "hrss", "003002", "新生儿社会保障卡申领", base_name="社会保障卡申领（新生儿）",
        itype="20", legal=None, promised=10, template="promised", audiences=["1"], popularity=120,
        basis="《中华人民共和国社会保险法》第五十八条",
        themes=["birth_adoption", "social_security"],
        summary="为新生儿申领社会保障卡（含电子社保卡），用于就医结算等。新生儿出生一件事中落户后自动申领，实体卡免费邮寄。",
        conditions="新生儿已办理出生登记（落户）。",
        materials=[
            mat("M01", "新生儿户籍信息", source="sharing", share="GA-HJRK", issuer="公安机关"),
            mat("M02", "新生儿近期免冠彩色照片", form="electronic", originals=0, necessity="optional",
                notes="一周岁以下可不提供照片"),
        ],
        form=form(
            "child_name", "child_sex", "child_birth_date", "child_id_number?",
            ("applicant_name", L("监护人姓名")), ("applicant_id_number", L("监护人公民身份号码")), "applicant_phone",
            *DELIVERY, conditions=[DELIVERY_WHEN],
        ),
        faq=[("新生儿社保卡有什么用？", "可用于新生儿门诊、住院医保结算和预防接种等身份识别。"),
             ("办卡收费吗？", "首次申领社会保障卡免费。")],
        aliases=["新生儿社保卡", "宝宝社保卡", "小孩社保卡"],
        result="社会保障卡", cert="ss_card", undertaking="区社会保障卡服务中心", handling=("1", "2", "3", "4"))

    add("ss_unit_dereg", "hrss", "001003", "单位参保注销登记", base_name="参保单位注销登记",
        itype="20", legal=None, promised=0, template="instant", audiences=["2", "3", "4", "6"], popularity=50,
        basis="《中华人民共和国社会保险法》第五十七条",
        themes=["deregistration", "human_resources"],
        summary="用人单位依法终止的，自终止之日起30日内办理社会保险注销登记。“企业注销一件事”中与注销登记同步办理。",
        conditions="单位已为职工办理社会保险关系转移或终止，无欠缴社会保险费。",
        materials=[licence("M01"), mat("M02", "单位终止的有关文件", necessity="optional",
                                     notes="已在市场监管部门办理注销的通过信息共享核验，免于提交")],
        form=form(*ENTERPRISE, "deregistration_reason", ("arrears_cleared", checkbox("已结清社会保险费"))),
        faq=[("职工的社保关系怎么处理？", "注销前须为在职职工办理减员，职工的个人账户和缴费记录长期保存，再就业后可接续。")],
        aliases=["社保注销", "单位社保销户", "注销社保"],
        result="社会保险注销登记结果")

    add("ss_card", "hrss", "003001", "社会保障卡申领", base_name="社会保障卡申领",
        itype="20", legal=None, promised=5, template="promised", audiences=["1"], popularity=240,
        tongban="cross_province", handling=("1", "2", "3", "4"),
        basis="《中华人民共和国社会保险法》第五十八条",
        themes=["social_security"], undertaking="区社会保障卡服务中心",
        summary="参保人员申领第三代社会保障卡（含金融功能），可用于就医购药结算、领取待遇、乘车等。网上申请，免费邮寄；也可到合作银行网点即时制卡。",
        conditions="在兖州区参加社会保险的人员，或户籍在兖州区的居民。",
        materials=[
            id_card("M01"),
            mat("M02", "本人近期免冠彩色证件照片", form="electronic", originals=0, notes="在线上传或使用身份证照片"),
        ],
        form=form(
            *PERSON,
            ("card_bank", choice("选择合作银行", BANKS[:-1], help="社会保障卡金融账户的开户银行")),
            *DELIVERY, conditions=[DELIVERY_WHEN],
        ),
        faq=[("社保卡和医保卡是一张卡吗？", "是的。社会保障卡具有医保结算功能，凭卡或电子社保卡、医保码均可就医。"),
             ("办卡收费吗？", "首次申领免费。"),
             ("等不及邮寄怎么办？", "可以到区政务服务中心或合作银行即时制卡网点现场制卡，当场取卡。")],
        aliases=["社保卡", "办社保卡", "医保卡", "社会保障卡", "第三代社保卡"],
        result="社会保障卡", cert="ss_card")

    add("ss_card_reissue", "hrss", "003003", "社会保障卡挂失与补换", base_name="社会保障卡补换",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=170,
        visits=1, visits_reason="即时制卡须本人到场核验身份并设置密码", depth=PRE, tongban="cross_province",
        basis="《中华人民共和国社会保险法》第五十八条",
        themes=["social_security"], undertaking="区社会保障卡服务中心",
        summary="社会保障卡遗失、损坏或信息变更的，先通过“爱山东”App、12333或电子社保卡挂失，再到即时制卡网点补换，当场取卡。",
        conditions="已领取社会保障卡的持卡人。",
        materials=[id_card("M01"), mat("M02", "损坏的社会保障卡", necessity="optional", form="paper", notes="换卡的交回")],
        form=form(
            *PERSON,
            ("reissue_reason", radio("补换原因", [("lost", "遗失"), ("damaged", "损坏"), ("info", "信息变更")])),
            ("report_loss", checkbox("同时办理正式挂失")),
        ),
        faq=[("社保卡丢了第一步做什么？", "立即通过电子社保卡、12333热线或“爱山东”App办理临时挂失，挂失后卡内医保和金融功能暂停使用，防止被盗刷。"),
             ("补卡期间能看病吗？", "可以。就医时使用医保电子凭证或电子社保卡结算。")],
        aliases=["社保卡丢了", "补社保卡", "社保卡挂失", "换社保卡", "社保卡坏了"],
        result="社会保障卡", cert="ss_card")

    add("unemployment_benefit", "hrss", "004001", "失业保险金申领", base_name="失业保险金申领",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=190,
        basis="《中华人民共和国社会保险法》第四十五条；《失业保险条例》",
        themes=["employment", "social_security"], undertaking="失业保险科",
        summary="参加失业保险、非因本人意愿中断就业、已办理失业登记并有求职要求的失业人员，申领失业保险金。线上申领、即时审核，按月发放。",
        conditions="""
1. 失业前用人单位和本人已经缴纳失业保险费满一年；
2. 非因本人意愿中断就业；
3. 已经进行失业登记，并有求职要求。""",
        materials=[
            mat("M01", "就业失业登记信息", source="sharing", share="RS-JYDJ", issuer="公共就业服务机构"),
            mat("M02", "解除或者终止劳动关系证明", necessity="deferrable", notes="单位已通过系统办理减员的可免于提交"),
            bank_card("M03"),
        ],
        form=form(
            *PERSON, ("employer_name", L("原工作单位")),
            ("separation_date", date("解除或终止劳动关系日期")),
            ("separation_reason", choice("离职原因", [("contract_end", "劳动合同期满终止"), ("dismissed", "用人单位解除劳动合同"),
                                                     ("bankruptcy", "单位破产、关闭或撤销"), ("forced", "被迫解除劳动合同"),
                                                     ("other", "其他非本人意愿原因")])),
            "bank_name", "bank_account",
            ("seeking_job", checkbox("本人有求职要求，愿意接受职业介绍和培训")),
        ),
        faq=[("能领多久？", "累计缴费满1年不足5年的，最长领取12个月；满5年不足10年的，最长18个月；10年以上的，最长24个月。"),
             ("领取期间的医保怎么办？", "领取失业保险金期间，由失业保险基金代缴基本医疗保险费，个人不缴费。")],
        aliases=["失业金", "领失业金", "失业保险", "没工作"],
        result="失业保险金核定结果")

    add("employment_reg", "hrss", "004002", "就业创业证申领（就业失业登记）", base_name="就业失业登记",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=120,
        basis="《中华人民共和国就业促进法》；《就业服务与就业管理规定》",
        themes=["employment"], undertaking="区公共就业和人才服务中心",
        summary="办理就业登记或失业登记，领取电子《就业创业证》，是享受就业创业扶持政策的凭证。",
        conditions="法定劳动年龄内、有劳动能力的兖州区户籍或常住人员。",
        materials=[id_card("M01")],
        form=form(
            *PERSON, "applicant_address",
            ("education_level", choice("文化程度", [("junior", "初中及以下"), ("senior", "高中、中专、技校"),
                                                   ("college", "大专"), ("bachelor", "本科"), ("postgraduate", "研究生")])),
            ("employment_status", radio("就业状态", [("unemployed", "失业"), ("employed", "已就业"), ("startup", "自主创业")])),
            ("startup_uscc?", fmt("uscc", "创办主体统一社会信用代码")),
            ("want_training", checkbox("希望参加职业技能培训")),
            conditions=[when("employment_status", "startup", "startup_uscc")],
        ),
        faq=[("就业创业证有什么用？", "用于享受创业担保贷款、社会保险补贴、职业培训补贴等就业创业扶持政策。")],
        aliases=["就业创业证", "失业登记", "就业登记", "找工作", "失业证"],
        result="就业创业证（电子）")

    add("startup_loan", "hrss", "004003", "创业担保贷款申请", base_name="创业担保贷款",
        itype="05", legal=None, promised=15, template="promised", audiences=["1", "2"], popularity=100,
        basis="《财政部 人力资源社会保障部 中国人民银行关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知》（财金〔2020〕21号）",
        themes=["employment"], undertaking="区创业担保贷款服务中心",
        summary="符合条件的个人创业者和小微企业申请创业担保贷款，由政府性担保机构提供担保，财政按规定给予贴息。",
        conditions="""
1. 个人：城镇登记失业人员、高校毕业生、退役军人、返乡创业农民工等重点群体，已自主创业并取得营业执照；
2. 小微企业：当年新招用符合条件人员达到规定比例并签订一年以上劳动合同；
3. 无不良信用记录。""",
        materials=[
            id_card("M01"),
            licence("M02", necessity="optional"),
            mat("M03", "创业计划书或经营情况说明"),
            mat("M04", "就业失业登记信息", source="sharing", share="RS-JYDJ", issuer="公共就业服务机构", necessity="optional"),
        ],
        form=form(
            *PERSON,
            ("loan_subject", radio("申请主体", [("person", "个人创业者"), ("company", "小微企业")])),
            ("enterprise_name?", L("企业（个体工商户）名称")), "uscc?",
            ("applicant_category", choice("人员类别", [("graduate", "高校毕业生"), ("unemployed", "城镇登记失业人员"),
                                                      ("veteran", "退役军人"), ("migrant", "返乡创业农民工"), ("other", "其他重点群体")])),
            ("loan_amount", number("申请贷款金额", minimum=1, unit="万元")),
            ("loan_term", choice("贷款期限", [("1", "1年"), ("2", "2年"), ("3", "3年")])),
            conditions=[when("loan_subject", "company", "enterprise_name", "uscc")],
        ),
        faq=[("贷款额度和贴息标准是多少？", "按国家和山东省最新政策执行，办理时由经办机构根据申请主体类型核定。"),
             ("需要找人担保吗？", "由政府性融资担保机构提供担保，符合条件的可免除反担保要求。")],
        aliases=["创业贷款", "创业担保贷", "贴息贷款", "创业补贴"],
        result="创业担保贷款审核意见")

    add("work_injury", "hrss", "006001", "工伤认定申请", base_name="工伤认定",
        itype="07", legal=(60, ND), promised=20, template="promised", audiences=["1", "2"], popularity=110,
        basis="《工伤保险条例》第十七条、第二十条",
        themes=["social_security", "human_resources"], undertaking="工伤保险科",
        summary="职工发生事故伤害或者被诊断、鉴定为职业病，所在单位应当自事故伤害发生之日起30日内提出工伤认定申请；单位未申请的，职工或其近亲属可以在1年内申请。",
        conditions="""
1. 用人单位自事故伤害发生之日或者被诊断、鉴定为职业病之日起30日内申请；
2. 用人单位未按规定申请的，工伤职工或者其近亲属、工会组织在1年内可以直接申请。""",
        materials=[
            application("M01", "工伤认定申请表"),
            mat("M02", "与用人单位存在劳动关系（包括事实劳动关系）的证明材料"),
            mat("M03", "医疗诊断证明或者职业病诊断证明书（职业病诊断鉴定书）"),
            mat("M04", "事故经过说明及证人证言", necessity="optional"),
        ],
        form=form(
            ("applicant_role", radio("申请人身份", [("employer", "用人单位"), ("worker", "职工本人"), ("relative", "职工近亲属")])),
            ("applicant_name", L("申请人（经办人）姓名")), ("applicant_id_number", L("申请人（经办人）公民身份号码")),
            "applicant_phone",
            ("worker_name", text("受伤职工姓名", 50)), ("worker_id_number", fmt("id_number", "受伤职工公民身份号码")),
            "employer_name", "employer_uscc",
            ("accident_date", date("事故发生（职业病诊断）日期")), ("accident_place", text("事故发生地点", 200)),
            ("injury_description", textarea("受伤害经过和部位", 1000)),
        ),
        faq=[("上下班路上出车祸算工伤吗？", "在上下班途中，受到非本人主要责任的交通事故伤害的，应当认定为工伤。"),
             ("认定要多长时间？", "法定时限为受理之日起60日，事实清楚、权利义务明确的，15日内作出决定；兖州区承诺20个工作日内办结。")],
        aliases=["工伤", "工伤认定", "上班受伤", "职业病"],
        result="认定工伤决定书或不予认定工伤决定书")

    add("hr_service_licence", "hrss", "008001", "人力资源服务许可（职业中介活动）", base_name="人力资源服务许可",
        itype="01", legal=20, promised=10, template="promised", audiences=["2"], popularity=40,
        basis="《中华人民共和国就业促进法》；《人力资源市场暂行条例》",
        themes=["permits", "human_resources"], undertaking="就业促进和失业保险科",
        summary="经营性人力资源服务机构从事职业中介活动的，向区人社局申请人力资源服务许可。开展其他人力资源服务业务的，开展业务之日起15日内备案即可。",
        conditions="""
1. 依法登记的经营性人力资源服务机构；
2. 有与开展业务相适应的固定场所、办公设施和专职工作人员；
3. 有健全的业务管理制度。""",
        materials=[
            application("M01", "人力资源服务许可申请表"),
            licence("M02"),
            mat("M03", "经营场所使用证明"),
            mat("M04", "业务管理制度"),
        ],
        form=form(
            *ENTERPRISE, ("enterprise_address", L("服务场所")), "premises_area",
            ("full_time_staff", number("专职工作人员数", integer=True, minimum=1, unit="人")),
            ("service_items", checkboxes("申请开展的职业中介业务", [
                ("worker_intro", "为劳动者介绍用人单位"), ("employer_intro", "为用人单位推荐劳动者"),
                ("info_service", "为用人单位和个人提供职业介绍信息服务"), ("job_fair", "组织开展现场招聘会"),
                ("online", "开展网络招聘"), ("headhunting", "开展高级人才寻访服务"),
            ])),
        ),
        faq=[("人力资源服务许可证有有效期吗？", "人力资源服务许可证不设有效期，机构变更名称、住所、法定代表人或者终止经营的，应当在规定时间内办理变更或注销。")],
        aliases=["职业中介许可", "人力资源许可证", "开中介", "劳务中介"],
        result="人力资源服务许可证", cert="hr_service")

    add("labour_dispatch", "hrss", "008002", "劳务派遣经营许可", base_name="劳务派遣经营许可",
        itype="01", legal=20, promised=10, template="promised", audiences=["2"], popularity=40,
        basis="《中华人民共和国劳动合同法》第五十七条；《劳务派遣行政许可实施办法》",
        themes=["permits", "human_resources"], undertaking="劳动关系科",
        summary="经营劳务派遣业务，应当向区人社局申请劳务派遣经营许可，未经许可不得经营劳务派遣业务。",
        conditions="""
1. 注册资本不得少于人民币二百万元；
2. 有与开展业务相适应的固定的经营场所和设施；
3. 有符合法律、行政法规规定的劳务派遣管理制度；
4. 法律、行政法规规定的其他条件。""",
        materials=[
            application("M01", "劳务派遣经营许可申请书"),
            licence("M02"),
            mat("M03", "公司章程及验资机构出具的验资报告或者财务审计报告"),
            mat("M04", "经营场所使用证明以及与开展业务相适应的办公设施设备、信息管理系统等清单"),
            mat("M05", "劳务派遣管理制度", notes="包括劳动合同、劳动报酬、社会保险、工作时间、休息休假、劳动纪律等与劳动者切身利益相关的规章制度文本，拟与用工单位签订的劳务派遣协议样本"),
        ],
        form=form(
            *ENTERPRISE, ("registered_capital", L("注册资本（实缴）", help="不得少于200万元")),
            ("enterprise_address", L("经营场所")), "premises_area",
        ),
        faq=[("劳务派遣许可证有效期多久？", "劳务派遣经营许可证有效期为3年，需要延续的，应当在有效期届满60日前提出申请。")],
        aliases=["劳务派遣", "派遣许可证", "劳务公司"],
        result="劳务派遣经营许可证", cert="dispatch")

    add("working_hours", "hrss", "008003", "企业实行不定时工作制和综合计算工时工作制审批", base_name="特殊工时制度审批",
        itype="01", legal=20, promised=10, template="promised", audiences=["2"], popularity=30,
        basis="《中华人民共和国劳动法》第三十九条；《关于企业实行不定时工作制和综合计算工时工作制的审批办法》（劳部发〔1994〕503号）",
        themes=["human_resources"], undertaking="劳动关系科",
        summary="企业因生产特点不能实行标准工时制度的，经人社部门批准，可以对部分岗位实行不定时工作制或者综合计算工时工作制。",
        conditions="""
1. 企业因工作性质或生产特点不能实行标准工时制度；
2. 已听取工会和职工意见，并采取集中工作、集中休息、轮休调休、弹性工作时间等方式保障职工休息休假权利。""",
        materials=[
            application("M01", "实行特殊工时制度申请表"),
            licence("M02"),
            mat("M03", "工会或职工代表意见"),
            mat("M04", "实行特殊工时制度的岗位及保障职工休息休假的措施"),
        ],
        form=form(
            *ENTERPRISE,
            ("hours_system", radio("申请工时制度", [("flexible", "不定时工作制"), ("comprehensive", "综合计算工时工作制")])),
            ("calc_period?", choice("综合计算周期", [("week", "周"), ("month", "月"), ("quarter", "季"), ("year", "年")])),
            ("positions", group("实行特殊工时的岗位", [
                ("position_name", text("岗位名称", 50)),
                ("position_headcount", number("人数", integer=True, minimum=1, unit="人")),
            ], required=["position_name", "position_headcount"], max_items=30)),
            ("union_consulted", checkbox("已听取工会或职工代表意见")),
            conditions=[when("hours_system", "comprehensive", "calc_period")],
        ),
        faq=[("批准后一直有效吗？", "批准决定有有效期，期满需要继续实行的，应当重新申请。")],
        aliases=["特殊工时", "综合工时", "不定时工作制"],
        result="实行特殊工时工作制的批复")

    add("survivor_benefit", "hrss", "005003", "企业职工丧葬补助金、抚恤金申领", base_name="遗属待遇申领",
        itype="20", legal=None, promised=5, template="promised", audiences=["1"], popularity=80,
        basis="《中华人民共和国社会保险法》第十七条",
        themes=["social_security"], undertaking="区社会保险事业中心",
        summary="参加企业职工基本养老保险的个人因病或者非因工死亡的，其遗属可以申领丧葬补助金和抚恤金。“身后一件事”中死亡信息自动共享，同步停发养老金。",
        conditions="逝者生前参加企业职工基本养老保险（在职或已退休），申请人为其直系亲属或者法定继承人。",
        materials=[
            mat("M01", "死亡注销户口信息", source="sharing", share="GA-SWZX", issuer="公安机关"),
            mat("M02", "遗体火化信息", source="sharing", share="MZ-HHXX", issuer="殡仪馆", necessity="optional"),
            id_card("M03"),
            mat("M04", "申请人与逝者的亲属关系证明", necessity="optional", notes="户籍信息可以核验的免于提交"),
        ],
        form=form(
            ("applicant_name", L("申请人（遗属）姓名")), ("applicant_id_number", L("申请人（遗属）公民身份号码")),
            "applicant_phone", "deceased_name", "deceased_id_number", "death_date", "relation_to_deceased",
            "bank_name", "bank_account",
        ),
        faq=[("多领的养老金要退吗？", "逝者去世后仍发放的养老金须退回，可在申请时从丧葬补助金、抚恤金中抵扣。")],
        aliases=["丧葬费", "抚恤金", "丧葬补助金", "去世", "养老保险遗属待遇"],
        result="丧葬补助金、抚恤金核定结果")


def medical_items():
    add("mi_unit", "medical-insurance", "001001", "单位基本医疗保险参保登记", base_name="参保单位登记",
        itype="20", legal=(15, ND), promised=0, template="instant", audiences=["2", "3", "4", "6"], popularity=110,
        basis="《中华人民共和国社会保险法》第五十七条",
        themes=["human_resources", "establishment"],
        summary="用人单位办理职工基本医疗保险（含生育保险）参保登记。企业开办一件事中由营业执照信息自动生成。",
        conditions="已依法取得营业执照、登记证书或者单位印章的用人单位。",
        materials=[licence_new("M01")],
        form=form(*ENTERPRISE_NEW, "employee_count", "unit_bank_name", "unit_bank_account"),
        faq=[("职工医保和生育保险要分别登记吗？", "不需要。生育保险和职工基本医疗保险合并实施，一次登记即可。")],
        aliases=["单位医保开户", "企业医保登记", "公司交医保"],
        result="医疗保险单位参保登记信息")

    add("mi_child", "medical-insurance", "002002", "新生儿城乡居民基本医疗保险参保登记",
        base_name="城乡居民基本医疗保险参保登记",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=160,
        basis="《中华人民共和国社会保险法》第二十五条",
        themes=["birth_adoption", "health"],
        summary="为新生儿办理城乡居民基本医疗保险参保登记。在出生后规定时间内参保缴费的，自出生之日起享受医保待遇。",
        conditions="新生儿已办理出生登记，户籍或父母一方户籍在兖州区。",
        materials=[
            mat("M01", "新生儿户籍信息", source="sharing", share="GA-HJRK", issuer="公安机关"),
            mat("M02", "出生医学证明", source="sharing", share="WJ-CSYXZM", issuer="助产机构"),
        ],
        form=form(
            "child_name", "child_sex", "child_birth_date", "child_id_number?",
            ("applicant_name", L("监护人姓名")), ("applicant_id_number", L("监护人公民身份号码")), "applicant_phone",
            ("pay_now", checkbox("同时缴纳当年度居民医保费")),
        ),
        faq=[("新生儿参保有时间要求吗？", "新生儿在出生后90日内参保缴费的，自出生之日起享受居民医保待遇，出生期间的住院费用可以报销（以当年济宁市政策为准）。"),
             ("在哪里缴费？", "登记后可通过“爱山东”App、微信或银行渠道缴纳居民医保费，缴费由税务部门征收。")],
        aliases=["新生儿医保", "宝宝医保", "小孩医保", "新生儿参保", "医保"],
        result="参保登记信息", undertaking="区医疗保障服务中心")

    add("maternity", "medical-insurance", "003001", "生育津贴申领", base_name="生育保险待遇核准支付",
        itype="20", legal=None, promised=10, template="promised", audiences=["1", "2"], popularity=150,
        basis="《中华人民共和国社会保险法》第五十四条、第五十六条",
        themes=["birth_adoption", "social_security"],
        summary="参加职工医保（生育保险）的职工生育后，申领生育津贴。生育医疗费用在定点医院直接结算，无需申请。",
        conditions="""
1. 用人单位已为职工缴纳生育保险费；
2. 职工生育、流产或者施行计划生育手术。""",
        materials=[
            mat("M01", "出生医学证明", source="sharing", share="WJ-CSYXZM", issuer="助产机构"),
            mat("M02", "住院病历（出院记录）", notes="定点医院已联网上传的无需提交"),
            bank_card("M03", "职工"),
        ],
        form=form(
            ("mother_name", L("职工姓名（生育女职工）")), ("mother_id_number", L("职工公民身份号码")),
            "employer_name", "employer_uscc", "child_birth_date", "delivery_type",
            ("baby_count", number("生育子女数", integer=True, minimum=1, maximum=6, unit="个")),
            "bank_name", "bank_account", "applicant_phone",
        ),
        faq=[("生育津贴发给谁？", "生育津贴按照职工所在用人单位上年度职工月平均工资计发，发放至用人单位或者职工本人账户，按济宁市规定执行。"),
             ("男职工可以领吗？", "男职工配偶未就业的，可以按规定享受生育医疗费用待遇；男职工的护理假津贴按济宁市规定执行。")],
        aliases=["生育津贴", "产假工资", "生育保险", "生孩子报销", "产假津贴"],
        result="生育津贴支付决定", undertaking="区医疗保障服务中心")

    add("mi_retire", "medical-insurance", "004001", "退休人员基本医疗保险待遇申请", base_name="退休人员医保待遇核定",
        itype="20", legal=None, promised=5, template="promised", audiences=["1"], popularity=100,
        basis="《中华人民共和国社会保险法》第二十七条",
        themes=["social_security", "health", "elderly_care"],
        summary="职工退休时核定职工医保缴费年限，达到规定年限的退休后不再缴费，按规定享受退休人员医保待遇。",
        conditions="已办理退休审批，参加职工基本医疗保险。",
        materials=[
            mat("M01", "职工退休审批信息", source="sharing", share="RS-TXSP", issuer="人力资源社会保障部门"),
            mat("M02", "职工医保参保缴费信息", source="sharing", share="YB-CBXX", issuer="医疗保障经办机构"),
        ],
        form=form(
            *PERSON, "employer_name?", "retire_date",
            ("mi_years_short", radio("缴费年限不足时的处理方式", [
                ("not_applicable", "缴费年限已达到规定年限"), ("lump_sum", "一次性补缴"), ("monthly", "按月继续缴费"),
            ])),
        ),
        faq=[("职工医保要交满多少年？", "按济宁市规定的最低缴费年限执行；不足的，可以一次性补缴或者按月继续缴费至规定年限。")],
        aliases=["退休医保", "医保退休待遇", "医保缴费年限"],
        result="退休人员医保待遇核定结果", undertaking="区医疗保障服务中心")

    add("remote_care", "medical-insurance", "005001", "异地就医备案", base_name="基本医疗保险参保人员异地就医备案",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=210, tongban="national",
        basis="《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
        themes=["health", "social_security"], undertaking="区医疗保障服务中心",
        summary="长期在外地居住、工作或者转诊就医的参保人员，办理异地就医备案后，在就医地联网定点医疗机构直接结算，不用回兖州报销。",
        conditions="参加兖州区职工医保或城乡居民医保的人员。",
        materials=[id_card("M01"), mat("M02", "异地居住或转诊证明", necessity="optional",
                                     notes="异地长期居住人员、常驻异地工作人员以个人承诺方式办理，无需提交")],
        form=form(
            *PERSON,
            ("mi_type", radio("参保险种", [("employee", "职工基本医疗保险"), ("resident", "城乡居民基本医疗保险")])),
            ("filing_type", choice("备案类型", [("long_term", "异地长期居住"), ("work", "常驻异地工作"),
                                                ("referral", "异地转诊就医"), ("temporary", "其他临时外出就医")])),
            ("destination", address("就医地")),
            ("referral_hospital?", text("转诊医院名称", 100)),
            ("start_date", date("备案开始日期")),
            conditions=[when("filing_type", "referral", "referral_hospital")],
        ),
        faq=[("备案后多久能用？", "在线备案即时生效，备案后即可在就医地联网定点医疗机构直接结算。"),
             ("临时出差生病了没备案怎么办？", "可以在出院结算前补办备案，或回兖州区后办理零星医疗费用报销。")],
        aliases=["异地就医", "异地医保", "外地看病", "医保备案", "异地备案"],
        result="异地就医备案信息")

    add("chronic", "medical-insurance", "006001", "门诊慢特病待遇认定", base_name="门诊慢特病待遇认定",
        itype="20", legal=None, promised=10, template="promised", audiences=["1"], popularity=150,
        basis="《国家医疗保障局 财政部关于建立医疗保障待遇清单制度的意见》（医保发〔2021〕5号）",
        themes=["health"], undertaking="区医疗保障服务中心",
        summary="患有门诊慢性病、特殊疾病的参保人员，申请门诊慢特病待遇认定，认定后门诊费用按规定报销。可在定点医院直接申请认定。",
        conditions="参加兖州区基本医疗保险，所患疾病属于济宁市门诊慢特病病种范围并符合认定标准。",
        materials=[
            id_card("M01"),
            mat("M02", "二级及以上医疗机构出具的诊断证明及相关检查报告"),
            mat("M03", "近期病历资料", necessity="optional", notes="定点医院已上传的无需提交"),
        ],
        form=form(
            *PERSON,
            ("mi_type", radio("参保险种", [("employee", "职工基本医疗保险"), ("resident", "城乡居民基本医疗保险")])),
            ("disease", choice("申请病种", [("hypertension", "高血压（合并靶器官损害）"), ("diabetes", "糖尿病"),
                                            ("cancer", "恶性肿瘤门诊治疗"), ("uremia", "尿毒症透析"),
                                            ("transplant", "器官移植抗排异治疗"), ("mental", "重性精神病"), ("other", "其他病种")])),
            ("disease_other?", text("其他病种名称", 100)),
            ("designated_hospital", text("选择的定点医疗机构", 100)),
            conditions=[when("disease", "other", "disease_other")],
        ),
        faq=[("在哪里申请最快？", "可以在具备认定资质的定点医院由医生直接发起认定，结果实时反馈。")],
        aliases=["慢性病", "慢特病", "门诊慢性病", "特殊病", "慢病卡"],
        result="门诊慢特病待遇认定结果")

    add("reimbursement", "medical-insurance", "007001", "零星医疗费用报销", base_name="医疗费用手工（零星）报销",
        itype="20", legal=None, promised=20, template="promised", audiences=["1"], popularity=170,
        basis="《中华人民共和国社会保险法》第二十八条、第二十九条",
        themes=["health"], undertaking="区医疗保障服务中心",
        summary="参保人员因急诊抢救、异地就医未直接结算等原因全额垫付医疗费用的，申请零星报销，审核后支付到本人账户。",
        conditions="参保人员就医发生的费用属于基本医疗保险支付范围，且未在医院直接结算。",
        materials=[
            mat("M01", "医疗费用收费票据", notes="电子票据在线关联；纸质票据原件"),
            mat("M02", "费用明细清单"),
            mat("M03", "出院记录或门诊病历"),
            bank_card("M04"),
        ],
        form=form(
            *PERSON,
            ("visit_kind", radio("就医类型", [("outpatient", "门诊"), ("inpatient", "住院")])),
            ("hospital_name", text("就医医院", 100)),
            ("admission_date", date("就诊（入院）日期")), ("discharge_date?", date("出院日期")),
            ("total_amount", number("医疗费用总额", unit="元")),
            ("not_direct_reason", choice("未直接结算原因", [("no_filing", "异地就医未备案"), ("emergency", "急诊抢救"),
                                                            ("system", "医院系统原因"), ("other", "其他")])),
            "bank_name", "bank_account",
            conditions=[when("visit_kind", "inpatient", "discharge_date")],
        ),
        faq=[("报销有时间限制吗？", "请在费用发生之日起规定期限内申请，逾期的不予受理，具体以济宁市规定为准。")],
        aliases=["医保报销", "报销", "看病报销", "手工报销", "垫付报销"],
        result="医疗费用报销结果")


def health_items():
    add("birth_cert", "health", "001001", "出生医学证明首次签发", base_name="出生医学证明签发",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=170,
        basis="《中华人民共和国母婴保健法》第二十三条；《中华人民共和国母婴保健法实施办法》",
        themes=["birth_adoption"],
        accepted_at="department", place="新生儿出生的助产机构（兖州区人民医院、兖州区妇幼保健院等）出生医学证明签发窗口",
        window="助产机构出生医学证明签发窗口", undertaking="区妇幼保健院（出生医学证明管理）",
        summary="""
在兖州区助产机构内出生的新生儿，由助产机构签发出生医学证明。签发后同步生成电子出生医学证明，
是办理出生登记、医保参保的依据。""",
        conditions="在兖州区依法取得助产技术服务资质的医疗机构内出生的新生儿。",
        materials=[
            mat("M01", "父母双方居民身份证", source="certificate", cert="id_card", notes="通过电子证照库调取"),
            mat("M02", "新生儿出生医学记录", source="government_issued", issuer="助产机构", form="electronic", originals=0,
                notes="由助产机构产科提供，申请人无需提交"),
        ],
        form=form(
            "child_name", "child_sex", "child_birth_date", "birth_hospital",
            ("birth_weight", number("出生体重", integer=True, minimum=300, maximum=8000, unit="克")),
            ("birth_place_type", radio("出生地点", [("hospital", "助产机构内"), ("outside", "助产机构外（院外分娩）")])),
            ("outside_birth_note?", textarea("院外分娩情况说明", 500, help="写明分娩时间、地点和接生人员；须另行提供亲子鉴定证明")),
            "father_name", "father_id_number", "mother_name", "mother_id_number", "applicant_phone",
            conditions=[when("birth_place_type", "outside", "outside_birth_note")],
        ),
        faq=[("孩子名字还没取好怎么办？", "出生医学证明上的新生儿姓名应当与落户姓名一致，建议确定姓名后再申请签发；首次签发后更改姓名须按规定办理。"),
             ("出生医学证明丢了能补吗？", "可以。向原签发机构申请补发，补发证明与原证明具有同等效力。")],
        aliases=["出生证", "出生证明", "办出生证", "生孩子", "出生医学证明"],
        result="出生医学证明", cert="birth")

    add("vaccination", "health", "001101", "预防接种证办理", base_name="预防接种证办理",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=90,
        basis="《中华人民共和国疫苗管理法》第四十七条",
        themes=["birth_adoption", "health"],
        accepted_at="department", place="出生医院产科或居住地社区卫生服务中心（乡镇卫生院）预防接种门诊",
        window="预防接种门诊", undertaking="区疾病预防控制中心（免疫规划科）",
        summary="儿童出生后一个月内，监护人为其办理预防接种证。新生儿出生一件事中自动建档，在线选择接种单位即可。",
        conditions="在兖州区出生或居住的儿童。",
        materials=[mat("M01", "出生医学证明", source="sharing", share="WJ-CSYXZM", issuer="助产机构")],
        form=form(
            "child_name", "child_sex", "child_birth_date",
            ("mother_name", L("母亲姓名")), "applicant_phone",
            ("applicant_address", L("儿童现居住地址", help="按居住地址确定接种单位")),
        ),
        faq=[("办证需要带什么？", "新生儿出生一件事中已自动建档，按短信提示到接种单位首次接种时领取纸质接种证，或使用电子接种证。")],
        aliases=["疫苗本", "接种证", "打疫苗", "宝宝打针"],
        result="预防接种证", cert="vaccination")

    add("hygiene_licence", "health", "006001", "公共场所卫生许可（新办）", base_name="公共场所卫生许可",
        itype="01", legal=20, promised=5, template="joint", joint=["emergency"], audiences=["2", "6"],
        popularity=130,
        basis="《公共场所卫生管理条例》；《公共场所卫生管理条例实施细则》",
        themes=["permits"], undertaking="卫生监督科",
        summary="""
在兖州区经营宾馆旅店、公共浴室、美容美发、游泳场所等公共场所的，开业前申请卫生许可。
区卫健局牵头，与应急管理（消防安全）部门并联审查、一次联合踏勘。""",
        conditions="""
1. 经营场所选址、设计和装修符合卫生要求，卫生设施齐全；
2. 空气、微小气候、水质、采光、照明、噪声、顾客用品用具等符合国家卫生标准和要求；
3. 从业人员取得有效健康合格证明；
4. 有健全的卫生管理制度和专（兼）职卫生管理人员；
5. 公众聚集场所已作出消防安全告知承诺。""",
        materials=[
            application("M01", "公共场所卫生许可申请表"),
            licence_new("M02"),
            mat("M03", "公共场所地址方位示意图、平面图和卫生设施平面布局图"),
            mat("M04", "公共场所卫生检测或者评价报告", necessity="deferrable", notes="可容缺受理，现场核查前补齐"),
            mat("M05", "公共场所卫生管理制度"),
            mat("M06", "从业人员健康合格证明", source="sharing", share="WJ-JKZM", issuer="卫生健康部门"),
            mat("M07", "公众聚集场所投入使用、营业消防安全告知承诺书", notes="在线签署，由联办部门审查"),
        ],
        form=form(
            *ENTERPRISE_NEW,
            ("enterprise_address", L("经营场所")), "place_category", "premises_area", "employee_count",
            ("room_count?", number("客房数", integer=True, unit="间")),
            ("pool_area?", number("游泳池水面面积", unit="平方米")),
            ("fire_commitment", checkbox("已阅读并承诺经营场所符合消防安全要求")),
            conditions=[when("place_category", "lodging", "room_count"), when("place_category", "swimming", "pool_area")],
        ),
        faq=[("开饭店要办公共场所卫生许可吗？", "不需要。饭馆、咖啡馆、酒吧、茶座等场所的公共场所卫生许可已经取消，只需办理食品经营许可。"),
             ("卫生许可证有效期多长？", "公共场所卫生许可证有效期为四年，期满需要延续的，在有效期届满前三十日提出申请。"),
             ("消防检查要另外申请吗？", "不需要。本事项与消防安全检查并联办理，承诺后由联办部门组织一次联合核查。")],
        aliases=["卫生许可证", "开宾馆", "开旅馆", "开美容院", "开理发店", "开浴池", "开游泳馆"],
        result="公共场所卫生许可证", cert="hygiene")

    add("birth_planning", "health", "002001", "生育登记", base_name="生育登记",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=130,
        basis="《中华人民共和国人口与计划生育法》；《山东省人口与计划生育条例》",
        themes=["birth_adoption"], undertaking="人口监测与家庭发展科",
        summary="夫妻生育子女的，可在孕期或孩子出生后在线办理生育登记，用于孕产期保健等服务。不设前置条件，即时办结。",
        conditions="夫妻一方户籍在兖州区，或在兖州区居住。",
        materials=[mat("M01", "夫妻双方婚姻登记信息", source="sharing", share="MZ-HYDJ", issuer="婚姻登记机关", necessity="optional")],
        form=form(
            "mother_name", "mother_id_number", "father_name", "father_id_number", "applicant_phone", "applicant_address",
            ("child_order", choice("本次生育子女孩次", [("1", "第一个孩子"), ("2", "第二个孩子"), ("3", "第三个及以上孩子")])),
            ("expected_date?", date("预产期（或出生日期）")),
        ),
        faq=[("还需要办准生证吗？", "不需要。生育登记实行网上登记、即时办结，不设前置条件，不作为办理其他事项的前置要件。")],
        aliases=["准生证", "生育服务证", "生育登记", "怀孕登记", "生孩子"],
        result="生育登记服务单（电子）")

    add("health_cert", "health", "007001", "从业人员预防性健康检查（健康合格证明）", base_name="从业人员健康检查",
        itype="20", legal=None, promised=3, template="promised", audiences=["1"], popularity=200,
        visits=1, visits_reason="须本人到体检机构进行健康检查", depth=ACCEPT, accepted_at="department",
        place="兖州区疾病预防控制中心健康体检门诊，或区内承担从业人员健康检查的医疗机构", window="从业人员健康体检门诊",
        undertaking="区疾病预防控制中心",
        basis="《中华人民共和国食品安全法》第四十五条；《公共场所卫生管理条例》",
        themes=["employment", "health"],
        summary="从事接触直接入口食品工作的食品生产经营人员、公共场所直接为顾客服务的人员，上岗前和每年进行健康检查，取得健康合格证明（健康证）。网上预约，体检合格后电子健康证推送到手机。",
        conditions="从事食品生产经营或公共场所服务工作的人员。",
        materials=[id_card("M01")],
        form=form(
            *PERSON, "employer_name?",
            ("job_type", choice("从业类别", [("catering", "餐饮服务"), ("food_sales", "食品销售"), ("food_production", "食品生产"),
                                             ("public_place", "公共场所服务"), ("other", "其他")])),
            ("exam_date", date("预约体检日期")),
        ),
        faq=[("健康证有效期多久？", "健康合格证明有效期为一年，到期前需重新体检。"),
             ("多久能拿到健康证？", "体检后3个工作日内出结果，合格的电子健康证自动推送，用人单位可在线核验。")],
        aliases=["健康证", "办健康证", "食品健康证", "体检证", "健康合格证明"],
        result="健康合格证明")

    add("physician_reg", "health", "004001", "医师执业注册", base_name="医师执业注册",
        itype="01", legal=20, promised=5, template="promised", audiences=["1"], popularity=60,
        basis="《中华人民共和国医师法》第十三条",
        themes=["employment"], undertaking="医政医管科",
        summary="取得医师资格的人员，向拟执业机构所在地卫生健康主管部门申请执业注册，领取电子化医师执业证书。医疗机构可以为本机构医师集体办理。",
        conditions="""
1. 取得医师资格；
2. 有拟执业的医疗卫生机构；
3. 无《中华人民共和国医师法》规定的不予注册情形。""",
        materials=[
            application("M01", "医师执业注册申请审核表"),
            mat("M02", "医师资格证书", source="certificate", cert="physician", issuer="卫生健康主管部门"),
            mat("M03", "拟执业机构的聘用证明"),
            mat("M04", "近6个月内的健康体检证明"),
        ],
        form=form(
            *PERSON,
            ("qualification_no", text("医师资格证书编码", 40)),
            ("practice_category", choice("执业类别", [("clinical", "临床"), ("tcm", "中医"), ("dental", "口腔"),
                                                     ("public_health", "公共卫生")])),
            ("practice_scope", text("执业范围", 100, placeholder="如：内科专业")),
            ("institution_name", text("拟执业机构名称", 100)),
            ("institution_uscc", fmt("uscc", "拟执业机构统一社会信用代码")),
        ),
        faq=[("在多个医院执业要分别注册吗？", "不需要。实行医师区域注册，在主要执业机构注册后，可以按规定在其他机构多点执业并备案。")],
        aliases=["医师注册", "执业医师注册", "医生执业证"],
        result="医师执业证书（电子证照）")

    add("nurse_reg", "health", "004002", "护士执业注册", base_name="护士执业注册",
        itype="01", legal=20, promised=5, template="promised", audiences=["1"], popularity=60,
        basis="《护士条例》；《护士执业注册管理办法》",
        themes=["employment"], undertaking="医政医管科",
        summary="通过国家护士执业资格考试的人员，申请护士执业注册，领取电子化护士执业证书。",
        conditions="""
1. 具有完全民事行为能力；
2. 完成规定的护理、助产专业学历教育并取得相应学历证书；
3. 通过国务院卫生健康主管部门组织的护士执业资格考试；
4. 符合规定的健康标准。""",
        materials=[
            application("M01", "护士执业注册申请审核表"),
            mat("M02", "护士执业资格考试成绩合格证明"),
            mat("M03", "学历证书及专业学习中的临床实习证明"),
            mat("M04", "近6个月内的健康体检证明"),
            mat("M05", "拟执业机构的聘用证明"),
        ],
        form=form(
            *PERSON,
            ("exam_cert_no", text("考试成绩合格证明编号", 40)),
            ("institution_name", text("拟执业机构名称", 100)),
            ("institution_uscc", fmt("uscc", "拟执业机构统一社会信用代码")),
        ),
        faq=[("考试通过多久内要注册？", "应当自通过护士执业资格考试之日起3年内申请执业注册；超过3年的，还须提交在教学、综合医院接受3个月临床护理培训并考核合格的证明。")],
        aliases=["护士注册", "护士执业证", "护士证"],
        result="护士执业证书", cert="nurse")

    add("medical_org", "health", "003001", "医疗机构执业登记", base_name="医疗机构执业登记",
        itype="01", legal=(45, ND), promised=15, template="promised", audiences=["2", "3", "4", "6"], popularity=40,
        basis="《医疗机构管理条例》；《医疗机构管理条例实施细则》",
        themes=["permits"], undertaking="医政医管科",
        summary="在兖州区设置门诊部、专科医院等医疗机构，执业前申请执业登记，取得医疗机构执业许可证。诊所实行备案管理。",
        conditions="""
1. 按照规定应当办理设置审批的，已取得设置医疗机构批准书；
2. 符合医疗机构的基本标准；
3. 有适合的名称、组织机构和场所，有与其开展的业务相适应的经费、设施、设备和专业卫生技术人员；
4. 有相应的规章制度，能够独立承担民事责任。""",
        materials=[
            application("M01", "医疗机构申请执业登记注册书"),
            mat("M02", "营业执照或者事业单位法人证书", source="certificate", cert="license", issuer="登记机关",
                notes="通过电子证照库调取"),
            mat("M03", "医疗机构用房产权证明或者使用证明及平面布局图"),
            mat("M04", "医疗机构规章制度"),
            mat("M05", "医疗机构法定代表人或者主要负责人以及各科室负责人名录和有关资格证书、执业证书"),
        ],
        form=form(
            ("enterprise_name", L("医疗机构名称")), "uscc?",
            ("legal_rep_name", L("法定代表人（主要负责人）姓名")), "legal_rep_id_number", "contact_name", "contact_phone",
            ("enterprise_address", L("执业地址")),
            ("institution_type", choice("医疗机构类别", [("clinic_general", "综合门诊部"), ("clinic_special", "专科门诊部"),
                                                        ("tcm_hospital", "中医医院"), ("special_hospital", "专科医院"),
                                                        ("community", "社区卫生服务站"), ("other", "其他")])),
            ("clinical_departments", checkboxes("诊疗科目", [
                ("internal", "内科"), ("surgery", "外科"), ("obstetrics", "妇产科"), ("pediatrics", "儿科"),
                ("dental", "口腔科"), ("tcm", "中医科"), ("lab", "医学检验科"), ("imaging", "医学影像科"),
            ])),
            ("beds", number("床位数", integer=True, maximum=2000, unit="张")),
            ("physician_count", number("执业医师人数", integer=True, minimum=1, unit="人")),
        ),
        faq=[("开诊所还要审批吗？", "不需要。诊所实行备案管理，取得营业执照后向卫生健康主管部门备案即可执业。")],
        aliases=["医疗机构许可证", "开门诊", "开医院", "医疗许可"],
        result="医疗机构执业许可证", cert="medical_org")


def housing_items():
    add("construction_permit", "housing", "004001", "建筑工程施工许可证核发", base_name="建筑工程施工许可",
        itype="01", legal=7, promised=3, template="joint", joint=["natural-resources", "environment"],
        audiences=["2", "3"], popularity=140,
        basis="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
        themes=["construction"],
        summary="""
在兖州区新建、改建、扩建工程投资额30万元以上或者建筑面积300平方米以上的房屋建筑工程，
开工前由建设单位申请施工许可证。区住建局牵头，自然资源（规划）和生态环境部门并联审查，
用地、规划、环评信息共享核验，不再重复提交。""",
        conditions="""
1. 依法应当办理用地批准手续的，已经办理该建筑工程用地批准手续；
2. 依法应当办理建设工程规划许可证的，已经取得建设工程规划许可证；
3. 施工场地已经基本具备施工条件，需要征收房屋的，其进度符合施工要求；
4. 已经确定施工企业；
5. 有满足施工需要的资金安排、施工图纸及技术资料，施工图设计文件已按规定审查合格；
6. 有保证工程质量和安全的具体措施。""",
        materials=[
            application("M01", "建筑工程施工许可申请表"),
            mat("M02", "建设用地和建设工程规划许可信息", source="sharing", share="ZR-GHXK", issuer="自然资源主管部门"),
            mat("M03", "建设项目环境影响评价审批（备案）信息", source="sharing", share="HB-HPSP", issuer="生态环境主管部门",
                necessity="optional", notes="依法需要进行环境影响评价的项目"),
            mat("M04", "中标通知书或者直接发包的施工合同"),
            mat("M05", "施工图设计文件审查合格书", notes="联合审图系统已出具的自动关联"),
            mat("M06", "建设资金已经落实承诺书", notes="在线签署"),
            mat("M07", "保证工程质量和安全的具体措施（含质量安全监督手续）"),
        ],
        form=form(
            *ENTERPRISE, "project_code", "project_name", "project_address", "total_investment", "floor_area",
            ("project_category", choice("工程类别", [("residential", "住宅"), ("public", "公共建筑"),
                                                   ("industrial", "工业建筑"), ("other", "其他")])),
            ("contract_price", number("合同价格", unit="万元")),
            ("builder_name", text("施工单位名称", 100)), ("builder_uscc", fmt("uscc", "施工单位统一社会信用代码")),
            ("supervisor_company?", text("监理单位名称", 100, help="依法必须实行监理的工程填写")),
            ("planned_start", date("计划开工日期")), ("planned_finish", date("计划竣工日期")),
        ),
        faq=[("哪些工程可以不办施工许可证？", "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证。"),
             ("规划许可证还要交复印件吗？", "不需要。用地、规划和环评审批信息通过部门数据共享核验，申请人无需提交。"),
             ("施工许可证有效期？", "建设单位应当自领取施工许可证之日起三个月内开工；因故不能按期开工的，应当在期满前申请延期，延期以两次为限，每次不超过三个月。")],
        aliases=["施工证", "施工许可", "开工许可", "办施工许可证"],
        result="建筑工程施工许可证", cert="construction")

    add("house_contract", "housing", "006001", "存量房买卖合同网签备案", base_name="房屋买卖合同网签备案",
        itype="10", legal=None, promised=0, template="instant", audiences=["1", "2"], popularity=150,
        basis="《中华人民共和国城市房地产管理法》；《城市房地产转让管理规定》；"
              "《住房和城乡建设部关于进一步规范和加强房屋网签备案工作的指导意见》（建房〔2018〕128号）",
        themes=["housing"], undertaking="区房屋交易中心",
        place=f"{CENTRE}三楼不动产登记和交易区", window="不动产登记和交易综合窗口 39–48 号",
        summary="存量房（二手房）买卖双方在线签订买卖合同并备案，是办理转移登记和缴税的前提。可在“二手房转移登记及水电气过户一件事”中一并办理。",
        conditions="""
1. 房屋已取得不动产权证书，无查封、抵押未注销等限制转让情形；
2. 买卖双方就房屋价款、交付等达成一致。""",
        materials=[
            mat("M01", "买卖双方居民身份证", source="certificate", cert="id_card", notes="通过电子证照库调取"),
            property_share("M02"),
            mat("M03", "婚姻状况信息", source="sharing", share="MZ-HYDJ", issuer="婚姻登记机关", necessity="optional"),
        ],
        form=form(
            ("applicant_name", L("买受人姓名")), ("applicant_id_number", L("买受人公民身份号码")),
            ("applicant_phone", L("买受人联系电话")),
            "seller_name", "seller_id_number", "seller_phone",
            "property_certificate_no", "property_address", "property_area", "transaction_price", "payment_method",
            ("fund_account_no?", L("买受人住房公积金个人账号")),
            ("funds_supervision", checkbox("交易资金纳入监管账户")),
            conditions=[when("payment_method", "fund_loan", "fund_account_no")],
        ),
        faq=[("网签备案后能撤销吗？", "买卖双方协商一致的，可以共同申请注销网签备案。"),
             ("交易资金监管有什么好处？", "购房款存入监管账户，转移登记完成后再划转给出卖人，避免“钱房两空”。")],
        aliases=["二手房网签", "网签", "房屋买卖合同备案", "二手房"],
        result="存量房买卖合同网签备案信息")

    add("power_transfer", "housing", "009002", "用电过户", base_name="供电业务办理",
        itype="20", legal=None, promised=0, template="instant", audiences=["1", "2"], popularity=90,
        nature="9", undertaking="供电企业（进驻区政务服务中心水电气暖联办窗口）",
        window="水电气暖联办窗口 38 号",
        basis="《电力供应与使用条例》；《供电营业规则》",
        themes=["housing"],
        summary="房屋产权转移后，新产权人办理用电户名变更。二手房一件事中，不动产登记完成后自动推送，无需另跑供电营业厅。",
        conditions="已办理不动产转移登记，或持有房屋合法使用证明。",
        materials=[property_share("M01"), id_card("M02", "新户主")],
        form=form(
            ("applicant_name", L("新户主姓名")), ("applicant_id_number", L("新户主公民身份号码")),
            ("applicant_phone", L("新户主联系电话")), "property_certificate_no", "property_address",
            "electricity_account_no", "auto_debit", "bank_name?", "bank_account?",
            conditions=[when("auto_debit", True, "bank_name", "bank_account")],
        ),
        faq=[("原户主的电费没交清怎么办？", "过户前应当结清原户主的电费，可在申请时一并缴纳。")],
        aliases=["电过户", "电表过户", "电费户名变更", "过户"],
        result="用电户名变更结果")

    add("gas_transfer", "housing", "009003", "燃气过户", base_name="燃气业务办理",
        itype="20", legal=None, promised=0, template="instant", audiences=["1", "2"], popularity=80,
        nature="9", undertaking="燃气经营企业（进驻区政务服务中心水电气暖联办窗口）",
        window="水电气暖联办窗口 38 号",
        basis="《城镇燃气管理条例》",
        themes=["housing"],
        summary="房屋产权转移后，新产权人办理燃气用户名变更。二手房一件事中自动推送燃气企业，过户后预约免费安全检查。",
        conditions="已办理不动产转移登记，或持有房屋合法使用证明；原户主已结清燃气费。",
        materials=[property_share("M01"), id_card("M02", "新户主")],
        form=form(
            ("applicant_name", L("新户主姓名")), ("applicant_id_number", L("新户主公民身份号码")),
            ("applicant_phone", L("新户主联系电话")), "property_certificate_no", "property_address",
            "gas_account_no", ("safety_check_date?", date("预约入户安全检查日期")),
        ),
        faq=[("过户后要做安全检查吗？", "燃气企业对过户用户提供一次免费入户安全检查，可在申请时预约时间。")],
        aliases=["燃气过户", "天然气过户", "煤气过户", "过户"],
        result="燃气用户名变更结果")

    add("completion_filing", "housing", "004003", "房屋建筑和市政基础设施工程竣工验收备案", base_name="竣工验收备案",
        itype="10", legal=None, promised=3, template="promised", audiences=["2", "3"], popularity=50,
        basis="《建设工程质量管理条例》第四十九条；《房屋建筑和市政基础设施工程竣工验收备案管理办法》",
        themes=["construction"], undertaking="建设工程质量安全监督站",
        summary="建设单位自工程竣工验收合格之日起15日内，将竣工验收报告和规划、消防等部门出具的文件报区住建局备案。联合验收的一并出具备案结果。",
        conditions="工程已经竣工验收合格，并取得规划、消防等专项验收结果或者已纳入联合验收。",
        materials=[
            application("M01", "竣工验收备案表"),
            mat("M02", "工程竣工验收报告"),
            mat("M03", "规划、消防等部门出具的认可文件或者准许使用文件", notes="联合验收的自动关联，无需提交"),
            mat("M04", "施工单位签署的工程质量保修书；住宅工程的《住宅质量保证书》和《住宅使用说明书》"),
        ],
        form=form(
            *ENTERPRISE, "project_code", "project_name", "project_address", "floor_area",
            ("construction_permit_no", text("施工许可证编号", 40)),
            ("completion_date", date("竣工验收合格日期")),
            ("builder_name", text("施工单位名称", 100)), ("builder_uscc", fmt("uscc", "施工单位统一社会信用代码")),
        ),
        faq=[("逾期备案有什么后果？", "建设单位应当自竣工验收合格之日起15日内备案，逾期未备案的，将依法责令限期改正。")],
        aliases=["竣工备案", "竣工验收", "验收备案"],
        result="竣工验收备案证明")

    add("presale", "housing", "005001", "商品房预售许可", base_name="商品房预售许可",
        itype="01", legal=10, promised=5, template="promised", audiences=["2"], popularity=50,
        basis="《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》",
        themes=["construction", "permits"], undertaking="房地产市场监管科",
        summary="房地产开发企业预售商品房，应当取得商品房预售许可证明，预售款全部进入监管账户。",
        conditions="""
1. 已交付全部土地使用权出让金，取得土地使用权证书；
2. 持有建设工程规划许可证和施工许可证；
3. 按提供预售的商品房计算，投入开发建设的资金达到工程建设总投资的百分之二十五以上，并已经确定施工进度和竣工交付日期；
4. 已签订预售资金监管协议。""",
        materials=[
            application("M01", "商品房预售许可申请表"),
            licence("M02"),
            mat("M03", "建设用地、规划和施工许可信息", source="sharing", share="ZJ-SGXK", issuer="住房城乡建设主管部门"),
            mat("M04", "工程施工合同及关于施工进度的说明"),
            mat("M05", "商品房预售方案及分层平面图"),
            mat("M06", "预售资金监管协议"),
        ],
        form=form(
            *ENTERPRISE, "project_name", "project_address",
            ("presale_area", number("预售建筑面积", unit="平方米")),
            ("presale_units", number("预售套数", integer=True, minimum=1, unit="套")),
            ("investment_ratio", number("已投入资金占总投资比例", minimum=25, maximum=100, unit="%")),
            ("escrow_bank", choice("预售资金监管银行", BANKS[:-1])),
            ("escrow_account", text("预售资金监管账号", 32)),
        ),
        faq=[("购房人怎么查预售许可？", "可在兖州区住建局网站或售楼处公示栏查询预售许可证明，购房款应直接存入监管账户。")],
        aliases=["预售证", "商品房预售", "卖期房"],
        result="商品房预售许可证明")

    add("fire_acceptance", "housing", "007001", "特殊建设工程消防验收", base_name="建设工程消防验收",
        itype="01", legal=15, promised=7, template="promised", audiences=["2", "3"], popularity=40,
        basis="《中华人民共和国消防法》第十三条；《建设工程消防设计审查验收管理暂行规定》",
        themes=["construction"], undertaking="建设工程消防审验科",
        summary="特殊建设工程竣工验收后，建设单位向区住建局申请消防验收；未经消防验收或者消防验收不合格的，禁止投入使用。",
        conditions="""
1. 特殊建设工程已完成消防设计审查并按审查合格的消防设计文件施工；
2. 建设单位已组织竣工验收，消防查验合格；
3. 有符合要求的消防设施检测报告等技术资料。""",
        materials=[
            application("M01", "特殊建设工程消防验收申请表"),
            mat("M02", "工程竣工验收报告"),
            mat("M03", "涉及消防的建设工程竣工图纸"),
            mat("M04", "消防设施检测报告", necessity="optional"),
        ],
        form=form(
            *ENTERPRISE, "project_name", "project_address", "floor_area",
            ("fire_design_approval_no", text("消防设计审查意见书文号", 60)),
            ("building_use", choice("建筑使用性质", [("assembly", "人员密集场所"), ("high_rise", "高层建筑"),
                                                    ("industrial", "厂房仓库"), ("other", "其他")])),
        ),
        faq=[("普通住宅需要消防验收吗？", "其他建设工程实行备案抽查，特殊建设工程（如大型人员密集场所）须申请消防验收。")],
        aliases=["消防验收", "消防审验", "装修消防"],
        result="特殊建设工程消防验收意见书")

    add("public_rental", "housing", "008001", "公共租赁住房保障申请", base_name="公共租赁住房保障",
        itype="05", legal=None, promised=20, template="promised", audiences=["1"], popularity=120,
        basis="《公共租赁住房管理办法》（住房和城乡建设部令第11号）",
        themes=["housing"], undertaking="住房保障科",
        summary="城镇中等偏下收入住房困难家庭、新就业无房职工和在兖州区稳定就业的外来务工人员，申请公共租赁住房实物配租或者租赁补贴。",
        conditions="""
1. 在兖州区无房或者住房面积低于规定标准；
2. 家庭收入、财产低于规定标准；
3. 申请人为外来务工人员的，在兖州区稳定就业达到规定年限。""",
        materials=[
            application("M01", "公共租赁住房申请表"),
            hukou_share("M02", "家庭成员"),
            mat("M03", "家庭住房情况信息", source="sharing", share="ZR-BDCDJ", issuer="不动产登记机构"),
            mat("M04", "家庭经济状况核对授权书", notes="家庭成员在线签署"),
        ],
        form=form(
            *PERSON, "applicant_address", "household_address", "marital_status", "spouse_name?", "spouse_id_number?",
            "family_members", "household_monthly_income",
            ("current_housing_area", number("现住房面积", unit="平方米", help="无房的填 0")),
            ("support_kind", radio("保障方式", [("unit", "实物配租"), ("allowance", "租赁补贴")])),
            "bank_name?", "bank_account?",
            conditions=[when("marital_status", "20", "spouse_name", "spouse_id_number"),
                        when("support_kind", "allowance", "bank_name", "bank_account")],
        ),
        faq=[("外地户口能申请吗？", "在兖州区稳定就业的外来务工人员可以申请，具体条件以兖州区当年公布的准入标准为准。"),
             ("租金是多少？", "公共租赁住房租金按照略低于同地段住房市场租金水平的原则确定，符合条件的可以申请租金减免。")],
        aliases=["公租房", "廉租房", "申请公租房", "住房补贴", "租房补贴"],
        result="公共租赁住房保障资格审核结果")


def natural_resources_items():
    add("house_transfer", "natural-resources", "001003", "不动产转移登记（存量房买卖）", base_name="不动产转移登记",
        itype="07", legal=30, promised=1, template="promised", audiences=["1", "2"], popularity=260,
        visits=1, visits_reason="买卖双方须到不动产登记窗口当面核验身份并签署询问笔录", depth=ACCEPT,
        online_payment=True, handling=("1", "2", "3", "4"),
        basis="《中华人民共和国民法典》第二百零九条；《不动产登记暂行条例》第二十条；《不动产登记暂行条例实施细则》",
        fees=[{"name": "不动产登记费（住宅）", "standard": "80 元/件",
               "basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
               "reduction": "按《财政部 国家发展改革委关于不动产登记收费有关政策问题的通知》（财税〔2016〕79号）规定减免"},
              {"name": "不动产权属证书工本费", "standard": "核发一本证书免收；每增加一本加收 10 元",
               "basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
               "reduction": ""}],
        themes=["housing"],
        summary="""
存量房（二手房）买卖后，买卖双方申请不动产转移登记。网签备案、缴税、登记“一窗受理、并行办理”，
登记完成后水、电、燃气过户信息自动推送，新证可免费邮寄。""",
        conditions="""
1. 已完成存量房买卖合同网签备案，相关税费已申报缴纳；
2. 房屋无查封，设有抵押的已注销抵押或者经抵押权人同意；
3. 买卖双方共同申请。""",
        materials=[
            application("M01", "不动产登记申请书"),
            mat("M02", "买卖双方居民身份证", source="certificate", cert="id_card", notes="通过电子证照库调取"),
            mat("M03", "不动产权属证书", source="certificate", cert="property", issuer="不动产登记机构",
                notes="原证书现场收回"),
            mat("M04", "存量房买卖合同", source="sharing", share="ZJ-WQBA", issuer="房屋交易管理部门"),
            mat("M05", "完税信息", source="sharing", share="SW-WSXX", issuer="税务部门"),
            mat("M06", "婚姻状况信息", source="sharing", share="MZ-HYDJ", issuer="婚姻登记机关", necessity="optional"),
        ],
        form=form(
            ("applicant_name", L("买受人姓名")), ("applicant_id_number", L("买受人公民身份号码")),
            ("applicant_phone", L("买受人联系电话")),
            "seller_name", "seller_id_number", "seller_phone",
            "property_certificate_no", "property_address", "property_area", "transaction_price", "contract_no?",
            "has_co_owner", "co_owners?", *DELIVERY,
            conditions=[when("has_co_owner", True, "co_owners"), DELIVERY_WHEN],
        ),
        faq=[("二手房过户多久能拿证？", "材料齐全、税费缴清的，承诺1个工作日内办结，可选择免费邮寄或电子证照。"),
             ("登记费谁交？", "存量房转移登记的不动产登记费由登记申请人（一般为买受人）缴纳，住宅每件80元。"),
             ("有贷款没还清能过户吗？", "可以办理“带押过户”：经抵押权人同意，转移登记和抵押变更登记可一并办理，无需先还清贷款。")],
        aliases=["二手房过户", "房屋过户", "过户", "房产证过户", "买房", "卖房", "办房产证"],
        result="不动产权证书", cert="property")

    add("mortgage_reg", "natural-resources", "001005", "不动产抵押权首次登记", base_name="不动产抵押权登记",
        itype="07", legal=30, promised=1, template="promised", audiences=["1", "2"], popularity=120,
        online_payment=True,
        basis="《中华人民共和国民法典》第四百零二条；《不动产登记暂行条例》第二十条；《不动产登记暂行条例实施细则》",
        fees=[{"name": "不动产登记费（抵押权登记）", "standard": "住宅 80 元/件；非住宅 550 元/件",
               "basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
               "reduction": "按《财政部 国家发展改革委关于不动产登记收费有关政策问题的通知》（财税〔2016〕79号）规定减免"}],
        themes=["housing"],
        summary="以房屋等不动产设定抵押的，抵押人和抵押权人共同申请抵押权登记，抵押权自登记时设立。银行网点可直接受理，电子证明实时推送。",
        conditions="""
1. 抵押人对抵押的不动产享有处分权，已取得不动产权证书或者预告登记证明；
2. 已签订抵押合同和主债权合同；
3. 抵押人和抵押权人共同申请。""",
        materials=[
            application("M01", "不动产登记申请书"),
            mat("M02", "抵押人居民身份证", source="certificate", cert="id_card", notes="通过电子证照库调取"),
            mat("M03", "不动产权属证书", source="certificate", cert="property", issuer="不动产登记机构"),
            mat("M04", "抵押合同及主债权合同", form="electronic", originals=0, notes="由抵押权人（银行）通过系统推送"),
        ],
        form=form(
            ("applicant_name", L("抵押人姓名")), ("applicant_id_number", L("抵押人公民身份号码")), "applicant_phone",
            ("enterprise_name", L("抵押权人名称")), ("uscc", L("抵押权人统一社会信用代码")),
            "property_certificate_no", "property_address",
            ("mortgage_kind", radio("抵押方式", [("general", "一般抵押"), ("maximum", "最高额抵押")])),
            ("loan_amount", number("被担保主债权数额（最高债权额）", unit="万元")),
            ("debt_start", date("债务履行期限起")), ("debt_end", date("债务履行期限止")),
        ),
        faq=[("在银行就能办抵押登记吗？", "可以。兖州区不动产登记服务已延伸至合作银行网点，贷款签约时一并申请，无需再到登记中心。")],
        aliases=["抵押登记", "房屋抵押", "贷款抵押", "办抵押"],
        result="不动产登记证明（抵押权）")

    add("property_query", "natural-resources", "003001", "不动产登记资料查询", base_name="不动产登记资料查询",
        itype="20", legal=None, promised=0, template="instant", audiences=["1", "2"], popularity=180,
        basis="《不动产登记暂行条例》；《不动产登记资料查询暂行办法》",
        themes=["housing"],
        summary="权利人、利害关系人查询、复制不动产登记资料，包括本人名下不动产登记信息（有无房产证明）。在线查询，电子查询结果可验真。",
        conditions="""
1. 权利人可以查询、复制其不动产登记资料；
2. 利害关系人可以查询、复制与其利害关系相关的登记结果。""",
        materials=[id_card("M01"), mat("M02", "利害关系证明材料", necessity="optional", notes="利害关系人查询的提供")],
        form=form(
            *PERSON,
            ("query_role", radio("查询人身份", [("owner", "权利人"), ("interested", "利害关系人")])),
            ("query_scope", checkboxes("查询内容", [("ownership", "不动产权属信息"), ("encumbrance", "抵押、查封等限制信息"),
                                                   ("list", "名下不动产情况（有无房产证明）")])),
            ("query_purpose", text("查询用途", 100, placeholder="如：子女入学、申请公租房")),
            ("property_address?", L("不动产坐落（查询特定房屋时填写）")),
        ),
        faq=[("“有无房证明”怎么开？", "选择查询内容“名下不动产情况”，在线生成带二维码的电子查询结果，可用于入学、公积金等。")],
        aliases=["查房产", "有无房证明", "无房证明", "房产查询", "房产证明"],
        result="不动产登记资料查询结果证明")

    add("land_plan", "natural-resources", "005001", "建设用地规划许可证核发", base_name="建设用地规划许可",
        itype="01", legal=20, promised=5, template="promised", audiences=["2", "3"], popularity=50,
        basis="《中华人民共和国城乡规划法》第三十七条、第三十八条",
        themes=["construction"], undertaking="国土空间规划科",
        summary="以划拨或者出让方式取得国有土地使用权的建设项目，向自然资源部门申请建设用地规划许可证。用地预审与选址意见、用地规划许可按规定合并办理。",
        conditions="""
1. 划拨用地：建设项目已经依法批准、核准或者备案；
2. 出让用地：已签订国有土地使用权出让合同，出让合同中依法附具规划条件。""",
        materials=[
            application("M01", "建设用地规划许可申请表"),
            mat("M02", "投资项目审批（备案）信息", source="sharing", share="FG-XMDM", issuer="投资主管部门"),
            mat("M03", "国有土地使用权出让合同", necessity="optional", notes="出让用地提供"),
            mat("M04", "建设项目用地范围红线图"),
        ],
        form=form(
            *ENTERPRISE, "project_code", "project_name", "project_address",
            ("land_area", number("用地面积", unit="平方米")),
            ("land_use", choice("用地性质", [("residential", "居住用地"), ("commercial", "商业服务业用地"),
                                             ("industrial", "工业用地"), ("public", "公共管理与公共服务用地"), ("other", "其他")])),
            ("supply_mode", radio("供地方式", [("allocation", "划拨"), ("transfer", "出让")])),
            ("land_contract_no?", text("出让合同编号", 40)),
            conditions=[when("supply_mode", "transfer", "land_contract_no")],
        ),
        faq=[("出让用地还要单独办用地规划许可吗？", "以出让方式取得土地的，签订出让合同后即可申请，核发用地规划许可证与供地手续同步办理。")],
        aliases=["用地规划许可", "用地许可证", "规划许可"],
        result="建设用地规划许可证", cert="land_plan")

    add("build_plan", "natural-resources", "005002", "建设工程规划许可证核发", base_name="建设工程规划许可",
        itype="01", legal=20, promised=5, template="promised", audiences=["2", "3"], popularity=60,
        basis="《中华人民共和国城乡规划法》第四十条",
        themes=["construction"], undertaking="国土空间规划科",
        summary="在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设单位申请建设工程规划许可证。设计方案审查与规划许可合并办理。",
        conditions="""
1. 已取得建设用地规划许可证或者国有土地使用权出让合同；
2. 建设工程设计方案符合控制性详细规划和规划条件。""",
        materials=[
            application("M01", "建设工程规划许可申请表"),
            mat("M02", "使用土地的有关证明文件", source="sharing", share="ZR-BDCDJ", issuer="不动产登记机构"),
            mat("M03", "建设工程设计方案（总平面图、建筑单体方案）", notes="电子图纸在线上传"),
        ],
        form=form(
            *ENTERPRISE, "project_code", "project_name", "project_address", "floor_area",
            ("building_height", number("建筑高度", unit="米")),
            ("land_plan_cert_no", text("建设用地规划许可证编号", 40)),
            ("design_company", text("设计单位名称", 100)),
        ),
        faq=[("设计方案要先单独审查吗？", "不需要。兖州区将设计方案审查与建设工程规划许可合并办理，一次申请。")],
        aliases=["工程规划许可", "规划许可证", "建设工程规划"],
        result="建设工程规划许可证", cert="build_plan")

    add("rural_plan", "natural-resources", "005003", "乡村建设规划许可证核发（农村村民住宅）", base_name="乡村建设规划许可",
        itype="01", legal=20, promised=10, template="promised", audiences=["1"], popularity=90,
        basis="《中华人民共和国城乡规划法》第四十一条；《中华人民共和国土地管理法》第六十二条",
        themes=["housing"], undertaking="村镇规划科",
        summary="在乡、村庄规划区内新建、改建、扩建农村村民住宅的，经村民委员会和乡镇人民政府审核后，申请乡村建设规划许可证。",
        conditions="""
1. 符合村庄规划，已取得宅基地批准文件；
2. 农村村民一户只能拥有一处宅基地，面积不得超过山东省规定的标准；
3. 不占用永久基本农田。""",
        materials=[
            application("M01", "乡村建设规划许可申请表"),
            id_card("M02"),
            mat("M03", "农村宅基地批准书"),
            mat("M04", "村民委员会和乡镇人民政府审核意见"),
            mat("M05", "住宅设计图或者选用的通用图"),
        ],
        form=form(
            *PERSON, ("applicant_address", L("建房地址")),
            ("build_kind", radio("建设类型", [("new", "新建"), ("rebuild", "翻建"), ("extend", "扩建")])),
            ("homestead_area", number("宅基地面积", unit="平方米")),
            ("floor_area", L("建筑面积")),
            ("floors", number("层数", integer=True, minimum=1, maximum=3, unit="层")),
            ("homestead_approval_no", text("宅基地批准书编号", 40)),
        ),
        faq=[("在自家宅基地上翻建房子要办许可吗？", "要。翻建、扩建农村村民住宅也应当申请乡村建设规划许可证。")],
        aliases=["农村盖房", "盖房", "建房许可", "农村建房", "宅基地建房"],
        result="乡村建设规划许可证")


def tax_items():
    add("invoice", "tax", "003001", "新办纳税人发票领用", base_name="发票领用",
        itype="10", legal=None, promised=0, template="instant", audiences=["2", "6"], popularity=130,
        basis="《中华人民共和国税收征收管理法》；《中华人民共和国发票管理办法》",
        themes=["tax_finance", "establishment"],
        summary="""
新办企业和个体工商户确认税务登记信息、完成办税人员实名采集后，领用数字化电子发票（数电发票），
取得发票总额度即可开票，无需购买税控设备。""",
        conditions="""
1. 已取得营业执照（登记信息自动推送税务部门）；
2. 法定代表人（经营者）、财务负责人、办税人员已完成实名信息采集。""",
        materials=[licence_new("M01"), mat("M02", "办税人员居民身份证", source="certificate", cert="id_card",
                                            notes="通过人脸识别完成实名认证")],
        form=form(
            *ENTERPRISE_NEW, "tax_staff_name", "tax_staff_id_number", "tax_staff_phone",
            ("invoice_kinds", checkboxes("需要开具的发票种类", [("special", "增值税专用发票（数电）"),
                                                               ("normal", "普通发票（数电）")])),
            ("vat_payer_type", radio("增值税纳税人类型", [("small", "小规模纳税人"), ("general", "一般纳税人")])),
        ),
        faq=[("新办企业要买税控盘吗？", "不需要。新办纳税人领用数电发票，通过电子发票服务平台开具，无需税控设备。"),
             ("发票额度不够用怎么办？", "系统根据纳税信用和经营情况动态调整发票总额度，也可以通过电子税务局申请临时调整。")],
        aliases=["领发票", "申领发票", "开发票", "数电发票", "税务登记", "报到"],
        result="发票领用结果（数电发票总额度）")

    add("house_tax", "tax", "006001", "存量房交易税费申报", base_name="契税申报",
        itype="10", legal=None, promised=0, template="instant", audiences=["1", "2"], popularity=170,
        online_payment=True,
        basis="《中华人民共和国契税法》第九条、第十条；《中华人民共和国税收征收管理法》",
        themes=["housing", "tax_finance"],
        summary="""
买卖存量房，买受人在办理转移登记前申报缴纳契税，出卖人按规定申报增值税、个人所得税等。
网签信息自动带入，在线计税、在线缴纳，完税信息实时推送不动产登记机构。""",
        conditions="已完成存量房买卖合同网签备案。",
        materials=[
            mat("M01", "存量房买卖合同", source="sharing", share="ZJ-WQBA", issuer="房屋交易管理部门"),
            mat("M02", "买卖双方居民身份证", source="certificate", cert="id_card", notes="通过电子证照库调取"),
            mat("M03", "家庭住房情况信息", source="sharing", share="ZR-BDCDJ", issuer="不动产登记机构",
                notes="用于认定家庭唯一住房、第二套住房的契税优惠"),
        ],
        form=form(
            ("applicant_name", L("买受人姓名")), ("applicant_id_number", L("买受人公民身份号码")),
            ("applicant_phone", L("买受人联系电话")), "seller_name", "seller_id_number",
            "contract_no?", "property_certificate_no", "property_address", "property_area", "transaction_price",
            ("house_use", radio("房屋用途", [("residential", "住宅"), ("non_residential", "非住宅")])),
            ("family_housing", radio("买受人家庭住房情况", [("first", "家庭唯一住房"), ("second", "家庭第二套住房"),
                                                           ("other", "其他")])),
            conditions=[],
        ),
        faq=[("二手房契税税率是多少？", "个人购买家庭唯一住房或第二套住房，面积140平方米及以下的，减按1%征收；140平方米以上的，唯一住房减按1.5%、第二套住房减按2%征收（财政部 税务总局 住房城乡建设部公告2024年第16号）。"),
             ("契税必须在过户前交吗？", "是的。纳税人应当在依法办理土地、房屋权属登记手续前申报缴纳契税。")],
        aliases=["契税", "交契税", "二手房交税", "房产交易税", "过户交税"],
        result="完税凭证")

    add("tax_dereg", "tax", "007001", "清税申报（注销税务登记）", base_name="注销税务登记",
        itype="10", legal=None, promised=0, template="instant", audiences=["2", "6"], popularity=90,
        basis="《中华人民共和国税收征收管理法》第十六条",
        themes=["deregistration", "tax_finance"],
        summary="纳税人向市场监管部门申请注销登记前，办理清税申报。未办理过涉税事宜或者符合承诺制容缺条件的，即时出具清税文书；“企业注销一件事”中结果自动共享。",
        conditions="已结清应纳税款、滞纳金、罚款，已缴销发票或者作废数电发票额度。",
        materials=[licence("M01")],
        form=form(
            *ENTERPRISE, "deregistration_reason",
            ("invoices_cleared", checkbox("已缴销发票、结清数电发票")),
            ("taxes_cleared", checkbox("已结清应纳税款、滞纳金和罚款")),
        ),
        faq=[("没有领过发票、没有欠税也要办吗？", "要办，但可以即时办结：未办理过涉税事宜的纳税人，可以免予办理清税证明，直接申请注销登记。")],
        aliases=["税务注销", "清税证明", "注销税务", "注销公司"],
        result="清税证明")

    add("tax_record", "tax", "008001", "个人所得税纳税记录开具", base_name="纳税记录开具",
        itype="20", legal=None, promised=0, template="instant", audiences=["1"], popularity=160, tongban="national",
        basis="《中华人民共和国个人所得税法》；《国家税务总局关于将个人所得税〈税收完税证明〉（文书式）调整为〈纳税记录〉有关事项的公告》（国家税务总局公告2018年第55号）",
        themes=["tax_finance"],
        summary="纳税人开具本人个人所得税纳税记录，用于购房、落户、贷款等。通过“个人所得税”App或电子税务局在线开具，带验证码可核验。",
        conditions="在我国境内已依法缴纳个人所得税的纳税人。",
        materials=[id_card("M01")],
        form=form(
            *PERSON,
            ("period_start", date("查询起始年月")), ("period_end", date("查询截止年月")),
            ("record_purpose", choice("开具用途", PURPOSE)),
        ),
        faq=[("纳税记录和完税证明有什么区别？", "纳税记录已替代原《税收完税证明》（文书式），可在线开具并验证真伪，效力相同。")],
        aliases=["完税证明", "个税证明", "纳税证明", "个税记录"],
        result="个人所得税纳税记录")

    add("general_taxpayer", "tax", "009001", "增值税一般纳税人登记", base_name="增值税一般纳税人登记",
        itype="10", legal=None, promised=0, template="instant", audiences=["2", "6"], popularity=60,
        basis="《增值税一般纳税人登记管理办法》（国家税务总局令第43号）",
        themes=["tax_finance"],
        summary="年应税销售额超过小规模纳税人标准的纳税人，或者会计核算健全、能够提供准确税务资料的纳税人，办理增值税一般纳税人登记，当场办结。",
        conditions="""
1. 年应税销售额超过规定的小规模纳税人标准（500万元）的，应当办理；
2. 未超过标准但会计核算健全、能够提供准确税务资料的，可以办理。""",
        materials=[licence("M01"), application("M02", "增值税一般纳税人登记表")],
        form=form(
            *ENTERPRISE,
            ("annual_sales", number("年应税销售额", unit="万元")),
            ("accounting_sound", checkbox("会计核算健全，能够提供准确税务资料")),
            ("effective_from", radio("一般纳税人生效之日", [("this_month", "当月1日"), ("next_month", "次月1日")])),
        ),
        faq=[("登记为一般纳税人后还能转回小规模纳税人吗？", "除国家税务总局另有规定外，纳税人登记为一般纳税人后，不得转为小规模纳税人。")],
        aliases=["一般纳税人", "转一般纳税人", "一般纳税人认定"],
        result="增值税一般纳税人登记结果")


def housing_fund_items():
    add("fund_unit", "housing-fund", "001001", "单位住房公积金缴存登记", base_name="单位缴存登记",
        itype="20", legal=None, promised=0, template="instant", audiences=["2", "3", "4", "6"], popularity=100,
        basis="《住房公积金管理条例》第十四条",
        themes=["human_resources", "establishment"],
        summary="新设立的单位自设立之日起30日内办理住房公积金缴存登记，并为职工设立个人账户。企业开办一件事中可同步办理。",
        conditions="已依法取得营业执照或登记证书的单位。",
        materials=[licence_new("M01")],
        form=form(
            *ENTERPRISE_NEW, "employee_count", "unit_bank_name", "unit_bank_account",
            ("fund_rate", choice("单位和职工缴存比例", [("5", "各 5%"), ("8", "各 8%"), ("10", "各 10%"), ("12", "各 12%")],
                                 help="缴存比例不低于5%、不高于12%")),
        ),
        faq=[("小微企业可以降低缴存比例吗？", "缴存比例在5%至12%之间由单位自主确定；生产经营困难的，可以按规定申请降低缴存比例或者缓缴。")],
        aliases=["公积金开户", "单位公积金开户", "公司交公积金"],
        result="单位住房公积金缴存登记信息", undertaking="归集管理科")

    add("fund_retire", "housing-fund", "002003", "住房公积金提取（离休、退休）", base_name="住房公积金提取（离退休）",
        itype="20", legal=3, promised=0, template="instant", audiences=["1"], popularity=170,
        basis="《住房公积金管理条例》第二十四条、第二十五条",
        themes=["housing", "elderly_care"],
        summary="职工离休、退休的，可以提取住房公积金账户全部余额并销户。退休一件事中退休审批通过后自动提醒，在线申请，资金实时到账。",
        conditions="已办理离休、退休手续。",
        materials=[
            mat("M01", "职工退休审批信息", source="sharing", share="RS-TXSP", issuer="人力资源社会保障部门"),
            bank_card("M02"),
        ],
        form=form(*PERSON, "fund_account_no?", "retire_date", "bank_name", "bank_account"),
        faq=[("退休了公积金能全部取出来吗？", "可以。离休、退休的，可以提取住房公积金账户全部余额并注销账户。"),
             ("还有公积金贷款没还完怎么办？", "有未结清公积金贷款的，提取的余额优先用于偿还贷款。")],
        aliases=["退休取公积金", "公积金销户", "公积金提取", "取公积金"],
        result="住房公积金提取结果", undertaking="归集提取科")

    add("fund_purchase", "housing-fund", "002001", "住房公积金提取（购买自住住房）", base_name="住房公积金提取（购房）",
        itype="20", legal=3, promised=0, template="instant", audiences=["1"], popularity=230, tongban="cross_province",
        basis="《住房公积金管理条例》第二十四条、第二十五条",
        themes=["housing"],
        summary="职工购买自住住房的，可以提取本人及配偶的住房公积金。购房信息通过网签和不动产登记数据核验，在线申请，资金实时到账。",
        conditions="""
1. 职工或其配偶在兖州区或户籍地购买自住住房；
2. 提取金额不超过购房款扣除已提取部分；
3. 自购房之日起规定期限内申请。""",
        materials=[
            id_card("M01"),
            mat("M02", "购房合同或不动产登记信息", source="sharing", share="ZJ-WQBA", issuer="房屋交易管理部门"),
            mat("M03", "购房发票或契税完税信息", source="sharing", share="SW-WSXX", issuer="税务部门"),
            bank_card("M04"),
        ],
        form=form(
            *PERSON, "fund_account_no?",
            ("house_kind", radio("住房类型", [("new", "新建商品住房"), ("existing", "存量住房（二手房）"),
                                              ("self_built", "自建、翻建、大修住房")])),
            ("purchase_contract_no?", text("商品房买卖合同备案号", 40)),
            ("property_certificate_no?", L("不动产权证书号")),
            "transaction_price",
            ("withdraw_amount", number("申请提取金额", unit="元")),
            ("spouse_withdraw", checkbox("同时提取配偶的住房公积金")),
            "spouse_name?", "spouse_id_number?", "bank_name", "bank_account",
            conditions=[when("house_kind", "new", "purchase_contract_no"),
                        when("house_kind", "existing", "property_certificate_no"),
                        when("spouse_withdraw", True, "spouse_name", "spouse_id_number")],
        ),
        faq=[("买房多久以内可以提取？", "按济宁市住房公积金管理委员会规定的期限执行，请在购房后尽快申请。"),
             ("在外地买房能提取吗？", "可以。在户籍地或工作地以外购房的，按济宁市规定提供相关材料后提取。")],
        aliases=["买房取公积金", "购房提取", "公积金提取", "取公积金", "提公积金"],
        result="住房公积金提取结果", undertaking="归集提取科")

    add("fund_rent", "housing-fund", "002002", "住房公积金提取（租赁住房）", base_name="住房公积金提取（租房）",
        itype="20", legal=3, promised=0, template="instant", audiences=["1"], popularity=200,
        basis="《住房公积金管理条例》第二十四条、第二十五条",
        themes=["housing"],
        summary="职工本人及配偶在缴存地无自有住房且租赁住房的，可以提取住房公积金支付房租。在线申请、按月或按年提取，实时到账。",
        conditions="职工本人及配偶在兖州区无自有住房且租赁住房居住。",
        materials=[
            id_card("M01"),
            mat("M02", "家庭住房情况信息", source="sharing", share="ZR-BDCDJ", issuer="不动产登记机构"),
            mat("M03", "房屋租赁合同", necessity="optional", notes="租住公共租赁住房或按实际租金提取的提供；按标准提取的无需提供"),
            bank_card("M04"),
        ],
        form=form(
            *PERSON, "fund_account_no?", ("applicant_address", L("租住地址")),
            ("rent_kind", radio("租赁住房类型", [("market", "商品住房"), ("public", "公共租赁住房")])),
            ("monthly_rent", number("月租金", unit="元")),
            ("withdraw_cycle", radio("提取方式", [("monthly", "按月提取"), ("yearly", "按年提取")])),
            "bank_name", "bank_account",
        ),
        faq=[("租房提取有额度限制吗？", "按济宁市规定的租房提取限额执行；租住公共租赁住房的，按实际租金提取。")],
        aliases=["租房提取", "租房取公积金", "公积金付房租", "取公积金"],
        result="住房公积金提取结果", undertaking="归集提取科")

    add("fund_loan", "housing-fund", "003001", "个人住房公积金贷款", base_name="个人住房公积金贷款",
        itype="20", legal=(15, ND), promised=5, template="promised", audiences=["1"], popularity=190,
        visits=1, visits_reason="借款人及其配偶须到场面签借款合同和抵押合同", depth=ACCEPT,
        basis="《住房公积金管理条例》第二十六条",
        themes=["housing"], undertaking="信贷管理科",
        summary="缴存住房公积金的职工，在购买、建造、翻建、大修自住住房时，申请住房公积金贷款。网上申请、预审，面签一次，贷款与抵押登记联动办理。",
        conditions="""
1. 申请前连续足额缴存住房公积金达到规定期限；
2. 具有购买、建造、翻建、大修自住住房的合同或者证明；
3. 有稳定的经济收入和偿还贷款本息的能力，信用良好；
4. 借款人家庭无未结清的住房公积金贷款。""",
        materials=[
            id_card("M01", "借款人及配偶"),
            mat("M02", "婚姻状况信息", source="sharing", share="MZ-HYDJ", issuer="婚姻登记机关"),
            mat("M03", "购房合同", source="sharing", share="ZJ-WQBA", issuer="房屋交易管理部门"),
            mat("M04", "首付款凭证"),
            mat("M05", "住房公积金缴存信息", source="sharing", share="GJJ-JCXX", issuer="住房公积金管理中心"),
        ],
        form=form(
            *PERSON, "fund_account_no?", "marital_status", "spouse_name?", "spouse_id_number?",
            "property_address", "transaction_price",
            ("loan_amount", number("申请贷款金额", unit="万元")),
            ("loan_years", number("贷款年限", integer=True, minimum=1, maximum=30, unit="年")),
            ("repay_method", radio("还款方式", [("annuity", "等额本息"), ("linear", "等额本金")])),
            conditions=[when("marital_status", "20", "spouse_name", "spouse_id_number")],
        ),
        faq=[("最多能贷多少？", "贷款额度按缴存余额、还款能力、房价等因素计算，且不超过济宁市规定的最高额度，申请时系统自动测算。"),
             ("可以和商业贷款组合吗？", "可以申请组合贷款，公积金贷款部分和商业贷款部分分别计息。")],
        aliases=["公积金贷款", "公积金买房", "贷款买房", "组合贷"],
        result="住房公积金贷款审批结果")

    add("fund_death", "housing-fund", "002004", "住房公积金提取（职工死亡或被宣告死亡）", base_name="住房公积金提取（死亡）",
        itype="20", legal=3, promised=3, template="promised", audiences=["1"], popularity=50,
        basis="《住房公积金管理条例》第二十四条、第二十五条",
        themes=["housing"], undertaking="归集提取科",
        summary="职工死亡或者被宣告死亡的，其继承人、受遗赠人可以提取职工住房公积金账户内的存储余额。“身后一件事”中死亡信息自动共享。",
        conditions="职工死亡或者被宣告死亡，申请人为其合法继承人或者受遗赠人。",
        materials=[
            mat("M01", "死亡注销户口信息", source="sharing", share="GA-SWZX", issuer="公安机关"),
            id_card("M02"),
            mat("M03", "继承权或者受遗赠权证明", notes="继承权公证书、人民法院判决书，或全体继承人签署的确认书"),
            bank_card("M04"),
        ],
        form=form(
            ("applicant_name", L("申请人（继承人）姓名")), ("applicant_id_number", L("申请人（继承人）公民身份号码")),
            "applicant_phone", "deceased_name", "deceased_id_number", "death_date", "relation_to_deceased",
            "bank_name", "bank_account",
            ("heirs_agreed", checkbox("其他继承人已同意由申请人提取")),
        ),
        faq=[("没有继承人怎么办？", "无继承人也无受遗赠人的，账户余额纳入住房公积金增值收益。")],
        aliases=["去世提取公积金", "公积金继承", "去世", "取公积金"],
        result="住房公积金提取结果")


def water_items():
    add("water_transfer", "water", "009002", "供水过户", base_name="供水业务办理",
        itype="20", legal=None, promised=0, template="instant", audiences=["1", "2"], popularity=90,
        nature="9", undertaking="供水企业（进驻区政务服务中心水电气暖联办窗口）", window="水电气暖联办窗口 38 号",
        basis="《城市供水条例》",
        themes=["housing"],
        summary="房屋产权转移后，新产权人办理供水户名变更。二手房一件事中不动产登记完成后自动推送，无需另跑营业厅。",
        conditions="已办理不动产转移登记，或持有房屋合法使用证明；原户主已结清水费。",
        materials=[property_share("M01"), id_card("M02", "新户主")],
        form=form(
            ("applicant_name", L("新户主姓名")), ("applicant_id_number", L("新户主公民身份号码")),
            ("applicant_phone", L("新户主联系电话")), "property_certificate_no", "property_address",
            "water_account_no", ("water_meter_reading?", number("过户时水表读数", unit="立方米")),
            "auto_debit", "bank_name?", "bank_account?",
            conditions=[when("auto_debit", True, "bank_name", "bank_account")],
        ),
        faq=[("过户要收费吗？", "供水过户不收费；过户前须结清原户主的水费。")],
        aliases=["水过户", "水表过户", "自来水过户", "过户"],
        result="供水户名变更结果")

    add("water_permit", "water", "001001", "取水许可", base_name="取水许可",
        itype="01", legal=45, promised=20, template="promised", audiences=["2", "3"], popularity=30,
        basis="《中华人民共和国水法》第七条、第四十八条；《取水许可和水资源费征收管理条例》",
        themes=["permits", "construction"],
        summary="直接从江河、湖泊或者地下取用水资源的单位，向水行政主管部门申请取水许可。建设项目的水资源论证与取水许可合并审查。",
        conditions="""
1. 符合水资源规划和区域用水总量控制指标；
2. 已按规定编制建设项目水资源论证报告书（表）；
3. 取水、退水不会对第三者合法权益造成损害，或者已与利害关系人达成协议。""",
        materials=[
            application("M01", "取水许可申请书"),
            licence("M02"),
            mat("M03", "建设项目水资源论证报告书（表）"),
            mat("M04", "与第三者利害关系的相关说明", necessity="optional"),
        ],
        form=form(
            *ENTERPRISE, "project_name",
            ("water_source", radio("水源类型", [("surface", "地表水"), ("ground", "地下水")])),
            ("intake_location", address("取水地点")),
            ("annual_volume", number("年取水量", unit="万立方米")),
            ("water_use", choice("取水用途", [("industrial", "工业"), ("domestic", "生活"), ("irrigation", "农业灌溉"), ("other", "其他")])),
        ),
        faq=[("家庭生活少量取水要办许可吗？", "不需要。家庭生活和零星散养、圈养畜禽饮用等少量取水的，不需要申请取水许可。")],
        aliases=["取水证", "打井许可", "取水许可证"],
        result="取水许可证", cert="water_permit")

    add("soil_conservation", "water", "002001", "生产建设项目水土保持方案审批", base_name="水土保持方案审批",
        itype="01", legal=20, promised=5, template="promised", audiences=["2", "3"], popularity=30,
        basis="《中华人民共和国水土保持法》第二十五条",
        themes=["construction"], undertaking="水土保持科",
        summary="在容易发生水土流失区域开办可能造成水土流失的生产建设项目，生产建设单位编制水土保持方案报水行政主管部门审批；征占地面积较小的实行承诺制或备案。",
        conditions="水土保持方案符合水土保持法律法规和技术标准。",
        materials=[
            application("M01", "生产建设项目水土保持方案审批申请"),
            mat("M02", "水土保持方案报告书或报告表"),
        ],
        form=form(
            *ENTERPRISE, "project_code", "project_name", "project_address",
            ("disturbed_area", number("扰动地表面积", unit="公顷")),
            ("earthwork_volume", number("挖填土石方总量", unit="万立方米")),
            ("plan_form", radio("方案形式", [("report", "报告书"), ("table", "报告表")])),
        ),
        faq=[("哪些项目可以不编报告书？", "征占地面积和挖填土石方量较小的项目编制报告表，更小的项目实行登记表备案，具体按水利部规定执行。")],
        aliases=["水保方案", "水土保持", "水保审批"],
        result="水土保持方案批复")

def education_items():
    add("school_enrol", "education", "001001", "义务教育小学一年级新生入学报名", base_name="义务教育入学",
        itype="20", legal=None, promised=10, template="promised", audiences=["1"], popularity=250,
        basis="《中华人民共和国义务教育法》第十二条",
        themes=["education"],
        summary="""
适龄儿童免试、就近入学。每年报名期间，家长在线填报学生和住房信息，户籍、房产、居住证信息共享核验，
审核结果和划片学校在线查询。""",
        conditions="""
1. 当年8月31日前年满6周岁的适龄儿童；
2. 在兖州区有户籍和住房，或父母在兖州区持有居住证并合法稳定就业、居住（随迁子女）。""",
        materials=[
            hukou_share("M01", "儿童及父母"),
            property_share("M02", necessity="optional"),
            mat("M03", "居住证", source="certificate", cert="residence", issuer="公安机关", necessity="optional",
                notes="随迁子女提供父母一方居住证"),
        ],
        form=form(
            ("child_name", L("儿童姓名")), ("child_sex", L("儿童性别")), ("child_birth_date", L("儿童出生日期")),
            ("child_id_number", L("儿童公民身份号码")),
            "father_name", "father_id_number", "mother_name", "mother_id_number", "applicant_phone",
            ("applicant_address", L("实际居住地址")),
            ("enrol_basis", radio("报名类别", [("local", "户籍与住房均在学区"), ("migrant", "随迁子女"), ("other", "其他")])),
            ("residence_permit_no?", text("父母一方居住证号码", 30)),
            ("property_certificate_no?", L("学区内住房不动产权证书号")),
            conditions=[when("enrol_basis", "migrant", "residence_permit_no"),
                        when("enrol_basis", "local", "property_certificate_no")],
        ),
        faq=[("什么时候报名？", "每年6月至7月，具体时间以兖州区教体局发布的招生公告为准。"),
             ("随迁子女怎么入学？", "父母一方持有兖州区居住证的，按相对就近原则统筹安排到公办学校，享受同等待遇。")],
        aliases=["上学", "入学报名", "小学报名", "一年级报名", "孩子上学"],
        result="入学审核结果（划片学校）", undertaking="基础教育科")

    add("teacher_qual", "education", "003001", "教师资格认定", base_name="教师资格认定",
        itype="01", legal=30, promised=15, template="promised", audiences=["1"], popularity=140,
        basis="《中华人民共和国教师法》第十条、第十三条；《教师资格条例》",
        themes=["education", "employment"], undertaking="教师工作科",
        summary="取得中小学教师资格考试合格证明的人员，申请幼儿园、小学、初级中学教师资格认定。网上报名，学历、考试信息在线核验，证书可邮寄。",
        conditions="""
1. 遵守宪法和法律，热爱教育事业，具有良好的思想品德；
2. 具备《中华人民共和国教师法》规定的相应学历；
3. 取得相应的中小学教师资格考试合格证明；
4. 普通话水平达到二级乙等及以上；
5. 体检合格。""",
        materials=[
            id_card("M01"),
            mat("M02", "学历证书", source="sharing", share="JY-XLXX", issuer="教育部学信网"),
            mat("M03", "普通话水平测试等级证书"),
            mat("M04", "教师资格认定体检表", issuer="指定体检医院"),
            mat("M05", "中小学教师资格考试合格证明", source="sharing", share="JY-JSKS", issuer="教育部考试中心"),
        ],
        form=form(
            *PERSON, "applicant_email",
            ("teacher_level", choice("申请资格种类", [("kindergarten", "幼儿园教师资格"), ("primary", "小学教师资格"),
                                                      ("junior", "初级中学教师资格")])),
            ("teaching_subject", text("任教学科", 30)),
            ("exam_cert_no", text("考试合格证明编号", 40)),
            ("mandarin_level", choice("普通话水平", [("1a", "一级甲等"), ("1b", "一级乙等"), ("2a", "二级甲等"), ("2b", "二级乙等")])),
            *DELIVERY, conditions=[DELIVERY_WHEN],
        ),
        faq=[("高级中学教师资格在哪里认定？", "高级中学和中等职业学校教师资格由济宁市教育局认定；兖州区教体局负责幼儿园、小学、初级中学教师资格认定。"),
             ("考试合格证明有效期？", "中小学教师资格考试合格证明有效期为3年，请在有效期内申请认定。")],
        aliases=["教师资格证", "教师证", "当老师", "认定教师资格"],
        result="教师资格证书", cert="teacher_qual")

    add("student_aid", "education", "004001", "普通高中国家助学金申请", base_name="学生资助",
        itype="05", legal=None, promised=20, template="promised", audiences=["1"], popularity=80,
        basis="《学生资助资金管理办法》（财教〔2021〕310号）",
        themes=["education"], undertaking="区学生资助管理中心",
        summary="普通高中在校家庭经济困难学生申请国家助学金。建档立卡脱贫家庭、低保家庭、特困供养、残疾学生等通过部门数据自动识别，免于提交证明。",
        conditions="兖州区普通高中全日制正式学籍在校学生，经认定为家庭经济困难学生。",
        materials=[
            application("M01", "家庭经济困难学生认定申请表", notes="在线填写，学校评议小组审核"),
            mat("M02", "学籍信息", source="sharing", share="XX-XJXX", issuer="教育行政部门"),
            mat("M03", "低保、特困人员信息", source="sharing", share="MZ-DBTK", issuer="民政部门", necessity="optional"),
            mat("M04", "残疾人证信息", source="sharing", share="CL-CJRXX", issuer="残疾人联合会", necessity="optional"),
        ],
        form=form(
            ("student_name", text("学生姓名", 50)), ("student_id_number", fmt("id_number", "学生公民身份号码")),
            ("school_name", text("就读学校", 100)),
            ("grade", choice("年级", [("10", "高一"), ("11", "高二"), ("12", "高三")])),
            ("applicant_name", L("监护人姓名")), ("applicant_id_number", L("监护人公民身份号码")), "applicant_phone",
            ("difficulty_kind", checkboxes("家庭经济困难情形", [
                ("poverty", "脱贫家庭（含防止返贫监测对象）"), ("dibao", "最低生活保障家庭"), ("tekun", "特困供养"),
                ("disabled", "本人或父母残疾"), ("orphan", "孤儿、事实无人抚养儿童"), ("other", "其他困难情形"),
            ])),
            ("difficulty_note?", textarea("其他困难情况说明", 500)),
            "bank_name", "bank_account",
        ),
        faq=[("助学金怎么发？", "国家助学金按学期发放到学生或监护人的银行账户（社会保障卡金融账户）。")],
        aliases=["助学金", "高中助学金", "学生资助", "贫困生补助"],
        result="国家助学金评审结果")

    add("private_kindergarten", "education", "005001", "民办幼儿园设立审批", base_name="民办学校设立审批",
        itype="01", legal=(90, ND), promised=30, template="promised", audiences=["2", "4", "6"], popularity=30,
        basis="《中华人民共和国民办教育促进法》第十二条；《中华人民共和国民办教育促进法实施条例》；《幼儿园管理条例》",
        themes=["permits"], undertaking="学前教育科",
        summary="社会组织或者个人举办民办幼儿园，向区教体局申请设立。审批机关对举办者资质、园舍、师资、安全等条件进行审查。",
        conditions="""
1. 举办者具有政治权利和完全民事行为能力（个人），或者具有法人资格（社会组织）；
2. 园舍、场地、设施设备符合山东省幼儿园办园基本标准和安全要求；
3. 有具备相应资格的园长、教师、保育员和卫生保健人员；
4. 有必备的办学资金和稳定的经费来源。""",
        materials=[
            application("M01", "民办幼儿园设立申请书"),
            mat("M02", "举办者资格证明文件"),
            mat("M03", "园舍产权证明或租赁合同，消防、卫生评价等安全证明"),
            mat("M04", "拟任园长、教师、保育员和卫生保健人员的资格证明"),
            mat("M05", "幼儿园章程和首届理事会、董事会组成人员名单"),
        ],
        form=form(
            ("kindergarten_name", text("拟设幼儿园名称", 100)),
            ("enterprise_name", L("举办者名称或姓名")), "uscc?", "legal_rep_name", "legal_rep_id_number",
            "contact_name", "contact_phone",
            ("school_address", address("园址")),
            ("nonprofit", radio("办学性质", [("nonprofit", "非营利性"), ("for_profit", "营利性")])),
            ("class_count", number("班级数", integer=True, minimum=1, unit="个")),
            ("planned_enrolment", number("计划招生人数", integer=True, minimum=1, unit="人")),
            ("site_area", number("占地面积", unit="平方米")),
            ("principal_name", text("拟任园长姓名", 50)),
        ),
        faq=[("营利性幼儿园还要办营业执照吗？", "要。取得办学许可证后，营利性民办幼儿园到市场监管部门办理登记，非营利性的到民政部门登记。")],
        aliases=["开幼儿园", "办幼儿园", "民办幼儿园", "办学许可证"],
        result="办学许可证", cert="school")


def transport_items():
    add("freight_licence", "transport", "001001", "道路货物运输经营许可", base_name="道路货物运输经营许可",
        itype="01", legal=20, promised=3, template="promised", audiences=["1", "2", "6"], popularity=80,
        basis="《中华人民共和国道路运输条例》；《道路货物运输及站场管理规定》",
        themes=["permits"],
        summary="从事道路普通货物运输经营的，向区交通运输局申请道路运输经营许可证，同时为营运车辆配发道路运输证。",
        conditions="""
1. 有与其经营业务相适应并经检测合格的车辆；
2. 有符合规定条件的驾驶人员（取得相应从业资格）；
3. 有健全的安全生产管理制度；
4. 使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需申请道路运输经营许可。""",
        materials=[
            application("M01", "道路货物运输经营申请表"),
            mat("M02", "负责人身份证明", source="certificate", cert="id_card", notes="通过电子证照库调取"),
            mat("M03", "车辆行驶证及车辆技术等级评定信息", notes="机动车信息通过数据共享核验"),
            mat("M04", "驾驶人员的机动车驾驶证、从业资格证"),
            mat("M05", "安全生产管理制度文本"),
        ],
        form=form(
            ("enterprise_name", L("经营者名称")), "uscc?", ("legal_rep_name", L("负责人姓名")),
            ("legal_rep_id_number", L("负责人公民身份号码")), "contact_name", "contact_phone",
            ("enterprise_address", L("经营地址")),
            ("vehicles", group("拟投入车辆", [
                ("plate_no", text("号牌号码", 10, placeholder="鲁H·12345")),
                ("vehicle_kind", choice("车辆类型", [("van", "厢式货车"), ("dump", "自卸车"), ("tractor", "牵引车"),
                                                    ("trailer", "挂车"), ("other", "其他")])),
                ("gross_weight", number("总质量", minimum=0, unit="吨")),
            ], required=["plate_no", "vehicle_kind", "gross_weight"], max_items=200)),
            ("driver_count", number("驾驶人员数", integer=True, minimum=1, unit="人")),
        ),
        faq=[("小货车拉货要办许可吗？", "使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需办理道路运输经营许可和道路运输证。")],
        aliases=["货运许可", "道路运输许可证", "跑运输", "货车营运证", "运输证"],
        result="道路运输经营许可证", cert="transport")

    add("oversize", "transport", "003001", "超限运输车辆行驶公路许可", base_name="超限运输许可",
        itype="01", legal=15, promised=2, template="promised", audiences=["1", "2"], popularity=40,
        tongban="cross_province",
        basis="《中华人民共和国公路法》第五十条；《超限运输车辆行驶公路管理规定》",
        themes=["permits"], undertaking="公路事业发展中心",
        summary="运输不可解体物品，车辆超过公路限载、限高、限宽、限长标准，确需在公路上行驶的，申请超限运输许可。跨省大件运输“一地办证、全线通行”。",
        conditions="""
1. 载运的是不可解体物品；
2. 有确定的运输路线、时间和护送方案；
3. 车辆、装载方式符合安全要求。""",
        materials=[
            application("M01", "公路超限运输申请表"),
            mat("M02", "车辆行驶证、道路运输证"),
            mat("M03", "货物名称、重量、外廓尺寸及必要的总体轮廓图"),
            mat("M04", "运输方案及护送方案", necessity="optional", notes="车货总质量或外廓尺寸较大的提供"),
        ],
        form=form(
            *ENTERPRISE,
            ("plate_no", text("牵引车号牌号码", 10)),
            ("cargo_name", text("货物名称", 100)),
            ("gross_weight", number("车货总质量", unit="吨")),
            ("dimensions", text("车货外廓尺寸（长×宽×高）", 40, placeholder="如 18.5×3.2×4.3 米")),
            ("route", textarea("通行路线", 500)),
            ("travel_start", date("通行起始日期")), ("travel_end", date("通行截止日期")),
        ),
        faq=[("在哪里申请？", "通过全国大件运输许可服务平台在线申请，跨省运输由起运地受理、沿线并联审批。")],
        aliases=["大件运输", "超限许可", "超限运输", "大件许可"],
        result="超限运输车辆通行证")


def environment_items():
    add("eia_approval", "environment", "001001", "建设项目环境影响报告表审批", base_name="建设项目环境影响评价审批",
        itype="01", legal=30, promised=10, template="promised", audiences=["2", "3"], popularity=60,
        basis="《中华人民共和国环境影响评价法》第二十二条；《建设项目环境保护管理条例》",
        themes=["construction", "permits"],
        summary="按照建设项目环境影响评价分类管理名录应当编制环境影响报告表的项目，建设单位在开工建设前报生态环境部门审批。审批结果与施工许可等共享。",
        conditions="""
1. 建设项目类型及其选址、布局、规模等符合环境保护法律法规和相关法定规划；
2. 采取的污染防治措施能够确保污染物排放达到国家和地方排放标准；
3. 环境影响报告表的基础资料数据真实，内容不存在重大缺陷、遗漏。""",
        materials=[
            application("M01", "建设项目环境影响评价文件审批申请书"),
            mat("M02", "建设项目环境影响报告表", form="electronic", originals=0, notes="由编制单位通过环境影响评价信用平台提交"),
            mat("M03", "投资项目审批（备案）信息", source="sharing", share="FG-XMDM", issuer="投资主管部门"),
        ],
        form=form(
            *ENTERPRISE, "project_code", "project_name", "project_address", "total_investment",
            ("env_investment", number("环保投资", unit="万元")),
            ("industry_category", text("国民经济行业类别", 60)),
            ("eia_agency", text("环境影响报告表编制单位", 100)),
            ("pollutants", checkboxes("主要污染物类别", [("air", "废气"), ("water", "废水"), ("noise", "噪声"),
                                                         ("solid", "一般固体废物"), ("hazardous", "危险废物")])),
        ),
        faq=[("环评可以和施工许可同时办吗？", "可以。环评审批与工程建设项目其他审批并联推进，审批信息自动共享，不作为施工许可的纸质前置材料。")],
        aliases=["环评", "环评审批", "环境影响评价", "环评报告表"],
        result="环境影响报告表批复")

    add("pollutant_permit", "environment", "002001", "排污许可证核发", base_name="排污许可",
        itype="01", legal=30, promised=10, template="promised", audiences=["2", "3", "6"], popularity=50,
        basis="《排污许可管理条例》（国务院令第736号）",
        themes=["permits"], undertaking="污染防治股",
        summary="依照法律规定实行排污许可管理的企业事业单位和其他生产经营者，在实际排污前通过全国排污许可证管理信息平台申请排污许可证。",
        conditions="""
1. 依法取得建设项目环境影响报告书（表）批准文件，或者已办理环境影响登记备案手续；
2. 污染物排放符合污染物排放标准要求和重点污染物排放总量控制要求；
3. 采用污染防治设施可以达到许可排放浓度要求或者符合污染防治可行技术；
4. 自行监测方案的监测点位、指标、频次等符合国家自行监测规范。""",
        materials=[
            application("M01", "排污许可证申请表"),
            mat("M02", "自行监测方案、执行报告规程"),
            mat("M03", "建设项目环境影响评价审批（备案）信息", source="sharing", share="HB-HPSP", issuer="生态环境主管部门"),
        ],
        form=form(
            *ENTERPRISE, ("enterprise_address", L("生产经营场所地址")),
            ("management_class", radio("管理类别", [("key", "重点管理"), ("simplified", "简化管理")])),
            ("industry_category", text("行业类别", 60)),
            ("outlets", group("排放口", [
                ("outlet_no", text("排放口编号", 20)),
                ("outlet_kind", choice("排放口类型", [("air", "废气"), ("water", "废水")])),
                ("main_pollutants", text("主要污染物", 100)),
            ], required=["outlet_no", "outlet_kind", "main_pollutants"], max_items=100)),
        ),
        faq=[("排污许可证有效期多久？", "排污许可证有效期为5年，需要延续的，应当在有效期届满60日前提出申请。")],
        aliases=["排污证", "排污许可", "排污许可证"],
        result="排污许可证", cert="pollutant")


def agriculture_items():
    add("pesticide", "agriculture", "001001", "农药经营许可（不含限制使用农药）", base_name="农药经营许可",
        itype="01", legal=20, promised=10, template="promised", audiences=["2", "6"], popularity=40,
        basis="《农药管理条例》；《农药经营许可管理办法》",
        themes=["permits"],
        summary="在兖州区经营农药（限制使用农药除外）的，向区农业农村局申请农药经营许可证。",
        conditions="""
1. 有具备农药和病虫害防治专业知识，熟悉农药管理规定，能够指导安全合理使用农药的经营人员；
2. 有与其他商品以及饮用水水源、生活区域等有效隔离的营业场所和仓储场所，并配备与所申请经营农药相适应的防护设施；
3. 有与所申请经营农药相适应的质量管理、台账记录、安全防护、应急处置、仓储管理等制度和岗位操作规程。""",
        materials=[
            application("M01", "农药经营许可证申请表"),
            licence_new("M02"),
            mat("M03", "经营人员的学历或者培训证明"),
            mat("M04", "营业场所和仓储场所地址、面积、平面图等说明材料及照片"),
            mat("M05", "质量管理、台账记录、安全防护等管理制度和岗位操作规程目录"),
        ],
        form=form(
            *ENTERPRISE_NEW, ("enterprise_address", L("营业场所")), "premises_area",
            ("warehouse_address", address("仓储场所地址")),
            ("warehouse_area", number("仓储场所面积", unit="平方米")),
            ("qualified_staff", number("具备农学等相关专业学历或经培训的人员数", integer=True, minimum=1, unit="人")),
        ),
        faq=[("农药经营许可证有效期？", "农药经营许可证有效期为5年，有效期届满需要继续经营的，应当在届满90日前申请延续。")],
        aliases=["农药许可证", "卖农药", "开农资店"],
        result="农药经营许可证", cert="pesticide")

    add("animal_epidemic", "agriculture", "002001", "动物防疫条件合格证核发", base_name="动物防疫条件审查",
        itype="01", legal=15, promised=10, template="promised", audiences=["1", "2", "6"], popularity=40,
        basis="《中华人民共和国动物防疫法》；《动物防疫条件审查办法》",
        themes=["permits"], undertaking="畜牧兽医科",
        summary="开办动物饲养场、隔离场所、屠宰加工场所以及动物和动物产品无害化处理场所，向区农业农村局申请动物防疫条件合格证。",
        conditions="""
1. 场所的位置与居民生活区、生活饮用水水源地、学校、医院等公共场所的距离符合国务院农业农村主管部门的规定；
2. 生产经营区域封闭隔离，工程设计和有关流程符合动物防疫要求；
3. 有与其规模相适应的污水、污物处理设施，病死动物、病害动物产品无害化处理设施设备或者冷藏冷冻设施设备，以及清洗消毒设施设备；
4. 有与其规模相适应的执业兽医或者动物防疫技术人员；
5. 有完善的隔离消毒、购销台账、日常巡查等动物防疫制度。""",
        materials=[
            application("M01", "动物防疫条件审查申请表"),
            mat("M02", "场所地理位置图、各功能区布局平面图"),
            mat("M03", "设施设备清单"),
            mat("M04", "管理制度文本"),
            mat("M05", "人员信息"),
        ],
        form=form(
            ("enterprise_name", L("场所名称")), "uscc?", ("legal_rep_name", L("负责人姓名")),
            ("legal_rep_id_number", L("负责人公民身份号码")), "contact_name", "contact_phone",
            ("enterprise_address", L("场所地址")),
            ("farm_kind", choice("场所类型", [("farm", "动物饲养场"), ("isolation", "动物隔离场所"), ("slaughter", "动物屠宰加工场所"),
                                              ("harmless", "动物和动物产品无害化处理场所")])),
            ("species", checkboxes("动物种类", [("pig", "生猪"), ("cattle", "牛"), ("sheep", "羊"), ("poultry", "家禽"),
                                                 ("other", "其他")])),
            ("design_scale", number("设计规模（存栏或年屠宰量）", integer=True, minimum=1, unit="头（只）")),
        ),
        faq=[("审查要多久？", "材料齐全的，区农业农村局在15个工作日内完成材料审查和现场核查，兖州区承诺10个工作日办结。")],
        aliases=["防疫合格证", "养殖场审批", "开养殖场", "动物防疫"],
        result="动物防疫条件合格证", cert="animal_epidemic")

    add("farmland_subsidy", "agriculture", "003001", "耕地地力保护补贴", base_name="耕地地力保护补贴",
        itype="05", legal=None, promised=20, template="promised", audiences=["1"], popularity=100,
        basis="《财政部 农业部关于全面推开农业“三项补贴”改革工作的通知》（财农〔2016〕26号）",
        themes=["employment"], undertaking="计划财务科",
        summary="拥有耕地承包权的种地农民，按照确权面积申报耕地地力保护补贴，经村级公示、乡镇审核后，通过惠民惠农财政补贴资金“一卡通”发放。",
        conditions="""
1. 拥有耕地承包权的种地农民；
2. 已作为畜牧养殖场所、林地、成片粮田转为设施农业用地、非农征（占）用或者长年抛荒的耕地不予补贴。""",
        materials=[
            id_card("M01"),
            mat("M02", "农村土地承包经营权证或确权登记信息", source="sharing", share="ZR-BDCDJ", issuer="不动产登记机构"),
            bank_card("M03", "承包户"),
        ],
        form=form(
            *PERSON, ("applicant_address", L("所在村庄")),
            ("contract_area", number("确权承包耕地面积", unit="亩")),
            ("subsidy_area", number("申报补贴面积", unit="亩")),
            ("land_contract_no", text("土地承包经营权证编号", 40)),
            "bank_name", "bank_account",
        ),
        faq=[("补贴标准是多少？", "补贴标准由山东省、济宁市按年度确定并公示，补贴资金通过“一卡通”直接发放到户。")],
        aliases=["种地补贴", "粮食补贴", "耕地补贴", "农业补贴"],
        result="耕地地力保护补贴发放结果")


def culture_items():
    add("entertainment", "culture-tourism", "001001", "娱乐场所经营许可", base_name="娱乐场所经营许可",
        itype="01", legal=20, promised=5, template="joint", joint=["police", "emergency"], audiences=["2", "6"],
        popularity=50,
        basis="《娱乐场所管理条例》",
        themes=["permits"],
        summary="在兖州区设立歌舞娱乐场所（KTV等）、游艺娱乐场所，取得营业执照后向区文旅局申请娱乐经营许可证。"
                "区文旅局牵头，公安（治安）和应急管理（消防安全）部门并联审查、一次联合踏勘。",
        conditions="""
1. 场所地址不在居民楼、博物馆、图书馆和被核定为文物保护单位的建筑物内，与学校、医院、机关的距离符合规定；
2. 场所面积、设施符合国家规定，包厢、包间内不得设置隔断并安装展现室内整体环境的透明门窗；
3. 投资人员、拟任的法定代表人和其他负责人没有《娱乐场所管理条例》规定的禁止情形。""",
        materials=[
            application("M01", "娱乐经营许可申请表"),
            licence_new("M02"),
            mat("M03", "场所平面图、包厢或包间布局图"),
            mat("M04", "投资人员、拟任法定代表人和其他负责人的身份证明及无违法犯罪记录的书面声明"),
        ],
        form=form(
            *ENTERPRISE_NEW, ("enterprise_address", L("经营场所")), "premises_area",
            ("venue_kind", radio("场所类型", [("karaoke", "歌舞娱乐场所"), ("arcade", "游艺娱乐场所")])),
            ("room_count", number("包厢（包间）数", integer=True, minimum=0, unit="间")),
            ("fire_commitment", checkbox("已阅读并承诺经营场所符合消防安全要求")),
        ),
        faq=[("KTV的营业时间有规定吗？", "每日凌晨2时至上午8时，娱乐场所不得营业。")],
        aliases=["开KTV", "开歌厅", "开游戏厅", "娱乐许可证"],
        result="娱乐经营许可证", cert="entertainment")

    add("performance", "culture-tourism", "002001", "营业性演出审批", base_name="营业性演出审批",
        itype="01", legal=3, promised=1, template="promised", audiences=["2", "6"], popularity=30,
        basis="《营业性演出管理条例》",
        themes=["permits"],
        summary="演出经纪机构、文艺表演团体在兖州区举办营业性演出，向区文旅局申请。全程网办，审批结果电子送达。",
        conditions="""
1. 举办单位为演出经纪机构；文艺表演团体可以自行举办营业性演出；
2. 演出场所合格，有安全工作方案和突发事件应急预案；
3. 演出节目内容不含《营业性演出管理条例》禁止的内容。""",
        materials=[
            application("M01", "营业性演出申请登记表"),
            mat("M02", "演出场所合格证明"),
            mat("M03", "演出节目内容材料", notes="节目单、演员名单等"),
            mat("M04", "安全工作方案和突发事件应急预案"),
        ],
        form=form(
            *ENTERPRISE,
            ("show_name", text("演出名称", 100)), ("venue_name", text("演出场所", 100)),
            ("show_start", date("演出开始日期")), ("show_end", date("演出结束日期")),
            ("performer_count", number("演员人数", integer=True, minimum=1, unit="人")),
            ("audience_capacity", number("观众容量", integer=True, minimum=1, unit="人")),
            ("program_list", textarea("节目单", 2000)),
        ),
        faq=[("大型演出还需要公安许可吗？", "观众人数较多的大型群众性活动，还应当依法向公安机关申请安全许可。")],
        aliases=["演出审批", "办演出", "演出许可"],
        result="营业性演出批准文件", cert="performance")


def emergency_items():
    add("hazchem", "emergency", "001001", "危险化学品经营许可（不带储存设施）", base_name="危险化学品经营许可",
        itype="01", legal=30, promised=15, template="promised", audiences=["2", "6"], popularity=40,
        basis="《危险化学品安全管理条例》第三十三条、第三十五条；《危险化学品经营许可证管理办法》",
        themes=["permits"],
        summary="在兖州区从事不带储存设施的危险化学品经营（仅有办公场所的贸易经营），向区应急局申请危险化学品经营许可证。",
        conditions="""
1. 有符合国家标准、行业标准的经营场所；
2. 从业人员经过专业技术培训并经考核合格；
3. 有健全的安全管理规章制度；
4. 有专职安全管理人员；
5. 有符合国家规定的危险化学品事故应急预案和必要的应急救援器材、设备。""",
        materials=[
            application("M01", "危险化学品经营许可证申请表"),
            licence_new("M02"),
            mat("M03", "经营场所产权证明或租赁证明"),
            mat("M04", "主要负责人、安全管理人员安全生产知识和管理能力考核合格证"),
            mat("M05", "安全生产规章制度和岗位操作规程目录"),
            mat("M06", "危险化学品事故应急预案"),
        ],
        form=form(
            *ENTERPRISE_NEW, ("enterprise_address", L("经营场所")),
            ("chem_list", textarea("拟经营的危险化学品品种", 2000, help="按《危险化学品目录》名称填写")),
            ("safety_manager", text("专职安全管理人员姓名", 50)),
            ("safety_cert_no", text("安全管理人员考核合格证编号", 40)),
        ),
        faq=[("带仓库的危化品经营在哪里申请？", "带有储存设施的危险化学品经营许可由济宁市应急管理局审批。")],
        aliases=["危化品许可证", "危险化学品经营", "危化品经营许可"],
        result="危险化学品经营许可证", cert="hazchem")

    add("fireworks", "emergency", "002001", "烟花爆竹经营（零售）许可", base_name="烟花爆竹经营（零售）许可",
        itype="01", legal=20, promised=5, template="promised", audiences=["1", "2", "6"], popularity=60,
        basis="《烟花爆竹安全管理条例》；《烟花爆竹经营许可实施办法》",
        themes=["permits"],
        summary="在兖州区允许燃放区域零售烟花爆竹的，向区应急局申请烟花爆竹经营（零售）许可证，按许可的品种、期限和限量经营。",
        conditions="""
1. 主要负责人经过安全培训合格，销售人员经过安全知识教育；
2. 春节期间零售点、城市长期零售点实行专店销售，零售场所面积和布局符合要求；
3. 有与经营规模相适应的安全防范措施和消防器材；
4. 零售点选址符合安全要求，与人员密集场所等保持安全距离。""",
        materials=[
            application("M01", "烟花爆竹经营（零售）许可证申请书"),
            licence_new("M02"),
            mat("M03", "零售场所平面布置图及安全距离说明"),
            mat("M04", "主要负责人安全培训合格证明"),
        ],
        form=form(
            *ENTERPRISE_NEW, ("enterprise_address", L("零售场所")), "premises_area",
            ("storage_limit", number("限制存放量", integer=True, minimum=1, unit="箱")),
            ("sales_period", radio("经营期限", [("spring", "春节期间"), ("year_round", "常年经营")])),
        ),
        faq=[("兖州区哪里可以卖烟花？", "须在兖州区人民政府划定的允许燃放区域内设置零售点，禁止燃放区域内不得零售。")],
        aliases=["卖烟花", "烟花许可证", "鞭炮零售"],
        result="烟花爆竹经营（零售）许可证", cert="fireworks")

    add("safety_reward", "emergency", "009001", "安全生产举报奖励", base_name="安全生产举报奖励",
        itype="08", legal=None, promised=15, template="promised", audiences=["1"], popularity=20,
        basis="《中华人民共和国安全生产法》；《安全生产领域举报奖励办法》",
        themes=["employment"], undertaking="执法监督科",
        summary="举报重大事故隐患或者安全生产违法行为，经核查属实的，应急管理部门按规定给予举报人现金奖励。",
        conditions="举报事项经核查属实，举报人实名举报并在规定期限内申领。",
        materials=[id_card("M01", "举报人"), bank_card("M02", "举报人")],
        form=form(
            ("applicant_name", L("举报人姓名")), ("applicant_id_number", L("举报人公民身份号码")), "applicant_phone",
            ("report_no", text("举报编号", 40, help="见举报受理告知短信")),
            ("report_date", date("举报日期")), "bank_name", "bank_account",
        ),
        faq=[("举报渠道有哪些？", "可拨打12350安全生产举报电话，或通过“应急管理部”微信公众号、12345热线举报。")],
        aliases=["安全举报", "隐患举报奖励", "12350"],
        result="举报奖励决定")


def veterans_items():
    add("preferential_card", "veterans", "001001", "退役军人优待证申领", base_name="优待证申领",
        itype="20", legal=None, promised=30, template="promised", audiences=["1"], popularity=100,
        handling=("1", "2", "3", "4"),
        basis="《中华人民共和国退役军人保障法》；《退役军人、其他优抚对象优待证管理办法（试行）》",
        themes=["social_security"],
        summary="退役军人和烈属、因公牺牲军人遗属、病故军人遗属等优抚对象申领优待证，凭证享受交通、文旅等优待。在线申请，制证后免费邮寄。",
        conditions="兖州区户籍的退役军人（含退休军人）和烈士遗属、因公牺牲军人遗属、病故军人遗属。",
        materials=[
            id_card("M01"),
            mat("M02", "退役军人信息", source="sharing", share="TY-TYJR", issuer="退役军人事务部门"),
            mat("M03", "本人近期免冠彩色证件照片", form="electronic", originals=0),
        ],
        form=form(
            *PERSON,
            ("holder_kind", choice("申领人类别", [("veteran", "退役军人"), ("martyr_family", "烈士遗属"),
                                                  ("duty_family", "因公牺牲军人遗属"), ("illness_family", "病故军人遗属")])),
            ("discharge_date?", date("退出现役时间")),
            *DELIVERY,
            conditions=[when("holder_kind", "veteran", "discharge_date"), DELIVERY_WHEN],
        ),
        faq=[("优待证能享受哪些优待？", "凭证可享受乘坐市内公共交通、游览政府投资主办的公园景区等优待，具体以公布的优待目录为准。")],
        aliases=["优待证", "退役军人证", "军人优待证", "当兵"],
        result="中华人民共和国退役军人优待证", cert="preferential")

    add("veteran_subsidy", "veterans", "002001", "自主就业退役士兵一次性经济补助金给付", base_name="退役士兵安置待遇",
        itype="05", legal=None, promised=20, template="promised", audiences=["1"], popularity=50,
        visits=1, visits_reason="退役士兵须本人到区退役军人事务局报到并核验退役证件", depth=ACCEPT,
        basis="《中华人民共和国退役军人保障法》；《退役士兵安置条例》",
        themes=["employment"],
        summary="选择自主就业的退役士兵，在规定时间内到安置地报到后，由安置地人民政府按规定发给一次性经济补助金。",
        conditions="退役时选择自主就业、安置地为兖州区，并在规定时间内报到的退役士兵。",
        materials=[
            id_card("M01"),
            mat("M02", "退出现役证", source="certificate", cert="veteran", issuer="部队"),
            mat("M03", "自主就业退役士兵安置介绍信", source="government_issued", issuer="部队或退役军人事务部门"),
            bank_card("M04"),
        ],
        form=form(
            *PERSON, ("discharge_date", date("退出现役时间")),
            ("service_years", number("服役年限", integer=True, minimum=1, maximum=40, unit="年")),
            "bank_name", "bank_account",
        ),
        faq=[("补助金标准怎么定？", "一次性经济补助金标准由山东省人民政府规定，按服役年限计算发放。")],
        aliases=["退伍补助", "退役补助金", "退伍费", "当兵补助"],
        result="一次性经济补助金发放决定")


def justice_items():
    add("legal_aid", "justice", "001001", "法律援助申请", base_name="法律援助",
        itype="20", legal=(7, ND), promised=3, template="promised", audiences=["1"], popularity=110,
        basis="《中华人民共和国法律援助法》第四十一条、第四十三条",
        themes=["employment"],
        summary="经济困难公民和符合法定条件的其他当事人，申请免费的法律咨询、代拟法律文书、代理、刑事辩护等法律服务。农民工讨薪等事项免予核查经济困难状况。",
        conditions="""
1. 因经济困难没有委托代理人，申请的事项属于法律援助范围；
2. 追索劳动报酬、请求工伤事故人身损害赔偿等法定情形的，免予核查经济困难状况；
3. 经济困难状况以个人诚信承诺为主，必要时核查。""",
        materials=[
            application("M01", "法律援助申请表"),
            id_card("M02"),
            mat("M03", "经济困难状况说明表", notes="个人诚信承诺，在线签署"),
            mat("M04", "与所申请法律援助事项有关的材料", notes="如劳动合同、欠条、起诉状等"),
        ],
        form=form(
            *PERSON, "applicant_address",
            ("case_kind", choice("案件类型", [("wage", "追索劳动报酬"), ("labor", "劳动争议"), ("injury", "人身损害赔偿"),
                                             ("family", "婚姻家庭、赡养抚养"), ("criminal", "刑事案件"), ("other", "其他")])),
            ("case_summary", textarea("案情简述", 2000)),
            ("economic_status", radio("经济状况", [("dibao", "低保、特困人员"), ("exempt", "属于免予核查经济困难状况的情形"),
                                                   ("other", "其他经济困难")])),
            ("household_monthly_income?", L("家庭月总收入")),
            ("opponent_name?", text("对方当事人", 100)),
            conditions=[when("economic_status", "other", "household_monthly_income")],
        ),
        faq=[("法律援助收费吗？", "不收费。法律援助机构指派的律师、法律援助志愿者等免费提供法律服务。"),
             ("讨薪可以申请法律援助吗？", "可以。农民工请求支付劳动报酬的，免予核查经济困难状况，可直接申请。")],
        aliases=["法律援助", "免费律师", "讨薪", "打官司", "法律咨询"],
        result="给予法律援助决定书")


def disabled_items():
    add("disability_cert", "disabled", "001001", "残疾人证新办", base_name="残疾人证办理",
        itype="20", legal=None, promised=20, template="promised", audiences=["1"], popularity=120, nature="2",
        visits=1, visits_reason="须本人到指定医疗机构进行残疾评定", depth=ACCEPT, handling=("1", "2", "3", "4"),
        basis="《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》",
        themes=["disability"],
        summary="""
符合残疾标准的兖州区户籍居民申领第二代中华人民共和国残疾人证。网上申请后到指定医疗机构评定，评定结果在线推送，
审核通过后免费制证邮寄。“残疾人服务一件事”中可同时申请两项补贴和辅助器具适配补贴。""",
        conditions="兖州区户籍，视力、听力、言语、肢体、智力、精神残疾或多重残疾，符合《残疾人残疾分类和分级》国家标准。",
        materials=[
            id_card("M01"),
            hukou_share("M02"),
            mat("M03", "本人近期2寸免冠白底彩色照片", form="electronic", originals=0),
            mat("M04", "残疾评定表", source="government_issued", issuer="指定医疗机构", notes="评定结果由评定机构直接推送"),
        ],
        form=form(
            *PERSON, "applicant_address", "disability_category",
            ("assessment_hospital", text("选择的评定医疗机构", 100)),
            *AGENT,
            *DELIVERY, conditions=[AGENT_WHEN, DELIVERY_WHEN],
        ),
        faq=[("行动不便能上门评定吗？", "重度残疾、行动不便的，可以申请上门评定。"),
             ("办证收费吗？", "残疾评定和办证不收费。")],
        aliases=["残疾证", "残疾人证", "办残疾证"],
        result="中华人民共和国残疾人证", cert="disability")

    add("child_rehab", "disabled", "002001", "残疾儿童康复救助", base_name="残疾儿童康复救助",
        itype="05", legal=None, promised=10, template="promised", audiences=["1"], popularity=60, nature="2",
        basis="《残疾预防和残疾人康复条例》；《国务院关于建立残疾儿童康复救助制度的意见》（国发〔2018〕20号）",
        themes=["disability", "health"],
        summary="0–6岁视力、听力、言语、肢体、智力等残疾儿童和孤独症儿童，申请手术、辅助器具适配和康复训练等康复救助，在定点康复机构直接结算。",
        conditions="兖州区户籍或持有兖州区居住证家庭的0–6岁残疾儿童和孤独症儿童（按山东省规定可扩大年龄范围）。",
        materials=[
            mat("M01", "儿童户籍信息", source="sharing", share="GA-HJRK", issuer="公安机关"),
            mat("M02", "残疾人证或二级以上医疗机构诊断证明", notes="已持残疾人证的通过共享核验"),
        ],
        form=form(
            ("child_name", L("儿童姓名")), ("child_birth_date", L("儿童出生日期")),
            ("child_id_number", L("儿童公民身份号码")),
            ("applicant_name", L("监护人姓名")), ("applicant_id_number", L("监护人公民身份号码")), "applicant_phone",
            "disability_category", "disability_certificate_no?",
            ("rehab_items", checkboxes("申请救助项目", [("surgery", "手术"), ("device", "辅助器具适配"), ("training", "康复训练")])),
            ("rehab_institution", text("选择的定点康复机构", 100)),
        ),
        faq=[("康复费用要先垫付吗？", "在定点康复机构接受服务的，救助资金由区残联与机构直接结算，家长只需支付超出标准的部分。")],
        aliases=["残疾儿童康复", "孤独症救助", "自闭症康复", "儿童康复"],
        result="残疾儿童康复救助审核结果")

    add("assistive_device", "disabled", "003001", "残疾人辅助器具适配补贴", base_name="辅助器具适配",
        itype="05", legal=None, promised=15, template="promised", audiences=["1"], popularity=50, nature="2",
        basis="《中华人民共和国残疾人保障法》；《残疾预防和残疾人康复条例》",
        themes=["disability"],
        summary="持证残疾人申请轮椅、助听器、假肢矫形器等辅助器具适配补贴，经评估后在定点机构适配，补贴直接结算。",
        conditions="持有第二代中华人民共和国残疾人证的兖州区户籍残疾人，经评估有辅助器具适配需求。",
        materials=[mat("M01", "残疾人证信息", source="sharing", share="CL-CJRXX", issuer="残疾人联合会")],
        form=form(
            ("applicant_name", L("残疾人姓名")), ("applicant_id_number", L("残疾人公民身份号码")), "applicant_phone",
            "disability_certificate_no?", "disability_category",
            ("device_kinds", checkboxes("需要的辅助器具", [("wheelchair", "轮椅"), ("hearing_aid", "助听器"),
                                                         ("prosthesis", "假肢、矫形器"), ("walker", "助行器、拐杖"),
                                                         ("cane", "盲杖、助视器"), ("other", "其他")])),
            *AGENT, conditions=[AGENT_WHEN],
        ),
        faq=[("辅助器具坏了能再申请吗？", "辅助器具超过使用年限或损坏无法修复的，可以按规定再次申请适配补贴。")],
        aliases=["轮椅补贴", "助听器补贴", "辅具补贴", "辅助器具"],
        result="辅助器具适配补贴审核结果")


def approval_items():
    add("investment_filing", "approval", "001001", "企业投资项目备案", base_name="企业投资项目备案",
        itype="10", legal=None, promised=0, template="instant", audiences=["2", "6"], popularity=70,
        basis="《企业投资项目核准和备案管理条例》（国务院令第673号）",
        themes=["construction"],
        summary="企业在兖州区投资建设《政府核准的投资项目目录》以外的项目，在开工建设前通过投资项目在线审批监管平台告知项目信息，即时备案并赋予项目代码。",
        conditions="""
1. 项目不属于《政府核准的投资项目目录》范围；
2. 不属于产业政策禁止投资建设的项目。""",
        materials=[mat("M01", "项目基本情况", form="electronic", originals=0,
                       notes="在线填报企业基本情况、项目名称、建设地点、建设规模和内容、项目总投资额，并承诺信息真实")],
        form=form(
            *ENTERPRISE, "project_name", "project_address", "total_investment",
            ("construction_content", textarea("建设规模和内容", 2000)),
            ("industry_sector", choice("所属行业", [("manufacturing", "制造业"), ("service", "服务业"), ("agriculture", "农林牧渔业"),
                                                    ("energy", "能源"), ("real_estate", "房地产业"), ("other", "其他")])),
            ("planned_start", date("计划开工日期")),
            ("info_true", checkbox("承诺所填信息真实、合法、完整")),
        ),
        faq=[("备案后项目信息变了怎么办？", "项目法人发生变化，项目建设地点、规模、内容发生重大变更，或者放弃项目建设的，应当通过在线平台及时告知备案机关，并修改相关信息。")],
        aliases=["项目备案", "投资备案", "立项备案", "项目代码"],
        result="项目备案证明（含项目代码）")


# --- bundles, life events, synonyms ---------------------------------------------------------------

def K(*keys):
    return [KEYS[k] for k in keys]


def bundles() -> list[dict]:
    return [
        {"code": "enterprise-opening", "name": "企业开办一件事", "audience": "enterprise", "lead_department": "market",
         "description": "设立登记、印章刻制、发票领用、社保和医保单位参保、住房公积金单位缴存登记，一表填报、一次提交，"
                        "1个工作日内办结，营业执照、印章、发票一次领取或免费邮寄。",
         "items": K("company_setup", "seal_filing", "invoice", "ss_unit", "mi_unit", "fund_unit")},
        {"code": "newborn", "name": "新生儿出生一件事", "audience": "personal", "lead_department": "health",
         "description": "出生医学证明、预防接种证、出生登记（落户）、城乡居民医保参保、社会保障卡申领和生育津贴，"
                        "父母在线一次申请，证件免费邮寄到家。",
         "items": K("birth_cert", "vaccination", "birth_reg", "mi_child", "ss_card_child", "maternity")},
        {"code": "second-hand-house", "name": "二手房转移登记及水电气过户一件事", "audience": "personal",
         "lead_department": "natural-resources",
         "description": "存量房网签备案、税费申报、不动产转移登记与水、电、燃气过户联动办理，买卖双方到现场一次，"
                        "登记完成后水电气过户自动完成。",
         "items": K("house_contract", "house_tax", "house_transfer", "water_transfer", "power_transfer", "gas_transfer")},
        {"code": "retirement", "name": "退休一件事", "audience": "personal", "lead_department": "hrss",
         "description": "职工退休申请、养老金待遇核定、退休人员医保待遇和住房公积金退休提取一次申请、并联办理。",
         "items": K("retire", "pension", "mi_retire", "fund_retire")},
        {"code": "sole-proprietor-opening", "name": "个体工商户开业一件事", "audience": "enterprise",
         "lead_department": "market",
         "description": "个体工商户登记、食品经营许可、公共场所卫生许可和发票领用一次申请，材料共享、一次核查。",
         "items": K("sole_setup", "food_licence", "hygiene_licence", "invoice")},
        {"code": "enterprise-closing", "name": "企业注销一件事", "audience": "enterprise", "lead_department": "market",
         "description": "清税申报、社保注销与简易注销登记一网申请、信息共享，公示期满后一次办结，不再分别跑税务和人社窗口。",
         "items": K("tax_dereg", "ss_unit_dereg", "company_dereg")},
        {"code": "after-death", "name": "身后一件事", "audience": "personal", "lead_department": "civil",
         "description": "死亡注销户口、基本殡葬服务费用减免、丧葬补助金和抚恤金申领、住房公积金提取，家属一次申请，"
                        "死亡和火化信息部门共享，不再反复开证明。",
         "items": K("death_dereg", "funeral_subsidy", "survivor_benefit", "fund_death")},
        {"code": "disability-services", "name": "残疾人服务一件事", "audience": "personal", "lead_department": "disabled",
         "description": "残疾人证新办、困难残疾人生活补贴和重度残疾人护理补贴、辅助器具适配补贴一次申请，"
                        "办证结果自动推送，补贴申请免填证号。",
         "items": K("disability_cert", "disability_subsidies", "assistive_device")},
    ]


def life_events() -> list[dict]:
    events = [
        ("birth", "出生", "personal", "孩子出生后要办的事：生育登记、出生医学证明、落户、医保、社保卡、预防接种、生育津贴。",
         ["birth_planning", "birth_cert", "vaccination", "birth_reg", "mi_child", "ss_card_child", "maternity"]),
        ("schooling", "上学", "personal", "义务教育入学报名、学生资助。", ["school_enrol", "student_aid"]),
        ("employment", "就业创业", "personal", "求职、失业、创业和职业资格：就业登记、失业保险金、创业担保贷款、健康证、执业注册。",
         ["employment_reg", "unemployment_benefit", "startup_loan", "health_cert", "no_crime", "teacher_qual",
          "physician_reg", "nurse_reg", "work_injury", "sole_setup", "legal_aid"]),
        ("marriage", "婚姻", "personal", "结婚登记、离婚登记、补领婚姻登记证。", ["marriage", "divorce", "marriage_reissue"]),
        ("housing", "安居", "personal", "买房、卖房、过户、公积金和公租房。",
         ["house_contract", "house_tax", "house_transfer", "mortgage_reg", "property_query", "water_transfer",
          "power_transfer", "gas_transfer", "fund_purchase", "fund_rent", "fund_loan", "public_rental", "hukou_move",
          "rural_plan"]),
        ("identity", "证件证明", "personal", "居民身份证、居住证、社会保障卡，无犯罪记录证明、纳税记录。",
         ["id_card", "id_card_lost", "residence_permit", "ss_card", "ss_card_reissue", "no_crime", "tax_record"]),
        ("farming", "务农", "personal", "种地补贴、农村建房。", ["farmland_subsidy", "rural_plan"]),
        ("medical", "就医", "personal", "异地就医备案、门诊慢特病、医疗费用报销。", ["remote_care", "chronic", "reimbursement"]),
        ("retirement", "退休养老", "personal", "退休审批、养老金、医保退休待遇、公积金提取、高龄津贴。",
         ["retire", "pension", "mi_retire", "fund_retire", "elderly_allowance"]),
        ("hardship", "困难救助", "personal", "低保、特困供养、临时救助、残疾人补贴和康复救助。",
         ["dibao", "tekun", "temp_aid", "disability_cert", "disability_subsidies", "child_rehab", "assistive_device"]),
        ("veterans", "退役军人", "personal", "退役士兵安置待遇和优待证。", ["veteran_subsidy", "preferential_card"]),
        ("after-death", "身后", "personal", "亲人去世后要办的事：注销户口、殡葬补贴、丧葬补助金和抚恤金、公积金提取。",
         ["death_dereg", "funeral_subsidy", "survivor_benefit", "fund_death"]),
        ("enterprise-opening", "企业开办", "enterprise", "设立登记及开业所需的各项手续。",
         ["company_setup", "sole_setup", "seal_filing", "invoice", "ss_unit", "mi_unit", "fund_unit", "social_org"]),
        ("permits", "准营", "enterprise", "开业前取得行业经营许可或备案。",
         ["food_licence", "food_record", "hygiene_licence", "drug_retail", "special_equipment", "medical_org",
          "hr_service_licence", "labour_dispatch", "freight_licence", "pesticide", "animal_epidemic", "entertainment",
          "performance", "hazchem", "fireworks", "private_kindergarten", "pollutant_permit"]),
        ("construction", "项目建设", "enterprise", "工程建设项目从立项、用地、规划、施工到竣工的审批。",
         ["investment_filing", "land_plan", "build_plan", "eia_approval", "water_permit", "soil_conservation",
          "construction_permit", "presale", "fire_acceptance", "completion_filing"]),
        ("operation", "经营发展", "enterprise", "变更登记、税务、用工和运输等经营期间的事项。",
         ["company_change", "general_taxpayer", "working_hours", "oversize", "ss_unit", "fund_unit"]),
        ("enterprise-closing", "企业注销", "enterprise", "注销登记及税务、社保注销。",
         ["tax_dereg", "ss_unit_dereg", "company_dereg"]),
    ]
    return [{"code": c, "name": n, "audience": a, "description": d, "order": i + 1, "items": K(*keys)}
            for i, (c, n, a, d, keys) in enumerate(events)]


def synonyms() -> list[dict]:
    """Catalogue synonyms; entries whose one-way source is in the shipped defaults keep the default
    targets first (the table is upserted by source)."""
    from yiwang.catalog.search import default_synonyms

    ours = [
        {"terms": ["营业执照", "执照"]},
        {"terms": ["医保", "医疗保障"]},
        {"terms": ["公积金", "住房公积金"]},
        {"terms": ["社保卡", "社会保障卡"]},
        {"terms": ["身份证", "居民身份证"]},
        {"from": "开公司", "to": ["企业开办", "设立登记"]},
        {"from": "生孩子", "to": ["出生", "新生儿"]},
        {"from": "健康证", "to": ["健康合格证明"]},
        {"from": "落户", "to": ["出生登记", "户口迁入"]},
        {"from": "开饭店", "to": ["食品经营许可"]},
        {"from": "身份证", "to": ["居民身份证"]},
    ]
    defaults = {e["from"]: e["to"] for e in default_synonyms() if "from" in e}
    out = []
    for entry in ours:
        if "from" in entry and entry["from"] in defaults:
            entry = {"from": entry["from"], "to": list(dict.fromkeys([*defaults[entry["from"]], *entry["to"]]))}
        out.append(entry)
    return out


# --- emit ----------------------------------------------------------------------------------------

SECTIONS = [approval_items, market_items, police_items, civil_items, hrss_items, medical_items, health_items,
            housing_items, natural_resources_items, tax_items, housing_fund_items, education_items, transport_items,
            environment_items, water_items, agriculture_items, culture_items, emergency_items, veterans_items,
            justice_items, disabled_items]


def _themes() -> list[dict]:
    from django.utils import translation

    from yiwang.portal.themes import ENTERPRISE_THEMES, PERSONAL_THEMES

    with translation.override("zh-hans"):
        return [{"code": t.code, "name": str(t.label), "audience": t.audience, "order": n + 1}
                for group_ in (PERSONAL_THEMES, ENTERPRISE_THEMES) for n, t in enumerate(group_)]


def _self_check(doc: dict) -> None:
    """Fail fast on what the importer would refuse (the test suite runs the importer itself)."""
    from yiwang.catalog import formschema

    codes_ = [i["code"] for i in doc["items"]]
    assert len(codes_) == len(set(codes_)), "duplicate item codes"
    theme_codes = {t["code"] for t in doc["themes"]}
    problems = []
    for item in doc["items"]:
        v = item["versions"][0]
        errs = formschema.check_schema(v["form"]["schema"], v["form"]["ui"])
        if errs:
            problems.append(f"{v['name']}: form {errs}")
        mcodes = [m["code"] for m in v["materials"]]
        if len(mcodes) != len(set(mcodes)):
            problems.append(f"{v['name']}: duplicate material codes")
        if set(v["themes"]) - theme_codes:
            problems.append(f"{v['name']}: unknown themes {set(v['themes']) - theme_codes}")
        if v["visits"] and not v["visits_reason"]:
            problems.append(f"{v['name']}: visits without reason")
        if set(v["online_depth"]) & {"5", "6", "7"} and v["visits"]:
            problems.append(f"{v['name']}: fully online but visits > 0")
        if (v["case_type"] == "1") != (v["promised_limit"]["value"] == 0):
            problems.append(f"{v['name']}: 即办件 ⇔ promised 0")
        if v["process_template"] == "joint" and not v["joint_departments"]:
            problems.append(f"{v['name']}: joint without joint departments")
        for m in v["materials"]:
            if m["source"] == "certificate" and not m["certificate_type"]:
                problems.append(f"{v['name']}: {m['name']} certificate without type")
            if m["source"] == "sharing" and m["sharing_resource"] not in SHARE:
                problems.append(f"{v['name']}: {m['name']} unknown sharing resource")
    if problems:
        raise SystemExit("catalogue problems:\n  " + "\n  ".join(problems))


def build() -> dict:
    DEPTS.update(_department_directory())
    for section in SECTIONS:
        section()
    doc = {
        "format": "yiwang-catalog/1",
        "themes": _themes(),
        "base_items": BASES,
        "items": ITEMS,
        "life_events": life_events(),
        "bundles": bundles(),
        "synonyms": synonyms(),
    }
    _self_check(doc)
    return doc


HEADER = """\
# 兖州区（370812）演示事项目录 — demo service catalogue of 山东省济宁市兖州区.
# GENERATED by src/yiwang/catalog/data/build_demo_catalog.py; edit the script, not this file.
# Laws, time limits and fee standards are real; 基本编码, 实施编码 (built on demo department USCCs),
# 承诺时限, windows, telephone numbers, certificate-type and data-sharing codes are demo data.
"""


def _dump(doc: dict) -> str:
    """YAML with multi-line text (受理条件, 简介) as literal blocks, so the file reads like the guide."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text_block(dumper, value):
        style = "|" if "\n" in value and not value.endswith((" ", "\n")) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text_block)
    return yaml.dump(doc, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)


def main() -> None:
    import yaml

    doc = build()
    text = _dump(doc)
    if yaml.safe_load(text) != doc:  # the block style must not change a value
        raise SystemExit("YAML round trip changed the catalogue")
    OUTPUT.write_text(HEADER + text, encoding="utf-8")
    depts = {i["department"] for i in ITEMS}
    print(f"wrote {OUTPUT.name}: {len(ITEMS)} items, {len(depts)} departments, {len(doc['bundles'])} bundles, "
          f"{len(doc['life_events'])} life events")


if __name__ == "__main__":
    main()
