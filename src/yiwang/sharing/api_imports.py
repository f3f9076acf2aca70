"""Import API of platform-hosted shared-data resources (the provider's data steward only).

- ``POST /sharing/resources/{code}/records`` — JSON ``{"rows": [{"subject": …, item: value, …,
  "_action": "delete"?}]}`` (or a bare array);
- ``POST /sharing/resources/{code}/imports`` — a CSV / XLSX / JSON file in the multipart field
  ``file``;
- ``GET /sharing/resources/{code}/imports`` — the import history, newest first;
  ``GET /sharing/resources/{code}/imports/{id}`` — one batch with its report.

Both POSTs answer with the batch report ``{"id", "status", "rows_total", "created", "updated",
"deleted", "error_count", "errors": [{"row", "field", "message"}], …}``: **201** when applied;
**400** when a row is bad and nothing was written — the body is then the same report plus the
error envelope's ``code`` (``import_rejected``), ``message`` and ``fields``. Too large a body or
file, or too many rows: **413**; a resource served by the department's own system: **409**.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from yiwang.accounts.apiauth import api_auth
from yiwang.core.api import NotFound, paginate
from yiwang.core.text import lookup_code
from yiwang.sharing import imports
from yiwang.sharing.models import ImportBatch, Resource

router = Router(tags=["sharing"])

REPORT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "status": {"type": "string", "enum": ["applied", "rejected"]},
    "rows_total": {"type": "integer"}, "created": {"type": "integer"}, "updated": {"type": "integer"},
    "deleted": {"type": "integer"}, "error_count": {"type": "integer"},
    "errors": {"type": "array", "items": {"type": "object", "properties": {
        "row": {"type": "integer"}, "field": {"type": "string"}, "message": {"type": "string"}}}}}}
ROWS_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["rows"], "properties": {"rows": {"type": "array", "items": {
        "type": "object", "required": ["subject"], "additionalProperties": True, "properties": {
            "subject": {"type": "string", "description": "身份证号或统一社会信用代码"},
            "_action": {"type": "string", "enum": ["delete"], "description": "删除该主体的记录"}}}}}}}}},
    "responses": {"201": {"description": "已导入", "content": {"application/json": {"schema": REPORT}}},
                  "400": {"description": "有错误行，未导入任何数据（正文为校验报告）",
                          "content": {"application/json": {"schema": REPORT}}}}}


def _find(code: str) -> Resource:
    code = lookup_code(code)
    resource = Resource.objects.select_related("provider").filter(code=code).first() if code else None
    if resource is None:
        raise NotFound("not_found", _("共享资源不存在。"))
    return resource


def _resource(request, code: str) -> Resource:
    resource = _find(code)
    imports.check_may_import(request.auth, resource)
    return resource


def _answer(batch: ImportBatch) -> Status:
    body = imports.batch_dict(batch)
    if batch.status == ImportBatch.Status.APPLIED:
        return Status(201, body)
    message = _("有 %(n)s 处错误，未导入任何数据；请按校验报告修改后重新提交。") % {"n": batch.error_count}
    return Status(400, {"code": "import_rejected", "message": message, "fields": {}, **body})


@router.post("/sharing/resources/{code}/records", auth=api_auth, response={201: dict, 400: dict},
             summary="批量导入（JSON 行，按主体增量，全部成功才写入）", openapi_extra=ROWS_BODY)
def post_records(request, code: str):
    resource = _resource(request, code)
    # Read the stream ourselves: a bulk body is larger than Django's in-memory form limit, and
    # our own limit gives a Chinese 413 instead of a bare 400.
    content = request.read(imports.max_bytes() + 1)
    if len(content) > imports.max_bytes():
        raise imports.too_large()
    rows = imports.json_rows(imports.load_json(content))
    return _answer(imports.import_rows(request.auth, resource, rows, channel=ImportBatch.Channel.API))


@router.post("/sharing/resources/{code}/imports", auth=api_auth, response={201: dict, 400: dict},
             summary="上传文件导入（CSV、XLSX、JSON，字段 file）")
def post_import_file(request, code: str, file: File[UploadedFile]):
    resource = _resource(request, code)
    if file.size is not None and file.size > imports.max_bytes():
        raise imports.too_large()
    name = (file.name or "")[:200]
    return _answer(imports.import_file(request.auth, resource, file.read(imports.max_bytes() + 1), filename=name))


@router.get("/sharing/resources/{code}/imports", auth=api_auth, summary="导入记录（提供部门数据管理员）")
def list_imports(request, code: str, page: int = 1, page_size: int = 20):
    resource = _find(code)
    return paginate(imports.batches(request.auth, resource), page, page_size,
                    lambda b: imports.batch_dict(b, with_errors=False))


@router.get("/sharing/resources/{code}/imports/{batch_id}", auth=api_auth, summary="导入批次及校验报告")
def import_detail(request, code: str, batch_id: int):
    resource = _find(code)
    return imports.batch_dict(get_object_or_404(imports.batches(request.auth, resource), pk=batch_id))
