"""Masking of personal data for display (DESIGN §5): show only what identifies the record."""


def mask_id_number(value: str | None) -> str:
    """``370812199001011234`` → ``370812********1234``."""
    if not value:
        return ""
    v = str(value).strip()
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_phone(value: str | None) -> str:
    """``13800000001`` → ``138****0001``."""
    if not value:
        return ""
    v = str(value).strip()
    if len(v) < 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def mask_name(value: str | None) -> str:
    """``张三丰`` → ``张**``; a single character stays as it is."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return value or ""
    local, domain = value.split("@", 1)
    return (local[0] + "***" if local else "***") + "@" + domain


def mask_address(value: str | None, keep: int = 6) -> str:
    if not value:
        return ""
    return value[:keep] + ("****" if len(value) > keep else "")
