"""``{{ t.step|step_label }}``: step names are stored as their Chinese msgid (the platform language)
and translated when shown, so a timeline reads in the viewer's language."""

from django import template
from django.utils.translation import gettext, gettext_noop

register = template.Library()

# Step names that come from the BPMN templates' properties (not from Python code), listed here so
# that makemessages puts them in the catalogue.
BPMN_STEP_NAMES = [gettext_noop("承办"), gettext_noop("审核"), gettext_noop("批准"), gettext_noop("联审"),
                   gettext_noop("决定"), gettext_noop("即办")]


@register.filter
def step_label(value) -> str:
    text = str(value or "")
    return gettext(text) if text else ""
