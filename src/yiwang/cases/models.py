"""Case tables: the case, its timeline (append-only), materials, work items, pauses, extensions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.cases.status import CaseStatus, Outcome, ResultCode
from yiwang.core.crypto import EncryptedTextField


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申报")
    PROXY = "proxy", _("帮办代办")
    WINDOW = "window", _("窗口收件")


class DeliveryMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("电子送达")
    POST = "post", _("邮寄")
    WINDOW = "window", _("窗口领取")


class Case(models.Model):
    """办件. Its content version of the item is fixed at application (published versions never change)."""

    number = models.CharField(_("办件编号"), max_length=50, unique=True, null=True, blank=True)
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="cases")
    item_version = models.ForeignKey("catalog.ItemVersion", on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    enterprise = models.ForeignKey("accounts.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="cases")
    channel = models.CharField(_("申报渠道"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    proxy_agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="proxied_cases")
    proxy_authorization = models.ForeignKey("accounts.ProxyAuthorization", null=True, blank=True,
                                            on_delete=models.PROTECT)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="registered_cases")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    bundle = models.ForeignKey("catalog.Bundle", null=True, blank=True, on_delete=models.PROTECT)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="cases",
                                   verbose_name=_("承办部门"))
    accepting_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                             verbose_name=_("受理机构"))
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")

    status = models.CharField(_("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.DRAFT,
                              db_index=True)
    form_data = models.JSONField(_("申请表"), default=dict, blank=True)
    # Fields answered by a source (数据共享): {name: {"source", "label", "ok", "value", "note", "read_at"}}.
    # The server keeps those fields at "value" whatever the client sends; the clerk sees "label".
    field_sources = models.JSONField(_("字段来源"), default=dict, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    declaration_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    query_password = EncryptedTextField(_("查询密码"), blank=True, default="", label="cases.case.query_password")

    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(_("承诺办结日"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("办结日暂定"), default=False)
    correction_due = models.DateField(_("补正截止日"), null=True, blank=True)
    outcome = models.CharField(_("决定"), max_length=10, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    result_code = models.CharField(_("办结结果"), max_length=1, choices=ResultCode.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=12, choices=DeliveryMethod.choices,
                                       default=DeliveryMethod.ELECTRONIC)
    tracking_number = models.CharField(_("快递单号"), max_length=60, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    workflow_template = models.CharField(max_length=20, blank=True)
    # Serialized SpiffWorkflow state, kept as exact JSON text: PostgreSQL's jsonb reorders object keys,
    # and the engine's task tree must come back in the order it was written.
    workflow_state = models.TextField(blank=True)
    lock_version = models.PositiveIntegerField(default=0)  # optimistic concurrency for two staff at once
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        indexes = [
            models.Index(fields=["department", "status", "due_date"], name="case_dept_status_due"),
            models.Index(fields=["applicant", "-created_at"], name="case_applicant_recent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="case_unique_idempotency_key"),
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 #{self.pk}"


class TimelineEntry(models.Model):
    """Every step (环节): name, business action, who, which unit, opinion, start and end. Append-only."""

    class Action(models.TextChoices):
        PASS = "pass", _("通过")
        RETURN = "return", _("退回")
        OTHER = "other", _("其他")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    step = models.CharField(_("环节名称"), max_length=60)
    action = models.CharField(_("业务动作"), max_length=10, choices=Action.choices, default=Action.OTHER)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_label = models.CharField(_("处理人"), max_length=60, blank=True)
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT)
    opinion = models.TextField(_("意见"), blank=True)
    status_from = models.CharField(max_length=24, blank=True)
    status_to = models.CharField(max_length=24, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")

    def __str__(self) -> str:
        return f"{self.case} · {self.step}"


class CaseMaterial(models.Model):
    class Status(models.TextChoices):
        MISSING = "missing", _("未提交")
        UPLOADED = "uploaded", _("已上传")
        AUTO = "auto", _("已自动获取")
        DEFERRED = "deferred", _("容缺后补")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material_code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    required = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MISSING)
    file = models.FileField(upload_to="cases/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_kind = models.CharField(max_length=10, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=60, blank=True)  # provider name for auto materials
    reference = models.CharField(max_length=200, blank=True)  # e.g. a certificate identifier
    deferred_due = models.DateField(null=True, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "material_code"], name="unique_case_material")]

    def __str__(self) -> str:
        return f"{self.case} · {self.name}"


class WorkItem(models.Model):
    """A user task of the case's workflow (or a window task), mirrored for queries and worklists."""

    class Status(models.TextChoices):
        OPEN = "open", _("待办")
        DONE = "done", _("已办")
        CANCELLED = "cancelled", _("已取消")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="work_items")
    task_id = models.CharField(max_length=64, blank=True)
    step = models.CharField(max_length=40)
    step_label = models.CharField(_("环节"), max_length=40)
    role = models.CharField(_("角色"), max_length=30)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="work_items")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="claimed_work")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    action = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["department", "status", "due_date", "id"], name="workitem_queue"),
            # the worklist's count (role + department of open items) as an index-only scan at 1M cases
            models.Index(fields=["department", "role"], condition=Q(status="open"), name="workitem_open_dept_role"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.step_label}"


class Pause(models.Model):
    """特别程序 (听证, 检验检测, 鉴定, 专家评审, 现场核查, 公示) or 补正: the clock does not run."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("听证")
        TESTING = "testing", _("检验检测")
        APPRAISAL = "appraisal", _("鉴定")
        EXPERT_REVIEW = "expert_review", _("专家评审")
        SITE_CHECK = "site_check", _("现场核查")
        PUBLICITY = "publicity", _("公示")
        CORRECTION = "correction", _("补正")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # the department whose step started it (only that step may end it: 联审 runs steps in parallel)
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"


class Extension(models.Model):
    """延期 with a recorded approval."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    working_days = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=300)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case} +{self.working_days}"


class CaseCounter(models.Model):
    """Daily sequence per region for case numbers (locked row → no duplicates under concurrency)."""

    region_code = models.CharField(max_length=12)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "day"], name="unique_case_counter")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day} {self.last}"
