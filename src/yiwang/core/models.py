"""Kernel tables: outbox events, the hash-chained audit log and the working-day calendar."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """A domain event written in the same transaction as the change that caused it.

    The dispatcher (``core.dispatch``) claims pending rows in batches under a lease that expires,
    so a crashed worker's rows are claimed again; attempts, the next attempt time and the last
    error are kept here. Nothing is lost on a crash.
    """

    name = models.CharField(_("事件"), max_length=100, db_index=True)
    payload = models.JSONField(_("内容"), default=dict)
    created_at = models.DateTimeField(_("产生时间"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(_("分发时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    leased_by = models.CharField(_("处理进程"), max_length=100, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    dead_at = models.DateTimeField(_("转入死信时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("事件发件箱")
        verbose_name_plural = _("事件发件箱")
        indexes = [
            # Only pending rows are ever scanned by the dispatcher; dispatched ones pile up.
            models.Index(fields=["id"], name="outbox_pending",
                         condition=Q(dispatched_at__isnull=True, dead_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.name}"


class ScheduledJob(models.Model):
    """One row per periodic job: a worker runs it only after moving ``next_run_at`` forward in a
    conditional update, so several workers never run the same round twice."""

    name = models.CharField(_("任务"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("下次运行"))
    last_run_at = models.DateTimeField(_("上次运行"), null=True, blank=True)
    last_run_by = models.CharField(_("运行进程"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")

    def __str__(self) -> str:
        return self.name


class AuditRecord(models.Model):
    """One entry of the append-only audit log; ``hash`` covers the previous record's hash."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"))
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=100, blank=True, db_index=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.CharField(_("来源地址"), max_length=64, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """Single row holding the chain's last sequence number and hash.

    Writers lock it (SELECT … FOR UPDATE; SQLite's IMMEDIATE transaction) so records are sealed
    strictly in sequence even with many concurrent writers.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class CalendarYear(models.Model):
    """Where a year's working-day data comes from; provisional years are shown as 暂定."""

    class Source(models.TextChoices):
        OFFICIAL = "official", _("国务院办公厅通知（chinesecalendar）")
        NOTICE = "notice", _("管理员导入的官方通知")
        PROVISIONAL = "provisional", _("暂定（推算，未含调休）")

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")

    def __str__(self) -> str:
        mark = "（暂定）" if self.provisional else ""
        return f"{self.year}年{mark}"

    @property
    def provisional(self) -> bool:
        return self.source == self.Source.PROVISIONAL


class CalendarDay(models.Model):
    """A day that differs from the plain Monday–Friday rule: a holiday or a make-up workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        MAKEUP_WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), primary_key=True)
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self) -> str:
        return f"{self.date} {self.name} {self.get_kind_display()}"
