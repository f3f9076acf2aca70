"""API conventions (DESIGN §3): the error envelope, 400 for validation, list envelopes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

MAX_PAGE_SIZE = 100


class ApiError(Exception):
    """A domain error with a stable code, a message and optional per-field messages (translated
    with gettext where they are raised: Chinese by default, English for English users)."""

    status = 400

    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        if status is not None:
            self.status = status


class Conflict(ApiError):
    status = 409


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class RateLimited(ApiError):
    status = 429


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


# Translated when a response is built (str() below), in the request's language.
_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("此项为必填项。"),
    "string_type": gettext_lazy("应为文本。"),
    "int_parsing": gettext_lazy("应为整数。"),
    "int_type": gettext_lazy("应为整数。"),
    "bool_parsing": gettext_lazy("应为是或否。"),
    "bool_type": gettext_lazy("应为是或否。"),
    "json_invalid": gettext_lazy("请求体不是有效的 JSON。"),
    "literal_error": gettext_lazy("取值不在允许范围内。"),
    "string_too_long": gettext_lazy("内容过长。"),
    "string_too_short": gettext_lazy("内容过短。"),
    "date_from_datetime_parsing": gettext_lazy("日期格式应为 YYYY-MM-DD。"),
    "date_parsing": gettext_lazy("日期格式应为 YYYY-MM-DD。"),
    "value_error": gettext_lazy("取值无效。"),
}


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "form")]
        # ninja nests the body under the parameter name (e.g. "data"); keep the last field name
        name = loc[-1] if loc else "__all__"
        fields.setdefault(name, str(_PYDANTIC_MESSAGES.get(err.get("type", ""), _("取值无效。"))))
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError):
        return api.create_response(request, error_body(exc.code, exc.message, exc.fields), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError):
        body = error_body("validation_error", _("提交的内容有误，请检查标注的字段。"), _field_errors(exc.errors))
        return api.create_response(request, body, status=400)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request: HttpRequest, exc: DjangoValidationError):
        fields = {k: "；".join(str(m) for m in v) for k, v in getattr(exc, "message_dict", {}).items()}
        message = "；".join(exc.messages) if not fields else _("提交的内容有误，请检查标注的字段。")
        return api.create_response(request, error_body("validation_error", message, fields), status=400)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(request, error_body("unauthenticated", _("请先登录或提供有效的访问令牌。")), status=401)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied):
        return api.create_response(request, error_body("forbidden", str(exc) or _("无权执行此操作。")), status=403)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404):
        return api.create_response(request, error_body("not_found", _("请求的对象不存在。")), status=404)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError):
        codes = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 409: "conflict", 429: "rate_limited"}
        if any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)):
            message = str(exc)
        elif exc.status_code == 400:
            message = _("请求格式有误，无法解析（请提交有效的 JSON）。")
        else:
            message = _("请求无法处理。")
        return api.create_response(
            request, error_body(codes.get(exc.status_code, "error"), message), status=exc.status_code
        )


def clamp_page(page: int | None, page_size: int | None) -> tuple[int, int]:
    page = max(int(page or 1), 1)
    page_size = min(max(int(page_size or 20), 1), MAX_PAGE_SIZE)
    return page, page_size


def paginate(queryset_or_list, page: int | None, page_size: int | None, serialize) -> dict[str, Any]:
    """The list envelope ``{"items", "total", "page", "page_size"}`` with page_size clamped to 100."""
    page, page_size = clamp_page(page, page_size)
    start = (page - 1) * page_size
    if isinstance(queryset_or_list, list):
        total = len(queryset_or_list)
        rows = queryset_or_list[start : start + page_size]
    else:
        total = queryset_or_list.count()
        rows = list(queryset_or_list[start : start + page_size])
    return {"items": [serialize(r) for r in rows], "total": total, "page": page, "page_size": page_size}
