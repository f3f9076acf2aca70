"""WSGI entry point (gunicorn ``yiwang.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
application = get_wsgi_application()

from yiwang.production import assert_safe_to_serve  # noqa: E402  (needs the app registry)

assert_safe_to_serve()

# Load the search dictionary now rather than in the first visitor's request.
from yiwang.core.text import query_tokens  # noqa: E402

query_tokens("预热")
