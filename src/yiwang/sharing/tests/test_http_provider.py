"""The HTTP provider adapter (issue 8 (b)) against a real provider service on loopback: the
protocol (POST with the subject in the body, never in the URL), timeouts within a bounded budget,
retries of transient failures only, the response check, the circuit breaker, where the platform may
call (host list, https in production, no environment proxies, no redirects), whose token variable
a resource may name, and what ``exchange.read`` records for each outcome."""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.accounts.demo import demo_id_number
from yiwang.catalog.tests import factories
from yiwang.sharing import exchange, http_provider
from yiwang.sharing.models import AccessRecord, Resource, ShareType
from yiwang.testing.provider_service import ProviderService
from yiwang.testing.smtp import free_port

PERSON = demo_id_number("19880512", "001")
STRANGER = demo_id_number("19900101", "002")
CODE = "RS-SBCB"
ITEMS = [
    {"name": "insurance_type", "label": "参保险种", "type": "string", "sensitivity": "personal"},
    {"name": "insured_since", "label": "参保日期", "type": "date", "sensitivity": "personal"},
    {"name": "contribution_months", "label": "累计缴费月数", "type": "integer", "sensitivity": "personal"},
    {"name": "contribution_base", "label": "缴费基数", "type": "number", "sensitivity": "sensitive"},
    {"name": "currently_insured", "label": "是否在保", "type": "boolean", "sensitivity": "personal"},
]
RECORD = {"insurance_type": "城镇职工基本养老保险", "insured_since": "2010-07-01", "contribution_months": 172,
          "contribution_base": 4862.5, "currently_insured": True}
TOKEN_ENV = "YIWANG_SHARING_TOKEN_HRSS_RS"  # in hrss's namespace


@pytest.fixture(autouse=True)
def fresh_breakers():
    http_provider.reset_breakers()
    yield
    http_provider.reset_breakers()


@pytest.fixture
def service():
    with ProviderService({PERSON: RECORD}) as svc:
        yield svc


@pytest.fixture
def world(db, service):
    hrss = factories.department("hrss", name="人力资源和社会保障局")
    market = factories.department("market", name="市场监管局")
    resource = Resource.objects.create(
        code=CODE, name="社会保险参保信息", provider=hrss, items=ITEMS, share_type=ShareType.UNCONDITIONAL,
        backing=Resource.Backing.HTTP, endpoint_url=service.url, endpoint_timeout=0.5,
        endpoint_token_env=TOKEN_ENV)
    return {"resource": resource, "market": market, "service": service}


def read(world, subject=PERSON):
    return exchange.read(world["resource"], subject, consumer=world["market"], purpose="核验参保情况",
                         case_number="37088220261124000001")


@pytest.fixture
def clock(monkeypatch):
    """The breakers' clock, moved by hand: ``clock.now += 30``."""
    class Clock:
        now = 1000.0

    monkeypatch.setattr(http_provider.BREAKERS, "clock", lambda: Clock.now)
    return Clock


# -- protocol and outcomes through the exchange ----------------------------------------------------

@pytest.mark.django_db
def test_happy_path_returns_the_values_and_logs_an_ok_read(world, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    reading = read(world)
    assert reading.ok and reading.values == RECORD
    rec = AccessRecord.objects.get()
    assert (rec.result, rec.resource, rec.consumer, rec.case_number) == ("ok", world["resource"], world["market"],
                                                                       "37088220261124000001")
    [seen] = world["service"].requests
    assert (seen.method, seen.path, seen.query, seen.json) == ("POST", "/share/v1/records", {}, {"subject": PERSON})
    assert world["service"].bodies == [{"subject": PERSON}]
    assert seen.headers["content-type"] == "application/json" and seen.headers["user-agent"] == "yiwang-sharing/2.0"
    assert seen.headers["accept"] == "application/json" and "authorization" not in seen.headers
    assert http_provider.breaker_state(CODE) == "closed"


@pytest.mark.django_db
def test_the_subject_never_appears_in_a_request_url(world, caplog):
    """Query strings land in proxy and web-server logs: the ID number goes only in the body — on a
    hit, a miss and every retry — and no log line of the client (httpx's own included) carries it."""
    svc = world["service"]
    svc.behave_next("status", status=503)
    with caplog.at_level(logging.DEBUG):
        assert read(world).ok
        assert read(world, STRANGER).result == "not_found"
    assert svc.request_count == 3
    for seen, subject in zip(svc.requests, (PERSON, PERSON, STRANGER), strict=True):
        assert subject not in seen.target and subject.lower() not in seen.target.lower()
        assert seen.query == {} and seen.json == {"subject": subject} and seen.method == "POST"
    assert caplog.records and PERSON not in caplog.text and STRANGER not in caplog.text


def test_the_loopback_service_answers_post_only():
    """The test double holds the adapter to the protocol: the old GET ?subject= form is refused."""
    import httpx

    with ProviderService({PERSON: RECORD}) as svc:
        with httpx.Client(trust_env=False) as client:
            got = client.get(svc.url, params={"subject": PERSON})
            assert got.status_code == 405 and got.headers["allow"] == "POST"
            assert client.post(svc.url, content=b"subject=" + PERSON.encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 400
            assert client.post(svc.url, json={"subject": PERSON}).json()["data"] == RECORD
        assert [r.method for r in svc.requests] == ["GET", "POST", "POST"]
        assert svc.bodies == [None, None, {"subject": PERSON}]


@pytest.mark.django_db
def test_unknown_subject_is_a_not_found_record(world):
    reading = read(world, STRANGER)
    assert reading.result == "not_found" and reading.values == {}
    assert AccessRecord.objects.get().result == AccessRecord.Result.NOT_FOUND
    assert world["service"].request_count == 1  # a 404 is an answer: no retry


@pytest.mark.django_db
def test_a_slow_provider_fails_within_the_budget_and_is_logged(world, caplog):
    world["service"].behave("slow", delay=3.0)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="yiwang.sharing.http"):
        reading = read(world)
    elapsed = time.monotonic() - started
    timeout = world["resource"].endpoint_timeout
    assert reading.result == "failed" and "超时" in reading.reason and reading.values == {}
    assert AccessRecord.objects.get().reason == reading.reason
    assert elapsed < 3 * timeout  # budget is 2× the timeout: generous bound, not a benchmark
    assert world["service"].request_count == 2  # retried once, within the budget
    assert any(r.name == "yiwang.sharing.http" and r.levelno == logging.WARNING for r in caplog.records)
    assert PERSON not in caplog.text  # the subject's id never reaches the log


@pytest.mark.django_db
def test_a_server_error_then_success_is_retried(world):
    world["service"].behave_next("status", status=500)
    reading = read(world)
    assert reading.ok and reading.values == RECORD
    assert world["service"].request_count == 2
    assert AccessRecord.objects.get().result == "ok"


@pytest.mark.django_db
def test_gateway_errors_are_retried_a_few_times_only(world):
    world["service"].behave("status", status=503)
    reading = read(world)
    assert reading.result == "failed" and "503" in reading.reason
    assert world["service"].request_count == http_provider.MAX_ATTEMPTS


@pytest.mark.django_db
@pytest.mark.parametrize("status", [400, 401, 403, 422, 501])
def test_client_errors_are_not_retried(world, status):
    world["service"].behave_next("status", status=status)
    reading = read(world)
    assert reading.result == "failed" and str(status) in reading.reason
    assert world["service"].request_count == 1
    assert AccessRecord.objects.get().result == "failed"


@pytest.mark.django_db
def test_an_unreachable_provider_fails_fast(world):
    Resource.objects.filter(pk=world["resource"].pk).update(endpoint_url=f"http://127.0.0.1:{free_port()}/x")
    world["resource"].refresh_from_db()
    started = time.monotonic()
    reading = read(world)
    assert reading.result == "failed" and "无法连接" in reading.reason
    assert time.monotonic() - started < 3 * world["resource"].endpoint_timeout


@pytest.mark.django_db
def test_malformed_json_fails_without_retry(world):
    world["service"].behave("malformed")
    reading = read(world)
    assert reading.result == "failed" and "JSON" in reading.reason
    assert world["service"].request_count == 1


@pytest.mark.django_db
def test_a_mistyped_item_fails_naming_the_item(world):
    world["service"].behave("mistyped", item="contribution_months", value="一百七十二")
    reading = read(world)
    assert reading.result == "failed" and "累计缴费月数" in reading.reason and "整数" in reading.reason
    assert reading.values == {} and AccessRecord.objects.get().result == "failed"


@pytest.mark.django_db
def test_extra_items_are_dropped_and_missing_ones_are_empty(world):
    world["service"].behave_next("extra", item="criminal_record")
    assert http_provider.fetch(world["resource"], PERSON) == RECORD
    world["service"].behave_next("missing", item="contribution_base")
    reading = read(world)
    assert reading.ok and reading.values == {**RECORD, "contribution_base": None}


@pytest.mark.django_db
def test_the_endpoints_own_query_parameters_are_kept(world):
    world["resource"].endpoint_url = world["service"].url + "?dept=hrss"
    assert http_provider.fetch(world["resource"], PERSON) == RECORD
    [seen] = world["service"].requests
    assert seen.query == {"dept": ["hrss"]} and seen.json == {"subject": PERSON}


@pytest.mark.django_db
def test_environment_proxies_are_ignored(world, monkeypatch):
    """HTTP(S)_PROXY / ALL_PROXY in the platform's environment must not route (and expose) the
    call: the proxy here is a dead port, so a client trusting the environment would fail."""
    dead = f"http://127.0.0.1:{free_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, dead)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    reading = read(world)
    assert reading.ok, reading.reason
    assert world["service"].request_count == 1


@pytest.mark.django_db
def test_a_redirect_is_not_followed(world):
    """An allowed host cannot bounce the call (and the subject) to another address."""
    with ProviderService({PERSON: RECORD}) as elsewhere:
        world["service"].behave("status", status=307, location=elsewhere.url)
        reading = read(world)
        assert reading.result == "failed" and "307" in reading.reason and "不符合约定" in reading.reason
        assert elsewhere.request_count == 0 and world["service"].request_count == 1


@pytest.mark.django_db
def test_a_resource_without_endpoint_is_unavailable(world):
    world["resource"].endpoint_url = ""
    with pytest.raises(exchange.ProviderUnavailable, match="接口地址"):
        http_provider.fetch(world["resource"], PERSON)
    assert world["service"].request_count == 0


# -- the bearer token ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_token_is_sent_when_its_variable_is_set(world, monkeypatch):
    world["service"].token = "s3cret-token"
    monkeypatch.setenv(TOKEN_ENV, "s3cret-token")
    assert read(world).ok
    assert world["service"].requests[-1].headers["authorization"] == "Bearer s3cret-token"
    monkeypatch.delenv(TOKEN_ENV)
    refused = read(world)
    assert refused.result == "failed" and "令牌" in refused.reason
    assert "authorization" not in world["service"].requests[-1].headers
    assert "s3cret-token" not in AccessRecord.objects.last().reason


def test_the_token_prefix_is_the_departments_code():
    assert http_provider.token_env_prefix("natural-resources") == "YIWANG_SHARING_TOKEN_NATURAL_RESOURCES_"
    assert http_provider.token_env_prefix("hrss") == "YIWANG_SHARING_TOKEN_HRSS_"
    assert http_provider.token_env_prefix("Tax.Bureau_2") == "YIWANG_SHARING_TOKEN_TAX_BUREAU_2_"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [
    "YIWANG_SHARING_TOKEN_MARKET_RS",  # another department's namespace, set but unused
    "YIWANG_SHARING_TOKEN_RS",  # the old, department-less form
    "YIWANG_SHARING_TOKEN_HRSS_",  # the bare prefix
    "YIWANG_SHARING_TOKEN_HRSS_BRANCH_RS",  # hrss-branch's namespace, though it starts with hrss's
])
def test_a_variable_outside_the_departments_namespace_is_never_sent(world, monkeypatch, caplog, name):
    factories.department("hrss-branch", name="人社分局")
    world["service"].token = "someone-elses-token"
    monkeypatch.setenv(name, "someone-elses-token")
    Resource.objects.filter(pk=world["resource"].pk).update(endpoint_token_env=name)  # as if saved long ago
    world["resource"].refresh_from_db()
    with caplog.at_level(logging.WARNING, logger="yiwang.sharing.http"):
        reading = read(world)
    assert reading.result == "failed" and "令牌" in reading.reason
    assert "authorization" not in world["service"].requests[-1].headers
    assert "someone-elses-token" not in caplog.text and "not sent" in caplog.text


@pytest.mark.django_db
def test_no_token_variable_named_means_no_header(world, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "s3cret-token")
    world["resource"].endpoint_token_env = ""
    assert http_provider.fetch(world["resource"], PERSON) == RECORD
    assert "authorization" not in world["service"].requests[-1].headers


# -- the circuit breaker ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_breaker_opens_after_n_failures_and_stops_calling(world, settings, clock):
    settings.YIWANG_SHARING_BREAKER_FAILURES = 3
    settings.YIWANG_SHARING_BREAKER_SECONDS = 30
    svc = world["service"]
    svc.behave("malformed")
    for n in range(3):
        assert http_provider.breaker_state(CODE) == "closed", n
        assert read(world).result == "failed"
    assert http_provider.breaker_state(CODE) == "open" and svc.request_count == 3
    svc.behave("normal")  # recovered, but the breaker has not looked yet
    short = read(world)
    assert short.result == "failed" and "熔断中" in short.reason
    assert svc.request_count == 3  # not called at all
    clock.now += 29
    assert http_provider.breaker_state(CODE) == "open"
    clock.now += 1
    assert http_provider.breaker_state(CODE) == "half_open"
    assert read(world).ok
    assert svc.request_count == 4 and http_provider.breaker_state(CODE) == "closed"
    assert list(AccessRecord.objects.values_list("result", flat=True)) == ["failed"] * 4 + ["ok"]


@pytest.mark.django_db
def test_a_failed_trial_reopens_the_breaker_after_one_request(world, settings, clock):
    settings.YIWANG_SHARING_BREAKER_FAILURES = 2
    settings.YIWANG_SHARING_BREAKER_SECONDS = 10
    svc = world["service"]
    svc.behave("status", status=503)
    read(world)
    read(world)
    assert http_provider.breaker_state(CODE) == "open"
    calls = svc.request_count
    clock.now += 10
    assert read(world).result == "failed"
    assert svc.request_count == calls + 1  # the trial is one request, not a retry series
    assert http_provider.breaker_state(CODE) == "open"
    clock.now += 9
    assert "熔断中" in read(world).reason and svc.request_count == calls + 1


@pytest.mark.django_db
def test_a_success_resets_the_failure_count(world, settings):
    settings.YIWANG_SHARING_BREAKER_FAILURES = 2
    svc = world["service"]
    for _n in range(3):
        svc.behave_next("malformed")
        assert read(world).result == "failed"
        assert read(world).ok  # only consecutive failures count
    assert http_provider.breaker_state(CODE) == "closed"


@pytest.mark.django_db
def test_a_refused_query_does_not_count_against_the_provider(world, settings):
    settings.YIWANG_SHARING_BREAKER_FAILURES = 2
    world["service"].behave("status", status=400)
    for _n in range(4):
        assert read(world).result == "failed"
    assert http_provider.breaker_state(CODE) == "closed"


def test_only_one_trial_goes_through_a_half_open_breaker(settings):
    settings.YIWANG_SHARING_BREAKER_FAILURES = 1
    settings.YIWANG_SHARING_BREAKER_SECONDS = 5
    now = [0.0]
    board = http_provider.BreakerBoard(clock=lambda: now[0])
    assert board.failed("X") is True and board.state("X") == "open"
    assert board.admit("X") is None
    now[0] = 5.0
    results, barrier = [], threading.Barrier(16)

    def caller():
        barrier.wait()
        results.append(board.admit("X"))

    threads = [threading.Thread(target=caller) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1 and results.count(None) == 15
    board.succeeded("X")
    assert board.state("X") == "closed" and board.admit("X") is False


def test_the_breaker_defaults_come_from_settings(settings):
    del settings.YIWANG_SHARING_BREAKER_FAILURES
    del settings.YIWANG_SHARING_BREAKER_SECONDS
    assert (http_provider.BreakerBoard.threshold(), http_provider.BreakerBoard.open_seconds()) == (5, 30.0)


# -- the response check ----------------------------------------------------------------------------

TYPES = ("string", "date", "integer", "number", "boolean")
NOT_SCALAR = st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
VALID = {
    "string": st.text(),
    "date": st.dates().map(dt.date.isoformat),
    "integer": st.integers(),
    "number": st.integers() | st.floats(allow_nan=False, allow_infinity=False),
    "boolean": st.booleans(),
}
INVALID = {
    "string": st.integers() | st.floats(allow_nan=False) | st.booleans() | NOT_SCALAR,
    "date": (st.text().filter(lambda s: not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s))
             | st.sampled_from(["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31"])
             | st.dates().map(lambda d: d.strftime("%Y/%m/%d")) | st.integers() | st.booleans() | NOT_SCALAR),
    "integer": (st.floats(allow_nan=False, allow_infinity=False) | st.booleans() | st.text()
                | st.integers().map(str) | NOT_SCALAR),
    "number": st.booleans() | st.text() | st.floats(allow_nan=False).map(str) | NOT_SCALAR,
    "boolean": st.integers() | st.text() | st.sampled_from(["true", "false"]) | NOT_SCALAR,
}
NAMES = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)


@st.composite
def declared(draw):
    names = draw(st.lists(NAMES, min_size=1, max_size=6, unique=True))
    return [{"name": n, "label": f"项{i}", "type": draw(st.sampled_from(TYPES))} for i, n in enumerate(names)]


@st.composite
def valid_answer(draw):
    items = draw(declared())
    data, expected = {}, {}
    for item in items:
        how = draw(st.sampled_from(["value", "null", "absent"]))
        if how != "absent":
            value = draw(VALID[item["type"]]) if how == "value" else None
            data[item["name"]] = expected[item["name"]] = value
    undeclared = draw(st.dictionaries(NAMES.map(lambda n: "x_" + n), st.integers() | st.text(), max_size=3))
    return items, {**undeclared, **data}, expected


@given(valid_answer())
def test_correctly_typed_values_pass_and_undeclared_items_are_dropped(answer):
    items, data, expected = answer
    assert http_provider.check_response(items, PERSON, {"subject": PERSON.lower(), "data": data}) == expected


@given(declared(), st.data())
def test_any_mistyped_value_fails_naming_the_item(items, data):
    bad = data.draw(st.sampled_from(items))
    values = {i["name"]: data.draw(VALID[i["type"]]) for i in items}
    values[bad["name"]] = data.draw(INVALID[bad["type"]])
    with pytest.raises(http_provider.SchemaError) as exc:
        http_provider.check_response(items, PERSON, {"subject": PERSON, "data": values})
    assert bad["label"] in str(exc.value) and bad["name"] in str(exc.value)
    assert isinstance(exc.value, exchange.ProviderUnavailable)


@pytest.mark.parametrize("body", [
    [], "data", {"subject": PERSON}, {"subject": PERSON, "data": []}, {"data": RECORD},
    {"subject": STRANGER, "data": RECORD},  # another person's data: never accepted
])
def test_the_envelope_is_checked(body):
    with pytest.raises(http_provider.SchemaError):
        http_provider.check_response(ITEMS, PERSON, body)


def test_a_variable_outside_the_token_prefix_is_never_sent(world, monkeypatch):
    """A resource naming another variable (say the data key) gets no Authorization header."""
    monkeypatch.setenv("YIWANG_DATA_KEY_PROBE", "platform-secret")
    world["resource"].endpoint_token_env = "YIWANG_DATA_KEY_PROBE"
    world["resource"].save()
    read(world)
    assert all("authorization" not in r.headers for r in world["service"].requests)


# -- where the platform may call: the host list and https in production ------------------------------

@pytest.mark.parametrize(("host", "patterns", "allowed"), [
    ("rsj.example.gov.cn", ["rsj.example.gov.cn"], True),
    ("RSJ.Example.Gov.CN.", ["rsj.example.gov.cn"], True),  # case and the root dot do not matter
    ("rsj.example.gov.cn", ["*.example.gov.cn"], True),
    ("a.b.example.gov.cn", ["*.example.gov.cn"], True),  # any depth below
    ("example.gov.cn", ["*.example.gov.cn"], False),  # the wildcard is for subdomains only
    ("evilexample.gov.cn", ["*.example.gov.cn"], False),
    ("example.gov.cn.evil.com", ["*.example.gov.cn", "example.gov.cn"], False),
    ("rsj.example.gov.cn", ["example.gov.cn"], False),  # an exact entry is exact
    ("rsj.example.gov.cn", [], False),
    ("127.0.0.1", ["127.0.0.1"], True),
    ("127.1", ["127.0.0.1"], False),  # another spelling of an address is not on the list
    ("10.0.0.1", ["*.0.0.1"], False),  # wildcards never match addresses
    ("::1", ["0:0::1"], True),
    ("xn--fsqu00a.xn--fiqs8s", ["例子.中国"], True),  # IDN in either form
    ("共享.例子.中国", ["*.xn--fsqu00a.xn--fiqs8s"], True),
    ("rsj.example.gov.cn", ["*", "*.cn", "rsj.*.gov.cn"], True),  # "*.cn" is a (broad) suffix
    ("rsj.example.gov.cn", ["*", "rsj.*.gov.cn", "", "rsj.example.gov.cn:443"], False),
    ("", ["*.example.gov.cn"], False),
])
def test_host_allowed(host, patterns, allowed):
    assert http_provider.host_allowed(host, patterns) is allowed


@pytest.mark.parametrize(("url", "production", "hosts", "verdict"), [
    ("http://127.0.0.1:8080/x", False, [], ""),  # development, no list: anything
    ("http://127.0.0.1:8080/x", False, ["*.example.gov.cn"], http_provider.HOST_NOT_ALLOWED),
    ("https://rsj.example.gov.cn/x", False, ["*.example.gov.cn"], ""),
    ("https://rsj.example.gov.cn/x", True, [], http_provider.NO_HOSTS),
    ("http://rsj.example.gov.cn/x", True, ["*.example.gov.cn"], http_provider.HTTPS_REQUIRED),
    ("https://rsj.example.gov.cn/x", True, ["*.example.gov.cn"], ""),
    ("https://rsj.example.gov.cn.evil.com/x", True, ["*.example.gov.cn"], http_provider.HOST_NOT_ALLOWED),
    # another parser would see rsj.example.gov.cn here; httpx connects to evil.com
    ("https://rsj.example.gov.cn\\@evil.com/x", False, ["*.example.gov.cn"], http_provider.HOST_NOT_ALLOWED),
    ("ftp://rsj.example.gov.cn/x", False, [], http_provider.BAD_URL),
    ("not a url", False, [], http_provider.BAD_URL),
])
def test_endpoint_policy(settings, url, production, hosts, verdict):
    settings.PRODUCTION, settings.YIWANG_SHARING_PROVIDER_HOSTS = production, hosts
    assert http_provider.endpoint_policy(url) == verdict


def test_the_host_list_defaults_to_empty(settings):
    del settings.YIWANG_SHARING_PROVIDER_HOSTS
    settings.PRODUCTION = False
    assert http_provider.provider_hosts() == [] and http_provider.endpoint_policy("http://10.1.2.3/x") == ""


@pytest.mark.django_db
@pytest.mark.parametrize(("production", "hosts", "reason"), [
    (False, ["*.example.gov.cn"], "不在平台允许访问的范围内"),
    (True, [], "不在平台允许访问的范围内"),  # production without a list: no HTTP-backed resource at all
    (True, ["127.0.0.1"], "未使用 HTTPS"),  # listed, but plain http in production
])
def test_a_refused_endpoint_is_never_contacted_and_spares_the_breaker(world, settings, caplog, production,
                                                                      hosts, reason):
    settings.PRODUCTION, settings.YIWANG_SHARING_PROVIDER_HOSTS = production, hosts
    settings.YIWANG_SHARING_BREAKER_FAILURES = 1
    with caplog.at_level(logging.WARNING, logger="yiwang.sharing.http"):
        readings = [read(world) for _n in range(3)]
    assert all(r.result == "failed" and reason in r.reason for r in readings)
    assert "YIWANG_SHARING_PROVIDER_HOSTS" not in readings[0].reason  # the applicant sees it; no setting names
    assert world["service"].request_count == 0
    assert http_provider.breaker_state(CODE) == "closed"  # the provider is not at fault
    assert list(AccessRecord.objects.values_list("result", flat=True)) == ["failed"] * 3
    assert "YIWANG_SHARING_PROVIDER_HOSTS" in caplog.text and PERSON not in caplog.text
    # the operator lists the host (and, outside production, that is all it takes): calls resume at once
    settings.PRODUCTION, settings.YIWANG_SHARING_PROVIDER_HOSTS = False, ["127.0.0.1"]
    assert read(world).ok and world["service"].request_count == 1


@pytest.mark.django_db
def test_a_refused_endpoint_does_not_use_up_the_half_open_trial(world, settings, clock):
    settings.YIWANG_SHARING_BREAKER_FAILURES = 1
    settings.YIWANG_SHARING_BREAKER_SECONDS = 10
    world["service"].behave_next("malformed")
    assert read(world).result == "failed" and http_provider.breaker_state(CODE) == "open"
    clock.now += 10
    settings.YIWANG_SHARING_PROVIDER_HOSTS = ["*.example.gov.cn"]
    assert "不在平台允许访问的范围内" in read(world).reason
    assert http_provider.breaker_state(CODE) == "half_open"
    settings.YIWANG_SHARING_PROVIDER_HOSTS = ["127.0.0.1"]
    assert read(world).ok and http_provider.breaker_state(CODE) == "closed"
    assert world["service"].request_count == 2


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://[fe80::1]/x",
                                 "http://0.0.0.0/x", "http://[::ffff:169.254.169.254]/x",
                                 "http://metadata.google.internal/computeMetadata"])
def test_link_local_and_metadata_addresses_are_never_called(url, settings):
    settings.YIWANG_SHARING_PROVIDER_HOSTS = []
    assert http_provider.endpoint_policy(url) == http_provider.HOST_NOT_ALLOWED
    assert http_provider.endpoint_policy("http://127.0.0.1:8080/share") == ""
