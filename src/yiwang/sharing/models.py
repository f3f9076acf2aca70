"""政务数据共享 (DESIGN §4.9): the resource catalogue, platform-hosted records, grants for
有条件 resources, and the hash-chained access log every read writes to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import BlindIndexField, EncryptedTextField


class ShareType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NONE = "none", _("不予共享")


class OpenType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件开放")
    CONDITIONAL = "conditional", _("有条件开放")
    NONE = "none", _("不予开放")


class Resource(models.Model):
    """A shared-data resource of the catalogue (metadata only; readable by any signed-in user)."""

    class SubjectKind(models.TextChoices):
        PERSON = "person", _("自然人")
        ORGANISATION = "organisation", _("法人")

    class Backing(models.TextChoices):
        HOSTED = "hosted", _("平台托管")
        HTTP = "http", _("部门系统接口")

    code = models.CharField(_("资源代码"), max_length=60, unique=True)
    name = models.CharField(_("资源名称"), max_length=200)
    provider = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="shared_resources",
                                 verbose_name=_("提供部门"))
    summary = models.TextField(_("摘要"), blank=True)
    # [{"name": "household_address", "label": "户籍地址", "type": "string", "sensitivity": "personal"}]
    items = models.JSONField(_("数据项"), default=list)
    share_type = models.CharField(_("共享类型"), max_length=14, choices=ShareType.choices)
    legal_basis = models.CharField(_("共享依据"), max_length=300, blank=True)
    open_type = models.CharField(_("开放属性"), max_length=14, choices=OpenType.choices, default=OpenType.NONE)
    update_cycle = models.CharField(_("更新周期"), max_length=40, blank=True)
    format = models.CharField(_("数据格式"), max_length=40, blank=True, default="JSON")
    version = models.CharField(_("版本"), max_length=20, blank=True, default="1.0")
    subject_kind = models.CharField(_("数据主体"), max_length=12, choices=SubjectKind.choices,
                                    default=SubjectKind.PERSON)
    backing = models.CharField(_("数据来源"), max_length=8, choices=Backing.choices, default=Backing.HOSTED)
    # (b) backing: the department's own system, asked over HTTP (sharing.http_provider)
    endpoint_url = models.URLField(_("接口地址"), max_length=300, blank=True)
    endpoint_timeout = models.FloatField(_("接口超时（秒）"), default=2.0)
    endpoint_token_env = models.CharField(_("接口令牌环境变量"), max_length=80, blank=True,
                                          help_text=_("令牌不入库：填写保存令牌的环境变量名。"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("共享资源")
        verbose_name_plural = _("共享资源")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def item_names(self) -> list[str]:
        return [str(i.get("name")) for i in self.items or []]


class HostedRecord(models.Model):
    """One subject's data of a platform-hosted resource; personal data encrypted at rest, found
    by a keyed blind index of the subject's id (身份证号 or 统一社会信用代码)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="records")
    subject = EncryptedTextField(label="sharing.hostedrecord.subject")
    subject_index = BlindIndexField(source="subject")
    data = EncryptedTextField(label="sharing.hostedrecord.data")  # JSON object of item → value
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "subject_index"], name="unique_hosted_subject")]

    def __str__(self) -> str:
        return f"{self.resource_id}:{self.subject_index[:8]}"


class Grant(models.Model):
    """A consumer department's grant to read named items of a 有条件 resource."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")
        REVOKED = "revoked", _("已撤销")

    consumer = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="sharing_grants",
                                 verbose_name=_("使用部门"))
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="grants")
    items = models.JSONField(_("申请数据项"), default=list)
    purpose = models.CharField(_("用途"), max_length=300)
    legal_basis = models.CharField(_("依据"), max_length=300)
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decide_by = models.DateField(_("答复期限"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("共享申请")
        verbose_name_plural = _("共享申请")

    def __str__(self) -> str:
        return f"{self.consumer_id} → {self.resource_id} ({self.status})"


# 共享申请: allowed status transitions (from → to), as data; approved grants may be revoked.
GRANT_TRANSITIONS = {
    Grant.Status.REQUESTED: {Grant.Status.APPROVED, Grant.Status.REFUSED},
    Grant.Status.APPROVED: {Grant.Status.REVOKED},
    Grant.Status.REFUSED: set(),
    Grant.Status.REVOKED: set(),
}


class AccessRecord(models.Model):
    """One read through the exchange (allowed or refused). Append-only; ``hash`` covers the
    previous record's hash, like the audit log, so a removed or edited record is detectable."""

    class Result(models.TextChoices):
        OK = "ok", _("成功")
        NOT_FOUND = "not_found", _("无记录")
        REFUSED = "refused", _("拒绝")
        FAILED = "failed", _("失败")

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField()
    consumer = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    user_label = models.CharField(max_length=150, blank=True)
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="accesses")
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="accesses")
    purpose = models.CharField(max_length=300)
    case_number = models.CharField(max_length=50, blank=True)
    subject_index = models.CharField(max_length=64, db_index=True)  # blind index: the citizen's own view
    subject_masked = models.CharField(max_length=40, blank=True)
    items = models.JSONField(default=list)
    result = models.CharField(max_length=10, choices=Result.choices)
    reason = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("数据使用记录")
        verbose_name_plural = _("数据使用记录")

    def __str__(self) -> str:
        return f"#{self.seq} {self.resource_id} {self.result}"


class AccessChainHead(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class ImportBatch(models.Model):
    """One bulk load of a hosted resource (API or CSV/XLSX/JSON file): all rows or none, with the
    validation report kept for the provider."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("已导入")
        REJECTED = "rejected", _("未导入（有错误）")

    class Channel(models.TextChoices):
        API = "api", _("接口")
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("方式"), max_length=6, choices=Channel.choices)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    status = models.CharField(_("结果"), max_length=10, choices=Status.choices)
    rows_total = models.PositiveIntegerField(_("行数"), default=0)
    rows_created = models.PositiveIntegerField(_("新增"), default=0)
    rows_updated = models.PositiveIntegerField(_("更新"), default=0)
    rows_deleted = models.PositiveIntegerField(_("删除"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    # [{"row": 12, "field": "birth_date", "message": "日期格式应为 YYYY-MM-DD"}] (first few hundred)
    errors = models.JSONField(_("校验报告"), default=list, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")

    def __str__(self) -> str:
        return f"{self.resource_id} {self.status} {self.rows_total}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    CORRECTED = "corrected", _("已更正")
    EXPLAINED = "explained", _("已说明（数据无误）")


# 数据纠错: allowed transitions (from → to), as data.
OBJECTION_TRANSITIONS = {
    ObjectionStatus.OPEN: {ObjectionStatus.CORRECTED, ObjectionStatus.EXPLAINED},
    ObjectionStatus.CORRECTED: set(),
    ObjectionStatus.EXPLAINED: set(),
}


class Objection(models.Model):
    """数据纠错: an applicant or a consumer department says a shared value is wrong; the provider
    corrects it or explains, before ``due_by`` (working days)."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="objections")
    subject = EncryptedTextField(label="sharing.objection.subject")
    subject_index = BlindIndexField(source="subject")
    item = models.CharField(_("数据项"), max_length=60)
    current_value = EncryptedTextField(label="sharing.objection.current_value", blank=True)
    proposed_value = EncryptedTextField(label="sharing.objection.proposed_value", blank=True)
    reason = models.CharField(_("纠错理由"), max_length=500)
    case_number = models.CharField(_("办件编号"), max_length=50, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_for = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("提出部门"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    due_by = models.DateField(_("处理期限"))
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("处理说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("数据纠错")
        verbose_name_plural = _("数据纠错")

    def __str__(self) -> str:
        return f"{self.resource_id}:{self.item} ({self.status})"
