"""Forms of the messages pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from yiwang.notifications.models import Channel


class QuietHoursForm(forms.Form):
    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    quiet_end = forms.TimeField(label=_("免打扰结束"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    language = forms.ChoiceField(label=_("邮件和短信语言"), choices=settings.LANGUAGES)

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("免打扰时段需要同时填写开始和结束时间，或都留空。"))
        if start is not None and start == end:
            self.add_error("quiet_end", _("结束时间不能与开始时间相同。"))
        return data


def channel_choices(post, rows: list[dict]) -> dict[tuple[str, str], bool]:
    """Checkbox names are ``<event>:<channel>``; an unchecked box is simply absent."""
    return {(row["event"], channel): f"{row['event']}:{channel}" in post
            for row in rows for channel in (Channel.EMAIL, Channel.SMS)}


class ResendForm(forms.Form):
    recipient = forms.CharField(label=_("改用新的接收地址（可不填）"), required=False, max_length=254)
    confirm = forms.BooleanField(label=_("我已核实，确认重新发送"), required=True,
                                 error_messages={"required": _("请勾选确认后再重新发送。")})
