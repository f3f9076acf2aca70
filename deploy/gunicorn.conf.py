"""gunicorn settings for production (``gunicorn -c deploy/gunicorn.conf.py yiwang.wsgi:application``).

A search query of 1,000 Chinese characters is about 9 KB once URL-encoded, beyond gunicorn's
default request-line limit of 4094 bytes and beyond the largest finite limit it accepts (8190).
So gunicorn's own limit is switched off (0) and the reverse proxy in front bounds the request
line instead: nginx ``large_client_header_buffers 4 16k;`` (requests beyond it get 414 there).
The application itself cuts search queries to 100 characters.
"""

import multiprocessing
import os

bind = os.environ.get("YIWANG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("YIWANG_WORKERS", multiprocessing.cpu_count() * 2))
limit_request_line = 0  # bounded by the reverse proxy (16 KB), see above
limit_request_field_size = 16384
timeout = 60
accesslog = "-"
