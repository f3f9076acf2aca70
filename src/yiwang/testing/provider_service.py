"""A small department system on loopback that speaks the data-sharing provider protocol
(docs/sharing-provider-protocol.md) — for tests only, never for production.

It is a real HTTP server (``ThreadingHTTPServer`` in a thread on 127.0.0.1), so the adapter's
timeouts, retries and parsing are exercised over a real socket. It answers
``POST <path>`` with the JSON body ``{"subject": "<id>"}`` from ``records`` (any other method gets
405, a body that is not such a JSON object 400, and a ``subject`` in the query string is ignored —
the protocol never puts it there) and can be told to misbehave, from now on (``behave``) or for the
next few requests only (``behave_next``):

- ``normal``: 200 ``{"subject", "data"}``, or 404 for an unknown subject;
- ``slow``: the normal answer after ``delay`` seconds;
- ``status``: an empty-bodied answer with ``status`` (default 500), and a ``Location`` header when
  ``location`` is given (a redirect);
- ``malformed``: a 200 whose body is not JSON;
- ``missing`` / ``extra`` / ``mistyped``: a 200 whose data lacks ``item``, carries an undeclared
  item, or gives ``item`` the value ``value`` (default: a number where text is expected).

Every request is counted and kept (``requests``: method, raw target, path, query, headers, body;
``bodies``: the parsed JSON bodies) for assertions. With ``token`` set, a request without
``Authorization: Bearer <token>`` gets a 401.

Usage::

    with ProviderService({"370882198805120011": {"household_address": "…"}}) as svc:
        resource.endpoint_url = svc.url
        svc.behave_next("status", count=1, status=503)
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from yiwang.testing.loopback import LoopbackServer

BEHAVIOURS = ("normal", "slow", "status", "malformed", "missing", "extra", "mistyped")
DEFAULT_PATH = "/share/v1/records"
MAX_REQUEST_BYTES = 64 * 1024  # a request is one small JSON object


@dataclass(frozen=True)
class Behaviour:
    kind: str = "normal"
    delay: float = 0.0
    status: int = 500
    item: str = ""
    value: Any = 12345
    location: str = ""

    def __post_init__(self) -> None:
        if self.kind not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {self.kind!r}; one of {BEHAVIOURS}")


@dataclass(frozen=True)
class SeenRequest:
    method: str
    target: str  # the request line's target as received: path and query string, what a server logs
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def json(self) -> Any:
        """The body parsed as JSON; None if it is empty or not JSON."""
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except (UnicodeDecodeError, ValueError):
            return None


class ProviderService(LoopbackServer):
    """A loopback provider service (test double, tests only)."""

    thread_name = "provider-service"

    def __init__(self, records: dict[str, dict[str, Any]] | None = None, *, path: str = DEFAULT_PATH,
                 token: str | None = None) -> None:
        super().__init__()
        self.records = {k.upper(): dict(v) for k, v in (records or {}).items()}
        self.path = path
        self.token = token
        self.requests: list[SeenRequest] = []
        self._default = Behaviour()
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    # -- lifecycle --

    def start(self) -> str:
        self._stopping.clear()
        return super().start()

    def stop(self) -> None:
        self._stopping.set()  # wakes any handler sleeping in "slow"
        super().stop()

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        self._serve(request)  # a GET is recorded and refused there: the protocol is POST only

    # -- scripting --

    def behave(self, kind: str = "normal", **options: Any) -> None:
        """Answer every request this way from now on (after any queued ``behave_next``)."""
        with self._lock:
            self._default = Behaviour(kind, **options)

    def behave_next(self, kind: str, count: int = 1, **options: Any) -> None:
        """Answer the next ``count`` requests this way, then go back to the default."""
        with self._lock:
            self._queue.extend(Behaviour(kind, **options) for _ in range(count))

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    @property
    def bodies(self) -> list[Any]:
        """The JSON body of each request so far (None where there was none or it was not JSON)."""
        with self._lock:
            return [r.json for r in self.requests]

    # -- the provider --

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        try:
            length = int(handler.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        # a chunked body (no Content-Length) is not read either: refused like an oversized one
        too_big = not 0 <= length <= MAX_REQUEST_BYTES or "Transfer-Encoding" in handler.headers
        raw = b"" if too_big else handler.rfile.read(length)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        seen = SeenRequest(handler.command, handler.path, parts.path, query, headers, raw)
        with self._lock:
            self.requests.append(seen)
            behaviour = self._queue.popleft() if self._queue else self._default
        if too_big:  # an unread body would poison the connection: answer and close it
            handler.close_connection = True
            status, body = 413, b'{"error": "request_too_large"}'
        else:
            status, body = self._answer(seen, behaviour)
        if behaviour.kind == "slow" and self._stopping.wait(behaviour.delay):
            return
        try:
            handler.send_response(status)
            if status == 405:
                handler.send_header("Allow", "POST")
            if behaviour.kind == "status" and behaviour.location:
                handler.send_header("Location", behaviour.location)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): fine
            pass

    def _answer(self, seen: SeenRequest, behaviour: Behaviour) -> tuple[int, bytes]:
        def reply(status: int, payload: Any) -> tuple[int, bytes]:
            return status, json.dumps(payload, ensure_ascii=False).encode()

        if seen.path != self.path:
            return reply(404, {"error": "no_such_endpoint"})
        if seen.method != "POST":
            return reply(405, {"error": "method_not_allowed"})
        if self.token is not None and seen.headers.get("authorization", "") != f"Bearer {self.token}":
            return reply(401, {"error": "unauthorized"})
        if behaviour.kind == "status":
            return behaviour.status, b""
        if behaviour.kind == "malformed":
            return 200, b'{"subject": "oops", "data": {'
        content_type = seen.headers.get("content-type", "").split(";")[0].strip().lower()
        payload = seen.json
        if content_type != "application/json" or not isinstance(payload, dict):
            return reply(400, {"error": "json_object_required"})
        subject = payload.get("subject")
        subject = subject.strip().upper() if isinstance(subject, str) else ""
        if not subject:
            return reply(400, {"error": "subject_required"})
        if subject not in self.records:
            return reply(404, {"error": "not_found"})
        data = dict(self.records[subject])
        if behaviour.kind == "missing":
            data.pop(behaviour.item, None)
        elif behaviour.kind == "extra":
            data[behaviour.item or "undeclared_item"] = "不在目录中的数据"
        elif behaviour.kind == "mistyped":
            data[behaviour.item] = behaviour.value
        return reply(200, {"subject": subject, "data": data})
