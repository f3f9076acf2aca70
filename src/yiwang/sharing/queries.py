"""Reads: the catalogue (metadata, any signed-in user) and a person's own data-use records."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from yiwang.core.crypto import blind_index_candidates
from yiwang.sharing.models import AccessRecord, Resource


def catalogue() -> QuerySet[Resource]:
    return Resource.objects.filter(active=True).select_related("provider").order_by("code")


def resource_dict(r: Resource) -> dict[str, Any]:
    return {"code": r.code, "name": r.name, "provider": r.provider.name, "share_type": r.share_type,
            "share_type_label": r.get_share_type_display(), "open_type": r.open_type,
            "legal_basis": r.legal_basis, "summary": r.summary, "update_cycle": r.update_cycle,
            "format": r.format, "version": r.version,
            "items": [{"name": i.get("name"), "label": i.get("label"), "type": i.get("type"),
                       "sensitivity": i.get("sensitivity")} for i in r.items or []]}


def records_about(subject_ids: list[str]) -> QuerySet[AccessRecord]:
    """Successful reads of these subjects' data (their 我的数据使用记录), newest first."""
    indexes = [i for s in subject_ids if s for i in blind_index_candidates("subject", str(s).strip().upper())]
    return (AccessRecord.objects.filter(subject_index__in=indexes, result=AccessRecord.Result.OK)
            .select_related("consumer", "resource").order_by("-seq"))


def my_record_dict(r: AccessRecord) -> dict[str, Any]:
    labels = {str(i.get("name")): str(i.get("label") or i.get("name")) for i in r.resource.items or []}
    return {"time": timezone.localtime(r.created_at).isoformat(),
            "consumer_department": r.consumer.name if r.consumer else "",
            "purpose": r.purpose, "case_number": r.case_number or None, "resource": r.resource.name,
            "items": [labels.get(i, i) for i in r.items]}


def subject_ids_of(user) -> list[str]:
    """The person's id number, and the USCC of enterprises they legally represent."""
    from yiwang.accounts.models import EnterpriseMembership

    ids = [user.id_number] if user.id_number else []
    ids += list(EnterpriseMembership.objects.filter(user=user, revoked_at__isnull=True,
                                                    kind=EnterpriseMembership.Kind.LEGAL_REP)
                .values_list("enterprise__uscc", flat=True))
    return ids
