"""Password rules beyond Django's: a strong password mixes character classes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: lower-case, upper-case, digits, symbols."""

    def validate(self, password, user=None):
        classes = sum(
            bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]")
        )
        if classes < 3:
            raise ValidationError(_("密码至少包含大写字母、小写字母、数字、符号中的三类。"), code="password_too_simple")

    def get_help_text(self):
        return _("密码至少 8 位，且包含大写字母、小写字母、数字、符号中的三类。")
