"""Message text from Django templates, in the recipient's language.

Per event: ``notifications/<event>/title.txt`` (in-app title and e-mail subject), ``body.txt``
(in-app text and the SMS text for providers without templates) and ``email.txt`` (e-mail body).
The stored context holds codes and ISO dates only; labels and dates are formatted here, at render
time, in the language of the message.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext

from yiwang.core import clock


def _date(value) -> str:
    if not value:
        return ""
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def _datetime(value) -> str:
    if not value:
        return ""
    try:
        when = dt.datetime.fromisoformat(str(value)).astimezone(clock.SHANGHAI)
    except ValueError:
        return str(value)
    return formats.date_format(when, "DATETIME_FORMAT")


def display(context: dict) -> dict:
    """The stored context plus what needs the active language (labels, formatted dates)."""
    from yiwang.cases.models import DeliveryMethod
    from yiwang.cases.status import Outcome, ResultCode, Warning

    ctx = dict(context)
    ctx["due_date_text"] = _date(ctx.get("due_date"))
    ctx["reply_by_text"] = _date(ctx.get("reply_by"))
    ctx["time_text"] = _datetime(ctx.get("time"))
    ctx["outcome_label"] = str(Outcome(ctx["outcome"]).label) if ctx.get("outcome") in Outcome.values else ""
    ctx["result_label"] = (str(ResultCode(ctx["result_code"]).label)
                           if ctx.get("result_code") in ResultCode.values else "")
    ctx["method_label"] = str(DeliveryMethod(ctx["method"]).label) if ctx.get("method") in DeliveryMethod.values else ""
    ctx["level_label"] = str(Warning(ctx["level"]).label) if ctx.get("level") in Warning.values else ""
    ctx["step_label"] = gettext(ctx["step_name"]) if ctx.get("step_name") else ""
    ctx["url"] = settings.YIWANG_SITE_URL.rstrip("/") + ctx["link"] if ctx.get("link") else ""
    ctx["site_name"] = gettext("一网通办")
    return ctx


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(event: str, part: str, context: dict, language: str) -> str:
    """Render ``part`` (title, body, email) of ``event``'s message; raises when the template fails."""
    with translation.override(language):
        text = render_to_string(f"notifications/{event}/{part}.txt", display(context))
    return _one_line(text) if part in ("title", "body") else text.strip() + "\n"


def sms_params(names: list[str], context: dict, language: str) -> dict[str, str]:
    """The values for a provider template's parameters, formatted like the text would show them."""
    with translation.override(language):
        ctx = display(context)
    aliases = {"due_date": "due_date_text", "reply_by": "reply_by_text", "time": "time_text",
               "result": "result_label", "outcome": "outcome_label", "method": "method_label"}
    return {name: str(ctx.get(aliases.get(name, name), "")) for name in names}
