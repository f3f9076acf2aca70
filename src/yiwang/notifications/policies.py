"""Who may do what with messages beyond their own inbox."""

from yiwang.accounts.policies import holds_any
from yiwang.accounts.roles import Role


def can_manage_dead_letters(user) -> bool:
    """Platform administrators look after delivery failures (they may see masked recipients only)."""
    return getattr(user, "is_authenticated", False) and user.is_active and holds_any(user, {Role.PLATFORM_ADMIN})
