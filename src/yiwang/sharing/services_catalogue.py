"""The provider's data steward keeps the catalogue entry of a resource current (DESIGN §4.9):
summary, 共享类型 with its legal basis, 开放属性, update cycle, format, version and data items,
and where the data is served from (平台托管, or the department's own system over HTTP: endpoint
URL, timeout and the name of the environment variable holding its token — never the token).
Every change is audited and raises the version, so a consumer can tell the metadata moved.

Why the token variable name is restricted to the department's own ``YIWANG_SHARING_TOKEN_<DEPT>_…``:
the platform sends that variable's value as a bearer token to the steward's URL, so a free name
(``YIWANG_DATA_KEY``, ``DATABASE_URL``) would let a department steward read the platform's own
secrets, and a name in another department's namespace — even one no resource uses yet — would hand
that department's token to this endpoint. A name another department's resource already uses is
refused too: it covers names saved before this rule or before a department with a longer code
existed (``natural`` saved ``…_NATURAL_RESOURCES_X`` before ``natural-resources`` was created),
whose variables hold the first department's token.

Why the endpoint host is checked here and again at every read (``http_provider.endpoint_policy``):
the steward gets a clear field error when saving, and a row saved before the operator narrowed
``YIWANG_SHARING_PROVIDER_HOSTS`` (or written some other way) is still never called.

Publishing a new resource (``create_resource``) goes through the same checks as editing
(``_clean``, given an unsaved draft of the resource), plus the fields set only once — code, name,
数据主体 — and the ones a new entry cannot do without.

Also here: revoking an approved grant (撤销授权), the provider steward's other write on the
catalogue side that ``grants.py`` does not offer yet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.policies import holds
from yiwang.accounts.roles import Role
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.events import emit
from yiwang.core.text import strip_control
from yiwang.org.models import Department
from yiwang.sharing.http_provider import (
    HOST_NOT_ALLOWED,
    HOSTS_SETTING,
    HTTPS_REQUIRED,
    NO_HOSTS,
    TOKEN_ENV_PATTERN,
    endpoint_host,
    endpoint_policy,
    token_env_prefix,
    token_env_rival,
)
from yiwang.sharing.http_provider import (
    TOKEN_ENV_PREFIX as TOKEN_ENV_PREFIX,  # re-exported: the edit page shows it (views_steward)
)
from yiwang.sharing.models import Grant, Objection, ObjectionStatus, OpenType, Resource, ShareType

ITEM_TYPES = {"string": gettext_lazy("文本"), "integer": gettext_lazy("整数"), "number": gettext_lazy("数值"),
              "date": gettext_lazy("日期"), "boolean": gettext_lazy("是/否")}
SENSITIVITIES = {"public": gettext_lazy("公开"), "personal": gettext_lazy("个人信息"),
                 "sensitive": gettext_lazy("敏感个人信息")}
EDITABLE = ("summary", "legal_basis", "share_type", "open_type", "update_cycle", "format", "version", "items",
            "backing", "endpoint_url", "endpoint_timeout", "endpoint_token_env")
BACKING_FIELDS = ("backing", "endpoint_url", "endpoint_timeout", "endpoint_token_env")
IDENTITY = ("code", "name", "subject_kind")  # set when the resource is published, never edited
CREATABLE = (*IDENTITY, *EDITABLE)
# a department's abbreviation, then one to three parts: RS-SBCB, GA-HJRK, WJ-CSYXZM
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,12}){1,3}$")
DEFAULT_VERSION = "1.0"
TIMEOUT_RANGE = (0.1, 30.0)  # seconds: an applicant waits for the answer (twice this at most)
_URL = URLValidator(schemes=["http", "https"])
MAX_ITEMS = 200
_ITEM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_VERSION = re.compile(r"^\d{1,4}(\.\d{1,4}){0,3}$")
_LIMITS = {"name": 200, "summary": 2000, "legal_basis": 300, "update_cycle": 40, "format": 40, "version": 20,
           "endpoint_url": 300}


def _version_key(value: str) -> tuple[int, ...] | None:
    return tuple(int(p) for p in value.split(".")) if _VERSION.match(value or "") else None


def bump_version(value: str) -> str:
    """``1.0`` → ``1.1``, ``2`` → ``2.1``; a version we cannot read gets ``.1`` appended."""
    key = _version_key(value)
    if key is None:
        return f"{value or '1.0'}.1"[:20]
    if len(key) == 1:
        return f"{key[0]}.1"
    return ".".join(str(p) for p in (*key[:-1], key[-1] + 1))


def clean_items(raw: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    """Validate data items; errors go to ``items`` (the whole list) or ``items.<i>.<field>``."""
    if not isinstance(raw, list):
        errors["items"] = _("数据项应为列表。")
        return []
    if not raw:
        errors["items"] = _("至少需要一个数据项。")
        return []
    if len(raw) > MAX_ITEMS:
        errors["items"] = _("数据项不能超过 %(n)s 个。") % {"n": MAX_ITEMS}
        return []
    items, seen = [], set()
    for i, row in enumerate(raw):
        if not isinstance(row, Mapping):
            errors[f"items.{i}"] = _("第 %(n)s 项应为对象。") % {"n": i + 1}
            continue
        name = strip_control(row.get("name"))
        label = strip_control(row.get("label"))
        kind = strip_control(row.get("type")) or "string"
        sensitivity = strip_control(row.get("sensitivity")) or "personal"
        if not _ITEM_NAME.match(name):
            errors[f"items.{i}.name"] = _("代码须以小写字母开头，只含小写字母、数字和下划线（最长 60 个字符）。")
        elif name in seen:
            errors[f"items.{i}.name"] = _("代码“%(name)s”重复。") % {"name": name}
        seen.add(name)
        if not label:
            errors[f"items.{i}.label"] = _("请填写数据项名称。")
        elif len(label) > 60:
            errors[f"items.{i}.label"] = _("名称不能超过 60 个字符。")
        if kind not in ITEM_TYPES:
            errors[f"items.{i}.type"] = _("类型应为：%(v)s。") % {"v": "、".join(str(v) for v in ITEM_TYPES.values())}
        if sensitivity not in SENSITIVITIES:
            errors[f"items.{i}.sensitivity"] = _("敏感程度应为：%(v)s。") % {
                "v": "、".join(str(v) for v in SENSITIVITIES.values())}
        items.append({"name": name, "label": label, "type": kind, "sensitivity": sensitivity})
    if any(k.startswith("items.") for k in errors) and "items" not in errors:
        errors["items"] = _("数据项有误，请检查标注的行。")
    return items


def normal_code(raw: Any) -> str:
    """A resource code as stored and compared: trimmed, upper case (``rs-sbcb`` → ``RS-SBCB``)."""
    return strip_control(raw).upper()


def _clean_identity(changes: Mapping[str, Any], new: dict[str, Any], errors: dict[str, str]) -> None:
    """Code, name and 数据主体 of a resource being published (whether the code is taken is
    ``create_resource``'s question: a taken code is a conflict, not a typing error)."""
    new["code"] = code = normal_code(changes.get("code"))
    if not code:
        errors["code"] = _("请填写资源代码。")
    elif not CODE_PATTERN.match(code):
        errors["code"] = _("资源代码应以 2 到 10 位大写字母或数字开头（首位为字母），再接 1 到 3 段以连字符分隔的"
                           "大写字母或数字（每段最多 12 位），例如 RS-SBCB、GA-HJRK。")
    new["name"] = name = strip_control(changes.get("name"))
    if not name:
        errors["name"] = _("请填写资源名称。")
    elif len(name) > _LIMITS["name"]:
        errors["name"] = _("不能超过 %(n)s 个字符。") % {"n": _LIMITS["name"]}
    new["subject_kind"] = kind = strip_control(changes.get("subject_kind"))
    if kind not in Resource.SubjectKind.values:
        errors["subject_kind"] = _("请选择数据主体：%(v)s。") % {
            "v": "、".join(f"{c.value}（{c.label}）" for c in Resource.SubjectKind)}


def _clean(resource: Resource, changes: Mapping[str, Any], *,
           creating: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """The checked, normalised values of ``changes`` and the errors per field. Editing: only the
    fields given (None = leave as is), judged against the stored ``resource``. Publishing
    (``creating``): ``resource`` is an unsaved draft holding the provider and code; the identity
    fields, 共享类型 and at least one item are required, and the version starts at 1.0."""
    errors: dict[str, str] = {}
    unknown = sorted(set(changes) - set(CREATABLE if creating else EDITABLE))
    if unknown:
        errors["__all__"] = (_("不能填写这些字段：%(f)s。") if creating else _("不能修改这些字段：%(f)s。")) % {
            "f": "、".join(unknown)}
    new: dict[str, Any] = {}
    if creating:
        _clean_identity(changes, new, errors)
        changes = {**changes, "items": changes.get("items") if changes.get("items") is not None else []}
    for name in ("summary", "legal_basis", "update_cycle", "format", "version"):
        if name in changes and changes[name] is not None:
            value = strip_control(changes[name])
            if len(value) > _LIMITS[name]:
                errors[name] = _("不能超过 %(n)s 个字符。") % {"n": _LIMITS[name]}
            new[name] = value
    for name, choices in (("share_type", ShareType), ("open_type", OpenType)):
        if name in changes and changes[name] is not None:
            value = strip_control(changes[name])
            if value not in choices.values:
                errors[name] = _("取值应为：%(v)s。") % {"v": "、".join(f"{c.value}（{c.label}）" for c in choices)}
            new[name] = value
    if "items" in changes and changes["items"] is not None:
        new["items"] = clean_items(changes["items"], errors)
    _clean_backing(resource, changes, new, errors)
    share_type = new.get("share_type", resource.share_type)
    basis = new.get("legal_basis", resource.legal_basis)
    if share_type in (ShareType.CONDITIONAL, ShareType.NONE) and not basis and "legal_basis" not in errors:
        errors["legal_basis"] = _("有条件共享和不予共享的资源须注明依据。")
    if creating and not new.get("share_type"):
        errors["share_type"] = _("请选择共享类型。")
    if "format" in new and not new["format"]:
        errors["format"] = _("请填写数据格式。")
    if creating and not new.get("version"):
        new["version"] = DEFAULT_VERSION
    if "version" in new and "version" not in errors:
        old = None if creating else _version_key(resource.version)
        given = _version_key(new["version"])
        if given is None:
            errors["version"] = _("版本号应为 1.0、2.1 这样的数字。")
        elif old is not None and given < old:
            errors["version"] = _("版本号不能低于当前版本 %(v)s。") % {"v": resource.version}
    if "items" in new and "items" not in errors and not creating:
        _check_removed_items(resource, {i["name"] for i in new["items"]}, errors)
    return new, errors


def _clean_backing(resource: Resource, changes: Mapping[str, Any], new: dict[str, Any],
                   errors: dict[str, str]) -> None:
    """数据来源 and the endpoint settings; an http resource must end up with a usable URL."""
    if changes.get("backing") is not None:
        new["backing"] = strip_control(changes["backing"])
        if new["backing"] not in Resource.Backing.values:
            errors["backing"] = _("取值应为：%(v)s。") % {
                "v": "、".join(f"{c.value}（{c.label}）" for c in Resource.Backing)}
    if changes.get("endpoint_url") is not None:
        new["endpoint_url"] = url = strip_control(changes["endpoint_url"])
        if url and (error := _url_error(url)):
            errors["endpoint_url"] = error
    if changes.get("endpoint_timeout") is not None:
        timeout = _seconds(changes["endpoint_timeout"])
        if timeout is None:
            errors["endpoint_timeout"] = _("超时应为 %(lo)s 到 %(hi)s 之间的秒数（可带小数）。") % {
                "lo": f"{TIMEOUT_RANGE[0]:g}", "hi": f"{TIMEOUT_RANGE[1]:g}"}
        else:
            new["endpoint_timeout"] = timeout
    if changes.get("endpoint_token_env") is not None:
        new["endpoint_token_env"] = name = strip_control(changes["endpoint_token_env"])
        if name and (error := _token_env_error(resource, name)):
            errors["endpoint_token_env"] = error
    backing = new.get("backing", resource.backing)
    url = new.get("endpoint_url", resource.endpoint_url)
    if backing != Resource.Backing.HTTP or "endpoint_url" in errors:
        return  # a hosted resource may keep a URL prepared ahead: it is checked when it is switched on
    if not url:
        errors["endpoint_url"] = _("数据来源为部门系统接口时须填写接口地址。")
    elif (changes.get("backing") is not None or changes.get("endpoint_url") is not None) \
            and (error := _policy_error(url)):
        # only when the source is being set: a summary fix need not wait for the host list, and a
        # URL the operator no longer allows is refused at every read anyway
        errors["endpoint_url"] = error


def _policy_error(url: str) -> str:
    """The operator's rules on where the platform may call (``http_provider.endpoint_policy``)."""
    verdict = endpoint_policy(url)
    if verdict == NO_HOSTS:
        return _("生产环境尚未配置允许访问的提供部门主机（%(s)s），暂不能使用部门系统接口，请联系平台运维人员。") % {
            "s": HOSTS_SETTING}
    if verdict == HTTPS_REQUIRED:
        return _("生产环境中接口地址须以 https:// 开头。")
    if verdict == HOST_NOT_ALLOWED:
        return _("接口地址的主机“%(h)s”不在平台允许访问的提供部门主机（%(s)s）之中，请联系平台运维人员。") % {
            "h": endpoint_host(url), "s": HOSTS_SETTING}
    if verdict:
        return _("请填写以 https:// 或 http:// 开头的完整接口地址。")
    return ""


def _url_error(url: str) -> str:
    if len(url) > _LIMITS["endpoint_url"]:
        return _("不能超过 %(n)s 个字符。") % {"n": _LIMITS["endpoint_url"]}
    try:
        _URL(url)
    except ValidationError:
        return _("请填写以 https:// 或 http:// 开头的完整接口地址。")
    if "@" in urlsplit(url).netloc:
        return _("接口地址不能包含用户名或密码；令牌请通过环境变量配置。")
    return ""


def _seconds(raw: Any) -> float | None:
    """A timeout in seconds within ``TIMEOUT_RANGE``, from a number or its text; None if not."""
    if isinstance(raw, bool):
        return None
    try:
        value = float(strip_control(raw)) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) and TIMEOUT_RANGE[0] <= value <= TIMEOUT_RANGE[1] else None


def _token_env_error(resource: Resource, name: str) -> str:
    """Same rules as the read (``http_provider.token_env_usable``), each with its own message,
    plus: not a name another department's resource already uses (see the module docstring)."""
    if not TOKEN_ENV_PATTERN.match(name):
        return _("环境变量名只能含大写字母、数字和下划线，以字母开头（最长 80 个字符）。")
    prefix = token_env_prefix(resource.provider)
    if not name.startswith(prefix) or name == prefix:
        example = (prefix + re.sub(r"[^A-Z0-9]", "_", resource.code.upper() or "DATA"))[:80]
        return _("环境变量名须以本部门的前缀 %(p)s 开头，其后再加名称，例如 %(e)s。") % {"p": prefix, "e": example}
    rival = token_env_rival(name, resource.provider)
    if rival is not None and token_env_prefix(rival) == prefix:
        return _("部门代码“%(a)s”与“%(b)s”对应同一个令牌前缀 %(p)s，无法区分令牌归属，请联系平台管理员调整部门代码。") % {
            "a": resource.provider.code, "b": rival.code, "p": prefix}
    if rival is not None:
        return _("该环境变量名以“%(d)s”的前缀 %(p)s 开头，属于该部门，不能用于本部门的资源，请另取一个名称。") % {
            "d": rival.name, "p": token_env_prefix(rival)}
    if Resource.objects.filter(endpoint_token_env=name).exclude(provider_id=resource.provider_id).exists():
        return _("其他部门的资源已使用该环境变量，请另取一个名称。")
    return ""


def _check_removed_items(resource: Resource, kept: set[str], errors: dict[str, str]) -> None:
    """An item named by a live grant or an open objection cannot disappear under it."""
    removed = set(resource.item_names()) - kept
    if not removed:
        return
    granted = {i for g in resource.grants.filter(status__in=[Grant.Status.APPROVED, Grant.Status.REQUESTED])
               for i in g.items} & removed
    objected = set(Objection.objects.filter(resource=resource, status=ObjectionStatus.OPEN, item__in=removed)
                   .values_list("item", flat=True))
    if granted:
        errors["items"] = _("共享申请或授权仍包含这些数据项，不能删除：%(i)s。请先处理或撤销相关授权。") % {
            "i": "、".join(sorted(granted))}
    elif objected:
        errors["items"] = _("这些数据项有待处理的纠错，不能删除：%(i)s。") % {"i": "、".join(sorted(objected))}


def update_resource(actor, resource: Resource, changes: Mapping[str, Any]) -> Resource:
    """Apply the fields given in ``changes`` (others stay); a real change raises the version
    unless the steward set a higher one. Returns the resource unchanged when nothing differs."""
    if not holds(actor, Role.DATA_STEWARD, resource.provider):
        raise PermissionDenied(_("只有提供部门的数据管理员可以修改资源目录。"))
    new, errors = _clean(resource, changes or {})
    if errors:
        raise ApiError("validation_error", _("请检查填写的内容。"), errors)
    with transaction.atomic():
        resource = Resource.objects.select_for_update().select_related("provider").get(pk=resource.pk)
        changed = [k for k in EDITABLE if k in new and k != "version" and new[k] != getattr(resource, k)]
        if not changed and new.get("version", resource.version) == resource.version:
            return resource
        before = {k: getattr(resource, k) for k in changed}
        for k in changed:
            setattr(resource, k, new[k])
        given = new.get("version", resource.version)
        resource.version = given if given != resource.version else bump_version(resource.version)
        resource.save(update_fields=[*changed, "version"])
        summary = f"修改共享资源目录 {resource.name}（{resource.code}）→ 版本 {resource.version}"
        data = {"changed": changed, "version": resource.version,
                "before": {k: v for k, v in before.items() if k != "summary"}}
        if "backing" in changed:
            summary += f"；数据来源改为{resource.get_backing_display()}"
            if resource.backing == Resource.Backing.HTTP:
                kept = resource.records.count()
                if kept:
                    summary += f"（平台托管记录 {kept} 条保留，不再使用）"
                    data["hosted_records_kept"] = kept
        audit.record("sharing.resource_updated", actor=actor, obj=resource, summary=summary, data=data)
        emit("sharing.resource_updated", {"resource": resource.code, "version": resource.version, "changed": changed})
    return resource


def _code_taken(code: str) -> bool:
    # case-insensitive: a code differing only in case would be the same code to a reader
    return Resource.objects.filter(code__iexact=code).exists()


def create_resource(actor, provider: Department, fields: Mapping[str, Any]) -> Resource:
    """Publish a new catalogue entry of ``provider`` (its data steward only), checked as an edit
    is. Bad fields: ``ApiError`` (400) listing them all, a taken code among them; a taken code
    being the only fault (or taken meanwhile): ``Conflict`` (409)."""
    if provider is None or not provider.active or not holds(actor, Role.DATA_STEWARD, provider):
        raise PermissionDenied(_("只有提供部门的数据管理员可以发布共享资源。"))
    fields = fields or {}
    draft = Resource(provider=provider, code=normal_code(fields.get("code")))
    new, errors = _clean(draft, fields, creating=True)
    taken = "code" not in errors and _code_taken(new["code"])
    if taken and errors:
        errors["code"] = _("资源代码已存在。")
    if errors:
        raise ApiError("validation_error", _("请检查填写的内容。"), errors)
    if taken:
        raise _duplicate()
    try:
        with transaction.atomic():
            resource = Resource.objects.create(provider=provider, **new)
            audit.record("sharing.resource_created", actor=actor, obj=resource,
                         summary=f"发布共享资源 {resource.name}（{resource.code}）：{resource.get_share_type_display()}，"
                                 f"版本 {resource.version}",
                         data={"provider": provider.code, "share_type": resource.share_type,
                               "version": resource.version, "backing": resource.backing,
                               "items": resource.item_names()})
            emit("sharing.resource_created", {"resource": resource.code, "provider": provider.code,
                                              "share_type": resource.share_type})
    except IntegrityError:
        if _code_taken(new["code"]):  # published by someone else between the check and the insert
            raise _duplicate() from None
        raise
    return resource


def _duplicate() -> Conflict:
    message = _("资源代码已存在。")
    return Conflict("duplicate_code", message, {"code": message})
