"""How people find items: themes (主题), life events (人生事件) and 一件事 bundles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PERSONAL = "personal", _("个人服务")
    ENTERPRISE = "enterprise", _("法人服务")


class Theme(models.Model):
    code = models.SlugField(_("主题代码"), max_length=40, unique=True)
    name = models.CharField(_("主题"), max_length=40)
    audience = models.CharField(_("服务类别"), max_length=12, choices=Audience.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["audience", "order", "code"]
        verbose_name = _("服务主题")
        verbose_name_plural = _("服务主题")

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    """人生事件 / 企业生命周期节点: 出生, 上学, 就业, 结婚, 退休…; 开办, 变更, 注销…"""

    code = models.SlugField(_("事件代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    audience = models.CharField(_("服务类别"), max_length=12, choices=Audience.choices)
    description = models.TextField(_("说明"), blank=True)
    items = models.ManyToManyField("ServiceItem", blank=True, related_name="life_events", verbose_name=_("相关事项"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["audience", "order", "code"]
        verbose_name = _("人生事件")
        verbose_name_plural = _("人生事件")

    def __str__(self) -> str:
        return self.name


class Bundle(models.Model):
    """一件事: several items applied for at once with one merged form and material list."""

    code = models.SlugField(_("一件事代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    audience = models.CharField(_("服务类别"), max_length=12, choices=Audience.choices)
    description = models.TextField(_("说明"), blank=True)
    lead_department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                        verbose_name=_("牵头部门"))
    items = models.ManyToManyField("ServiceItem", through="BundleItem", related_name="bundles")
    published = models.BooleanField(_("已发布"), default=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["audience", "code"]
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="members")
    item = models.ForeignKey("ServiceItem", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bundle_id", "order"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="unique_bundle_item")]

    def __str__(self) -> str:
        return f"{self.bundle} · {self.item}"
