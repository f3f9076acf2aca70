"""Pages: 我的消息 (inbox), 消息设置 (channels and quiet hours), and 死信 for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.catalog.views import paged
from yiwang.core import audit
from yiwang.core.models import OutboxEvent
from yiwang.notifications import delivering, forms, policies, queries, services
from yiwang.notifications.models import Channel, Delivery, Notification, NotificationSettings
from yiwang.notifications.rules import RULES

PAGE_SIZE = 20


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    rows, total, pager = paged(request, queries.inbox(request.user, unread_only), PAGE_SIZE)
    return render(request, "notifications/inbox.html", {
        "rows": rows, "total": total, "unread_only": unread_only, "pagination": pager,
    })


@login_required
@require_POST
def read(request, notification_id: int):
    """Mark read and, from the 查看 button, go on to the message's link."""
    try:
        n = services.mark_read(request.user, notification_id)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    target = n.link if request.POST.get("open") and n.link else request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "notifications:inbox")


@login_required
@require_POST
def read_all(request):
    n = services.mark_all_read(request.user)
    messages.success(request, _("已将 %(n)d 条消息标记为已读。") % {"n": n})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    rows = services.preference_rows(request.user)
    personal = NotificationSettings.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = forms.QuietHoursForm(request.POST)
        if form.is_valid():
            services.save_preferences(request.user, forms.channel_choices(request.POST, rows),
                                      form.cleaned_data["quiet_start"], form.cleaned_data["quiet_end"],
                                      form.cleaned_data["language"])
            messages.success(request, _("消息设置已保存。"))
            return redirect("notifications:preferences")
        chosen = forms.channel_choices(request.POST, rows)
        for row in rows:  # show what was ticked, not what was saved, so nothing is lost
            row["email"], row["sms"] = chosen[(row["event"], Channel.EMAIL)], chosen[(row["event"], Channel.SMS)]
    else:
        form = forms.QuietHoursForm(initial={
            "quiet_start": personal.quiet_start if personal else None,
            "quiet_end": personal.quiet_end if personal else None,
            "language": personal.language if personal else request.LANGUAGE_CODE,
        })
    is_staff = request.user.staff_roles.exists()
    rows = [r for r in rows if is_staff or r["audience"] != "staff"]
    return render(request, "notifications/preferences.html", {
        "rows": rows, "form": form, "has_email": bool(request.user.email and request.user.email_verified),
        "has_phone": bool(request.user.phone),
    })


def _require_admin(request) -> None:
    if not policies.can_manage_dead_letters(request.user):
        audit.record("notification.access_denied", actor=request.user, summary="无权查看死信")
        raise PermissionDenied(_("只有平台管理员可以查看和重新发送死信。"))


@login_required
def dead_letters(request):
    _require_admin(request)
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    event = request.GET.get("event", "")
    event = event if event in RULES else ""
    rows, total, pager = paged(request, queries.dead_letters(channel, event).select_related("user"), PAGE_SIZE)
    events = OutboxEvent.objects.filter(dead_at__isnull=False).order_by("-dead_at")[:50]
    labels = {r.event: r.label for r in RULES.values()}
    for d in rows:
        d.event_label = labels.get(d.event_name, d.event_name)
    return render(request, "notifications/dead_letters.html", {
        "rows": rows, "total": total, "pagination": pager, "channel": channel, "event": event,
        "channels": Channel.choices, "events": [(r.event, r.label) for r in RULES.values()],
        "dead_events": events,
    })


@login_required
def dead_letter(request, delivery_id: int):
    _require_admin(request)
    d = get_object_or_404(Delivery.objects.select_related("user"), pk=delivery_id)
    form = forms.ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = delivering.resend(d, request.user, form.cleaned_data["recipient"].strip())
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已重新发送，新的投递记录 #%(id)d。") % {"id": new.pk})
            return redirect("notifications_admin:dead_letters")
    return render(request, "notifications/dead_letter.html", {"d": d, "form": form})


@login_required
@require_POST
def requeue_event(request, event_id: int):
    _require_admin(request)
    from yiwang.core.dispatch import requeue

    event = get_object_or_404(OutboxEvent, pk=event_id, dead_at__isnull=False)
    requeue(event)
    audit.record("outbox.requeued", actor=request.user, obj=event, summary=f"重新分发事件 {event.name}")
    messages.success(request, _("事件已重新排队分发。"))
    return redirect("notifications_admin:dead_letters")
