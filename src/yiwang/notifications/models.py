"""Messages to people: the in-app inbox, the delivery log of every message on every channel,
channel preferences, and which deadline alerts were already raised."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import EncryptedTextField


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内信")
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    DEAD = "dead", _("死信")
    RESENT = "resent", _("已重新发送")


# pending → sent | dead; dead → resent (an admin made a new delivery from it) — nothing else.
DELIVERY_TRANSITIONS: dict[str, set[str]] = {
    DeliveryStatus.PENDING: {DeliveryStatus.SENT, DeliveryStatus.DEAD},
    DeliveryStatus.DEAD: {DeliveryStatus.RESENT},
    DeliveryStatus.SENT: set(),
    DeliveryStatus.RESENT: set(),
}


class Delivery(models.Model):
    """One message to one person on one channel, with its attempts.

    ``uid`` is fixed when the row is written, before any sending: it becomes the e-mail
    ``Message-ID`` and the SMS provider's out-id, so a duplicate (a crash between the provider's
    acceptance and our commit) carries the same id and can be recognised.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_id = models.BigIntegerField(_("事件"), null=True, blank=True)
    event_name = models.CharField(_("事件名称"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = EncryptedTextField(_("接收地址"), blank=True, default="", label="notifications.delivery.recipient")
    recipient_masked = models.CharField(_("接收地址（脱敏）"), max_length=120, blank=True)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    context = models.JSONField(_("模板参数"), default=dict)
    case_id = models.BigIntegerField(_("办件"), null=True, blank=True)
    case_number = models.CharField(_("办件编号"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    queued_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    leased_by = models.CharField(_("处理进程"), max_length=100, blank=True)
    provider_message_id = models.CharField(_("通道消息ID"), max_length=200, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    dead_at = models.DateTimeField(_("转入死信时间"), null=True, blank=True)
    resent_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resends")

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        ordering = ["-id"]
        constraints = [
            # One message per event, person and channel: the database itself refuses a second.
            models.UniqueConstraint(fields=["event_id", "user", "channel"], condition=Q(event_id__isnull=False),
                                    name="delivery_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["id"], name="delivery_pending",
                         condition=Q(status="pending") & ~Q(channel="inapp")),
            models.Index(fields=["-dead_at"], name="delivery_dead", condition=Q(status="dead")),
        ]

    def __str__(self) -> str:
        return f"{self.event_name} → {self.recipient_masked or self.user_id} ({self.channel})"

    @property
    def message_id(self) -> str:
        """The e-mail Message-ID derived from ``uid`` (RFC 5322 form)."""
        return f"<{self.uid}@yiwang.notifications>"


class Notification(models.Model):
    """An in-app message (站内信). Written in the same transaction as its delivery record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="notification")
    event_name = models.CharField(_("事件"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    case_id = models.BigIntegerField(_("办件"), null=True, blank=True)
    case_number = models.CharField(_("办件编号"), max_length=50, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内信")
        verbose_name_plural = _("站内信")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["user", "-id"], name="inbox_newest"),
            models.Index(fields=["user"], name="inbox_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title


class ChannelPreference(models.Model):
    """A person's choice for one event on one channel; absent rows mean the event's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences")
    event_name = models.CharField(_("事件"), max_length=100)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("接收"), default=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "event_name", "channel"], name="one_pref_per_channel")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event_name}:{self.channel}={'on' if self.enabled else 'off'}"


class NotificationSettings(models.Model):
    """A person's 免打扰时段 for SMS (Shanghai time; may run past midnight, e.g. 22:00–08:00) and
    the language of their e-mail and SMS."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_settings")
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)
    language = models.CharField(_("邮件和短信语言"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return f"{self.user_id} {self.quiet_start}-{self.quiet_end} {self.language}"


class DeadlineAlert(models.Model):
    """A 黄灯/红灯 already raised for a case: the scanner raises each level once per case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadline_alerts")
    level = models.CharField(_("级别"), max_length=10)
    raised_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("时限预警记录")
        verbose_name_plural = _("时限预警记录")
        constraints = [models.UniqueConstraint(fields=["case", "level"], name="one_alert_per_level")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level}"
