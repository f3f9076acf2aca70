"""The standard service themes (服务主题) of the portal, for natural persons and legal persons.

These are the headings under which the service catalogue lists its items; codes are stable English
identifiers (the catalogue stores a theme by its code), labels are Chinese source strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Theme:
    code: str
    audience: str  # "personal" (个人服务) or "enterprise" (法人服务)
    label: str | Promise
    summary: str | Promise

    @property
    def anchor(self) -> str:
        return f"theme-{self.code}"


PERSONAL = "personal"
ENTERPRISE = "enterprise"

PERSONAL_THEMES: tuple[Theme, ...] = (
    Theme(
        "birth_adoption", PERSONAL, _("生育收养"), _("生育登记、出生医学证明、新生儿落户与参保、收养登记。")
    ),
    Theme(
        "household", PERSONAL, _("户籍办理"), _("出生、迁入迁出、户口登记项目变更、居民身份证申领与换领。")
    ),
    Theme("marriage", PERSONAL, _("婚姻登记"), _("结婚登记、离婚登记、补领婚姻登记证、婚姻状况证明。")),
    Theme(
        "social_security",
        PERSONAL,
        _("社会保障"),
        _("养老、医疗、失业、工伤保险的参保登记、缴费、转移接续与待遇领取。"),
    ),
    Theme(
        "employment",
        PERSONAL,
        _("就业创业"),
        _("求职登记、就业困难人员认定、创业担保贷款、职业技能培训补贴。"),
    ),
    Theme("housing", PERSONAL, _("住房保障"), _("公租房申请、住房公积金缴存提取与贷款、不动产登记。")),
    Theme("education", PERSONAL, _("教育"), _("义务教育入学、学籍与转学、学生资助、教师资格认定。")),
    Theme("health", PERSONAL, _("医疗卫生"), _("医保报销、异地就医备案、门诊慢特病认定、预防接种。")),
    Theme("elderly_care", PERSONAL, _("养老服务"), _("高龄津贴、养老服务补贴、特困人员供养、老年人优待。")),
    Theme("disability", PERSONAL, _("残疾人服务"), _("残疾人证办理、两项补贴、辅助器具适配、康复救助。")),
)

ENTERPRISE_THEMES: tuple[Theme, ...] = (
    Theme(
        "establishment",
        ENTERPRISE,
        _("设立变更"),
        _("企业、个体工商户、农民专业合作社的设立登记、变更登记与备案。"),
    ),
    Theme("permits", ENTERPRISE, _("准营准办"), _("食品经营、药品经营、道路运输、卫生许可等行业经营许可。")),
    Theme("tax_finance", ENTERPRISE, _("税收财务"), _("税务登记信息确认、发票申领、纳税申报、社保费缴纳。")),
    Theme(
        "construction",
        ENTERPRISE,
        _("工程建设"),
        _("建设用地规划许可、建设工程规划许可、施工许可、竣工验收备案。"),
    ),
    Theme(
        "human_resources",
        ENTERPRISE,
        _("人力资源"),
        _("用工登记、社会保险单位参保、劳动合同与工资支付、职称评审。"),
    ),
    Theme(
        "deregistration", ENTERPRISE, _("注销歇业"), _("简易注销、一般注销、歇业备案及相关税务、社保清算。")
    ),
)

ALL_THEMES: tuple[Theme, ...] = PERSONAL_THEMES + ENTERPRISE_THEMES


def search_themes(q: str) -> list[Theme]:
    """Themes whose label or summary (in the active language) contains every term of ``q``."""
    terms = [t.lower() for t in (q or "").split() if t]
    if not terms:
        return []
    found = []
    for theme in ALL_THEMES:
        text = f"{theme.label} {theme.summary}".lower()
        if all(term in text for term in terms):
            found.append(theme)
    return found
