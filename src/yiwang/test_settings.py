"""Settings for the test suite: the real settings with a fast password hasher."""

from yiwang.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
