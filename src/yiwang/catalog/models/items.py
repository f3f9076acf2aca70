"""Base items (基本目录), implementing items (实施清单) and their immutable published versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.catalog import codes
from yiwang.org.models import Department, Region


class BaseItem(models.Model):
    """基本目录: the item as the law defines it, shared by every region that implements it."""

    basic_code = models.CharField(_("基本编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    item_type = models.CharField(_("事项类型"), max_length=2, choices=codes.ItemType.choices)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    legal_limit_value = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    legal_limit_unit = models.CharField(_("法定时限单位"), max_length=12, choices=codes.LimitUnit.choices,
                                        default=codes.LimitUnit.WORKDAY)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["basic_code"]
        verbose_name = _("基本目录事项")
        verbose_name_plural = _("基本目录事项")

    def __str__(self) -> str:
        return f"{self.basic_code} {self.name}"


class ServiceItem(models.Model):
    """实施清单: a base item implemented by one department in one region. Its content lives in
    versions; ``current`` points at the published one that citizens see."""

    code = models.CharField(_("实施编码"), max_length=40, unique=True)
    base = models.ForeignKey(BaseItem, on_delete=models.PROTECT, related_name="implementations",
                             verbose_name=_("基本目录事项"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="service_items",
                                   verbose_name=_("实施主体"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="service_items", verbose_name=_("区划"))
    current = models.ForeignKey("ItemVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("现行版本"))
    popularity = models.PositiveIntegerField(_("热度"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("实施清单事项")
        verbose_name_plural = _("实施清单事项")

    def __str__(self) -> str:
        name = self.current.name if self.current_id else self.base.name
        return f"{name}（{self.code}）"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本替代")
    WITHDRAWN = "withdrawn", _("已撤回")


# Allowed transitions, as data (DESIGN §3). A published version never changes its content; it
# only becomes superseded (a newer version was published) or withdrawn (the item is withdrawn).
VERSION_TRANSITIONS: dict[str, set[str]] = {
    VersionStatus.DRAFT: {VersionStatus.IN_REVIEW},
    VersionStatus.IN_REVIEW: {VersionStatus.DRAFT, VersionStatus.PUBLISHED},
    VersionStatus.PUBLISHED: {VersionStatus.SUPERSEDED, VersionStatus.WITHDRAWN},
    VersionStatus.SUPERSEDED: set(),
    VersionStatus.WITHDRAWN: set(),
}
EDITABLE_STATUSES = {VersionStatus.DRAFT}


class ItemVersion(models.Model):
    """One version of an implementing item with every element of GB/T 39046 (DESIGN §4.1)."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)

    # identity and legal frame
    name = models.CharField(_("事项名称"), max_length=200)
    item_type = models.CharField(_("事项类型"), max_length=2, choices=codes.ItemType.choices)
    exercise_level = models.CharField(_("行使层级"), max_length=1, choices=codes.ExerciseLevel.choices,
                                      default=codes.ExerciseLevel.COUNTY)
    subject_nature = models.CharField(_("实施主体性质"), max_length=1, choices=codes.SubjectNature.choices,
                                      default=codes.SubjectNature.STATUTORY)
    undertaking_org = models.CharField(_("承办机构"), max_length=200, blank=True)
    joint_departments = models.ManyToManyField(Department, blank=True, related_name="joint_item_versions",
                                               verbose_name=_("联办机构"))
    legal_basis = models.TextField(_("设定依据"), blank=True)
    conditions = models.TextField(_("受理条件"), blank=True)
    process_steps = models.JSONField(_("办理流程"), default=list, blank=True)  # [{"name", "description"}]

    # time limits (legal and promised), case type, visits
    legal_limit_value = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    legal_limit_unit = models.CharField(_("法定时限单位"), max_length=12, choices=codes.LimitUnit.choices,
                                        default=codes.LimitUnit.WORKDAY)
    promised_limit_value = models.PositiveIntegerField(_("承诺办结时限"), default=0)
    promised_limit_unit = models.CharField(_("承诺时限单位"), max_length=12, choices=codes.LimitUnit.choices,
                                           default=codes.LimitUnit.WORKDAY)
    case_type = models.CharField(_("办件类型"), max_length=1, choices=codes.CaseType.choices)
    visits = models.PositiveSmallIntegerField(_("到办事现场次数"), default=0)
    visits_reason = models.CharField(_("必须现场办理原因"), max_length=300, blank=True)

    # fees
    charges = models.BooleanField(_("是否收费"), default=False)

    # service
    audiences = models.JSONField(_("服务对象"), default=list)  # ["1", "2", …]
    handling_forms = models.JSONField(_("办理形式"), default=list)  # ["1", "2", …]
    online_depth = models.JSONField(_("网上办理深度"), default=list)  # ["1", …, "7"]
    tongban_scope = models.CharField(_("通办范围"), max_length=20, choices=codes.TongbanScope.choices,
                                     default=codes.TongbanScope.NONE)
    supports_appointment = models.BooleanField(_("支持预约办理"), default=False)
    supports_online_payment = models.BooleanField(_("支持网上支付"), default=False)
    supports_delivery = models.BooleanField(_("支持物流快递"), default=False)
    accepted_at = models.CharField(_("受理机构"), max_length=12, choices=codes.AcceptedAt.choices,
                                   default=codes.AcceptedAt.CENTRE)
    place = models.CharField(_("办理地点"), max_length=300, blank=True)
    window = models.CharField(_("办理窗口"), max_length=100, blank=True)
    hours = models.CharField(_("办理时间"), max_length=300, blank=True)
    consult_phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    supervise_phone = models.CharField(_("监督电话"), max_length=60, blank=True)

    # result and process
    result_name = models.CharField(_("结果名称"), max_length=200, blank=True)
    result_sample = models.FileField(_("结果样本"), upload_to="catalog/results/", blank=True)
    certificate_type = models.CharField(_("证照类型代码"), max_length=40, blank=True)
    process_template = models.CharField(_("审批流程模板"), max_length=10, choices=codes.ProcessTemplate.choices,
                                        default=codes.ProcessTemplate.PROMISED)
    faq = models.JSONField(_("常见问题"), default=list, blank=True)  # [{"q", "a"}]
    aliases = models.JSONField(_("俗称与别名"), default=list, blank=True)  # words residents use, for search
    summary = models.TextField(_("事项简介"), blank=True)
    themes = models.ManyToManyField("Theme", blank=True, related_name="item_versions", verbose_name=_("服务主题"))

    # the application form: plain JSON Schema (draft 2020-12) + separate UI hints
    form_schema = models.JSONField(_("申请表单（JSON Schema）"), default=dict, blank=True)
    form_ui = models.JSONField(_("表单界面提示"), default=dict, blank=True)

    # workflow
    change_note = models.CharField(_("修订说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["item_id", "-number"]
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="unique_item_version"),
            models.UniqueConstraint(fields=["item"], condition=Q(status="published"), name="one_published_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}（{self.get_status_display()}）"

    @property
    def online_depth_level(self) -> int:
        return codes.online_depth_level(self.online_depth)

    @property
    def fully_online(self) -> bool:
        return self.online_depth_level == 4

    @property
    def online_capable(self) -> bool:
        return codes.is_online_capable(self.online_depth)


class Material(models.Model):
    """申请材料 of one version (copied with the version, so published lists never change)."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(_("材料编码"), max_length=40)
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("材料形式"), max_length=12, choices=codes.MaterialForm.choices,
                            default=codes.MaterialForm.BOTH)
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    necessity = models.CharField(_("必要性"), max_length=12, choices=codes.Necessity.choices,
                                 default=codes.Necessity.REQUIRED)
    source = models.CharField(_("来源渠道"), max_length=20, choices=codes.MaterialSource.choices,
                              default=codes.MaterialSource.APPLICANT)
    issuer = models.CharField(_("出具机构"), max_length=200, blank=True)
    certificate_type = models.CharField(_("证照类型代码"), max_length=40, blank=True)
    sharing_resource = models.CharField(_("共享资源编码"), max_length=60, blank=True)
    blank_form = models.FileField(_("空白表格"), upload_to="catalog/forms/", blank=True)
    sample = models.FileField(_("示例样表"), upload_to="catalog/samples/", blank=True)
    notes = models.TextField(_("填报须知"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["version_id", "order", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_material_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def required(self) -> bool:
        return self.necessity == codes.Necessity.REQUIRED


class Fee(models.Model):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("收费项目"), max_length=200)
    standard = models.CharField(_("收费标准"), max_length=300)
    basis = models.TextField(_("收费依据"))
    reduction = models.CharField(_("减免政策"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version_id", "order", "id"]
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")

    def __str__(self) -> str:
        return self.name
