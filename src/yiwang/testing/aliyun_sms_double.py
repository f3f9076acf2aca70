"""Test double of 阿里云短信 (Dysmsapi ``SendSms``) — for tests only, never for production.

The real service is out of reach from the test suite, so this local HTTP server stands in for it
and checks a request the way Aliyun's gateway does: required parameters, Timestamp within 15
minutes, SignatureNonce not reused, the HMAC-SHA1 signature recomputed from the secret it was given
(mismatch → HTTP 400 ``SignatureDoesNotMatch``), then the SMS rules: phone number format, known
签名, known template with all its parameters. Accepted messages are recorded for assertions, and
the next N requests can be told to fail (a provider code, an HTTP 500, a slow answer) to test how
the adapter classifies errors.

The signature check here is written independently of ``yiwang.accounts.sms_aliyun`` (on top of
``urllib.parse.quote``) so that a canonicalisation bug in the adapter shows up as a mismatch
instead of being repeated on both sides.

Usage::

    with AliyunSmsDouble(templates={"SMS_100001": ["code"]}) as double:
        provider = AliyunSmsProvider(endpoint=double.url, access_key_id=double.access_key_id, ...)
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, quote, urlsplit

from yiwang.testing.loopback import LoopbackServer

API_VERSION = "2017-05-25"
MAX_SKEW = dt.timedelta(minutes=15)
_PHONE = re.compile(r"^1[3-9]\d{9}$")
_REQUIRED = ("Action", "Version", "AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion",
             "SignatureNonce", "Timestamp")


@dataclass(frozen=True)
class AcceptedSms:
    """One message the double accepted."""

    phone: str
    template: str
    params: dict
    sign_name: str
    out_id: str
    biz_id: str


@dataclass
class _Failure:
    code: str
    message: str
    status: int
    body: bytes | None
    delay: float


class _Reject(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def _encode(value: str) -> str:
    # quote() leaves only A–Z a–z 0–9 "-_.~" and encodes UTF-8 bytes: exactly Aliyun's rules.
    return quote(value, safe="~", encoding="utf-8")


def expected_signature(method: str, params: Mapping[str, str], secret: str) -> tuple[str, str]:
    """``(string to sign, signature)`` as the gateway computes them."""
    query = "&".join(
        f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()) if k != "Signature"
    )
    to_sign = f"{method}&{_encode('/')}&{_encode(query)}"
    mac = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return to_sign, base64.b64encode(mac).decode()


class AliyunSmsDouble(LoopbackServer):
    """A local stand-in for ``https://dysmsapi.aliyuncs.com/`` (test double, tests only)."""

    thread_name = "aliyun-sms-double"

    def __init__(
        self, *, access_key_id: str = "LTAI5tDoubleTestKey", access_key_secret: str = "double-secret",
        sign_names: Iterable[str] = ("一网通办",),
        templates: Mapping[str, Iterable[str]] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__()
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_names = set(sign_names)
        self.templates = {code: tuple(names) for code, names in (templates or {"SMS_100001": ("code",)}).items()}
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.accepted: list[AcceptedSms] = []
        self.requests: list[dict] = []  # every request: {"method", "params", "status", "code"}
        self._nonces: set[str] = set()
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self._serial = 0

    # -- lifecycle --

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        self._serve(request, method)

    # -- scripting --

    def fail_next(
        self, count: int = 1, code: str = "isv.BUSINESS_LIMIT_CONTROL", *, status: int = 200,
        message: str | None = None, body: bytes | None = None, delay: float = 0.0,
    ) -> None:
        """Answer the next ``count`` correctly signed requests with ``code`` (HTTP ``status``), or
        with ``body`` verbatim when given (e.g. an HTML 502 page); ``delay`` seconds first."""
        with self._lock:
            for _ in range(count):
                self._failures.append(_Failure(code, message or f"injected {code}", status, body, delay))

    # -- the gateway --

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if method == "POST" and raw:
            ctype = handler.headers.get("Content-Type", "")
            if ctype.split(";")[0].strip() == "application/x-www-form-urlencoded":
                params.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        delay, body = 0.0, None
        try:
            if parts.path not in ("", "/"):
                raise _Reject(404, "InvalidAction.NotFound", "Specified api is not found.")
            status, reply, delay, body = self._answer(method, params)
        except _Reject as exc:
            status, reply = exc.status, {"Code": exc.code, "Message": exc.message}
        reply = {"RequestId": str(uuid.uuid4()).upper(), **reply}
        with self._lock:
            self.requests.append({"method": method, "params": params, "status": status,
                                  "code": reply.get("Code", "")})
        if delay:
            time.sleep(delay)
        payload = body if body is not None else json.dumps(reply, ensure_ascii=False).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type",
                                "application/json;charset=utf-8" if body is None else "text/html")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            pass

    def _answer(self, method: str, p: dict) -> tuple[int, dict, float, bytes | None]:
        self._check_gateway(method, p)
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure:
            return failure.status, {"Code": failure.code, "Message": failure.message}, failure.delay, failure.body
        return 200, self._send_sms(p), 0.0, None

    def _check_gateway(self, method: str, p: dict) -> None:
        """What the POP gateway checks before the SMS service sees the request."""
        for name in _REQUIRED:
            if not p.get(name):
                raise _Reject(400, f"Missing{name}", f"{name} is mandatory for this action.")
        if p["Action"] != "SendSms":
            raise _Reject(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        if p["Version"] != API_VERSION:
            raise _Reject(400, "InvalidVersion", "Specified parameter Version is not valid.")
        if p["SignatureMethod"] != "HMAC-SHA1" or p["SignatureVersion"] != "1.0":
            raise _Reject(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        if p["AccessKeyId"] != self.access_key_id:
            raise _Reject(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        try:
            stamp = dt.datetime.strptime(p["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            raise _Reject(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.") from None
        if abs(self.clock() - stamp) > MAX_SKEW:
            raise _Reject(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        to_sign, signature = expected_signature(method, p, self.access_key_secret)
        if not hmac.compare_digest(signature, p["Signature"]):
            raise _Reject(400, "SignatureDoesNotMatch",
                          "Specified signature is not matched with our calculation. "
                          f"server string to sign is:{to_sign}")
        with self._lock:
            if p["SignatureNonce"] in self._nonces:
                raise _Reject(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
            self._nonces.add(p["SignatureNonce"])

    def _send_sms(self, p: dict) -> dict:
        """What Dysmsapi checks; business errors come back as HTTP 200 with a non-OK Code."""
        for name in ("PhoneNumbers", "SignName", "TemplateCode"):
            if not p.get(name):
                raise _Reject(400, f"Missing{name}", f"{name} is mandatory for this action.")
        phones = p["PhoneNumbers"].split(",")
        if not all(_PHONE.match(x) for x in phones):
            return {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "invalidPhoneNumbers"}
        if p["SignName"] not in self.sign_names:
            return {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": "该账号下找不到对应签名"}
        if p["TemplateCode"] not in self.templates:
            return {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "该账号下找不到对应模板"}
        try:
            values = json.loads(p["TemplateParam"]) if p.get("TemplateParam") else {}
        except ValueError:
            return {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法"}
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            return {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法，只接受字符串值"}
        missing = [n for n in self.templates[p["TemplateCode"]] if n not in values]
        if missing:
            return {"Code": "isv.TEMPLATE_MISSING_PARAMETERS", "Message": f"模板缺少变量：{','.join(missing)}"}
        with self._lock:
            self._serial += 1
            biz_id = f"{900000000000000000 + self._serial}^0"
            for phone in phones:
                self.accepted.append(AcceptedSms(phone, p["TemplateCode"], values, p["SignName"],
                                                 p.get("OutId", ""), biz_id))
        return {"Code": "OK", "Message": "OK", "BizId": biz_id}
