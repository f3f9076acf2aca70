"""Start-up hooks of the kernel."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

from yiwang.core import audit  # noqa: F401  (connects the append-only guards of the audit log)


@receiver(post_migrate)
def seed_calendar(sender, app_config=None, using="default", **kwargs):
    """Seed the working-day calendar from ``chinesecalendar`` once the core tables exist."""
    if app_config is None or app_config.label != "core":
        return
    from yiwang.core.workdays import seed_official_years

    seed_official_years(using=using)
