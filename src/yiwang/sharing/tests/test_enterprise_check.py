"""Enterprise binding against 企业登记信息 (issue 8): the register decides at once for the
enterprises it knows (bound when the applicant is the registered legal representative, refused
when not); unknown enterprises still go to staff review. Every check is a logged exchange read."""

import json

import pytest

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import Enterprise, EnterpriseMembership, User
from yiwang.accounts.services import enterprises
from yiwang.catalog.tests import factories
from yiwang.core.identifiers import make_uscc
from yiwang.sharing.models import AccessRecord, HostedRecord, Resource, ShareType

OWNER = demo_id_number("19800101", "011")
USCC = make_uscc("9", "1", "370812", "MA01X2Y3")
UNKNOWN = make_uscc("9", "1", "370812", "MA09Y8W7")


@pytest.fixture
def register(db):
    market = factories.department("market", name="市场监管局")
    factories.department("approval", name="行政审批服务局")
    resource = Resource.objects.create(
        code="SJ-SCZT", name="企业登记信息", provider=market, share_type=ShareType.UNCONDITIONAL,
        subject_kind=Resource.SubjectKind.ORGANISATION,
        items=[{"name": n, "label": n, "type": "string", "sensitivity": "public"}
               for n in ("name", "legal_rep_name", "legal_rep_id_number")])
    HostedRecord.objects.create(resource=resource, subject=USCC, data=json.dumps(
        {"name": "兖州区登记测试有限公司", "legal_rep_name": "赵六", "legal_rep_id_number": OWNER}, ensure_ascii=False))
    return resource


def citizen(username, id_number, name):
    return User.objects.create_user(username=username, password="x", name=name, level=2, id_number=id_number)


@pytest.mark.django_db
def test_the_registered_legal_representative_is_bound_at_once(register):
    owner = citizen("zhao", OWNER, "赵六")
    ent = enterprises.request_enterprise(owner, name="登记测试公司", uscc=USCC)
    assert ent.status == Enterprise.Status.VERIFIED and ent.name == "兖州区登记测试有限公司"
    assert "企业登记信息" in ent.review_note
    assert EnterpriseMembership.objects.filter(enterprise=ent, user=owner, kind="legal_rep").exists()
    read = AccessRecord.objects.get()
    assert (read.resource, read.result, read.consumer.code) == (register, "ok", "approval")
    assert "法人绑定" in read.purpose


@pytest.mark.django_db
def test_someone_else_is_refused_with_the_reason(register):
    other = citizen("qian", demo_id_number("19900101", "022"), "钱七")
    ent = enterprises.request_enterprise(other, name="登记测试公司", uscc=USCC, legal_rep_name="钱七")
    assert ent.status == Enterprise.Status.REJECTED and "登记的法定代表人不是申请人" in ent.review_note
    assert not EnterpriseMembership.objects.filter(enterprise=ent).exists()
    # the rightful representative can still bind it afterwards
    owner = citizen("zhao", OWNER, "赵六")
    assert enterprises.request_enterprise(owner, name="登记测试公司", uscc=USCC).status == Enterprise.Status.VERIFIED


@pytest.mark.django_db
def test_an_enterprise_the_register_does_not_know_goes_to_staff(register):
    owner = citizen("zhao", OWNER, "赵六")
    ent = enterprises.request_enterprise(owner, name="外地公司", uscc=UNKNOWN)
    assert ent.status == Enterprise.Status.PENDING
    assert AccessRecord.objects.get().result == "not_found"


@pytest.mark.django_db
def test_the_register_down_means_staff_review(register, monkeypatch):
    from yiwang.sharing import exchange

    def down(resource, subject):
        raise exchange.ProviderUnavailable("提供部门系统无响应")

    monkeypatch.setattr(exchange, "fetch", down)
    owner = citizen("zhao", OWNER, "赵六")
    assert enterprises.request_enterprise(owner, name="登记测试公司", uscc=USCC).status == Enterprise.Status.PENDING
    assert AccessRecord.objects.get().result == "failed"


@pytest.mark.django_db
def test_the_binding_page_says_what_happened(register, client):
    owner = citizen("zhao", OWNER, "赵六")
    client.force_login(owner)
    response = client.post("/accounts/profile/enterprise/", {"name": "登记测试公司", "uscc": USCC, "type": "company",
                                                          "legal_rep_name": "赵六"}, follow=True)
    assert response.status_code == 200
    assert "已通过企业登记信息核验" in response.content.decode()


@pytest.mark.django_db
def test_a_register_without_the_id_number_leaves_it_to_staff(register):
    """A namesake of the legal representative must not be bound on the name alone."""
    record = HostedRecord.objects.get()
    record.data = json.dumps({"name": "兖州区登记测试有限公司", "legal_rep_name": "赵六"}, ensure_ascii=False)
    record.save()
    namesake = citizen("zhao2", demo_id_number("19900101", "033"), "赵六")
    ent = enterprises.request_enterprise(namesake, name="登记测试公司", uscc=USCC)
    assert ent.status == Enterprise.Status.PENDING
    assert not EnterpriseMembership.objects.filter(enterprise=ent).exists()


@pytest.mark.django_db
def test_a_broken_check_is_skipped_and_the_next_one_decides(register):
    def broken(user, uscc):
        raise RuntimeError("register adapter bug")

    enterprises.register_registry_check(broken)
    try:
        owner = citizen("zhao", OWNER, "赵六")
        ent = enterprises.request_enterprise(owner, name="登记测试公司", uscc=USCC)
    finally:
        enterprises.unregister_registry_check(broken)
    # the broken check is skipped; the sharing check after it still decides
    assert ent.status == Enterprise.Status.VERIFIED


@pytest.mark.django_db
def test_a_register_published_by_another_department_decides_nothing(register):
    """Resource codes are only a convention: 企业登记信息 counts only from its keeper (市场监管)."""
    intruder = factories.department("disabled", name="残联")
    Resource.objects.filter(pk=register.pk).update(provider=intruder)
    owner = citizen("zhao", OWNER, "赵六")
    assert enterprises.request_enterprise(owner, name="登记测试公司", uscc=USCC).status == Enterprise.Status.PENDING
    assert not AccessRecord.objects.exists()
