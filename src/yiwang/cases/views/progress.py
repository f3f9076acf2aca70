"""办件查询: anyone with the case number and query password from the receipt sees the status and
steps (the applicant's name masked). A wrong pair and an unknown number read the same; too many
tries get a friendly 429 page (``cases.progress`` keeps the counters)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.cases import progress as progress_service
from yiwang.cases.forms import ProgressForm, ResendForm
from yiwang.core.api import NotFound, RateLimited


def _readable(result: dict) -> dict:
    steps = []
    for s in result["steps"]:
        ended = dt.datetime.fromisoformat(s["ended_at"]) if s.get("ended_at") else None
        steps.append({**s, "ended": ended})
    due = dt.date.fromisoformat(result["due_date"]) if result.get("due_date") else None
    return {**result, "steps": steps, "due": due}


def progress(request):
    form = ProgressForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = _readable(progress_service.query(form.cleaned_data["number"], form.cleaned_data["password"],
                                                          ip=getattr(request, "client_ip", "")))
            except NotFound:
                form.add_error(None, _("办件编号或查询密码不正确，请核对申报回执后重试。"))
                status = 404
            except RateLimited as exc:
                form.add_error(None, _("%(reason)s 为保护您的信息，请 15 分钟后再查询。") % {"reason": exc.message})
                status = 429
        else:
            status = 400
    return render(request, "cases/progress.html", {"form": form, "result": result, "resend_form": ResendForm()},
                  status=status)


@require_POST
def resend(request):
    """A lost query password: re-sent by SMS to the applicant's phone on record (same answer for
    every number, so the page cannot be used to find out which numbers exist)."""
    form, message, status = ResendForm(request.POST), "", 200
    if form.is_valid():
        try:
            progress_service.resend_password(form.cleaned_data["number"], ip=getattr(request, "client_ip", ""))
            message = _("如办件编号正确，查询密码已通过短信发送至申请人预留的手机。")
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
    else:
        status = 400
    return render(request, "cases/progress.html", {"form": ProgressForm(), "result": None, "resend_form": form,
                                                   "resend_message": message}, status=status)
