"""Issue the certificate of a granted case (``case.decided {outcome: grant}``), then complete the
case with result 出证 — in the dispatcher's transaction, so a failure retries both."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_noop

from yiwang.cases.handling import complete_by_system, in_platform_language
from yiwang.cases.models import Case
from yiwang.certificates.issuing import IssueError, issue_for_case, type_for_item
from yiwang.core import audit
from yiwang.core.dispatch import consumer
from yiwang.core.models import OutboxEvent

log = logging.getLogger("yiwang.certificates")


@consumer("case.decided")
def issue_granted(events: list[OutboxEvent]) -> None:
    for event in events:
        if event.payload.get("outcome") != "grant":
            continue
        case = (Case.objects.select_related("item_version", "applicant", "enterprise")
                .filter(pk=event.payload.get("case_id")).first())
        if case is None or type_for_item(case.item_version) is None:
            continue
        try:
            cert = issue_for_case(case)
        except IssueError as exc:
            # A data problem (no holder id, no issuer USCC): retrying cannot help. The case waits
            # for the issuing department's approver to issue by hand (证照管理 → 手工签发).
            log.warning("办件 %s 未能自动签发证照：%s", case.number, exc.message)
            audit.record("certificates.issue_failed", obj=case, summary=f"{case.number} 未能自动签发证照：{exc.message}")
            continue
        if cert is not None:
            complete_by_system(case.pk, opinion=in_platform_language(
                gettext_noop("已签发电子证照：%(id)s"), id=cert.identifier))
