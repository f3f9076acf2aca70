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
            ("supervisor_name", text("监事姓名", 50, help="规模较小或股东人数较少的公司，经全体股东一致同意，可以不设监事")),
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

    add("id_card", "police", "002001", "居民身份证申领、换领", base_name="居民身份证申领换领补领",
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

    add("id_card_lost", "police", "002002", "居民身份证补领", base_name="居民身份证申领换领补领",
        base_basis="《中华人民共和国居民身份证法》",
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

    add("ss_card_child", "hrss", "003002", "新生儿社会保障卡申领", base_name="社会保障卡申领",
        base_basis="《中华人民共和国社会保险法》第五十八条",
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

    add("fund_retire", "housing-fund", "002003", "住房公积金提取（离休、退休）", base_name="住房公积金提取",
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
    ]


def life_events() -> list[dict]:
    events = [
        ("birth", "出生", "personal", "孩子出生后要办的事：出生医学证明、落户、医保、社保卡、预防接种、生育津贴。",
         ["birth_cert", "vaccination", "birth_reg", "mi_child", "ss_card_child", "maternity"]),
        ("marriage", "结婚", "personal", "结婚登记及婚后相关事项。", ["marriage"]),
        ("employment", "就业", "personal", "求职、入职和创业需要办的事。", ["no_crime", "sole_setup"]),
        ("housing", "住房", "personal", "买房、卖房、过户和住房公积金。",
         ["house_contract", "house_tax", "house_transfer", "water_transfer", "power_transfer", "gas_transfer"]),
        ("retirement", "退休", "personal", "退休审批、养老金、医保退休待遇、公积金提取。",
         ["retire", "pension", "mi_retire", "fund_retire"]),
        ("identity", "证件办理", "personal", "居民身份证申领、换领、补领，无犯罪记录证明。", ["id_card", "id_card_lost", "no_crime"]),
        ("enterprise-opening", "企业开办", "enterprise", "设立登记及开业所需的各项手续。",
         ["company_setup", "sole_setup", "seal_filing", "invoice", "ss_unit", "mi_unit", "fund_unit"]),
        ("permits", "准营", "enterprise", "开业前取得行业经营许可。", ["food_licence", "hygiene_licence"]),
        ("construction", "项目建设", "enterprise", "工程建设项目从立项到竣工的审批。", ["construction_permit"]),
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

SECTIONS = [market_items, police_items, civil_items, hrss_items, medical_items, health_items, housing_items,
            natural_resources_items, tax_items, housing_fund_items, water_items]


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


def main() -> None:
    import yaml

    doc = build()
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
    OUTPUT.write_text(HEADER + text, encoding="utf-8")
    depts = {i["department"] for i in ITEMS}
    print(f"wrote {OUTPUT.name}: {len(ITEMS)} items, {len(depts)} departments, {len(doc['bundles'])} bundles, "
          f"{len(doc['life_events'])} life events")


if __name__ == "__main__":
    main()
