"""Bulk import into platform-hosted shared-data resources (issue 8 (a)): the provider's data
steward keeps a resource current through the API or a CSV / XLSX / JSON file.

Why this shape:
- incremental by key: a row names its subject (身份证号 or 统一社会信用代码); a new subject is
  created, an existing one gets only the items the row gives (merged), ``_action = delete``
  removes it — so a department can send just what changed;
- all or nothing: every row is checked before anything is written; one bad row rejects the batch,
  which is kept (status ``rejected``) with a report of row / field / message, rows numbered as the
  user sees them (in a CSV or XLSX file the header is row 1, the first data row is row 2);
- 100,000 rows within a minute on PostgreSQL: subjects are found by blind index in chunks and
  records are written with ``bulk_create`` / ``bulk_update`` (``BlindIndexField.pre_save`` and
  ``EncryptedTextField.get_prep_value`` run inside both, so indexes and ciphertexts are filled).

Empty cells (and JSON ``null`` or ``""``) mean "not given": the stored value is kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import io
import json
import math
import re
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.policies import holds
from yiwang.accounts.roles import Role
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.crypto import blind_index_candidates
from yiwang.core.events import emit
from yiwang.core.identifiers import IdentifierError, parse_id_number, parse_uscc
from yiwang.core.text import strip_control
from yiwang.sharing.models import HostedRecord, ImportBatch, Resource

MAX_STORED_ERRORS = 500  # the report keeps the first errors; ``error_count`` has the true total
MAX_TEXT = 500
MAX_INTEGER = 2**53 - 1  # what every JSON reader keeps exactly
LOOKUP_CHUNK = 2000  # subjects per blind-index query (fewer on SQLite: its parameter limit)
CREATE_BATCH = 1000
UPDATE_BATCH = 500
DELETE_CHUNK = 2000
SUBJECT, ACTION = "subject", "_action"
SUBJECT_ALIASES = ("subject", "主体", "主体标识")
SUBJECT_LABELS = {Resource.SubjectKind.PERSON: "身份证号", Resource.SubjectKind.ORGANISATION: "统一社会信用代码"}
ACTION_ALIASES = ("_action", "操作")
DELETE_WORDS = frozenset({"delete", "删除"})
UPSERT_WORDS = frozenset({"", "upsert", "新增或更新"})
TRUE_WORDS, FALSE_WORDS = frozenset({"是", "true", "1"}), frozenset({"否", "false", "0"})
_STRAY = object()  # the key under which a table row carries "a cell outside the header"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,16}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")


def max_bytes() -> int:
    return int(getattr(settings, "YIWANG_SHARING_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "YIWANG_SHARING_IMPORT_MAX_ROWS", 200_000))


# --- who may import ------------------------------------------------------------------------------


def may_import(user, resource: Resource) -> bool:
    """Only the provider department's data steward keeps its data."""
    return holds(user, Role.DATA_STEWARD, resource.provider)


def check_may_import(user, resource: Resource) -> None:
    """Raise before any work is done: PermissionDenied (403), or Conflict (409) for a resource
    served by the department's own system, which has no platform-hosted table to load."""
    if not may_import(user, resource):
        raise PermissionDenied(_("只有提供部门的数据管理员可以导入该资源的数据。"))
    if resource.backing != Resource.Backing.HOSTED:
        raise Conflict("not_hosted", _("该资源由部门自己的系统通过接口提供，不在平台托管，不能导入数据。"))


def batches(user, resource: Resource) -> QuerySet[ImportBatch]:
    """The resource's import history, newest first (the provider's data steward only)."""
    if not may_import(user, resource):
        raise PermissionDenied(_("只有提供部门的数据管理员可以查看导入记录。"))
    return ImportBatch.objects.filter(resource=resource).select_related("uploaded_by").order_by("-created_at", "-id")


def batch_dict(batch: ImportBatch, *, with_errors: bool = True) -> dict[str, Any]:
    """The batch report of the API (and the page): counts, and the errors when asked."""
    body: dict[str, Any] = {
        "id": batch.pk, "status": batch.status, "status_label": batch.get_status_display(),
        "channel": batch.channel, "filename": batch.filename, "rows_total": batch.rows_total,
        "created": batch.rows_created, "updated": batch.rows_updated, "deleted": batch.rows_deleted,
        "error_count": batch.error_count, "duration_ms": batch.duration_ms,
        "uploaded_by": batch.uploaded_by.name or batch.uploaded_by.username,
        "created_at": timezone.localtime(batch.created_at).isoformat() if batch.created_at else None,
    }
    if with_errors:
        body["errors"] = list(batch.errors or [])
    return body


# --- columns and values --------------------------------------------------------------------------


def item_types(resource: Resource) -> dict[str, str]:
    return {str(i.get("name")): str(i.get("type") or "string") for i in resource.items or []}


def subject_label(resource: Resource) -> str:
    return SUBJECT_LABELS.get(resource.subject_kind, "主体标识")


def column_map(resource: Resource) -> dict[str, str]:
    """Header (or JSON key) → item name: the item names, their labels where unambiguous, and the
    subject and action columns under their English and Chinese names."""
    out = {alias: SUBJECT for alias in (*SUBJECT_ALIASES, subject_label(resource))}
    out.update({alias: ACTION for alias in ACTION_ALIASES})
    labels = Counter(str(i.get("label") or "").strip() for i in resource.items or [])
    for i in resource.items or []:
        label = str(i.get("label") or "").strip()
        if label and labels[label] == 1 and label not in out:
            out[label] = str(i.get("name"))
    out.update({name: name for name in item_types(resource)})  # a name always means its item
    return out


def template_header(resource: Resource) -> list[str]:
    """The header row of the downloadable CSV template: the labels people read, or the item name
    where a label is missing or shared."""
    cmap = column_map(resource)
    header = [subject_label(resource)]
    for i in resource.items or []:
        label = str(i.get("label") or "").strip()
        header.append(label if label and cmap.get(label) == i.get("name") else str(i.get("name")))
    return [*header, "操作"]


class _Bad(ValueError):
    """A value that does not fit its item; the message is shown in the report."""


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Bad(_("应为文本。"))
    if isinstance(value, float) and not math.isfinite(value):
        raise _Bad(_("应为文本。"))
    if isinstance(value, str):
        text = value.strip()
    else:  # a spreadsheet's number cell in a text column: 12.0 → "12"
        text = str(int(value)) if isinstance(value, int) or value.is_integer() else repr(value)
    if _CONTROL.search(text):
        raise _Bad(_("含有不可见的控制字符。"))
    if _SURROGATE.search(text):  # cannot be encoded (or encrypted): a broken file, not text
        raise _Bad(_("含有无效的字符。"))
    if len(text) > MAX_TEXT:
        raise _Bad(_("内容过长（最多 %(n)s 个字符）。") % {"n": MAX_TEXT})
    return text


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):  # a date cell of a spreadsheet
        if value.time() != dt.time(0):
            raise _Bad(_("应为日期，不含时间（YYYY-MM-DD）。"))
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else ""
    if not _DATE.match(text):
        raise _Bad(_("日期格式应为 YYYY-MM-DD。"))
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise _Bad(_("不是有效的日期。")) from None


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad(_("应为整数。"))
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        raise _Bad(_("应为整数。"))
    if abs(value) > MAX_INTEGER:
        raise _Bad(_("整数超出范围。"))
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise _Bad(_("应为数字。"))
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER.match(text):
            raise _Bad(_("应为数字。"))
        value = int(text) if _INTEGER.match(text) else float(text)
    if isinstance(value, int):
        if abs(value) > MAX_INTEGER:
            raise _Bad(_("数字超出范围。"))
        return value
    if not isinstance(value, float) or not math.isfinite(value):
        raise _Bad(_("应为数字。"))
    return value


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = value.strip().lower() if isinstance(value, str) else None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _Bad(_("应为 是/否（true/false、1/0）。"))


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "string": _text, "date": _date, "integer": _integer, "number": _number, "boolean": _boolean}


def convert(item_type: str, value: Any) -> Any:
    """``value`` as an item of ``item_type`` stores it (an unknown type is text); raises
    ``ValueError`` with the Chinese message of the report. Whatever else writes a hosted value
    (a 数据纠错 correction) uses this, so it accepts exactly what an import accepts."""
    return CONVERTERS.get(item_type, _text)(value)


def _subject(kind: str, value: Any) -> str:
    if isinstance(value, float):
        raise _Bad(_("主体标识被存成了数字（精度已丢失），请把该列设为文本后重新导出。"))
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Bad(_("请填写主体标识。"))
    try:
        if kind == Resource.SubjectKind.ORGANISATION:
            return parse_uscc(str(value)).code
        return parse_id_number(str(value)).number18
    except IdentifierError as exc:
        raise _Bad(exc.message) from None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- the report ----------------------------------------------------------------------------------


class _Errors:
    """Errors in row order: the first MAX_STORED_ERRORS kept, all counted."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: int, field_name: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_STORED_ERRORS:
            self.items.append({"row": row, "field": _visible(field_name), "message": _visible(message)})

    def merged(self, other: _Errors) -> _Errors:
        out = _Errors()
        out.count = self.count + other.count
        out.items = list(heapq.merge(self.items, other.items, key=lambda e: e["row"]))[:MAX_STORED_ERRORS]
        return out


def _escape(ch: str) -> str:
    if unicodedata.category(ch) not in ("Cc", "Cs"):
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def _visible(text: str) -> str:
    """Report text as it may be stored and shown: a header or key copied from the file may hold
    NUL (which a jsonb column refuses) or other invisible characters; they are written out as
    escapes (``na\\x00me``), so the user sees what is wrong with the column."""
    return "".join(_escape(ch) for ch in str(text))


@dataclass
class _Row:
    number: int
    subject: str
    delete: bool
    values: dict[str, Any] = field(default_factory=dict)


def _too_many(limit: int) -> ApiError:
    return ApiError("too_many_rows", _("一次最多导入 %(n)s 行，请拆分后分批导入。") % {"n": f"{limit:,}"},
                    {"rows": _("行数过多")}, status=413)


def _check_rows(resource: Resource, numbered: Iterable[tuple[int, Any]], errors: _Errors) -> tuple[list[_Row], int]:
    """Check every row without touching the database; returns the good rows and the row count."""
    cmap, types, kind, limit = column_map(resource), item_types(resource), resource.subject_kind, max_rows()
    good: list[_Row] = []
    first_row_of: dict[str, int] = {}
    total = 0
    for number, row in numbered:
        total += 1
        if total > limit:
            raise _too_many(limit)
        if not isinstance(row, dict):
            errors.add(number, "", _("每一行应为一个对象（数据项名 → 值）。"))
            continue
        before = errors.count
        raw_subject: Any = None
        raw_action: Any = None
        values: dict[str, Any] = {}
        seen: set[str] = set()
        for key, value in row.items():
            if key is _STRAY:
                errors.add(number, "", value)
                continue
            name = cmap.get(key.strip()) if isinstance(key, str) else None
            if name is None:
                errors.add(number, str(key)[:60], _("资源没有这个数据项。"))
                continue
            if name in seen:
                errors.add(number, name, _("同一数据项出现了两次。"))
                continue
            seen.add(name)
            if name == SUBJECT:
                raw_subject = value
            elif name == ACTION:
                raw_action = value
            elif not _blank(value):
                try:
                    values[name] = CONVERTERS.get(types[name], _text)(value)
                except _Bad as exc:
                    errors.add(number, name, str(exc))
        action = raw_action.strip().lower() if isinstance(raw_action, str) else raw_action
        if action is not None and action not in UPSERT_WORDS | DELETE_WORDS:
            errors.add(number, ACTION, _("操作应留空（新增或更新）或填“删除”（delete）。"))
        delete = action in DELETE_WORDS
        subject = ""
        if _blank(raw_subject):
            errors.add(number, SUBJECT, _("请填写%(label)s。") % {"label": subject_label(resource)})
        else:
            try:
                subject = _subject(kind, raw_subject)
            except _Bad as exc:
                errors.add(number, SUBJECT, str(exc))
        if subject:
            if subject in first_row_of:
                errors.add(number, SUBJECT, _("与第 %(row)s 行的主体重复：同一批次中每个主体只能出现一次。")
                           % {"row": first_row_of[subject]})
            else:
                first_row_of[subject] = number
        if not delete and not values and errors.count == before:
            errors.add(number, "", _("这一行没有填写任何数据项。"))
        if errors.count == before:
            good.append(_Row(number, subject, delete, values))
    return good, total


# --- the service ---------------------------------------------------------------------------------


def import_rows(actor, resource: Resource, rows: Iterable[dict], *, channel: str, filename: str = "") -> ImportBatch:
    """Import ``rows`` ({"subject": id, item: value, …, optional "_action": "delete"}) all or
    nothing. Rows are numbered from 1 (from 2 for the csv and xlsx channels, as in the file)."""
    started = time.perf_counter()
    check_may_import(actor, resource)
    first = 2 if channel in (ImportBatch.Channel.CSV, ImportBatch.Channel.XLSX) else 1
    return _import(actor, resource, enumerate(rows, start=first), channel=channel, filename=filename,
                   started=started)


def import_file(actor, resource: Resource, content: bytes, *, filename: str, channel: str | None = None) -> ImportBatch:
    """Parse an uploaded CSV / XLSX / JSON file and import it (see ``import_rows``)."""
    started = time.perf_counter()
    check_may_import(actor, resource)
    if len(content) > max_bytes():
        raise too_large()
    channel = channel or detect_channel(filename, content)
    if channel not in PARSERS:
        raise ApiError("unsupported_format", _("只支持 CSV、XLSX 和 JSON 文件。"), {"file": _("文件类型不支持")})
    parsed = PARSERS[channel](resource, content)
    return _import(actor, resource, parsed.rows, channel=channel, filename=filename, started=started,
                   header_errors=parsed.errors)


def too_large() -> ApiError:
    return ApiError("too_large", _("文件过大：最大 %(n)s MB。") % {"n": max_bytes() // (1024 * 1024)},
                    {"file": _("文件过大")}, status=413)


def _import(actor, resource: Resource, numbered: Iterable[tuple[int, Any]], *, channel: str, filename: str,
            started: float, header_errors: Iterable[tuple[int, str, str]] = ()) -> ImportBatch:
    if channel not in ImportBatch.Channel.values:
        raise ApiError("validation_error", _("导入方式无效。"), {"channel": ", ".join(ImportBatch.Channel.values)})
    errors = _Errors()
    for error in header_errors:
        errors.add(*error)
    good, total = _check_rows(resource, numbered, errors)
    if total == 0 and not errors.count:
        raise ApiError("empty", _("没有可导入的数据行。"), {"rows": _("没有数据行")})
    with transaction.atomic():
        # One import of a resource at a time: two batches creating the same subject would collide.
        list(Resource.objects.select_for_update().filter(pk=resource.pk).values_list("pk", flat=True))
        existing = _existing(resource, [r.subject for r in good])
        missing = _Errors()
        for r in good:
            if r.delete and r.subject not in existing:
                missing.add(r.number, SUBJECT, _("没有该主体的记录，无法删除。"))
        errors = errors.merged(missing)
        batch = ImportBatch(resource=resource, uploaded_by=actor, channel=channel, filename=strip_control(filename)[:200],
                            rows_total=total)
        if errors.count:
            batch.status, batch.error_count, batch.errors = ImportBatch.Status.REJECTED, errors.count, errors.items
        else:
            batch.status = ImportBatch.Status.APPLIED
            batch.rows_created, batch.rows_updated, batch.rows_deleted = _write(resource, good, existing)
        batch.duration_ms = int((time.perf_counter() - started) * 1000)
        batch.save()
        _record(actor, resource, batch)
    return batch


def _record(actor, resource: Resource, batch: ImportBatch) -> None:
    payload = {"batch_id": batch.pk, "resource": resource.code, "rows_total": batch.rows_total}
    if batch.status == ImportBatch.Status.APPLIED:
        audit.record("sharing.import_applied", actor=actor, obj=batch,
                     summary=f"{resource.name} 导入 {batch.rows_total} 行：新增 {batch.rows_created}，"
                             f"更新 {batch.rows_updated}，删除 {batch.rows_deleted}",
                     data={"channel": batch.channel, "filename": batch.filename})
        emit("sharing.import_applied", {**payload, "created": batch.rows_created, "updated": batch.rows_updated,
                                        "deleted": batch.rows_deleted})
    else:
        audit.record("sharing.import_rejected", actor=actor, obj=batch,
                     summary=f"{resource.name} 导入未通过校验：{batch.rows_total} 行，{batch.error_count} 处错误",
                     data={"channel": batch.channel, "filename": batch.filename})
        emit("sharing.import_rejected", {**payload, "error_count": batch.error_count})


def _lookup_chunk(keys: int) -> int:
    limit = connection.features.max_query_params or LOOKUP_CHUNK * keys
    return max(1, min(LOOKUP_CHUNK, (limit - 10) // max(keys, 1)))


def _existing(resource: Resource, subjects: list[str]) -> dict[str, tuple[int, str]]:
    """subject → (pk, data JSON) of the records already there, found by blind index under every
    key of the ring (a rotation may be in progress), a chunk of subjects per query."""
    found: dict[str, tuple[int, str]] = {}
    if not subjects:
        return found
    keys = len(blind_index_candidates(SUBJECT, subjects[0]))
    step = _lookup_chunk(keys)
    for start in range(0, len(subjects), step):
        by_index = {idx: s for s in subjects[start:start + step] for idx in blind_index_candidates(SUBJECT, s)}
        for pk, index, data in (HostedRecord.objects.filter(resource=resource, subject_index__in=list(by_index))
                                .values_list("pk", "subject_index", "data")):
            found[by_index[index]] = (pk, data)
    return found


def _order(names: list[str], values: dict[str, Any]) -> dict[str, Any]:
    """Items in the resource's order (stable JSON for the same data); items no longer in the
    catalogue entry are kept at the end."""
    return {**{k: values[k] for k in names if k in values}, **{k: v for k, v in values.items() if k not in names}}


def _write(resource: Resource, rows: list[_Row], existing: dict[str, tuple[int, str]]) -> tuple[int, int, int]:
    now, names = timezone.now(), list(item_types(resource))
    creates: list[HostedRecord] = []
    updates: list[HostedRecord] = []
    deletes: list[int] = []
    for r in rows:
        if r.delete:
            deletes.append(existing[r.subject][0])
        elif r.subject in existing:
            pk, old = existing[r.subject]
            try:
                merged = json.loads(old) if old else {}
            except ValueError:
                merged = {}
            merged = merged if isinstance(merged, dict) else {}
            merged.update(r.values)
            updates.append(HostedRecord(pk=pk, resource=resource, updated_at=now,
                                        data=json.dumps(_order(names, merged), ensure_ascii=False)))
        else:
            creates.append(HostedRecord(resource=resource, subject=r.subject,
                                        data=json.dumps(_order(names, r.values), ensure_ascii=False)))
    for start in range(0, len(deletes), DELETE_CHUNK):
        HostedRecord.objects.filter(pk__in=deletes[start:start + DELETE_CHUNK]).delete()
    if updates:
        HostedRecord.objects.bulk_update(updates, ["data", "updated_at"], batch_size=UPDATE_BATCH)
    if creates:
        HostedRecord.objects.bulk_create(creates, batch_size=CREATE_BATCH)
    return len(creates), len(updates), len(deletes)


# --- parsers -------------------------------------------------------------------------------------


@dataclass
class Parsed:
    rows: Iterator[tuple[int, Any]] | list[tuple[int, Any]]
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def detect_channel(filename: str, content: bytes) -> str:
    """By the file's extension, else by its first bytes (an XLSX file is a zip archive)."""
    ext = str(filename or "").rsplit(".", 1)[-1].lower() if "." in str(filename or "") else ""
    if ext in ("csv", "xlsx", "json"):
        return ext
    if ext:
        raise ApiError("unsupported_format", _("只支持 CSV、XLSX 和 JSON 文件。"), {"file": _("文件类型不支持")})
    head = content[:8].lstrip(b"\xef\xbb\xbf \t\r\n")
    if content.startswith(b"PK\x03\x04"):
        return ImportBatch.Channel.XLSX
    if head[:1] in (b"[", b"{"):
        return ImportBatch.Channel.JSON
    return ImportBatch.Channel.CSV


def _table(resource: Resource, header: list[Any], body: Iterable[tuple[int, list[Any]]]) -> Parsed:
    """Rows of a CSV or XLSX sheet as dicts keyed by item name; header problems are reported on
    row 1 and their columns left out, so every data row is still checked."""
    cmap, errors = column_map(resource), []
    columns: list[tuple[int, str]] = []
    used: dict[str, str] = {}
    for pos, raw in enumerate(header):
        title = "" if raw is None else str(raw).strip()
        if not title:
            continue
        name = cmap.get(title)
        if name is None:
            errors.append((1, title[:60], _("未知的列：资源没有这个数据项。")))
        elif name in used:
            errors.append((1, title[:60], _("与“%(other)s”列重复。") % {"other": used[name]}))
        else:
            used[name] = title
            columns.append((pos, name))
    if SUBJECT not in used:
        errors.append((1, SUBJECT, _("缺少“%(label)s”列。") % {"label": subject_label(resource)}))
    named = {pos for pos, _n in columns} | {pos for pos, raw in enumerate(header) if raw not in (None, "")
                                              and str(raw).strip()}

    def rows() -> Iterator[tuple[int, Any]]:
        for number, cells in body:
            if all(_blank(c) for c in cells):
                continue
            row: dict[Any, Any] = {name: cells[pos] if pos < len(cells) else None for pos, name in columns}
            stray = [pos for pos, c in enumerate(cells) if pos not in named and not _blank(c)]
            if stray:
                row[_STRAY] = _("第 %(col)s 列有内容但没有表头。") % {"col": stray[0] + 1}
            yield number, row

    return Parsed(rows(), errors)


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ApiError("bad_encoding", _("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 CSV。"),
                       {"file": _("编码无法识别")}) from None


def parse_csv(resource: Resource, content: bytes) -> Parsed:
    """CSV, UTF-8 with or without BOM, or GB18030 (what Excel on a Chinese Windows writes)."""
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _csv_error(1, exc) from None
    if not header:
        raise ApiError("empty", _("文件是空的：第一行应为表头。"), {"file": _("没有表头")})

    def body() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for number, cells in enumerate(reader, start=2):
                yield number, cells
        except csv.Error as exc:
            raise _csv_error(number + 1, exc) from None

    return _table(resource, header, body())


def _csv_error(row: int, exc: Exception) -> ApiError:
    return ApiError("bad_file", _("CSV 格式错误（第 %(row)s 行附近）：%(e)s") % {"row": row, "e": exc},
                    {"file": _("格式错误")})


def parse_xlsx(resource: Resource, content: bytes) -> Parsed:
    """The first sheet of an XLSX workbook, read in streaming mode (values, not formulas)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = list(next(rows, None) or [])
    except Exception as exc:  # an uploaded file: any failure to read it is the file's fault, not ours
        raise _xlsx_error(exc) from None
    if not any(not _blank(c) for c in header):
        raise ApiError("empty", _("文件是空的：第一行应为表头。"), {"file": _("没有表头")})

    def body() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(rows, start=2):
                yield number, list(cells)
        except Exception as exc:  # a broken sheet part found while streaming
            raise _xlsx_error(exc) from None
        finally:
            book.close()

    return _table(resource, header, body())


def _xlsx_error(exc: Exception) -> ApiError:
    detail = _("不是有效的 XLSX 文件") if isinstance(exc, zipfile.BadZipFile | KeyError) else type(exc).__name__
    return ApiError("bad_file", _("XLSX 文件无法读取：%(e)s。") % {"e": detail}, {"file": _("不是有效的 XLSX 文件")})


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def load_json(content: bytes) -> Any:
    """JSON text (UTF-8, BOM allowed); NaN and Infinity are refused."""
    try:
        return json.loads(content.decode("utf-8-sig"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError("bad_file", _("不是有效的 JSON（须为 UTF-8 编码）。"), {"file": _("JSON 格式错误")}) from None


def json_rows(document: Any) -> list[Any]:
    """A JSON array of row objects, or ``{"rows": [...]}``."""
    rows = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise ApiError("validation_error", _("应为数组，或含 rows 数组的对象。"), {"rows": _("应为数组")})
    if len(rows) > max_rows():
        raise _too_many(max_rows())
    return rows


def parse_json(resource: Resource, content: bytes) -> Parsed:
    return Parsed(rows=list(enumerate(json_rows(load_json(content)), start=1)))


PARSERS: dict[str, Callable[[Resource, bytes], Parsed]] = {
    ImportBatch.Channel.CSV: parse_csv, ImportBatch.Channel.XLSX: parse_xlsx, ImportBatch.Channel.JSON: parse_json,
    ImportBatch.Channel.API: parse_json}
