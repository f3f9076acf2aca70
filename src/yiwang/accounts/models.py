"""One ``User`` for everyone, plus enterprises, staff roles, proxy authorisations and the
records that identity verification and login protection need."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.roles import Role
from yiwang.core.crypto import BlindIndexField, EncryptedTextField
from yiwang.core.masking import mask_id_number, mask_phone
from yiwang.org.models import Department, Region


class VerificationLevel(models.IntegerChoices):
    NONE = 0, _("未验证")
    PHONE = 1, _("手机已验证")
    IDENTITY = 2, _("实名已核验")


class User(AbstractUser):
    """Citizens, enterprise representatives and staff alike; staff powers come from StaffRole."""

    name = models.CharField(_("姓名"), max_length=60, blank=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True, default="", label="accounts.user.id_number")
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedTextField(_("手机号"), blank=True, default="", label="accounts.user.phone")
    phone_index = BlindIndexField(source="phone")
    email_verified = models.BooleanField(_("邮箱已验证"), default=False)
    address = EncryptedTextField(_("住址"), blank=True, default="", label="accounts.user.address")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("所在区划"))
    level = models.PositiveSmallIntegerField(_("认证等级"), choices=VerificationLevel.choices, default=0)
    identity_verified_at = models.DateTimeField(_("实名核验时间"), null=True, blank=True)
    consent_at = models.DateTimeField(_("同意隐私政策时间"), null=True, blank=True)
    consent_version = models.CharField(_("隐私政策版本"), max_length=20, blank=True)
    is_demo = models.BooleanField(_("演示账号"), default=False)
    closed_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    # Per-account lockout (DESIGN §5): counts failures within the window.
    failed_logins = models.PositiveSmallIntegerField(default=0)
    first_failed_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"], condition=~Q(id_number_index=""), name="user_unique_id_number"
            ),
            models.UniqueConstraint(fields=["phone_index"], condition=~Q(phone_index=""), name="user_unique_phone"),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def is_locked(self, at: dt.datetime | None = None) -> bool:
        return bool(self.locked_until and self.locked_until > (at or timezone.now()))


class Enterprise(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待核验")
        VERIFIED = "verified", _("已核验")
        REJECTED = "rejected", _("未通过")

    class Type(models.TextChoices):
        COMPANY = "company", _("企业法人")
        INSTITUTION = "institution", _("事业法人")
        SOCIAL = "social", _("社会组织法人")
        AGENCY = "agency", _("机关法人")
        INDIVIDUAL = "individual", _("个体工商户")
        OTHER = "other", _("其他组织")

    name = models.CharField(_("名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    type = models.CharField(_("类型"), max_length=20, choices=Type.choices, default=Type.COMPANY)
    legal_rep_name = models.CharField(_("法定代表人"), max_length=60)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("核验意见"), max_length=300, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("法人")
        verbose_name_plural = _("法人")

    def __str__(self) -> str:
        return self.name


class EnterpriseMembership(models.Model):
    class Kind(models.TextChoices):
        LEGAL_REP = "legal_rep", _("法定代表人")
        AGENT = "agent", _("经办人")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enterprise_memberships")
    kind = models.CharField(_("身份"), max_length=10, choices=Kind.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("法人成员")
        verbose_name_plural = _("法人成员")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "user"], condition=Q(revoked_at__isnull=True), name="one_active_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"


class StaffRole(models.Model):
    """A role held for one department, or for a region and everything under it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("部门"))
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("区划"))
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工作人员角色")
        verbose_name_plural = _("工作人员角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "department", "region"], name="unique_staff_role"),
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(region__isnull=False), name="staff_role_has_scope"
            ),
        ]

    def __str__(self) -> str:
        scope = self.department or self.region
        return f"{self.get_role_display()}@{scope}"


class ProxyAuthorization(models.Model):
    """代办授权: the grantor lets a proxy agent apply for them, for some items or all."""

    grantor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="proxy_grants")
    agent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="proxy_mandates")
    all_items = models.BooleanField(_("全部事项"), default=False)
    item_codes = models.JSONField(_("授权事项编码"), default=list, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("截止日期"))
    evidence = models.FileField(_("授权书"), upload_to="proxy-evidence/%Y/%m/", blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("代办授权")
        verbose_name_plural = _("代办授权")

    def __str__(self) -> str:
        return f"{self.grantor} → {self.agent}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until

    def covers(self, item_code: str) -> bool:
        return self.all_items or item_code in (self.item_codes or [])


class SmsCode(models.Model):
    """A one-time SMS code; the phone is kept only as a blind index, the code only as a hash."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        LOGIN = "login", _("短信登录")
        RESET = "reset", _("重置密码")
        UNLOCK = "unlock", _("解除锁定")
        BIND = "bind", _("绑定手机")

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class DevSmsMessage(models.Model):
    """Messages 'sent' by the development SMS provider, for the admin page (never in production)."""

    phone_masked = models.CharField(max_length=20)
    phone = EncryptedTextField(label="accounts.devsms.phone")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("开发短信（仅开发环境）")
        verbose_name_plural = _("开发短信（仅开发环境）")

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """Bearer token for API clients; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class IdentityDispute(models.Model):
    """身份证号已被绑定时的申诉: staff check the person and resolve it."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("申诉成立，已解绑原账号")
        REJECTED = "rejected", _("申诉不成立")

    id_number = EncryptedTextField(_("身份证号"), label="accounts.dispute.id_number")
    id_number_index = BlindIndexField(source="id_number")
    name = models.CharField(_("姓名"), max_length=60)
    phone = EncryptedTextField(_("联系电话"), label="accounts.dispute.phone")
    description = models.TextField(_("情况说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("处理意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("实名申诉")
        verbose_name_plural = _("实名申诉")

    def __str__(self) -> str:
        return f"{self.name} · {self.get_status_display()}"
