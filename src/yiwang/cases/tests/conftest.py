import pytest

from yiwang.cases.tests.helpers import make_world


@pytest.fixture
def world(db):
    """Approval bureau (综合窗口) and market bureau with a citizen and one member of staff per step."""
    return make_world()
