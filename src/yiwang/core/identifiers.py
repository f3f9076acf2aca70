"""National identifiers (DESIGN §4.10, §4.8): 身份证号, 统一社会信用代码, 组织机构代码, 行政区划代码,
电子证照标识 (GB/T 36904) with its ISO/IEC 7064 MOD 37,36 check character.

Plain functions so forms, the API, importers and demo-data generators share one implementation.
Every failure raises :class:`IdentifierError` whose message is Chinese and says what is wrong, so
callers can show it to the applicant unchanged.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

SHANGHAI = ZoneInfo("Asia/Shanghai")


class IdentifierError(ValueError):
    """An identifier failed validation; ``message`` (and ``str(exc)``) is the Chinese reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _normalise(value: object) -> str:
    """Full-width digits/letters and stray spaces are common when people paste; fold them."""
    if value is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


# GB/T 2260 province-level codes. 71 台湾, 81 香港, 82 澳门 appear in GB/T 2260; 83 is the address
# code of 台湾居民居住证 numbers, which follow GB 11643 as well.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)

# ---------------------------------------------------------------------------------------------
# 居民身份证号 GB 11643-1999
# ---------------------------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# Earliest birth year we accept: IDs were issued from 1984, to people born as early as the 1880s
# (the standard's own example is 440524188001010014).
MIN_BIRTH_YEAR = 1850


@dataclass(frozen=True)
class IdNumberInfo:
    number18: str
    birth_date: dt.date
    sex: str  # "M" / "F"
    region_code: str

    @property
    def sex_label(self) -> str:
        return "男" if self.sex == "M" else "女"


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character (MOD 11-2) of the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdentifierError("身份证号本体码应为17位数字。")
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def _birth_date(yyyymmdd: str, today: dt.date) -> dt.date:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        raise IdentifierError(f"身份证号中的出生日期 {yyyymmdd} 不是有效日期。") from None
    if born.year < MIN_BIRTH_YEAR:
        raise IdentifierError(f"身份证号中的出生日期 {yyyymmdd} 不合理。")
    if born > today:
        raise IdentifierError(f"身份证号中的出生日期 {yyyymmdd} 晚于今天。")
    return born


def _id_region(code: str) -> str:
    # The address code is where the number was first issued and may be a retired code, so only
    # the province prefix is checked — never against a current region table or the birth date.
    if code[:2] not in PROVINCE_CODES:
        raise IdentifierError(f"身份证号前6位地址码 {code} 无效（省级代码 {code[:2]} 不存在）。")
    return code


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Validate a 18-digit (or legacy 15-digit) 身份证号 and return its 18-digit form and facts."""
    number = _normalise(value)
    today = today or dt.datetime.now(SHANGHAI).date()
    if not number:
        raise IdentifierError("请填写身份证号。")
    if len(number) == 15:
        if not number.isascii() or not number.isdigit():
            raise IdentifierError("15位身份证号只能由数字组成。")
        region = _id_region(number[:6])
        born = _birth_date("19" + number[6:12], today)
        first17 = number[:6] + "19" + number[6:]
        number18 = first17 + id_check_digit(first17)
    elif len(number) == 18:
        if (
            not number.isascii()
            or not number[:17].isdigit()
            or not (number[17].isdigit() or number[17] == "X")
        ):
            raise IdentifierError("身份证号只能由数字组成，最后一位可以是X。")
        region = _id_region(number[:6])
        born = _birth_date(number[6:14], today)
        if id_check_digit(number[:17]) != number[17]:
            raise IdentifierError("身份证号校验码错误，请核对后重新输入。")
        number18 = number
    else:
        raise IdentifierError(f"身份证号应为18位（旧版为15位），当前为{len(number)}位。")
    sex = "M" if int(number18[16]) % 2 == 1 else "F"
    return IdNumberInfo(number18=number18, birth_date=born, sex=sex, region_code=region)


def is_valid_id_number(value: str) -> bool:
    try:
        parse_id_number(value)
    except IdentifierError:
        return False
    return True


def upgrade_id_number(number15: str) -> str:
    """The 18-digit form of a legacy 15-digit number (validated)."""
    if len(_normalise(number15)) != 15:
        raise IdentifierError("旧版身份证号应为15位。")
    return parse_id_number(number15).number18


# ---------------------------------------------------------------------------------------------
# 组织机构代码 GB 11714-1997
# ---------------------------------------------------------------------------------------------

ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character of the 8-character body: 11 − sum mod 11, 10 → X, 11 → 0."""
    if len(first8) != 8 or any(c not in ORG_CODE_CHARS for c in first8):
        raise IdentifierError("组织机构代码本体应为8位数字或大写字母。")
    total = sum(ORG_CODE_CHARS.index(c) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def parse_org_code(value: str) -> str:
    """Validate a 组织机构代码 (``12345678-9`` or ``123456789``) and return the 9-character form."""
    code = _normalise(value).replace("-", "")
    if not code:
        raise IdentifierError("请填写组织机构代码。")
    if len(code) != 9:
        raise IdentifierError("组织机构代码应为9位（8位本体码和1位校验码）。")
    if any(c not in ORG_CODE_CHARS for c in code[:8]) or not (code[8].isdigit() or code[8] == "X"):
        raise IdentifierError("组织机构代码含有不允许的字符。")
    if org_code_check_char(code[:8]) != code[8]:
        raise IdentifierError("组织机构代码校验码错误。")
    return code


def is_valid_org_code(value: str) -> bool:
    try:
        parse_org_code(value)
    except IdentifierError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# 统一社会信用代码 GB 32100-2015
# ---------------------------------------------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I O S V Z
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# 登记管理部门代码 → (name, {机构类别代码: name}); GB 32100 table 1 plus the codes assigned since.
USCC_REGISTRATION_DEPTS: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}


@dataclass(frozen=True)
class UsccInfo:
    code: str
    registration_dept: str
    registration_dept_name: str
    org_category: str
    org_category_name: str
    region_code: str
    org_code: str  # the embedded 9-character 组织机构代码


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character: (31 − Σ value·3^i mod 31) mod 31."""
    if len(first17) != 17 or any(c not in USCC_CHARS for c in first17):
        raise IdentifierError("统一社会信用代码本体应为17位（数字或除I、O、S、V、Z外的大写字母）。")
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def parse_uscc(value: str) -> UsccInfo:
    """Validate a 统一社会信用代码 and split it into its parts."""
    code = _normalise(value)
    if not code:
        raise IdentifierError("请填写统一社会信用代码。")
    if len(code) != 18:
        raise IdentifierError(f"统一社会信用代码应为18位，当前为{len(code)}位。")
    bad = sorted({c for c in code if c not in USCC_CHARS})
    if bad:
        raise IdentifierError(
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（只用数字和除I、O、S、V、Z外的大写字母）。"
        )
    dept = USCC_REGISTRATION_DEPTS.get(code[0])
    if dept is None:
        raise IdentifierError(f"统一社会信用代码第1位（登记管理部门代码）{code[0]} 无效。")
    dept_name, categories = dept
    if code[1] not in categories:
        raise IdentifierError(
            f"统一社会信用代码第2位（机构类别代码）{code[1]} 对登记管理部门“{dept_name}”无效。"
        )
    region = code[2:8]
    if not region.isdigit():
        raise IdentifierError("统一社会信用代码第3至8位（登记管理机关行政区划码）应为6位数字。")
    org = code[8:17]
    if org_code_check_char(org[:8]) != org[8]:
        raise IdentifierError("统一社会信用代码第9至17位（组织机构代码）的校验码错误。")
    if uscc_check_char(code[:17]) != code[17]:
        raise IdentifierError("统一社会信用代码校验码（第18位）错误，请核对后重新输入。")
    return UsccInfo(
        code=code,
        registration_dept=code[0],
        registration_dept_name=dept_name,
        org_category=code[1],
        org_category_name=categories[code[1]],
        region_code=region,
        org_code=org,
    )


def is_valid_uscc(value: str) -> bool:
    try:
        parse_uscc(value)
    except IdentifierError:
        return False
    return True


def make_uscc(registration_dept: str, org_category: str, region6: str, org_body8: str) -> str:
    """Build a valid USCC (both check characters computed) — for demo data and tests."""
    first17 = f"{registration_dept}{org_category}{region6}{org_body8}"
    if len(region6) != 6 or not region6.isdigit():
        raise IdentifierError("登记管理机关行政区划码应为6位数字。")
    if len(org_body8) != 8 or any(c not in USCC_CHARS for c in org_body8):
        raise IdentifierError("组织机构代码本体应为8位（数字或除I、O、S、V、Z外的大写字母）。")
    first17 += org_code_check_char(org_body8)
    code = first17 + uscc_check_char(first17)
    parse_uscc(code)  # rejects an unknown department/category pair
    return code


# ---------------------------------------------------------------------------------------------
# 电子证照标识 GB/T 36904-2018 and its ISO/IEC 7064 MOD 37,36 check character
# ---------------------------------------------------------------------------------------------

MOD37_36_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CERTIFICATE_OID_PREFIX = "1.2.156.3005.2."
_CERT_PART = {"type_code": ("证照类型代码", 32), "serial": ("流水号", 32)}


def _mod37_36_state(payload: str) -> int:
    """The hybrid system's running product after ``payload`` (ISO/IEC 7064, M = 36)."""
    p = 36
    for c in payload:
        s = (p + MOD37_36_CHARS.index(c)) % 36 or 36
        p = (s * 2) % 37
    return p


def mod37_36_check_char(payload: str) -> str:
    """ISO/IEC 7064 MOD 37,36 check character for a string of digits and capital letters: it
    catches every single wrong character and all but a fraction of a percent of swaps of two
    adjacent ones."""
    if not payload or any(c not in MOD37_36_CHARS for c in payload):
        raise IdentifierError("校验位只能对数字和大写字母组成的非空字符串计算。")
    return MOD37_36_CHARS[(37 - _mod37_36_state(payload)) % 36]


def is_valid_mod37_36(value: str) -> bool:
    """True when the last character is the MOD 37,36 check character of the rest."""
    if len(value) < 2 or any(c not in MOD37_36_CHARS for c in value):
        return False
    return (_mod37_36_state(value[:-1]) + MOD37_36_CHARS.index(value[-1])) % 36 == 1


@dataclass(frozen=True)
class CertificateIdentifier:
    type_code: str
    issuer_uscc: str
    serial: str
    version: str  # 3 digits
    check: str

    def __str__(self) -> str:
        return f"{CERTIFICATE_OID_PREFIX}{self.type_code}.{self.issuer_uscc}.{self.serial}.{self.version}.{self.check}"


def _cert_part(name: str, value: str) -> str:
    label, limit = _CERT_PART[name]
    if not value or len(value) > limit or any(c not in MOD37_36_CHARS for c in value):
        raise IdentifierError(f"{label}应为1至{limit}位数字或大写字母。")
    return value


def _cert_version(value: str) -> str:
    if len(value) != 3 or not value.isdigit():
        raise IdentifierError("版本号应为3位数字（如 001）。")
    return value


def make_certificate_identifier(type_code: str, issuer_uscc: str, serial: str, version: int | str = 1) -> str:
    """``1.2.156.3005.2.<类型代码>.<颁发机构USCC>.<流水号>.<版本号>.<校验位>`` (GB/T 36904): the
    check character covers 类型代码 + 颁发机构代码 + 流水号 + 版本号 without the prefix and dots."""
    type_code = _cert_part("type_code", _normalise(type_code))
    issuer = parse_uscc(issuer_uscc).code
    serial = _cert_part("serial", _normalise(serial))
    version = _cert_version(f"{int(version):03d}" if isinstance(version, int) else _normalise(version))
    check = mod37_36_check_char(type_code + issuer + serial + version)
    return str(CertificateIdentifier(type_code, issuer, serial, version, check))


def parse_certificate_identifier(value: str) -> CertificateIdentifier:
    """Validate an electronic-certificate identifier and split it into its parts."""
    text = _normalise(value)
    if not text:
        raise IdentifierError("请填写电子证照标识。")
    if not text.startswith(CERTIFICATE_OID_PREFIX):
        raise IdentifierError(f"电子证照标识应以 {CERTIFICATE_OID_PREFIX} 开头。")
    parts = text[len(CERTIFICATE_OID_PREFIX):].split(".")
    if len(parts) != 5:
        raise IdentifierError("电子证照标识应由证照类型代码、颁发机构代码、流水号、版本号和校验位五段组成，以“.”分隔。")
    type_code, issuer, serial, version, check = parts
    type_code, serial = _cert_part("type_code", type_code), _cert_part("serial", serial)
    issuer = parse_uscc(issuer).code
    version = _cert_version(version)
    if len(check) != 1 or check not in MOD37_36_CHARS:
        raise IdentifierError("校验位应为1位数字或大写字母。")
    if mod37_36_check_char(type_code + issuer + serial + version) != check:
        raise IdentifierError("电子证照标识校验位错误，标识可能被篡改或输错。")
    return CertificateIdentifier(type_code, issuer, serial, version, check)


def is_valid_certificate_identifier(value: str) -> bool:
    try:
        parse_certificate_identifier(value)
    except IdentifierError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# 行政区划代码 GB/T 2260 (6 digits) and the statistical 12-digit codes (+ township, village)
# ---------------------------------------------------------------------------------------------

REGION_LEVELS = {1: "省级", 2: "地级", 3: "县级", 4: "乡级", 5: "村级"}


@dataclass(frozen=True)
class RegionCodeInfo:
    code: str
    level: int  # 1 province, 2 prefecture, 3 county, 4 township, 5 village
    parent: str | None  # same width as ``code``; None for a province

    @property
    def level_name(self) -> str:
        return REGION_LEVELS[self.level]

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0" * (len(self.code) - 2)


def parse_region_code(code: str) -> RegionCodeInfo:
    """Level and parent of a 6- or 12-digit region code; no lookup, since codes retire and return."""
    value = _normalise(code)
    if len(value) not in (6, 12) or not value.isascii() or not value.isdigit():
        raise IdentifierError("行政区划代码应为6位数字（统计用区划代码为12位）。")
    if value[:2] not in PROVINCE_CODES:
        raise IdentifierError(f"行政区划代码 {value} 的省级代码 {value[:2]} 不存在。")
    width = len(value)
    city, county = value[2:4], value[4:6]
    town, village = value[6:9], value[9:12]
    if city == "00" and county != "00":
        raise IdentifierError(f"行政区划代码 {value} 无效：地级代码为00时县级代码也应为00。")
    if town == "000" and village not in ("", "000"):
        raise IdentifierError(f"行政区划代码 {value} 无效：乡级代码为000时村级代码也应为000。")
    if town and town != "000" and county == "00":
        raise IdentifierError(f"行政区划代码 {value} 无效：乡级单位必须隶属于县级单位。")

    def pad(prefix: str) -> str:
        return prefix + "0" * (width - len(prefix))

    if village and village != "000":
        return RegionCodeInfo(value, 5, pad(value[:9]))
    if town and town != "000":
        return RegionCodeInfo(value, 4, pad(value[:6]))
    if county != "00":
        return RegionCodeInfo(value, 3, pad(value[:4]))
    if city != "00":
        return RegionCodeInfo(value, 2, pad(value[:2]))
    return RegionCodeInfo(value, 1, None)


# ---------------------------------------------------------------------------------------------
# Django validators
# ---------------------------------------------------------------------------------------------


def validate_id_number(value: str) -> None:
    """Form/model validator: raises ``ValidationError`` with the Chinese reason."""
    try:
        parse_id_number(value)
    except IdentifierError as exc:
        raise ValidationError(exc.message, code="invalid_id_number") from exc


def validate_uscc(value: str) -> None:
    """Form/model validator: raises ``ValidationError`` with the Chinese reason."""
    try:
        parse_uscc(value)
    except IdentifierError as exc:
        raise ValidationError(exc.message, code="invalid_uscc") from exc
