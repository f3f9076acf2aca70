"""Shared builders of the cases tests: staff with a role, a submitted case, an open work item."""


from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.cases import applying
from yiwang.cases.models import DeliveryMethod, WorkItem
from yiwang.cases.tests.test_applying import complete
from yiwang.catalog.tests import factories
from yiwang.org.models import Department


def staff(username, role, dept):
    user = User.objects.create_user(username=username, password="x", name=username)
    assign_role(user, role, department=dept)
    return user


def make_world():
    approval = factories.department("approval", name="行政审批服务局", kind=Department.Kind.APPROVAL_BUREAU)
    market = factories.department("market", name="市场监管局")
    return {
        "approval": approval, "market": market,
        "citizen": User.objects.create_user(username="zhang", password="x", name="张三", level=2),
        "clerk": staff("clerk", Role.WINDOW_CLERK, approval),
        "clerk2": staff("clerk2", Role.WINDOW_CLERK, approval),
        "undertaker": staff("und", Role.UNDERTAKER, market),
        "reviewer": staff("rev", Role.REVIEWER, market),
        "approver": staff("app", Role.APPROVER, market),
    }


def submitted_case(world, item, delivery=DeliveryMethod.WINDOW):
    case, _ = applying.create_draft(world["citizen"], item.code)
    complete(case)
    case.delivery_method = delivery
    case.save()
    return applying.submit(world["citizen"], case, declaration=True)


def open_item(case, step):
    return WorkItem.objects.get(case=case, step=step, status=WorkItem.Status.OPEN)
