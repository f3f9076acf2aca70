"""Start-up guard for production: refuse to serve with demo accounts in the database."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def assert_safe_to_serve() -> None:
    if not settings.PRODUCTION:
        return
    from yiwang.accounts.models import User

    if User.objects.filter(is_demo=True, is_active=True).exists():
        raise ImproperlyConfigured("数据库中存在演示账号，生产环境拒绝启动。请先删除演示数据。")
