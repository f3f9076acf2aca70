"""Shared data from a provider department's own system over HTTP (issue 8 (b); protocol in
docs/sharing-provider-protocol.md).

Why this much machinery around one POST: the caller is an application form waiting for an
answer. A slow or broken department system must cost the applicant at most a short, bounded
wait, after which the field falls back to manual entry (``exchange.ProviderUnavailable``). So:

- every attempt has the resource's timeout, and all attempts together a budget of twice that;
- transient failures (connection errors, timeouts, HTTP 500/502/503/504) are retried a couple of
  times with a short backoff, never past the budget; other 4xx are final at once;
- a circuit breaker per resource stops calling a system that keeps failing, so a broken system
  costs each form nothing at all until a trial call after the open period succeeds;
- the answer is checked against the resource's declared items before any value reaches a form:
  a value of the wrong type is a failure, never silently shown to the applicant.

And around where it goes, because a data steward chooses the URL and the token variable:

- the subject's ID number travels in a JSON body, never in the URL (query strings end up in proxy
  and web-server logs);
- the client ignores the process environment (``trust_env=False``: no HTTP(S)_PROXY detour, no
  SSL_CERT_FILE swap) and never follows a redirect;
- the endpoint host must be on the operator's list ``YIWANG_SHARING_PROVIDER_HOSTS``; in
  production the list must be set and the URL must be https (checked again here at every read,
  not only when the steward saves, since settings and old rows change under a saved resource);
- a token variable is sent only if its name lies in the provider department's own namespace
  ``YIWANG_SHARING_TOKEN_<DEPT>_…``, so one department cannot name another's token.

The breaker lives in the process (each app process keeps its own); it needs no shared store,
and a process that restarts simply starts closed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import math
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from yiwang.org.models import Department
from yiwang.sharing.exchange import ProviderUnavailable
from yiwang.sharing.models import Resource

logger = logging.getLogger("yiwang.sharing.http")

MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 0.1  # first pause; doubled after each failed attempt, plus a little jitter
BUDGET_FACTOR = 2.0  # all attempts of one fetch together: at most this many times the timeout
MIN_ATTEMPT_SECONDS = 0.05  # not worth starting an attempt with less time than this left
MAX_BODY_BYTES = 1_000_000  # one subject's record is a few hundred bytes; refuse a flood
RETRY_STATUSES = frozenset({500, 502, 503, 504})
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
USER_AGENT = "yiwang-sharing/2.0"  # protocol 2: POST with a JSON body


# -- the response check --------------------------------------------------------------------------

class SchemaError(ProviderUnavailable):
    """The provider answered, but not in the agreed shape (a breaker failure like any other)."""


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# declared item type → (value check, Chinese name of the type for the reason)
TYPE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "string": (lambda v: isinstance(v, str), "文本"),
    "date": (_is_date, "日期（YYYY-MM-DD）"),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "整数"),
    "number": (lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v), "数值"),
    "boolean": (lambda v: isinstance(v, bool), "布尔值（true/false）"),
}


def check_response(items: list[Mapping[str, Any]], subject: str, body: Any) -> dict[str, Any]:
    """The declared items of a 200 answer, each checked against its declared type.

    ``body`` must be ``{"subject": <the subject asked for>, "data": {item: value, ...}}``. Items the
    resource does not declare are dropped; a declared item may be absent or null (no value), but a
    present value of another type raises ``SchemaError`` naming the item. An unknown declared type
    is checked as text."""
    if not isinstance(body, dict):
        raise SchemaError(_("提供部门系统返回的数据格式不符合约定：应为 JSON 对象。"))
    answered = body.get("subject")
    if not isinstance(answered, str) or answered.strip().upper() != subject.strip().upper():
        raise SchemaError(_("提供部门系统返回的数据主体与查询的不一致，已拒收。"))
    data = body.get("data")
    if not isinstance(data, dict):
        raise SchemaError(_("提供部门系统返回的数据格式不符合约定：缺少 data 对象。"))
    values: dict[str, Any] = {}
    for item in items:
        name = str(item.get("name"))
        if name not in data:
            continue
        value = data[name]
        if value is not None:
            check, type_label = TYPE_CHECKS.get(str(item.get("type")), TYPE_CHECKS["string"])
            if not check(value):
                raise SchemaError(_("提供部门系统返回的数据项“%(label)s”（%(name)s）应为%(type)s。") % {
                    "label": item.get("label") or name, "name": name, "type": type_label})
        values[name] = value
    return values


def _reject_constant(name: str) -> Any:
    raise ValueError(name)  # NaN / Infinity are not JSON


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SchemaError(_("提供部门系统返回的不是有效的 JSON。")) from exc


# -- the circuit breaker -------------------------------------------------------------------------

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


@dataclass
class _Breaker:
    state: str = CLOSED
    failures: int = 0  # consecutive
    opened_at: float = 0.0
    trial_running: bool = False


class BreakerBoard:
    """One breaker per resource code, shared by the threads of this process.

    closed → (``threshold`` consecutive failures) → open → (``open_seconds`` later) half_open:
    exactly one trial call goes through; its success closes the breaker, its failure opens it for
    another period. ``clock`` is injectable so tests need not wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._breakers: dict[str, _Breaker] = {}

    @staticmethod
    def threshold() -> int:
        return max(1, int(getattr(settings, "YIWANG_SHARING_BREAKER_FAILURES", 5)))

    @staticmethod
    def open_seconds() -> float:
        return float(getattr(settings, "YIWANG_SHARING_BREAKER_SECONDS", 30))

    def _get(self, code: str) -> _Breaker:
        return self._breakers.setdefault(code, _Breaker())

    def _advance(self, b: _Breaker) -> None:
        if b.state == OPEN and self.clock() - b.opened_at >= self.open_seconds():
            b.state, b.trial_running = HALF_OPEN, False

    def state(self, code: str) -> str:
        with self._lock:
            b = self._breakers.get(code)
            if b is None:
                return CLOSED
            self._advance(b)
            return b.state

    def admit(self, code: str) -> bool | None:
        """May a call go through now? None: no (open, or another trial is running); True: yes,
        as the half-open trial; False: yes, normally."""
        with self._lock:
            b = self._get(code)
            self._advance(b)
            if b.state == CLOSED:
                return False
            if b.state == HALF_OPEN and not b.trial_running:
                b.trial_running = True
                return True
            return None

    def succeeded(self, code: str) -> None:
        with self._lock:
            b = self._get(code)
            b.state, b.failures, b.trial_running = CLOSED, 0, False

    def failed(self, code: str) -> bool:
        """Count one failure; True when this one opened the breaker."""
        with self._lock:
            b = self._get(code)
            b.failures += 1
            b.trial_running = False
            if b.state != OPEN and (b.state == HALF_OPEN or b.failures >= self.threshold()):
                b.state, b.opened_at = OPEN, self.clock()
                return True
            return False

    def released(self, code: str) -> None:
        """A trial ended without a verdict (an unexpected error): let the next call try."""
        with self._lock:
            self._get(code).trial_running = False

    def reset(self) -> None:
        with self._lock:
            self._breakers.clear()


BREAKERS = BreakerBoard()


def reset_breakers() -> None:
    """Forget every breaker (tests; a deliberate operator reset)."""
    BREAKERS.reset()


def breaker_state(code: str) -> str:
    """``"closed"``, ``"open"`` or ``"half_open"`` for the resource ``code``."""
    return BREAKERS.state(code)


# -- where the platform may call (SSRF guard) ---------------------------------------------------

HOSTS_SETTING = "YIWANG_SHARING_PROVIDER_HOSTS"
# endpoint_policy verdicts ("" = may be called)
BAD_URL, NO_HOSTS, HTTPS_REQUIRED, HOST_NOT_ALLOWED = "bad_url", "no_hosts", "https_required", "host_not_allowed"


def _ascii_host(host: str) -> str:
    """``host`` lower-cased, without a trailing dot, IDNA-encoded the way httpx connects to it;
    "" if it is not a host name or address."""
    host = str(host or "").strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host:
        return ""
    try:
        raw = httpx.URL(scheme="http", host=host).raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return ""
    return "" if "%" in raw or "/" in raw else raw.rstrip(".")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def host_allowed(host: str, patterns: Iterable[str]) -> bool:
    """Does ``host`` match one of ``patterns``? An entry is a host name or address, matched exactly,
    or ``*.example.gov.cn``: any name below example.gov.cn, at any depth, but not example.gov.cn
    itself (list it too if it serves). Case and a trailing dot do not matter; IDN names match in
    either form. A wildcard never matches an IP address, and a wildcard whose last label has no
    letter (``*.0.1``) matches nothing: no TLD is numeric, and numeric hosts are addresses."""
    name = _ascii_host(host)
    if not name:
        return False
    address = _ip(name)
    for raw in patterns:
        pattern = str(raw or "").strip().lower()
        if pattern.startswith("*."):
            suffix = _ascii_host(pattern[2:])
            if suffix and address is None and re.search(r"[a-z]", suffix.rsplit(".", 1)[-1]) \
                    and name.endswith("." + suffix):
                return True
        elif pattern and "*" not in pattern:
            exact = _ascii_host(pattern)
            if exact and (exact == name or (address is not None and _ip(exact) == address)):
                return True
    return False


def provider_hosts() -> list[str]:
    """The operator's list of hosts a department system may be reached at (lower-case patterns)."""
    return [h for h in (str(p).strip().lower() for p in getattr(settings, HOSTS_SETTING, []) or []) if h]


def endpoint_host(url: str) -> str:
    """The host httpx would connect to for ``url`` (ASCII, lower-case), "" if it has none."""
    try:
        return _ascii_host(httpx.URL(url).host)
    except (httpx.InvalidURL, TypeError, ValueError):
        return ""


def _never_reachable(host: str) -> bool:
    """Addresses no department system lives at, whatever the host list says: link-local (cloud
    metadata services answer at 169.254.169.254), unspecified and multicast addresses."""
    if host.rstrip(".").lower() in ("metadata.google.internal", "metadata"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    return address.is_link_local or address.is_unspecified or address.is_multicast


def endpoint_policy(url: str) -> str:
    """May the platform call ``url`` under the current settings? "" if so, else why not:
    ``NO_HOSTS`` (production and no host list: HTTP-backed resources are refused),
    ``HTTPS_REQUIRED`` (production and not https), ``HOST_NOT_ALLOWED``, or ``BAD_URL``.

    The host is taken from httpx's own parse of the URL, the one it will connect to, so a URL that
    another parser reads differently (``http://allowed\\@elsewhere/``) cannot slip through."""
    try:
        parsed = httpx.URL(str(url or ""))
    except (httpx.InvalidURL, TypeError, ValueError):
        return BAD_URL
    host = endpoint_host(str(url))
    if parsed.scheme not in ("http", "https") or not host:
        return BAD_URL
    if _never_reachable(host):
        return HOST_NOT_ALLOWED
    production, hosts = bool(getattr(settings, "PRODUCTION", False)), provider_hosts()
    if production and not hosts:
        return NO_HOSTS
    if production and parsed.scheme != "https":
        return HTTPS_REQUIRED
    if hosts and not host_allowed(host, hosts):
        return HOST_NOT_ALLOWED
    return ""


def _policy_reason(verdict: str) -> str:
    """The read-time reason (the applicant's note, the access log): no settings names in it."""
    if verdict == HTTPS_REQUIRED:
        return _("该资源的接口地址未使用 HTTPS，生产环境中不予查询。")
    if verdict in (NO_HOSTS, HOST_NOT_ALLOWED):
        return _("该资源的接口地址不在平台允许访问的范围内，未查询提供部门系统。")
    return _("该资源的接口地址无效。")


# -- the bearer token's variable -----------------------------------------------------------------

# Only variables named for this purpose are ever sent: a steward who could name any variable could
# have the platform send its own secrets (YIWANG_DATA_KEY, DATABASE_URL …) to an address they chose.
# Within the prefix, each department has its own namespace (token_env_prefix), so a steward cannot
# name a variable the operator set for another department's system either.
TOKEN_ENV_PREFIX = "YIWANG_SHARING_TOKEN_"
TOKEN_ENV_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,79}$")


def _dept_code(department: Department | str) -> str:
    return department if isinstance(department, str) else department.code


def token_env_prefix(department: Department | str) -> str:
    """``YIWANG_SHARING_TOKEN_<DEPT>_``: the department's code upper-cased, every character other
    than A-Z and 0-9 replaced by ``_`` (``natural-resources`` → ``…_NATURAL_RESOURCES_``)."""
    return f"{TOKEN_ENV_PREFIX}{re.sub(r'[^A-Z0-9]', '_', _dept_code(department).upper())}_"


def token_env_rival(name: str, department: Department) -> Department | None:
    """Another department with an equal or better claim to ``name``: its prefix also starts the name
    and is at least as long as ``department``'s. ``natural`` must not take
    ``…_NATURAL_RESOURCES_BDC``, which is ``natural-resources``' namespace; and two codes that map
    to the same prefix (``a-b``, ``a_b``) cannot tell their variables apart, so neither may use one."""
    own = len(token_env_prefix(department))
    for other in Department.objects.exclude(pk=department.pk).only("pk", "code", "name"):
        prefix = token_env_prefix(other)
        if len(prefix) >= own and name.startswith(prefix):
            return other
    return None


def token_env_usable(name: str, department: Department) -> bool:
    """May a resource of ``department`` have the variable ``name`` sent as its token?"""
    prefix = token_env_prefix(department)
    return bool(TOKEN_ENV_PATTERN.match(name) and name.startswith(prefix) and len(name) > len(prefix)
                and token_env_rival(name, department) is None)


# -- the call ------------------------------------------------------------------------------------

class _Failure(ProviderUnavailable):
    """One attempt's failure: ``transient`` ones may be retried; ``counts`` ones are held against
    the provider's health (a 400 for one subject is not)."""

    def __init__(self, reason: str, *, kind: str, transient: bool = False, counts: bool = True,
                 status: int | None = None) -> None:
        super().__init__(reason)
        self.kind, self.transient, self.counts, self.status = kind, transient, counts, status
        self.tries = 1


def _headers(resource: Resource) -> dict[str, str]:
    headers = {"Accept": "application/json", "Content-Type": "application/json", "User-Agent": USER_AGENT}
    env = (resource.endpoint_token_env or "").strip()
    if not env:
        return headers
    if not token_env_usable(env, resource.provider):
        logger.warning("sharing http %s: token variable %s is outside %s…, not sent", resource.code, env,
                       token_env_prefix(resource.provider))
        return headers
    token = os.environ.get(env, "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _read_body(response: httpx.Response, deadline: float, timeout: float) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _Failure(_("提供部门系统返回的数据过大，已拒收。"), kind="too_large")
        if time.monotonic() > deadline:
            raise _Failure(_("提供部门系统响应超时（%(seconds)s 秒）。") % {"seconds": f"{timeout:g}"},
                           kind="timeout", transient=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _attempt(client: httpx.Client, url: httpx.URL, resource: Resource, subject: str, timeout: float,
             deadline: float, headers: dict[str, str]) -> dict[str, Any] | None:
    """One POST; the checked values, None for 404, or ``_Failure``."""
    limit = httpx.Timeout(timeout)
    body = json.dumps({"subject": subject}).encode()
    try:
        with client.stream("POST", url, content=body, headers=headers, timeout=limit) as response:
            status = response.status_code
            if status == 404:
                return None
            if status != 200:
                raise _status_failure(status)
            raw = _read_body(response, deadline, resource.endpoint_timeout)
    except httpx.TimeoutException as exc:
        raise _Failure(_("提供部门系统响应超时（%(seconds)s 秒）。") % {"seconds": f"{resource.endpoint_timeout:g}"},
                       kind="timeout", transient=True) from exc
    except httpx.UnsupportedProtocol as exc:
        raise _Failure(_("该资源的接口地址无效。"), kind="bad_url") from exc
    except httpx.TransportError as exc:
        raise _Failure(_("无法连接提供部门系统。"), kind="connection", transient=True) from exc
    except httpx.HTTPError as exc:  # e.g. a body that cannot be decoded
        raise _Failure(_("无法读取提供部门系统的应答。"), kind="unreadable") from exc
    except httpx.InvalidURL as exc:
        raise _Failure(_("该资源的接口地址无效。"), kind="bad_url") from exc
    return check_response(resource.items or [], subject, _parse(raw))


def _status_failure(status: int) -> _Failure:
    if status in (401, 403):
        return _Failure(_("提供部门系统拒绝访问（HTTP %(status)s），请检查接口令牌配置。") % {"status": status},
                        kind="denied", status=status)
    if status == 429:
        return _Failure(_("提供部门系统繁忙，请求被限流（HTTP 429）。"), kind="rate_limited", status=status)
    if 400 <= status < 500:
        return _Failure(_("提供部门系统拒绝了该查询（HTTP %(status)s）。") % {"status": status},
                        kind="rejected", counts=False, status=status)
    if status >= 500:
        return _Failure(_("提供部门系统出错（HTTP %(status)s）。") % {"status": status}, kind="server_error",
                        transient=status in RETRY_STATUSES, status=status)
    return _Failure(_("提供部门系统的应答不符合约定（HTTP %(status)s）。") % {"status": status},
                    kind="unexpected_status", status=status)


def _backoff(attempt: int) -> float:
    return BACKOFF_SECONDS * (2 ** (attempt - 1)) + random.uniform(0, BACKOFF_SECONDS / 2)


def _call(resource: Resource, subject: str, attempts: int) -> tuple[dict[str, Any] | None, int]:
    """Up to ``attempts`` tries within the budget: (values or None, tries made), or the last
    ``_Failure`` raised (its ``tries`` set); a ``SchemaError`` is never retried."""
    timeout = max(0.01, float(resource.endpoint_timeout or 2.0))
    start = time.monotonic()
    deadline = start + BUDGET_FACTOR * timeout
    url = httpx.URL(resource.endpoint_url)  # the subject goes in the body, never in the URL
    headers = _headers(resource)
    # trust_env=False: no proxy or CA bundle from the environment; the request goes where the
    # policy checked, and only there (no redirects)
    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        tries = 0
        while True:
            tries += 1
            left = deadline - time.monotonic()
            try:
                return _attempt(client, url, resource, subject, min(timeout, left), deadline, headers), tries
            except _Failure as failure:
                failure.tries = tries
                pause = _backoff(tries)
                left = deadline - time.monotonic() - pause
                if not failure.transient or tries >= attempts or left < min(timeout, MIN_ATTEMPT_SECONDS):
                    raise
                time.sleep(pause)


def fetch(resource: Resource, subject: str) -> dict[str, Any] | None:
    """The declared items of ``subject`` from the provider's system, None when it has no record;
    ``ProviderUnavailable`` (Chinese reason) when it does not answer usably, its breaker is open, or
    its endpoint is not one the platform may call (``endpoint_policy``)."""
    code = resource.code
    if not resource.endpoint_url:
        logger.warning("sharing http %s: no endpoint configured", code)
        raise ProviderUnavailable(_("该资源未配置提供部门接口地址。"))
    refusal = endpoint_policy(resource.endpoint_url)
    if refusal:  # refused before any connection: the provider is not at fault, the breaker untouched
        logger.warning("sharing http %s: endpoint refused (%s; host %s; see %s and PRODUCTION), not called",
                       code, refusal, endpoint_host(resource.endpoint_url) or "-", HOSTS_SETTING)
        raise ProviderUnavailable(_policy_reason(refusal))
    trial = BREAKERS.admit(code)
    if trial is None:
        logger.warning("sharing http %s: circuit open, provider not called", code)
        raise ProviderUnavailable(_("提供部门系统暂时不可用（熔断中），请稍后再试或手工填写。"))
    started, verdict = time.monotonic(), False
    try:
        # the half-open trial is one single attempt: a recovering system gets one request, not three
        values, tries = _call(resource, subject, 1 if trial else MAX_ATTEMPTS)
        BREAKERS.succeeded(code)
        verdict = True
        if trial:
            logger.warning("sharing http %s: trial call succeeded, circuit closed", code)
        return values
    except _Failure as failure:
        verdict, opened = True, False
        if failure.counts:
            opened = BREAKERS.failed(code)
        else:  # the system answered; only this query was refused
            BREAKERS.succeeded(code)
        logger.warning("sharing http %s: %s (status=%s, tries=%s, %.2fs)%s", code, failure.kind,
                       failure.status, failure.tries, time.monotonic() - started,
                       " — circuit opened" if opened else "")
        raise ProviderUnavailable(str(failure)) from failure
    except SchemaError as error:
        verdict = True
        opened = BREAKERS.failed(code)
        logger.warning("sharing http %s: bad response (%s)%s", code, error,
                       " — circuit opened" if opened else "")
        raise ProviderUnavailable(str(error)) from error
    finally:
        if trial and not verdict:
            BREAKERS.released(code)
