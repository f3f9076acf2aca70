"""Run in a subprocess by the reliability tests against their own database:
``python -m yiwang.notifications.tests.reliability_seed PREFIX COUNT`` creates COUNT people with a
verified e-mail address and emits one ``account.password_changed`` event for each (the in-app and
e-mail message it causes are what the tests count)."""

import sys


def main(prefix: str, count: int) -> None:
    import django

    django.setup()
    from django.db import transaction

    from yiwang.accounts.models import User
    from yiwang.core.events import emit

    with transaction.atomic():
        users = User.objects.bulk_create([
            User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.cn", email_verified=True, name=f"用户{i}")
            for i in range(count)
        ])
        for user in users:
            emit("account.password_changed", {"user_id": user.pk})


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
