"""Enterprise binding checked against 企业登记信息 (issue 8): when a citizen asks to bind an
enterprise, the platform reads the register through the exchange (so the read is on record and
in the citizen's and the enterprise's 我的数据使用记录) and compares the registered legal
representative with the applicant's verified identity."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from yiwang.accounts.services.enterprises import RegistryVerdict
from yiwang.core.text import strip_control
from yiwang.org.models import Department
from yiwang.sharing import exchange
from yiwang.sharing.models import AccessRecord, Resource

ITEMS = ["name", "legal_rep_name", "legal_rep_id_number"]
PURPOSE = "法人绑定：核验申请人是否为登记的法定代表人"


def resource_code() -> str:
    return getattr(settings, "YIWANG_SHARING_ENTERPRISE_RESOURCE", "SJ-SCZT")


def register_keeper() -> str:
    """The department whose 企业登记信息 is trusted: a resource of that code published by anyone
    else (the code alone proves nothing) never decides a binding."""
    return getattr(settings, "YIWANG_SHARING_ENTERPRISE_PROVIDER", "market")


def platform_department() -> Department | None:
    """The department on whose behalf the platform itself reads (the 行政审批服务局 by default)."""
    code = getattr(settings, "YIWANG_SHARING_PLATFORM_DEPARTMENT", "approval")
    return Department.objects.filter(code=code).first()


def check_binding(user, uscc: str) -> RegistryVerdict | None:
    resource = (Resource.objects.select_related("provider")
                .filter(code=resource_code(), active=True, provider__code=register_keeper()).first())
    consumer = platform_department()
    if resource is None or consumer is None or not user.id_number:
        return None
    reading = exchange.read(resource, uscc, consumer=consumer, purpose=PURPOSE, items=ITEMS, user=user)
    if reading.result != AccessRecord.Result.OK:
        return None  # not in the register, or the register unavailable: staff review
    source = _("企业登记信息（%(provider)s）") % {"provider": resource.provider.name}
    registered_id = str(reading.values.get("legal_rep_id_number") or "").strip().upper()
    registered_name = strip_control(reading.values.get("name"))
    if not registered_id:
        return None  # a name alone proves nothing (namesakes are common): staff check the person
    matches = registered_id == user.id_number.strip().upper()
    return RegistryVerdict(matches=matches, source=source, registered_name=registered_name,
                           reason="" if matches else _("登记的法定代表人不是申请人"))
