"""Electronic certificates (电子证照, DESIGN §4.8): types, signing keys, certificates, the
transparency log, and use authorisations (用证授权) with their use records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.certificates.status import CertificateStatus
from yiwang.core.crypto import EncryptedTextField


class CertificateType(models.Model):
    """A kind of certificate a department issues (营业执照, 食品经营许可证 …)."""

    class HolderKind(models.TextChoices):
        PERSON = "person", _("自然人")
        ORGANISATION = "organisation", _("法人")

    code = models.CharField(_("证照类型代码"), max_length=40, unique=True)
    name = models.CharField(_("证照名称"), max_length=100)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="certificate_types",
                                   verbose_name=_("颁发部门"))
    holder_kind = models.CharField(_("持证主体类型"), max_length=12, choices=HolderKind.choices)
    # [{"name": "business_scope", "label": "经营范围", "source": "form.business_scope"}] — see issuing.field_values
    fields = models.JSONField(_("照面信息项"), default=list, blank=True)
    template = models.TextField(_("照面模板（HTML）"), blank=True)
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), null=True, blank=True,
                                                      help_text=_("留空表示长期有效"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self) -> None:
        """A template that does not compile would stop every issue of the type: refuse it here."""
        from django.core.exceptions import ValidationError
        from django.template import TemplateSyntaxError, engines

        from yiwang.core.identifiers import MOD37_36_CHARS

        if self.code and any(c not in MOD37_36_CHARS for c in self.code):
            raise ValidationError({"code": _("证照类型代码只能由数字和大写字母组成。")})
        if self.template:
            try:
                engines["django"].from_string(self.template)
            except TemplateSyntaxError as exc:
                raise ValidationError({"template": _("照面模板有语法错误：%(e)s") % {"e": exc}}) from exc


class SigningKey(models.Model):
    """One software key pair: a department's certificate key or the platform's log key. The
    private key is encrypted at rest with the data key (core.crypto)."""

    class Purpose(models.TextChoices):
        CERTIFICATE = "certificate", _("证照签名")
        LOG = "log", _("日志树头签名")

    class Status(models.TextChoices):
        ACTIVE = "active", _("使用中")
        RETIRED = "retired", _("已停用（仍可验证）")
        REVOKED = "revoked", _("已吊销")

    key_id = models.CharField(_("密钥标识"), max_length=64, unique=True)
    purpose = models.CharField(_("用途"), max_length=12, choices=Purpose.choices)
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="signing_keys")
    algorithm = models.CharField(_("算法"), max_length=20)
    public_key = models.TextField(_("公钥"))
    # The owner's code (USCC) when the key was made: certificates signed with it name that code
    # as issuer, whatever the department's record says later.
    owner_code = models.CharField(_("所属机构代码"), max_length=40, blank=True)
    private_key = EncryptedTextField(_("私钥"), label="certificates.signingkey.private_key")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("签名密钥")
        verbose_name_plural = _("签名密钥")
        constraints = [
            models.UniqueConstraint(fields=["purpose", "department"], condition=models.Q(status="active"),
                                    name="one_active_key_per_department"),
            models.UniqueConstraint(fields=["purpose"], condition=models.Q(status="active", department__isnull=True),
                                    name="one_active_platform_key"),
        ]

    def __str__(self) -> str:
        return self.key_id


class Certificate(models.Model):
    type = models.ForeignKey(CertificateType, on_delete=models.PROTECT, related_name="certificates")
    identifier = models.CharField(_("证照标识"), max_length=160, unique=True)
    serial = models.CharField(_("流水号"), max_length=20)
    version = models.CharField(_("版本号"), max_length=3, default="001")
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="next_version", verbose_name=_("上一版本"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    holder_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="certificates")
    holder_enterprise = models.ForeignKey("accounts.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="certificates")
    holder_name = models.CharField(_("持证主体"), max_length=200)
    holder_id_type = models.CharField(_("持证主体证件类型"), max_length=3)
    holder_masked = models.CharField(_("持证主体证件号（脱敏）"), max_length=40)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="certificates")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    issue_reason = models.CharField(_("签发理由"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("颁发时间"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID)
    status_reason = models.CharField(_("状态说明"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The signed envelope (metadata incl. the holder's id number, hashes, signature, log proof).
    envelope = EncryptedTextField(_("签名信封"), label="certificates.certificate.envelope")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    signature_checked = models.BooleanField(_("签名已核验"), default=False)
    pdf_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="certificates/%Y/%m/", blank=True)
    log_index = models.BigIntegerField(_("日志序号"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        indexes = [
            models.Index(fields=["holder_user", "status"], name="cert_holder_user"),
            models.Index(fields=["holder_enterprise", "status"], name="cert_holder_ent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["type", "serial", "version"], name="unique_cert_version"),
            # one first version per case (renewals of it carry the same case and a previous one)
            models.UniqueConstraint(fields=["case"], condition=models.Q(previous__isnull=True, case__isnull=False),
                                    name="one_certificate_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.type.name} {self.identifier}"


class SerialCounter(models.Model):
    """Next 流水号 per certificate type and year (row-locked while issuing)."""

    type = models.ForeignKey(CertificateType, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type", "year"], name="unique_cert_serial_year")]

    def __str__(self) -> str:
        return f"{self.type_id}/{self.year}: {self.last}"


class LogState(models.Model):
    """The single row that serialises appends to the transparency log (like the audit head)."""

    size = models.BigIntegerField(default=0)
    root_hash = models.CharField(max_length=64, blank=True)
    # Hex hashes of the perfect subtrees that make up the tree, largest first (one per set bit
    # of ``size``): an append needs nothing else to compute the new nodes and root.
    frontier = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"log size {self.size}"


class LogEntry(models.Model):
    """A leaf of the append-only Merkle log: the canonical JSON that was hashed. Never updated."""

    index = models.BigIntegerField(unique=True)
    action = models.CharField(max_length=10)
    identifier = models.CharField(max_length=160, db_index=True)
    leaf = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index} {self.action} {self.identifier}"


class LogNode(models.Model):
    """The hash of a perfect subtree: leaves [position·2^level, (position+1)·2^level). Level 0
    holds the leaf hashes. Proofs read O(log n) of these instead of the leaves."""

    level = models.PositiveSmallIntegerField()
    position = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "position"], name="unique_log_node")]

    def __str__(self) -> str:
        return f"node ({self.level}, {self.position})"


class TreeHead(models.Model):
    """A signed tree head (size, root) as published."""

    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.CharField(max_length=32)
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    signature = models.TextField()

    class Meta:
        ordering = ["-tree_size"]

    def __str__(self) -> str:
        return f"STH {self.tree_size} {self.root_hash[:12]}"


class UseGrant(models.Model):
    """用证授权: the holder lets a third party see one certificate for a stated purpose, for a while."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the code; the code itself is shown once
    purpose = models.CharField(_("用途"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("用证授权")
        verbose_name_plural = _("用证授权")

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.purpose[:30]}"


class UseRecord(models.Model):
    """One use of a certificate (a third party's view under a grant, or a case that fetched it)."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("授权查看")
        CASE = "case", _("办件自动获取")
        DOWNLOAD = "download", _("持证人下载")
        STAFF = "staff", _("工作人员查看")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="uses")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    grant = models.ForeignKey(UseGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="uses")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("用途"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    ip = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("用证记录")
        verbose_name_plural = _("用证记录")

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
