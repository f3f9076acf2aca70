"""Who runs the site, shown in the portal footer (主办单位、承办单位、备案信息).

A deployment sets ``YIWANG_SITE_INFO`` in settings (a dict with any of the keys below) to its own
values. In demo mode the registration numbers that are not configured are filled with placeholders
and the footer marks them 演示; outside demo mode a missing number shows as 待配置.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    "sponsor": _("济宁市兖州区人民政府"),
    "operator": _("济宁市兖州区行政审批服务局"),
    "hotline": "12345",
    "website_code": "",
    "icp": "",
    "police": "",
}

DEMO_PLACEHOLDERS = {
    "website_code": "3708120000",
    "icp": _("鲁ICP备00000000号"),
    "police": _("鲁公网安备37081202000000号"),
}


def site_info() -> dict:
    info = dict(DEFAULTS)
    info.update(getattr(settings, "YIWANG_SITE_INFO", None) or {})
    info["placeholders"] = False
    if settings.DEMO_MODE:
        for key, value in DEMO_PLACEHOLDERS.items():
            if not info.get(key):
                info[key] = value
                info["placeholders"] = True
    return info
