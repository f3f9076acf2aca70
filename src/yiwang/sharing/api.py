"""Data-sharing API: the resource catalogue (metadata) and a person's own data-use records."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from yiwang.accounts.apiauth import api_auth
from yiwang.accounts.models import VerificationLevel
from yiwang.core.api import Forbidden, paginate
from yiwang.sharing import queries

router = Router(tags=["sharing"])


@router.get("/sharing/resources", auth=api_auth, summary="共享资源目录（元数据）")
def resources(request, page: int = 1, page_size: int = 20):
    return paginate(queries.catalogue(), page, page_size, queries.resource_dict)


@router.get("/sharing/my-records", auth=api_auth, summary="我的数据使用记录")
def my_records(request, page: int = 1, page_size: int = 20):
    if request.auth.level < VerificationLevel.IDENTITY:
        raise Forbidden("identity_required", _("查看数据使用记录须先完成实名核验。"))
    rows = queries.records_about(queries.subject_ids_of(request.auth))
    return paginate(rows, page, page_size, queries.my_record_dict)
