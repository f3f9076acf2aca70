"""Other ways in: 帮办代办 (a proxy agent for a citizen), 窗口收件 (walk-in at the counter), and
一件事 bundles (a parent case and one child per item, the parent following its children)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import ProxyAuthorization, User
from yiwang.accounts.roles import Role
from yiwang.cases import applying, handling, policies
from yiwang.cases.models import Case, CaseMaterial, Channel
from yiwang.cases.status import CaseStatus
from yiwang.cases.tests.helpers import open_item, staff
from yiwang.cases.tests.test_applying import complete
from yiwang.catalog.models import Bundle, BundleItem
from yiwang.catalog.tests import factories
from yiwang.core.api import ApiError
from yiwang.core.clock import today
from yiwang.core.models import AuditRecord


@pytest.fixture
def proxy(world):
    agent = User.objects.create_user(username="agent", password="x", name="代办员", level=2)
    return agent


def authorise(grantor, agent, **kw):
    return ProxyAuthorization.objects.create(grantor=grantor, agent=agent, all_items=kw.get("all_items", True),
                                             item_codes=kw.get("item_codes", []),
                                             valid_from=kw.get("valid_from", today() - dt.timedelta(days=1)),
                                             valid_until=kw.get("valid_until", today() + dt.timedelta(days=30)))


@pytest.mark.django_db
def test_proxy_applies_under_a_valid_authorisation(world, proxy):
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    citizen = world["citizen"]
    with pytest.raises(PermissionDenied):
        applying.create_draft(proxy, item.code, on_behalf_of=citizen)
    assert AuditRecord.objects.filter(action="case.proxy_denied").exists()
    authorise(citizen, proxy, all_items=False, item_codes=["OTHER"])
    with pytest.raises(PermissionDenied):  # authorisation for other items only
        applying.create_draft(proxy, item.code, on_behalf_of=citizen)
    authorise(citizen, proxy, valid_until=today() - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):  # expired
        applying.create_draft(proxy, item.code, on_behalf_of=citizen)
    auth = authorise(citizen, proxy)
    case, created = applying.create_draft(proxy, item.code, on_behalf_of=citizen, idempotency_key="p-1")
    assert created and case.applicant == citizen and case.proxy_agent == proxy
    assert case.channel == Channel.PROXY and case.proxy_authorization == auth
    assert case.form_data["applicant_name"] == "张三"  # the principal's profile, not the agent's
    again, created = applying.create_draft(proxy, item.code, on_behalf_of=citizen, idempotency_key="p-1")
    assert not created and again.pk == case.pk
    complete(case)
    applying.submit(proxy, case, declaration=True)
    assert case.pk in policies.cases_for_applicant(citizen).values_list("pk", flat=True)
    assert case.pk in policies.cases_for_applicant(proxy).values_list("pk", flat=True)
    assert policies.can_view(citizen, Case.objects.get(pk=case.pk))


@pytest.mark.django_db
def test_walk_in_registration_by_a_clerk_of_the_accepting_unit(world):
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    number = demo_id_number("19700101", "123")
    with pytest.raises(PermissionDenied):
        applying.register_walk_in(world["undertaker"], item.code, name="王五", id_number=number)
    with pytest.raises(ApiError) as exc:
        applying.register_walk_in(world["clerk"], item.code, name="", id_number=number[:-1] + "X", phone="123")
    assert set(exc.value.fields) == {"name", "id_number", "phone"}
    assert not Case.objects.exists()
    world["citizen"].phone = "13700000009"
    world["citizen"].save()
    with pytest.raises(ApiError) as exc:  # someone else's phone number
        applying.register_walk_in(world["clerk"], item.code, name="王五", id_number=number, phone="13700000009")
    assert "phone" in exc.value.fields
    case, created = applying.register_walk_in(world["clerk"], item.code, name="王五", id_number=number,
                                              phone="13700000001", idempotency_key="w-1")
    assert created and case.channel == Channel.WINDOW and case.registered_by == world["clerk"]
    person = case.applicant
    assert person.name == "王五" and person.id_number == number and not person.has_usable_password()
    assert case.form_data["applicant_name"] == "王五"
    again, created = applying.register_walk_in(world["clerk"], item.code, name="王五", id_number=number,
                                               idempotency_key="w-1")
    assert not created and again.pk == case.pk
    # the same person next time: found by ID number; a different name on the same number is refused
    other, _ = applying.register_walk_in(world["clerk"], item.code, name="王五", id_number=number)
    assert other.applicant == person
    with pytest.raises(ApiError) as exc:
        applying.register_walk_in(world["clerk"], item.code, name="李四", id_number=number)
    assert "name" in exc.value.fields
    # the clerk scans the paper materials and submits; then accepts at once
    complete(case)
    applying.submit(world["clerk"], case, declaration=True)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def bundle_of(world, *items, lead=None):
    bundle = Bundle.objects.create(code="kaiban", name="企业开办一件事", audience="personal",
                                   lead_department=lead)
    for n, item in enumerate(items):
        BundleItem.objects.create(bundle=bundle, item=item, order=n)
    return bundle


@pytest.fixture
def two_items(world):
    police = factories.department("police", name="公安局")
    staff("pol-und", Role.UNDERTAKER, police)
    staff("pol-rev", Role.REVIEWER, police)
    staff("pol-app", Role.APPROVER, police)
    a = factories.item("设立登记", department_obj=world["market"])
    b = factories.item("印章刻制备案", department_obj=police, materials=[
        {"code": "M09", "name": "申请书", "necessity": "required", "source": "applicant", "originals": 1},
        {"code": "M10", "name": "印模", "necessity": "required", "source": "applicant", "originals": 1}])
    return a, b


def run_to_delivery(world, case, who):
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    for step in ("undertake", "review"):
        handling.act(who[step], open_item(case, step), "pass")
    handling.act(who["approve"], open_item(case, "approve"), "decide_grant")
    handling.act(who["undertake"], open_item(case, "complete"), "complete")
    if case.item.department.code == "market":
        handling.act(world["clerk"], open_item(case, "deliver"), "deliver", {"method": "window"})


@pytest.mark.django_db
def test_bundle_parent_and_children(world, two_items):
    a, b = two_items
    bundle = bundle_of(world, a, b, lead=world["market"])
    parent, created = applying_bundle(world, bundle)
    assert created and parent.bundle == bundle and parent.parent is None
    # one slot per material name across the items: 申请书 once, 居民身份证, 印模
    assert sorted(parent.materials.values_list("name", flat=True)) == ["印模", "居民身份证", "申请书"]
    with pytest.raises(ApiError) as exc:
        applying.submit(world["citizen"], parent, declaration=True)
    assert {"materials.M01", "materials.M02", "materials.M10"} <= set(exc.value.fields)
    parent.materials.update(status=CaseMaterial.Status.UPLOADED)
    parent.form_data = {"applicant_name": "张三", "id_number": demo_id_number("19880512", "001")}
    parent.delivery_method = "window"
    parent.save()
    applying.submit(world["citizen"], parent, declaration=True)
    parent.refresh_from_db()
    children = list(parent.children.order_by("id"))
    assert [c.item for c in children] == [a, b]
    assert all(c.status == CaseStatus.SUBMITTED and c.number and c.number != parent.number for c in children)
    assert children[1].department.code == "police"
    assert children[1].form_data["applicant_name"] == "张三"
    assert set(children[1].materials.values_list("material_code", "status")) == {
        ("M09", CaseMaterial.Status.UPLOADED), ("M10", CaseMaterial.Status.UPLOADED)}
    assert not parent.work_items.exists()  # the parent is never accepted by itself
    market = {"undertake": world["undertaker"], "review": world["reviewer"], "approve": world["approver"]}
    police = {k: User.objects.get(username=f"pol-{v}") for k, v in
              (("undertake", "und"), ("review", "rev"), ("approve", "app"))}
    run_to_delivery(world, children[0], market)
    parent.refresh_from_db()
    assert parent.status == CaseStatus.IN_REVIEW
    run_to_delivery(world, children[1], police)
    parent.refresh_from_db()
    assert parent.status == CaseStatus.COMPLETED  # the police child is completed, not yet handed over
    handling.act(world["clerk"], open_item(children[1], "deliver"), "deliver", {"method": "window"})
    parent.refresh_from_db()
    assert parent.status == CaseStatus.DELIVERED and parent.result_code == "6"
    assert [t.status_to for t in parent.timeline.all()] == [
        "submitted", "accepted", "in_review", "decided", "completed", "delivered"]


def applying_bundle(world, bundle):
    from yiwang.cases import bundles

    return bundles.create_bundle_draft(world["citizen"], bundle.code, idempotency_key="b-1")


@pytest.mark.django_db
def test_withdrawing_a_bundle_withdraws_its_children(world, two_items):
    bundle = bundle_of(world, *two_items)
    parent, _ = applying_bundle(world, bundle)
    parent.materials.update(status=CaseMaterial.Status.UPLOADED)
    parent.form_data = {"applicant_name": "张三", "id_number": demo_id_number("19880512", "001")}
    parent.save()
    applying.submit(world["citizen"], parent, declaration=True)
    handling.withdraw(world["citizen"], parent, "不办了")
    assert set(Case.objects.values_list("status", flat=True)) == {CaseStatus.WITHDRAWN}


@pytest.mark.django_db
def test_the_delivery_chosen_on_the_form_is_kept_at_submission(world):
    from yiwang.cases.models import DeliveryMethod

    item = factories.item("食品小作坊登记", department_obj=world["market"])
    case, _ = applying.create_draft(world["citizen"], item.code)
    complete(case)
    case.form_data = {**case.form_data, "delivery_method": "post"}
    case.save()
    applying.submit(world["citizen"], case, declaration=True)
    assert Case.objects.get(pk=case.pk).delivery_method == DeliveryMethod.POST
    other, _ = applying.create_draft(world["citizen"], item.code)
    complete(other)
    other.form_data = {**other.form_data, "delivery_method": "pigeon"}  # not a method: the default stays
    other.save()
    applying.submit(world["citizen"], other, declaration=True)
    assert Case.objects.get(pk=other.pk).delivery_method == DeliveryMethod.ELECTRONIC


@pytest.mark.django_db
def test_progress_query_names_the_bundle(world, two_items):
    from yiwang.cases import progress

    parent, _ = applying_bundle(world, bundle_of(world, *two_items))
    parent.materials.update(status=CaseMaterial.Status.UPLOADED)
    parent.form_data = {"applicant_name": "张三", "id_number": demo_id_number("19880512", "001")}
    parent.save()
    applying.submit(world["citizen"], parent, declaration=True)
    parent.refresh_from_db()
    assert progress.query(parent.number, parent.query_password)["item_name"] == "企业开办一件事"
    child = parent.children.first()
    assert progress.query(child.number, parent.query_password)["item_name"] == child.item_version.name
