"""Field checks shared by the account services; they collect every problem at once."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yiwang.core.api import ApiError
from yiwang.core.identifiers import IdentifierError, parse_id_number, parse_uscc

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
NAME_RE = re.compile(r"^[\u4e00-\u9fa5·•A-Za-z .]{2,30}$")


class FieldErrors:
    """Collect field messages, then raise one 400 with all of them."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self, message: str | None = None, code: str = "validation_error") -> None:
        if self.fields:
            raise ApiError(code, message or _("提交的内容有误，请检查标注的字段。"), dict(self.fields))


def check_phone(errors: FieldErrors, phone: str, field: str = "phone") -> str:
    phone = (phone or "").strip()
    if not PHONE_RE.match(phone):
        errors.add(field, _("请输入 11 位中国大陆手机号码。"))
    return phone


def check_name(errors: FieldErrors, name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not NAME_RE.match(name):
        errors.add(field, _("请输入与身份证一致的姓名（2–30 个字）。"))
    return name


def check_id_number(errors: FieldErrors, value: str, field: str = "id_number") -> str:
    try:
        return parse_id_number(value or "").number18
    except IdentifierError as exc:
        errors.add(field, str(exc))
        return ""


def check_uscc(errors: FieldErrors, value: str, field: str = "uscc") -> str:
    try:
        parse_uscc(value or "")
    except IdentifierError as exc:
        errors.add(field, str(exc))
        return ""
    return value.strip().upper()


def check_password(errors: FieldErrors, password: str, user=None, field: str = "password") -> None:
    try:
        password_validation.validate_password(password or "", user)
    except ValidationError as exc:
        errors.add(field, " ".join(str(m) for m in exc.messages))
