"""Notices (文书) as printable pages: 受理通知书, 不予受理通知书, 补正告知书 and the decision (准予 /
不予). Each exists only once the case has reached that point; the applicant, their proxy agent and
staff who may see the case can open them. The 复议/诉讼 rights text lives here, once."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yiwang.cases import policies
from yiwang.cases.models import Case, TimelineEntry
from yiwang.cases.status import CaseStatus, Outcome
from yiwang.cases.views.common import case_view, problem

KINDS = ("accept", "refuse", "correction", "decision")


def rights_text(case: Case) -> str:
    """告知申请人的救济途径 (行政复议法 §20, 行政诉讼法 §46): sixty days for 行政复议 before the
    people's government at the deciding department's level, six months for 行政诉讼."""
    organ = f"{case.department.region.full_name}{_('人民政府')}"
    return _("如不服本决定，可以在收到本通知书之日起六十日内向%(organ)s申请行政复议，"
             "或者在六个月内依法向人民法院提起行政诉讼。") % {"organ": organ}


def _entry(case: Case, status_to: str) -> TimelineEntry | None:
    return (case.timeline.filter(status_to=status_to).select_related("department").order_by("-id").first())


def _decision_title(case: Case) -> str:
    licensing = case.item_version.item_type == "01"
    if case.outcome == Outcome.DENY:
        return _("不予行政许可决定书") if licensing else _("不予办理决定书")
    return _("准予行政许可决定书") if licensing else _("准予办理决定书")


def with_material_names(case: Case, text: str) -> str:
    """A 补正 list names materials by code (M01); show their names instead."""
    names = {m.material_code: m.name for m in case.materials.all()}
    if not names:
        return text
    codes = "|".join(re.escape(c) for c in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z0-9])({codes})(?![A-Za-z0-9])")
    return pattern.sub(lambda m: f"{names[m.group(1)]}", text)


def notice(case: Case, kind: str) -> dict | None:
    """What a notice says, or None when the case has not reached it."""
    if kind == "accept":
        entry = _entry(case, CaseStatus.ACCEPTED)
        if entry is None or case.accepted_at is None:
            return None
        return {"kind": kind, "title": _("受理通知书"), "entry": entry}
    if kind == "refuse":
        entry = _entry(case, CaseStatus.REFUSED)
        if entry is None or case.status != CaseStatus.REFUSED:
            return None
        return {"kind": kind, "title": _("不予受理通知书"), "entry": entry, "rights": rights_text(case)}
    if kind == "correction":
        entry = _entry(case, CaseStatus.CORRECTION_REQUESTED)
        if entry is None:
            return None
        return {"kind": kind, "title": _("补正材料告知书"), "entry": entry,
                "missing": [s for s in with_material_names(case, entry.opinion).split("；") if s.strip()]}
    if kind == "decision":
        entry = _entry(case, CaseStatus.DECIDED)
        if entry is None or not case.outcome:
            return None
        deny = case.outcome == Outcome.DENY
        return {"kind": kind, "title": _decision_title(case), "entry": entry, "deny": deny,
                "rights": rights_text(case) if deny else ""}
    return None


def available_notices(case: Case) -> list[dict]:
    out = []
    for kind in KINDS:
        found = notice(case, kind)
        if found:
            out.append({"kind": kind, "title": found["title"], "url": reverse("cases:notice", args=[case.pk, kind])})
    return out


@login_required
@case_view(party_only=False)
def notice_page(request, case: Case, kind: str):
    found = notice(case, kind) if kind in KINDS else None
    if found is None:
        return problem(request, _("文书不存在"), _("该办件尚未产生这份文书。"), 404,
                       link=reverse("cases:detail", args=[case.pk]) if policies.is_party(request.user, case) else "",
                       link_text=_("返回办件详情"))
    return render(request, "cases/notice.html", {"case": case, "notice": found,
                                                 "party": policies.is_party(request.user, case)})
