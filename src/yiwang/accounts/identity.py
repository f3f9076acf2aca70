"""Identity-verification provider interface (实名核验). Production plugs in 公安 实名核验;
``DevelopmentIdentityVerifier`` is a development double used only in demo/development mode: it
accepts any well-formed ID number whose check digit is right."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy

from yiwang.core.identifiers import IdentifierError, parse_id_number


@dataclass
class IdentityCheck:
    verified: bool
    reason: str = ""  # shown to the user; may be lazy, so the audit record can render it in Chinese


class IdentityVerifier(ABC):
    name = "base"
    is_development = False

    @abstractmethod
    def verify(self, name: str, id_number: str) -> IdentityCheck:
        ...


class DevelopmentIdentityVerifier(IdentityVerifier):
    """Development double (开发用实名核验): well-formed ID + non-empty name ⇒ verified."""

    name = "development"
    is_development = True

    def verify(self, name: str, id_number: str) -> IdentityCheck:
        if not name.strip():
            return IdentityCheck(False, gettext_lazy("姓名不能为空。"))
        try:
            parse_id_number(id_number)
        except IdentifierError as exc:
            return IdentityCheck(False, str(exc))
        return IdentityCheck(True)


def get_verifier() -> IdentityVerifier:
    return import_string(settings.YIWANG_IDENTITY_PROVIDER)()
