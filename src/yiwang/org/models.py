"""Regions (GB/T 2260 + 12-digit statistical codes) and departments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A node of the administrative-division tree; retired codes stay for history."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省")
        CITY = 2, _("市")
        COUNTY = 3, _("县/区")
        TOWNSHIP = 4, _("乡镇/街道")
        VILLAGE = 5, _("村/社区")

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    is_demo = models.BooleanField(_("演示数据"), default=False, help_text=_("代码无法离线核实，仅供演示"))
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Region"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in reversed([self, *self.ancestors()]))

    def descendant_codes_prefix(self) -> str:
        """Codes below a region share its significant prefix (2/4/6/9 digits)."""
        return self.code[: {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}[self.level]]


class Department(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        APPROVAL_BUREAU = "approval_bureau", _("行政审批服务局（政务服务中心）")
        DEPARTMENT = "department", _("政府工作部门")
        VERTICAL = "vertical", _("垂直管理部门")
        INSTITUTION = "institution", _("事业单位/群团组织")
        SERVICE_CENTRE = "service_centre", _("便民服务中心")
        SERVICE_STATION = "service_station", _("便民服务站")

    code = models.SlugField(_("部门代码"), max_length=40, unique=True, help_text=_("稳定的英文短代码，API 中使用"))
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("区划"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["region_id", "code"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name
