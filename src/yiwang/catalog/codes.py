"""National codes of DESIGN §4.1 (GB/T 39046-2020), as data: stable string codes + Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    LICENSING = "01", _("行政许可")
    PENALTY = "02", _("行政处罚")
    COERCION = "03", _("行政强制")
    LEVY = "04", _("行政征收")
    BENEFIT = "05", _("行政给付")
    INSPECTION = "06", _("行政检查")
    CONFIRMATION = "07", _("行政确认")
    REWARD = "08", _("行政奖励")
    ADJUDICATION = "09", _("行政裁决")
    OTHER_POWER = "10", _("其他行政权力")
    PUBLIC_SERVICE = "20", _("公共服务")


# Items a person applies for (the others are exercised by the authority on its own motion).
ON_APPLICATION_TYPES = {"01", "05", "07", "08", "09", "10", "20"}


class ExerciseLevel(models.TextChoices):
    NATIONAL = "1", _("国家级")
    PROVINCE = "2", _("省级")
    CITY = "3", _("市级")
    COUNTY = "4", _("县级")
    TOWNSHIP = "5", _("乡镇/街道级")
    VILLAGE = "6", _("村/社区级")
    TIERED = "7", _("分级管理")


class SubjectNature(models.TextChoices):
    STATUTORY = "1", _("法定机关")
    AUTHORISED = "2", _("授权组织")
    ENTRUSTED = "3", _("受委托组织")
    OTHER = "9", _("其他")


class CaseType(models.TextChoices):
    INSTANT = "1", _("即办件")
    PROMISED = "2", _("承诺件")


class LimitUnit(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    NATURAL_DAY = "natural_day", _("自然日")


class Audience(models.TextChoices):
    NATURAL_PERSON = "1", _("自然人")
    ENTERPRISE = "2", _("企业法人")
    INSTITUTION = "3", _("事业法人")
    SOCIAL_ORG = "4", _("社会组织法人")
    AGENCY = "5", _("行政机关")
    OTHER_ORG = "6", _("其他组织")


PERSONAL_AUDIENCES = {"1"}
LEGAL_PERSON_AUDIENCES = {"2", "3", "4", "5", "6"}


class HandlingForm(models.TextChoices):
    WINDOW = "1", _("窗口办理")
    ONLINE = "2", _("网上办理")
    MOBILE = "3", _("移动端办理")
    EXPRESS = "4", _("快递申请")


class TongbanScope(models.TextChoices):
    NATIONAL = "national", _("全国通办")
    CROSS_PROVINCE = "cross_province", _("跨省通办")
    CROSS_CITY = "cross_city", _("省内跨市通办")
    CROSS_COUNTY = "cross_county", _("市内跨县通办")
    NONE = "none", _("无")


class OnlineDepth(models.TextChoices):
    CONSULT = "1", _("互联网咨询")
    RECEIVE = "2", _("收件")
    PRE_REVIEW = "3", _("预审")
    ACCEPT = "4", _("受理")
    HANDLE = "5", _("办理")
    RESULT = "6", _("结果反馈")
    CERTIFICATE = "7", _("电子证照反馈")


class AcceptedAt(models.TextChoices):
    CENTRE = "centre", _("政务服务中心综合窗口")
    DEPARTMENT = "department", _("部门窗口")


class ProcessTemplate(models.TextChoices):
    INSTANT = "instant", _("即办件（窗口即办）")
    PROMISED = "promised", _("承诺件（承办→审核→批准）")
    JOINT = "joint", _("联审（多部门并联审查→决定）")


class MaterialForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    BOTH = "both", _("纸质和电子")


class Necessity(models.TextChoices):
    REQUIRED = "required", _("必要")
    OPTIONAL = "optional", _("非必要")
    DEFERRABLE = "deferrable", _("容缺后补")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    GOVERNMENT_ISSUED = "government_issued", _("政府部门核发")
    CERTIFICATE = "certificate", _("证照库")
    SHARING = "sharing", _("数据共享")


def online_depth_level(depths) -> int:
    """网上办理深度 → level 1–4: Ⅳ 全程网办 (any of 5–7), Ⅲ 预审/受理, Ⅱ 收件, Ⅰ 咨询 only."""
    values = {str(d) for d in depths or []}
    if values & {"5", "6", "7"}:
        return 4
    if values & {"3", "4"}:
        return 3
    if "2" in values:
        return 2
    return 1


def is_online_capable(depths) -> bool:
    """网上可办: any depth from 2 to 7."""
    return bool({str(d) for d in depths or []} & {"2", "3", "4", "5", "6", "7"})
