"""Demo people for the demo county (密码 ``Yiwang@2026``; 演示数据, never in production).

Idempotent: existing demo accounts are left exactly as they are, so a second run changes
nothing (no new rows, no new audit records).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import (
    Enterprise,
    EnterpriseMembership,
    ProxyAuthorization,
    User,
    VerificationLevel,
)
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.core.identifiers import id_check_digit, make_uscc
from yiwang.org.demo import APPROVAL_BUREAU_CODE, COUNTY_CODE, GOVERNMENT_CODE, centre_code
from yiwang.org.models import Department, Region

DEMO_PASSWORD = "Yiwang@2026"
DEPARTMENT_ROLES = [
    (Role.UNDERTAKER, "undertaker"),
    (Role.REVIEWER, "reviewer"),
    (Role.APPROVER, "approver"),
    (Role.DEPT_ADMIN, "admin"),
    (Role.DATA_STEWARD, "steward"),
    (Role.WINDOW_CLERK, "window"),
]
PROXY_CENTRE = centre_code("xinyi")
# Staff names: common surnames and given names, combined deterministically.
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = ["建华", "秀兰", "志强", "海燕", "文博", "丽娟", "国庆", "晓东", "春梅", "立新", "红霞", "子涵",
          "明辉", "玉珍", "宏伟", "雪梅", "振华", "静怡", "俊杰", "桂英"]


def demo_id_number(birth: str, seq: str) -> str:
    body = COUNTY_CODE + birth + seq
    return body + id_check_digit(body)


def _staff_name(n: int) -> str:
    return _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n * 7) % len(_GIVEN)]


class _Loader:
    def __init__(self) -> None:
        self.password_hash = make_password(DEMO_PASSWORD)
        self.created = 0
        self.n = 0

    def user(self, username: str, name: str, **fields) -> User:
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user
        user = User(username=username, name=name, password=self.password_hash, is_demo=True, **fields)
        user.save()
        self.created += 1
        return user

    def staff(self, username: str, role: str, *, department: Department | None = None,
              region: Region | None = None, **fields) -> User:
        self.n += 1
        user = self.user(username, _staff_name(self.n), phone=f"1390537{self.n:04d}",
                         **{"level": VerificationLevel.PHONE, **fields})
        assign_role(user, role, department=department, region=region)
        return user


@transaction.atomic
def load_demo_accounts() -> dict[str, int]:
    """Citizens, an enterprise, a proxy agent and the staff of every demo department."""
    loader = _Loader()
    now = timezone.now()
    county = Region.objects.get(code=COUNTY_CODE)
    verified = {"level": VerificationLevel.IDENTITY, "identity_verified_at": now, "consent_at": now,
                "consent_version": "2026-11"}

    loader.user("citizen1", "张明", id_number=demo_id_number("19880512", "001"), phone="13800000001",
                           address="山东省济宁市兖州区鼓楼街道建设东路18号", region_id="370812001000", **verified)
    citizen2 = loader.user("citizen2", "王秀英", id_number=demo_id_number("19460308", "002"), phone="13800000002",
                           address="山东省济宁市兖州区新驿镇新驿村", region_id="370812101000", **verified)
    corp1 = loader.user("corp1", "李建国", id_number=demo_id_number("19750921", "011"), phone="13800000003",
                        region_id=COUNTY_CODE, **verified)

    uscc = make_uscc("9", "1", COUNTY_CODE, "MA3C7K2L")
    ent = Enterprise.objects.filter(uscc=uscc).first()
    if ent is None:
        ent = Enterprise.objects.create(
            name="济宁市兖州区示范食品有限公司", uscc=uscc, type=Enterprise.Type.COMPANY, legal_rep_name=corp1.name,
            status=Enterprise.Status.VERIFIED, address="山东省济宁市兖州区工业园区兴业路8号", region=county,
            created_by=corp1, reviewed_at=now, review_note="演示数据", is_demo=True,
        )
        EnterpriseMembership.objects.create(enterprise=ent, user=corp1, kind=EnterpriseMembership.Kind.LEGAL_REP)

    departments = {d.code: d for d in Department.objects.filter(is_demo=True)}
    # The township's 帮办代办员 applies for people: a real-name verified account (DESIGN §4.2).
    proxy = loader.staff("proxy1", Role.PROXY_AGENT, department=departments[PROXY_CENTRE],
                         id_number=demo_id_number("19820715", "021"), **verified)
    loader.staff("window1", Role.WINDOW_CLERK, department=departments[APPROVAL_BUREAU_CODE])
    loader.staff("window2", Role.WINDOW_CLERK, department=departments[APPROVAL_BUREAU_CODE])
    for code, dept in sorted(departments.items()):
        if dept.kind in (Department.Kind.SERVICE_CENTRE, Department.Kind.SERVICE_STATION):
            loader.staff(f"{code}-window", Role.WINDOW_CLERK, department=dept)
            continue
        if code == GOVERNMENT_CODE:
            continue
        for role, suffix in DEPARTMENT_ROLES:
            loader.staff(f"{code}-{suffix}", role, department=dept)
    loader.staff("supervisor", Role.SUPERVISOR, region=county)
    loader.staff("leader", Role.LEADER, region=county)
    loader.staff("admin", Role.PLATFORM_ADMIN, region=county, is_staff=True, is_superuser=True)
    loader.staff("secadmin", Role.SECURITY_ADMIN, region=county)
    loader.staff("auditor", Role.AUDIT_ADMIN, region=county)

    if not ProxyAuthorization.objects.filter(grantor=citizen2, agent=proxy, is_demo=True).exists():
        today = timezone.localdate()
        ProxyAuthorization.objects.create(
            grantor=citizen2, agent=proxy, all_items=True, valid_from=today, valid_until=today + dt.timedelta(days=365),
            note="演示：高龄老人委托新驿镇便民服务中心帮办代办员办理", created_by=proxy, is_demo=True,
        )
    return {"created": loader.created}
