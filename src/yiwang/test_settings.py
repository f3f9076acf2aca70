"""Settings for the test suite: the real settings with a fast password hasher."""

import os

from yiwang.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Concurrency tests need a real file (threads on one in-memory SQLite database lock each other
# out at once instead of waiting); `make test` passes YIWANG_TEST_SQLITE_FILE, a bare pytest run
# gets this default.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {}).setdefault(  # noqa: F405
        "NAME", str(VAR_DIR / f"test-pytest-{os.getpid()}.sqlite3")  # noqa: F405  (one per concurrent run)
    )
