"""Working-day calendar (DESIGN §4.3)."""


def seed_official_years(using: str = "default") -> None:
    """Placeholder until the calendar lands."""
