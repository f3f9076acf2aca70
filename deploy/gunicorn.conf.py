"""gunicorn settings for production (``gunicorn -c deploy/gunicorn.conf.py yiwang.wsgi:application``).

A search query of 1,000 Chinese characters is about 9 KB once URL-encoded, beyond gunicorn's
default request-line limit of 4094 bytes; allow 16 KB (the reverse proxy must allow as much:
nginx ``large_client_header_buffers 4 16k;``).
"""

import multiprocessing
import os

bind = os.environ.get("YIWANG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("YIWANG_WORKERS", multiprocessing.cpu_count() * 2))
limit_request_line = 16384
limit_request_field_size = 16384
timeout = 60
accesslog = "-"
