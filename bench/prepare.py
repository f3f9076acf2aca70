"""Data preparation for ``make bench``, run with the bench environment (production settings).

python bench/prepare.py token        create the bench user (once) and print a new bearer key
python bench/prepare.py hook FILE    run a scenario's data hook (bench/hooks/*.py) with Django
                                     set up; KEY=VALUE lines it prints reach the wrk script
"""

import os
import runpy
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")

import django

django.setup()

BENCH_USERNAME = "bench"


def bench_user():
    from yiwang.accounts.models import User

    user, created = User.objects.get_or_create(username=BENCH_USERNAME, defaults={"name": "压测用户"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def token() -> None:
    from yiwang.accounts.tokens import issue_token

    key, _ = issue_token(bench_user(), ttl_seconds=6 * 3600)
    print(key)


def main(argv: list[str]) -> None:
    if argv[:1] == ["token"]:
        token()
    elif argv[:1] == ["hook"] and len(argv) == 2:
        runpy.run_path(argv[1], run_name="__main__")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
