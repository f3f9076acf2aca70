"""Data hook of ``certs_verify_1m``: a certificate log of 1,000,000 entries (BENCH_CERT_LOG
changes it) with 10,000 certificate rows in it, and GET /api/v1/certificates/verify?id=… over
those certificates in random order (cases_requests.lua)."""

import os
import random
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_common

from yiwang.certificates.benchseed import seed_log

size = int(os.environ.get("BENCH_CERT_LOG", "1000000"))
identifiers = seed_log(size, log_progress=lambda m: cases_common.log(f"certs: {m}"))
random.Random(7).shuffle(identifiers)
print("XFF=1")  # one client address per request: verification by id is rate-limited per address
cases_common.write_requests(f"certs_verify_{size}", [
    ("GET", f"/api/v1/certificates/verify?id={quote(i, safe='')}", None) for i in identifiers])
