"""我的数据使用记录 in Chromium: the citizen sees a department's read of their data with purpose
and case number (axe-checked, also on a phone-sized screen)."""

import pytest
from playwright.sync_api import expect

from yiwang.cases.tests.browser_helpers import load_demo, login, user
from yiwang.sharing import exchange
from yiwang.sharing.demo import load_demo_sharing
from yiwang.sharing.models import Resource
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_reads_the_uses_of_their_data(new_page):
    load_demo()
    load_demo_sharing()
    market = Resource.objects.get(code="GA-HJRK").grants.get(status="approved").consumer
    exchange.read("GA-HJRK", user("citizen1").id_number, consumer=market, items=["household_address"],
                  purpose="办理食品经营许可（新办）", case_number="37081220261124000009")
    for page in (new_page(), new_page(viewport=MOBILE_VIEWPORT)):
        login(page, "citizen1", "/sharing/my-records/")
        row = page.locator("tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("办理食品经营许可（新办）")
        expect(row).to_contain_text("37081220261124000009")
        expect(row).to_contain_text("户籍地址")
        check_a11y(page)
