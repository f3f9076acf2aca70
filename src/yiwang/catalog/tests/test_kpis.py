"""Catalogue KPIs (DESIGN §7), checked against figures computed by hand."""

from __future__ import annotations

import pytest

from yiwang.catalog import kpis, services
from yiwang.catalog.kpis import ItemFacts
from yiwang.catalog.tests import factories
from yiwang.org.models import Region

FULL = ["1", "2", "3", "4", "5", "6"]


def test_compute_by_hand():
    facts = [
        # A: 全程网办, 20 → 5 working days, no visit
        ItemFacts(FULL, 20, "workday", 5, "workday", 0),
        # B: 网上收件 only (level Ⅱ), 即办 (promised 0), one visit
        ItemFacts(["1", "2"], 10, "workday", 0, "workday", 1),
        # C: consultation only (level Ⅰ), no statutory limit, instant, two visits
        ItemFacts(["1"], None, "workday", 0, "workday", 2),
        # D: level Ⅲ, 14 → 7 natural days = 10 → 5 working days, one visit
        ItemFacts(["1", "2", "3", "4"], 14, "natural_day", 7, "natural_day", 1),
    ]
    assert kpis.compute(facts) == {
        "online_rate": 0.75,  # A, B, D
        "fully_online_rate": 0.25,  # A
        "instant_rate": 0.5,  # B, C
        "time_compression_ratio": 0.75,  # (40 − 10) / 40 over A, B, D (C has no 法定时限)
        "avg_visits": 1.0,  # 4 / 4
        "zero_visit_rate": 0.25,  # A
        "at_most_one_visit_rate": 0.75,  # A, B, D
        "items": 4,
    }


def test_compute_rounds_to_four_places_and_is_undefined_when_empty():
    facts = [ItemFacts(FULL, 3, "workday", 1, "workday", 0)] + [ItemFacts(["1"], None, "workday", 0, "workday", 1)] * 2
    result = kpis.compute(facts)
    assert result["online_rate"] == 0.3333
    assert result["time_compression_ratio"] == 0.6667
    empty = kpis.compute([])
    assert empty["items"] == 0
    assert all(empty[name] is None for name in kpis.KPI_NAMES if name != "items")


@pytest.mark.django_db
def test_catalogue_kpis_over_published_items_in_scope():
    cat = factories.sample_catalogue()
    # not counted: a draft and a withdrawn item
    factories.item("未发布的事项", department_obj=cat.market, publish=False)
    gone = factories.item("已撤回的事项", department_obj=cat.market)
    services.withdraw(factories.platform_admin(), gone, "测试")

    # company 15→3 (0 visits, Ⅳ), food 20→5 (1, Ⅲ), birth_cert —→0 (1, Ⅲ), card 10→5 (0, Ⅳ),
    # insurance 10→0 (0, Ⅳ)
    assert kpis.catalogue_kpis() == {
        "online_rate": 1.0,
        "fully_online_rate": 0.6,
        "instant_rate": 0.4,
        "time_compression_ratio": round(42 / 55, 4),
        "avg_visits": 0.4,
        "zero_visit_rate": 0.6,
        "at_most_one_visit_rate": 1.0,
        "items": 5,
    }
    market = kpis.catalogue_kpis(department="market")
    assert market["items"] == 2
    assert market["fully_online_rate"] == 0.5 and market["instant_rate"] == 0.0
    assert market["time_compression_ratio"] == round(27 / 35, 4)
    assert kpis.catalogue_kpis(department=cat.hrss)["items"] == 2


@pytest.mark.django_db
def test_region_scope_includes_everything_below():
    county = factories.county()
    township = Region.objects.create(code="370812001000", name="鼓楼街道", level=4, parent=county)
    other = Region.objects.create(code="370811", name="任城区", level=3, parent=county.parent)
    factories.item("县级事项", department_obj=factories.department("civil", "济宁市兖州区民政局"))
    factories.item("街道事项", department_obj=factories.department("centre-gulou", "鼓楼街道便民服务中心",
                                                              region=township), **factories.instant())
    factories.item("任城区事项", department_obj=factories.department("rc-civil", "济宁市任城区民政局", region=other))
    assert kpis.catalogue_kpis(region="370812")["items"] == 2
    assert kpis.catalogue_kpis(region=township)["items"] == 1
    assert kpis.catalogue_kpis(region="370812001000")["instant_rate"] == 1.0
    assert kpis.catalogue_kpis(region="370800")["items"] == 3
    assert kpis.catalogue_kpis(region="370811", department="civil")["items"] == 0
