"""Material uploads on a draft, 容缺后补, and the anonymous progress query."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases import applying, progress
from yiwang.cases.demo import blank_pdf as pdf_bytes
from yiwang.cases.models import CaseMaterial
from yiwang.cases.tests.helpers import submitted_case
from yiwang.catalog.tests import factories
from yiwang.core.api import ApiError, NotFound, RateLimited


@pytest.mark.django_db
def test_upload_checked_by_content_and_bad_file_changes_nothing(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = factories.item("事项", department_obj=world["market"])
    case, _ = applying.create_draft(world["citizen"], item.code)
    good = applying.attach_material(world["citizen"], case, "M01", SimpleUploadedFile("申请书.pdf", pdf_bytes()))
    assert good.status == CaseMaterial.Status.UPLOADED and good.content_kind == "pdf"
    with pytest.raises(ApiError) as exc:
        applying.attach_material(world["citizen"], case, "M01", SimpleUploadedFile("x.pdf", b"MZ\x90\x00fake exe"))
    assert "file" in exc.value.fields
    assert case.materials.get(material_code="M01").sha256 == good.sha256  # the good upload survives
    with pytest.raises(ApiError):
        applying.attach_material(world["citizen"], case, "M02", SimpleUploadedFile("empty.pdf", b""))


@pytest.mark.django_db
def test_only_deferrable_materials_may_be_deferred(world):
    item = factories.item("事项", department_obj=world["market"], materials=[
        {"code": "M01", "name": "申请书", "necessity": "required"},
        {"code": "M02", "name": "场所证明", "necessity": "deferrable"},
    ])
    case, _ = applying.create_draft(world["citizen"], item.code)
    with pytest.raises(ApiError):
        applying.defer_material(world["citizen"], case, "M01")
    assert applying.defer_material(world["citizen"], case, "M02").status == CaseMaterial.Status.DEFERRED


@pytest.mark.django_db
def test_progress_query(world, settings):
    item = factories.item("事项", department_obj=world["market"])
    case = submitted_case(world, item)
    result = progress.query(case.number, case.query_password, ip="203.0.113.1")
    assert result["status"] == "submitted" and result["applicant"] == "张*"
    assert [s["step"] for s in result["steps"]] == ["申报"]
    with pytest.raises(NotFound):
        progress.query(case.number, "000000" if case.query_password != "000000" else "111111", ip="203.0.113.1")
    with pytest.raises(NotFound):
        progress.query("nope", "123456", ip="203.0.113.1")
    outcomes = []
    for _ in range(12):
        try:
            progress.query(case.number, "bad", ip="203.0.113.2")
        except (NotFound, RateLimited) as exc:
            outcomes.append(type(exc).__name__)
    # ten tries per number and window, then 429 even from a fresh address
    assert outcomes[-1] == "RateLimited" and "NotFound" in outcomes
    with pytest.raises(RateLimited):
        progress.query(case.number, case.query_password, ip="198.51.100.7")
