"""The one door to shared data: every read checks the resource's share type and the consumer's
grant, returns only the items allowed, and writes a sealed access record — refusals included.

``read`` never raises for a refusal the caller can act on; it returns a ``Reading`` saying what
happened, so an application form can fall back to manual entry with a note.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core.crypto import blind_index, blind_index_candidates
from yiwang.core.masking import mask_id_number
from yiwang.sharing import accesslog
from yiwang.sharing.models import AccessRecord, Grant, HostedRecord, Resource, ShareType


@dataclass
class Reading:
    result: str  # AccessRecord.Result
    values: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    record: AccessRecord | None = None

    @property
    def ok(self) -> bool:
        return self.result == AccessRecord.Result.OK


def _masked(subject: str) -> str:
    return mask_id_number(subject) if len(subject) == 18 else subject[:2] + "****"


def live_grants(consumer_id, resource: Resource):
    """The approved, unexpired grants of a consumer department for a resource, newest first."""
    return Grant.objects.filter(consumer_id=consumer_id, resource=resource, status=Grant.Status.APPROVED,
                                valid_until__gte=timezone.localdate()).order_by("-decided_at")


def live_grant(consumer, resource: Resource, items: list[str]) -> Grant | None:
    """An approved, unexpired grant of ``consumer`` covering every item asked for."""
    for grant in live_grants(consumer.pk, resource):
        if set(items) <= set(grant.items):
            return grant
    return None


def read(resource: Resource | str, subject: str, *, consumer, purpose: str, items: list[str] | None = None,
         user=None, case_number: str = "") -> Reading:
    """Read ``items`` (default: all the consumer may read) of ``subject`` from ``resource``."""
    if isinstance(resource, str):
        resource = Resource.objects.select_related("provider").get(code=resource)
    subject = str(subject or "").strip().upper()
    wanted = list(items) if items is not None else resource.item_names()
    grant, refusal = None, ""
    unknown = [i for i in wanted if i not in resource.item_names()]
    if not resource.active:
        refusal = _("该共享资源已停用。")
    elif resource.share_type == ShareType.NONE:
        refusal = _("该资源不予共享（%(basis)s）。") % {"basis": resource.legal_basis or _("未注明依据")}
    elif unknown:
        refusal = _("资源没有这些数据项：%(items)s。") % {"items": "、".join(unknown)}
    elif not str(purpose or "").strip():
        refusal = _("读取共享数据须说明用途。")
    elif consumer is None:
        refusal = _("读取共享数据须以使用部门的名义。")
    elif resource.share_type == ShareType.CONDITIONAL and consumer.pk != resource.provider_id:
        grant = live_grant(consumer, resource, wanted)
        if grant is None:
            refusal = _("没有覆盖这些数据项的有效共享授权。")
    record = AccessRecord(consumer=consumer, user=user if getattr(user, "pk", None) else None,
                          user_label=(getattr(user, "name", "") or getattr(user, "username", ""))[:150] if user else "系统",
                          resource=resource, grant=grant, purpose=str(purpose or "")[:300],
                          case_number=case_number[:50], subject_index=blind_index("subject", subject) if subject else "",
                          subject_masked=_masked(subject), items=wanted)
    if refusal:
        record.result, record.reason = AccessRecord.Result.REFUSED, refusal[:300]
        return Reading(record.result, reason=refusal, record=accesslog.append(record))
    try:
        data = fetch(resource, subject)
    except ProviderUnavailable as exc:
        record.result, record.reason = AccessRecord.Result.FAILED, str(exc)[:300]
        return Reading(record.result, reason=record.reason, record=accesslog.append(record))
    if data is None:
        record.result = AccessRecord.Result.NOT_FOUND
        return Reading(record.result, reason=_("提供部门没有该主体的记录。"), record=accesslog.append(record))
    record.result = AccessRecord.Result.OK
    return Reading(record.result, values={k: data.get(k) for k in wanted}, record=accesslog.append(record))


class ProviderUnavailable(Exception):
    """The provider's own system did not answer usably (timeout, error, open circuit, bad schema);
    the message is a Chinese reason fit for the access log and the applicant's note."""


def fetch(resource: Resource, subject: str) -> dict[str, Any] | None:
    """All items of ``subject`` from wherever the resource lives; None when there is no record."""
    if resource.backing == Resource.Backing.HTTP:
        from yiwang.sharing import http_provider

        return http_provider.fetch(resource, subject)
    row = HostedRecord.objects.filter(resource=resource,
                                      subject_index__in=blind_index_candidates("subject", subject)).first()
    return None if row is None else json.loads(row.data)
