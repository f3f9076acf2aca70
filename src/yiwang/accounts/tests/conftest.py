import pytest

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import User, VerificationLevel
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.org.models import Department, Region

PASSWORD = "Str0ng!Passw0rd"


@pytest.fixture
def county(db):
    province = Region.objects.create(code="370000", name="山东省", level=1)
    city = Region.objects.create(code="370800", name="济宁市", level=2, parent=province)
    return Region.objects.create(code="370812", name="兖州区", level=3, parent=city)


@pytest.fixture
def other_county(county):
    return Region.objects.create(code="370811", name="任城区", level=3, parent=county.parent)


@pytest.fixture
def market(county):
    return Department.objects.create(code="market", name="济宁市兖州区市场监督管理局", region=county)


@pytest.fixture
def civil(county):
    return Department.objects.create(code="civil", name="济宁市兖州区民政局", region=county)


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(username=None, *, level=VerificationLevel.IDENTITY, role=None, department=None, region=None, **fields):
        counter["n"] += 1
        n = counter["n"]
        fields.setdefault("name", "测试用户")
        fields.setdefault("phone", f"1370000{n:04d}")
        fields.setdefault("id_number", demo_id_number("19900101", f"{n:03d}"))
        user = User(username=username or f"user{n}", level=level, **fields)
        user.set_password(PASSWORD)
        user.save()
        if role:
            assign_role(user, role, department=department, region=region)
        return user

    return make


@pytest.fixture
def citizen(make_user):
    return make_user("alice", name="张三")


@pytest.fixture
def security_admin(make_user, county):
    return make_user("sec", role=Role.SECURITY_ADMIN, region=county)
