"""Role codes (DESIGN §3) with their Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("自然人")
    ENTERPRISE = "enterprise", _("法人")
    PROXY_AGENT = "proxy_agent", _("帮办代办员")
    WINDOW_CLERK = "window_clerk", _("综合窗口受理人员")
    UNDERTAKER = "undertaker", _("承办人员")
    REVIEWER = "reviewer", _("审核人员")
    APPROVER = "approver", _("批准人员")
    DEPT_ADMIN = "dept_admin", _("部门管理员")
    SUPERVISOR = "supervisor", _("监察人员")
    DATA_STEWARD = "data_steward", _("数据管理员")
    DISCLOSURE_OFFICER = "disclosure_officer", _("政务公开专员")
    HOTLINE_AGENT = "hotline_agent", _("12345 坐席")
    LEADER = "leader", _("领导")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# Roles held by staff through StaffRole (citizen/enterprise come from the profile).
STAFF_ROLES = [r for r in Role if r not in (Role.CITIZEN, Role.ENTERPRISE)]
# Roles that act for one department; the others are held for a region (and all below it).
DEPARTMENT_ROLES = {
    Role.PROXY_AGENT, Role.WINDOW_CLERK, Role.UNDERTAKER, Role.REVIEWER, Role.APPROVER,
    Role.DEPT_ADMIN, Role.DATA_STEWARD, Role.DISCLOSURE_OFFICER, Role.HOTLINE_AGENT,
}
REGION_ROLES = {Role.SUPERVISOR, Role.LEADER, Role.PLATFORM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
