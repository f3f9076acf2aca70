"""Production refuses demo mode and demo accounts; the per-IP limit is separate from lockout."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from yiwang.accounts.tests.conftest import PASSWORD


def _settings_import(env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIWANG_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "yiwang.settings", **env_extra})
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                          text=True, timeout=60)


def test_production_refuses_demo_mode():
    key = "main:" + "A" * 43 + "="
    out = _settings_import({"YIWANG_ENV": "production", "YIWANG_DEMO": "1", "YIWANG_SECRET_KEY": "x" * 50,
                            "YIWANG_DATA_KEY": key})
    assert out.returncode != 0 and "演示模式" in out.stderr


def test_production_requires_secret_and_data_key():
    out = _settings_import({"YIWANG_ENV": "production"})
    assert out.returncode != 0 and "YIWANG_SECRET_KEY" in out.stderr


@pytest.mark.django_db
def test_production_refuses_to_serve_with_demo_accounts(settings, make_user):
    from yiwang.production import assert_safe_to_serve

    settings.PRODUCTION = True
    assert_safe_to_serve()  # no demo accounts yet
    make_user("demo-person", is_demo=True)
    with pytest.raises(ImproperlyConfigured, match="演示账号"):
        assert_safe_to_serve()


@pytest.mark.django_db
def test_per_ip_limit_is_separate_from_account_lockout(client, make_user, settings):
    settings.YIWANG_IP_RATE_LIMIT = 3
    make_user("ipuser")
    statuses = [
        client.post("/api/v1/auth/token", data={"username": f"nobody{n}", "password": "x"},
                    content_type="application/json", REMOTE_ADDR="198.51.100.9").status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    ok = client.post("/api/v1/auth/token", data={"username": "ipuser", "password": PASSWORD},
                     content_type="application/json", REMOTE_ADDR="198.51.100.10")
    assert ok.status_code == 200
