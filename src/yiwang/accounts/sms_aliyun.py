"""阿里云短信 (Dysmsapi ``SendSms``, API version 2017-05-25) over plain HTTPS.

Only the standard library is used, so the platform takes on no SDK dependency. Requests are signed
with Aliyun's classic RPC signature (HMAC-SHA1, SignatureVersion 1.0): every parameter but
``Signature`` is percent-encoded per RFC 3986 (space → ``%20``, ``*`` → ``%2A``, ``~`` kept), sorted,
joined, and the HMAC key is the AccessKey secret followed by ``&``.

Replies are mapped to :class:`SmsResult` through :data:`ERRORS`, which says for each provider code
whether trying again later can help. Nothing here logs a full phone number or the secret.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.services.validation import PHONE_RE
from yiwang.accounts.sms import SmsProvider, SmsResult
from yiwang.core.masking import mask_phone

log = logging.getLogger("yiwang.sms")

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
DEFAULT_REGION = "cn-hangzhou"
DEFAULT_TIMEOUT = 5.0
API_VERSION = "2017-05-25"
MAX_REPLY_BYTES = 64 * 1024  # a SendSms reply is a few hundred bytes; refuse to buffer more

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


# --- signing ---------------------------------------------------------------------------------------

def percent_encode(value: str) -> str:
    """RFC 3986 encoding of the UTF-8 bytes: only ``A–Z a–z 0–9 - _ . ~`` stay as they are."""
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in str(value).encode("utf-8"))


def canonical_query(params: Mapping[str, str]) -> str:
    """Encoded ``name=value`` pairs in the dictionary order of the names, ``Signature`` left out."""
    names = sorted(k for k in params if k != "Signature")
    return "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in names)


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    """``METHOD&%2F&`` + the canonical query, encoded once more."""
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def sign(method: str, params: Mapping[str, str], secret: str) -> str:
    """Base64 of HMAC-SHA1 over the string to sign, keyed with ``secret + "&"``."""
    digest = hmac.new(
        (secret + "&").encode("utf-8"), string_to_sign(method, params).encode("utf-8"), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


# --- error classification --------------------------------------------------------------------------

@dataclass(frozen=True)
class ErrorKind:
    retryable: bool
    explanation: object  # a lazy Chinese string


def _kind(retryable: bool, text: str) -> ErrorKind:
    return ErrorKind(retryable, gettext_lazy(text))


# Retry means "the same message may go through later without anyone changing anything".
# Daily/monthly caps, balance, account and template problems need an operator, so they go to the
# dead letters at once; a verification code that arrives tomorrow is useless anyway.
ERRORS: dict[str, ErrorKind] = {
    # flow control — passes once the window (minute/hour) is over
    "isv.BUSINESS_LIMIT_CONTROL": _kind(True, "触发阿里云短信业务流控（同一号码发送过于频繁），稍后重试"),
    "Throttling": _kind(True, "阿里云接口调用过于频繁，稍后重试"),
    "Throttling.User": _kind(True, "阿里云账号接口调用过于频繁，稍后重试"),
    "Throttling.Api": _kind(True, "阿里云接口整体流控，稍后重试"),
    "ServiceUnavailable": _kind(True, "阿里云短信服务暂时不可用，稍后重试"),
    "InternalError": _kind(True, "阿里云短信服务内部错误，稍后重试"),
    "isp.SYSTEM_ERROR": _kind(True, "阿里云短信平台系统错误，稍后重试"),
    "isp.GATEWAY_ERROR": _kind(True, "阿里云短信网关错误，稍后重试"),
    # we sign every attempt with a fresh nonce, so a second attempt is a new request
    "SignatureNonceUsed": _kind(True, "签名随机数重复，将以新随机数重试"),
    # caps and money — an operator must act (raise the cap, top up)
    "isv.DAY_LIMIT_CONTROL": _kind(False, "已达到控制台设置的日发送量上限，需管理员调整"),
    "isv.MONTH_LIMIT_CONTROL": _kind(False, "已达到控制台设置的月发送量上限，需管理员调整"),
    "isv.AMOUNT_NOT_ENOUGH": _kind(False, "阿里云账户余额不足"),
    "isv.OUT_OF_SERVICE": _kind(False, "阿里云短信业务停机（余额不足）"),
    # the number
    "isv.MOBILE_NUMBER_ILLEGAL": _kind(False, "手机号码格式不正确"),
    "isv.MOBILE_COUNT_OVER_LIMIT": _kind(False, "手机号码数量超过限制"),
    "isv.DOMESTIC_NUMBER_NOT_SUPPORTED": _kind(False, "该模板不支持发送境内号码"),
    # template, parameters and signature (签名) — must be fixed in the console or the code
    "isv.SMS_TEMPLATE_ILLEGAL": _kind(False, "短信模板不存在或未审核通过"),
    "isv.TEMPLATE_MISSING_PARAMETERS": _kind(False, "短信模板变量缺少参数"),
    "isv.TEMPLATE_PARAMS_ILLEGAL": _kind(False, "短信模板变量不合法"),
    "isv.INVALID_JSON_PARAM": _kind(False, "模板参数不是合法的 JSON（值须为字符串）"),
    "isv.INVALID_PARAMETERS": _kind(False, "请求参数不合法"),
    "isv.PARAM_LENGTH_LIMIT": _kind(False, "模板变量超出长度限制"),
    "isv.PARAM_NOT_SUPPORT_URL": _kind(False, "模板变量不支持网址"),
    "isv.BLACK_KEY_CONTROL_LIMIT": _kind(False, "模板变量含有禁用关键字"),
    "isv.SMS_CONTENT_ILLEGAL": _kind(False, "短信内容含有禁止发送的内容"),
    "isv.SMS_SIGNATURE_ILLEGAL": _kind(False, "短信签名不存在或未审核通过"),
    "isv.SMS_SIGN_ILLEGAL": _kind(False, "短信签名被禁止使用"),
    "isv.SIGN_STATE_ILLEGAL": _kind(False, "短信签名状态不可用"),
    "isv.SMS_SIGNATURE_SCENE_ILLEGAL": _kind(False, "短信签名与模板类型不一致"),
    # account and credentials
    "isv.PRODUCT_UN_SUBSCRIPT": _kind(False, "阿里云账号未开通云通信服务"),
    "isv.PRODUCT_UNSUBSCRIBE": _kind(False, "阿里云账号未开通短信服务"),
    "isv.ACCOUNT_NOT_EXISTS": _kind(False, "阿里云账号不存在"),
    "isv.ACCOUNT_ABNORMAL": _kind(False, "阿里云账号异常"),
    "isv.DENY_IP_RANGE": _kind(False, "服务器 IP 所在地区被禁止发送"),
    "isp.RAM_PERMISSION_DENY": _kind(False, "AccessKey 没有短信发送权限（RAM）"),
    "Forbidden.RAM": _kind(False, "AccessKey 没有短信发送权限（RAM）"),
    "SignatureDoesNotMatch": _kind(False, "请求签名校验失败，请检查 AccessKey Secret"),
    "IncompleteSignature": _kind(False, "请求签名不完整"),
    "InvalidAccessKeyId.NotFound": _kind(False, "AccessKey ID 不存在"),
    "InvalidAccessKeyId.Inactive": _kind(False, "AccessKey ID 已停用"),
    # our clock is off by more than 15 minutes: retrying does not fix the clock
    "InvalidTimeStamp.Expired": _kind(False, "请求时间戳与阿里云相差超过 15 分钟，请校准服务器时间"),
    "InvalidTimeStamp.Format": _kind(False, "请求时间戳格式不正确"),
    "InvalidVersion": _kind(False, "接口版本不正确"),
    "InvalidAction.NotFound": _kind(False, "接口不存在，请检查接入地址"),
    # raised by this adapter itself, never sent
    "invalid_phone": _kind(False, "不是有效的中国大陆手机号码，未发送"),
    "missing_template": _kind(False, "未指定短信模板，阿里云只能发送已审核的模板"),
    "missing_sign_name": _kind(False, "未指定短信签名"),
    "network_error": _kind(True, "无法连接阿里云短信服务，稍后重试"),
    "timeout": _kind(True, "阿里云短信服务响应超时，稍后重试"),
    "bad_reply": _kind(True, "阿里云短信服务的回复无法解析，稍后重试"),
}


def classify(code: str, http_status: int = 200) -> ErrorKind:
    """An HTTP 5xx or 429 is always worth retrying; otherwise the table decides. Codes not in the
    table: ``isp.*`` (platform side) and ``Throttling*`` are retried, anything else (``isv.*`` —
    our side, or an HTTP 4xx without a known code) is not."""
    if http_status >= 500 or http_status == 429:
        kind = ERRORS.get(code)
        return kind if kind and kind.retryable else _kind(True, "阿里云短信服务暂时出错，稍后重试")
    if code in ERRORS:
        return ERRORS[code]
    if code.startswith(("isp.", "Throttling")):
        return _kind(True, "阿里云短信服务暂时出错，稍后重试")
    return _kind(False, "阿里云短信服务拒绝了请求")


_PHONE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _clean_message(message: str) -> str:
    """Provider messages can echo the request (``server string to sign is: …``): cut that off,
    mask any mobile number left, and keep it short."""
    message = str(message or "").split("server string to sign", 1)[0].strip().rstrip(".:：")
    message = _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), message)
    return message[:200]


# --- configuration ---------------------------------------------------------------------------------

def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name, default)
    return str(value).strip()


def _templates_setting() -> dict[str, str]:
    """``YIWANG_SMS_ALIYUN_TEMPLATES``: our template names → Aliyun template codes, as a dict in
    settings or ``name=SMS_123,other=SMS_456`` in the environment. Unknown names pass through, so a
    caller may also give an ``SMS_…`` code directly."""
    value = getattr(settings, "YIWANG_SMS_ALIYUN_TEMPLATES", None) or os.environ.get(
        "YIWANG_SMS_ALIYUN_TEMPLATES", ""
    )
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    pairs = (item.split("=", 1) for item in str(value).split(",") if "=" in item)
    return {k.strip(): v.strip() for k, v in pairs if k.strip() and v.strip()}


class AliyunSmsProvider(SmsProvider):
    """Sends registered templates through 阿里云短信 ``SendSms``.

    Settings (or environment variables of the same name): ``YIWANG_SMS_ALIYUN_ENDPOINT``,
    ``YIWANG_SMS_ALIYUN_ACCESS_KEY_ID``, ``YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET``,
    ``YIWANG_SMS_ALIYUN_REGION``, ``YIWANG_SMS_TIMEOUT_SECONDS``, and optionally
    ``YIWANG_SMS_ALIYUN_SIGN_NAME`` (default 签名) and ``YIWANG_SMS_ALIYUN_TEMPLATES``.
    Keyword arguments override them (tests use that).
    """

    name = "aliyun"

    def __init__(
        self, *, endpoint: str | None = None, access_key_id: str | None = None,
        access_key_secret: str | None = None, region: str | None = None,
        timeout: float | None = None, sign_name: str | None = None,
        templates: Mapping[str, str] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.endpoint = endpoint or _setting("YIWANG_SMS_ALIYUN_ENDPOINT", DEFAULT_ENDPOINT)
        self.access_key_id = access_key_id or _setting("YIWANG_SMS_ALIYUN_ACCESS_KEY_ID")
        self._secret = access_key_secret or _setting("YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET")
        self.region = region or _setting("YIWANG_SMS_ALIYUN_REGION", DEFAULT_REGION)
        self.sign_name = sign_name if sign_name is not None else _setting("YIWANG_SMS_ALIYUN_SIGN_NAME")
        self.templates = dict(templates) if templates is not None else _templates_setting()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        missing = [n for n, v in (("YIWANG_SMS_ALIYUN_ACCESS_KEY_ID", self.access_key_id),
                                  ("YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET", self._secret)) if not v]
        if missing:
            raise ImproperlyConfigured(
                _("阿里云短信未配置：请设置 %(names)s。") % {"names": "、".join(missing)}
            )
        if urllib.parse.urlsplit(self.endpoint).scheme not in ("http", "https"):
            raise ImproperlyConfigured(
                _("阿里云短信接入地址无效：%(url)s（须以 https:// 开头）。") % {"url": self.endpoint}
            )
        try:
            self.timeout = float(timeout if timeout is not None
                                 else _setting("YIWANG_SMS_TIMEOUT_SECONDS", str(DEFAULT_TIMEOUT)))
        except ValueError:
            raise ImproperlyConfigured(_("YIWANG_SMS_TIMEOUT_SECONDS 须为秒数。")) from None
        if self.timeout <= 0:
            raise ImproperlyConfigured(_("YIWANG_SMS_TIMEOUT_SECONDS 须大于 0。"))

    def __repr__(self) -> str:  # never show the secret
        return f"<AliyunSmsProvider {self.endpoint} key={self.access_key_id}>"

    # -- building the request --

    def request_params(
        self, phone: str, *, template_code: str, params: Mapping | None, sign_name: str, out_id: str,
    ) -> dict[str, str]:
        """All parameters of one ``SendSms`` call, signed for POST."""
        p = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": self.region,
            "SignName": sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template_code,
            "Timestamp": self._clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        if params:
            # Aliyun accepts only string values ({"code":"123456"}, not {"code":123456}).
            p["TemplateParam"] = json.dumps(
                {str(k): str(v) for k, v in params.items()}, ensure_ascii=False, separators=(",", ":")
            )
        if out_id:
            p["OutId"] = str(out_id)
        p["Signature"] = sign("POST", p, self._secret)
        return p

    # -- sending --

    def send(
        self, phone: str, text: str, *, template: str = "", params: dict | None = None,
        sign_name: str = "", out_id: str = "",
    ) -> SmsResult:
        phone = (phone or "").strip()
        masked = mask_phone(phone)
        if not PHONE_RE.match(phone):
            return self._fail("invalid_phone", "", masked)
        template_code = self.templates.get(template, template)
        if not template_code:
            return self._fail("missing_template", "", masked)
        sign_name = sign_name or self.sign_name
        if not sign_name:
            return self._fail("missing_sign_name", "", masked)
        body = self.request_params(
            phone, template_code=template_code, params=params, sign_name=sign_name, out_id=out_id
        )
        data = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in body.items())
        request = urllib.request.Request(
            self.endpoint, data=data.encode("ascii"), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                     "Accept": "application/json", "User-Agent": "yiwang-sms-aliyun/1"},
        )
        status, raw = self._post(request)
        if status is None:
            return self._fail(raw, "", masked)  # raw holds our own code here
        try:
            reply = json.loads(raw.decode("utf-8"))
            if not isinstance(reply, dict):
                raise ValueError
        except ValueError:  # also UnicodeDecodeError
            return self._fail(f"HTTP {status}" if status >= 400 else "bad_reply", "", masked, status)
        code = str(reply.get("Code") or "")
        if status < 400 and code == "OK":
            biz_id = str(reply.get("BizId") or "")
            log.info("阿里云短信已受理 → %s 模板 %s BizId %s", masked, template_code, biz_id)
            return SmsResult(ok=True, provider_message_id=biz_id)
        if not code:
            code = f"HTTP {status}" if status >= 400 else "bad_reply"
        return self._fail(code, str(reply.get("Message") or ""), masked, status)

    def _post(self, request: urllib.request.Request) -> tuple[int | None, bytes | str]:
        """``(status, body)``, or ``(None, our error code)`` when no HTTP answer came back."""
        opener = urllib.request.build_opener()
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read(MAX_REPLY_BYTES)
        except urllib.error.HTTPError as exc:
            try:
                return exc.code, exc.read(MAX_REPLY_BYTES)
            except (OSError, http.client.HTTPException):
                return exc.code, b""
            finally:
                exc.close()
        except urllib.error.URLError as exc:
            timed_out = isinstance(exc.reason, TimeoutError)
            return None, "timeout" if timed_out else "network_error"
        except TimeoutError:
            return None, "timeout"
        except (OSError, http.client.HTTPException):
            return None, "network_error"

    def _fail(self, code: str, message: str, masked: str, http_status: int = 200) -> SmsResult:
        kind = classify(code, http_status)
        message = _clean_message(message)
        error = f"{kind.explanation}（{message}）" if message else str(kind.explanation)
        log.warning("阿里云短信未发送 → %s：%s %s（%s）", masked, code, message,
                    "可重试" if kind.retryable else "不重试")
        return SmsResult(ok=False, error=error, error_code=code, retryable=kind.retryable)
