"""The role × action matrix, department/region scoping and ownership rules."""

import pytest

from yiwang.accounts import policies
from yiwang.accounts.roles import Role

ACTIONS = ["account.unlock", "staff_role.grant", "audit.read", "org.edit", "enterprise.review", "pii.unmask",
           "otp.reset", "dispute.resolve", "dev_sms.read"]
# role → actions allowed (everything else denied)
MATRIX = {
    "citizen": set(),
    Role.PROXY_AGENT: set(),
    Role.WINDOW_CLERK: {"pii.unmask", "enterprise.review"},  # a 市场监管 window clerk checks enterprises
    Role.UNDERTAKER: set(),
    Role.DEPT_ADMIN: set(),
    Role.SUPERVISOR: set(),
    Role.PLATFORM_ADMIN: {"account.unlock", "org.edit", "enterprise.review", "dispute.resolve", "dev_sms.read"},
    Role.SECURITY_ADMIN: {"account.unlock", "staff_role.grant", "pii.unmask", "otp.reset", "dispute.resolve",
                          "dev_sms.read"},
    Role.AUDIT_ADMIN: {"audit.read"},
}


@pytest.fixture
def people(make_user, market, county):
    out = {"citizen": make_user("c")}
    for role in MATRIX:
        if role == "citizen":
            continue
        if role in (Role.SUPERVISOR, Role.PLATFORM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
            out[role] = make_user(f"u-{role}", role=role, region=county)
        else:
            out[role] = make_user(f"u-{role}", role=role, department=market)
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(MATRIX))
def test_role_action_matrix(people, role):
    user = people[role]
    for action in ACTIONS:
        assert policies.can(user, action) == (action in MATRIX[role]), (role, action)


@pytest.mark.django_db
def test_anonymous_can_nothing(people):
    from django.contrib.auth.models import AnonymousUser

    assert not any(policies.can(AnonymousUser(), a) for a in ACTIONS)


@pytest.mark.django_db
def test_unknown_action_is_a_programming_error(people):
    with pytest.raises(KeyError):
        policies.can(people["citizen"], "nonsense")


@pytest.mark.django_db
def test_department_admin_sees_only_own_department(make_user, market, civil):
    admin = make_user("da", role=Role.DEPT_ADMIN, department=market)
    assert policies.can(admin, "department.view_staff", market)
    assert not policies.can(admin, "department.view_staff", civil)
    assert list(policies.departments_scope(admin)) == [market]


@pytest.mark.django_db
def test_region_role_covers_departments_below(make_user, county, other_county, market, civil):
    from yiwang.org.models import Department, Region

    township = Region.objects.create(code="370812001000", name="鼓楼街道", level=4, parent=county)
    centre = Department.objects.create(code="centre-gulou", name="鼓楼街道便民服务中心", region=township)
    elsewhere = Department.objects.create(code="rc-market", name="任城区市场监管局", region=other_county)
    sup = make_user("sup", role=Role.SUPERVISOR, region=county)
    scoped = set(policies.departments_scope(sup))
    assert {market, civil, centre} <= scoped and elsewhere not in scoped
    assert policies.holds(sup, Role.SUPERVISOR, centre) and not policies.holds(sup, Role.SUPERVISOR, elsewhere)
    assert not policies.departments_scope(make_user("nobody")).exists()


@pytest.mark.django_db
def test_own_profile_only(make_user):
    a, b = make_user("a"), make_user("b")
    assert policies.can(a, "profile.view", a) and not policies.can(a, "profile.view", b)
    assert policies.can(a, "account.close", a) and not policies.can(a, "account.close", b)


@pytest.mark.django_db
def test_enterprise_agent_granted_only_by_legal_rep(make_user):
    from yiwang.accounts.models import Enterprise, EnterpriseMembership

    rep, other = make_user("rep"), make_user("other")
    ent = Enterprise.objects.create(name="某公司", uscc="91350100M000100Y43", legal_rep_name="张三", created_by=rep,
                                    status=Enterprise.Status.VERIFIED)
    EnterpriseMembership.objects.create(enterprise=ent, user=rep, kind=EnterpriseMembership.Kind.LEGAL_REP)
    assert policies.can(rep, "enterprise.grant_agent", ent)
    assert not policies.can(other, "enterprise.grant_agent", ent)
    assert Role.ENTERPRISE in policies.role_codes(rep)


@pytest.mark.django_db
def test_only_market_or_centre_clerks_review_enterprises(make_user, civil):
    clerk = make_user("cc", role=Role.WINDOW_CLERK, department=civil)
    assert not policies.can(clerk, "enterprise.review")
