import pytest

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import User
from yiwang.cases.tests.helpers import make_world
from yiwang.catalog.tests import factories
from yiwang.certificates.models import CertificateType


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    w = make_world()
    User.objects.filter(pk=w["citizen"].pk).update(id_number=demo_id_number("19880512", "001"))
    w["citizen"].refresh_from_db()
    w["licence"] = CertificateType.objects.create(
        code="SPJYXKZ", name="食品经营许可证", department=w["market"], holder_kind=CertificateType.HolderKind.PERSON,
        validity_years=5, fields=[{"name": "applicant_name", "label": "经营者"},
                                  {"name": "items", "label": "经营项目", "source": "const:预包装食品销售"}])
    w["item"] = factories.item("食品经营许可", department_obj=w["market"], certificate_type="SPJYXKZ",
                               result_name="食品经营许可证")
    return w
