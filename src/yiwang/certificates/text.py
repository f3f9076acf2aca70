"""Free text typed into certificate forms (reasons, purposes, 照面 changes) as it is stored: no
NUL or other control characters (PostgreSQL refuses NUL in text, a certificate must not carry
invisible characters), trimmed."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: object) -> str:
    return _CONTROL.sub("", str(value or "")).strip()
