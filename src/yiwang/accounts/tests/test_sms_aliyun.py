"""阿里云短信 adapter against the local test double that checks signatures the way Aliyun does."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import urllib.error
import urllib.request
from urllib.parse import quote_plus, unquote

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from yiwang.accounts.sms_aliyun import (
    ERRORS,
    AliyunSmsProvider,
    canonical_query,
    classify,
    percent_encode,
    sign,
    string_to_sign,
)
from yiwang.testing.aliyun_sms_double import AliyunSmsDouble, expected_signature

PHONE = "13812345678"
TEMPLATES = {"SMS_100001": ["code"], "SMS_200002": ["number", "password"]}

# Aliyun's published SendSms signing example (AccessKey testId / testSecret).
DOC_SENDSMS = {
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
    "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
}
# Aliyun's published RPC signing example (DescribeRegions, testid / testsecret).
DOC_DESCRIBE_REGIONS = {
    "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """urllib honours *_proxy variables; the double lives on 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def double():
    with AliyunSmsDouble(templates=TEMPLATES, sign_names=["一网通办"]) as d:
        yield d


def make_provider(double, **overrides):
    options = dict(endpoint=double.url, access_key_id=double.access_key_id,
                   access_key_secret=double.access_key_secret, sign_name="一网通办", timeout=2,
                   templates={"verification_code": "SMS_100001"})
    options.update(overrides)
    return AliyunSmsProvider(**options)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- signing ---------------------------------------------------------------------------------------

def test_signature_reproduces_aliyuns_published_examples():
    assert sign("GET", DOC_SENDSMS, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert sign("GET", DOC_DESCRIBE_REGIONS, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    assert string_to_sign("GET", DOC_SENDSMS).startswith(
        "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26"
        "PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF"
    )
    # the double's independent implementation agrees
    assert expected_signature("GET", DOC_SENDSMS, "testSecret")[1] == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    # and the method and the secret are part of it
    assert sign("POST", DOC_SENDSMS, "testSecret") != "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert sign("GET", DOC_SENDSMS, "testsecret") != "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_percent_encode_special_cases():
    assert percent_encode("a b") == "a%20b"
    assert percent_encode("*") == "%2A"
    assert percent_encode("~-_.") == "~-_."
    assert percent_encode("+/=&:") == "%2B%2F%3D%26%3A"
    assert percent_encode("办") == "%E5%8A%9E"


def reference_encode(value: str) -> str:
    """The documented recipe: form-encode, then + → %20, * → %2A, %7E → ~."""
    return quote_plus(value, safe="~").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


@hsettings(max_examples=300, deadline=None)
@given(st.text())
def test_percent_encode_matches_the_documented_recipe(value):
    encoded = percent_encode(value)
    assert encoded == reference_encode(value)
    assert unquote(encoded) == value
    assert set(encoded) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%")


@hsettings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=12), st.randoms(use_true_random=False),
       st.text())
def test_canonical_query_is_sorted_order_independent_and_ignores_signature(params, rnd, junk):
    items = list(params.items())
    rnd.shuffle(items)
    shuffled = dict(items)
    expected = "&".join(f"{reference_encode(k)}={reference_encode(params[k])}" for k in sorted(params)
                        if k != "Signature")
    assert canonical_query(shuffled) == canonical_query(params) == expected
    assert canonical_query({**params, "Signature": junk}) == canonical_query({**params, "Signature": "x"})
    assert sign("POST", shuffled, "s3cret") == sign("POST", params, "s3cret")
    to_sign = string_to_sign("POST", shuffled)
    assert to_sign == "POST&%2F&" + reference_encode(expected)
    assert to_sign.count("&") == 2


# --- sending through the double --------------------------------------------------------------------

def test_success_returns_bizid_and_the_double_saw_template_params_sign_and_out_id(double):
    result = make_provider(double).send(PHONE, "您的验证码为 123456", template="verification_code",
                                        params={"code": 123456}, out_id="msg-42")
    assert result.ok, result
    assert len(double.accepted) == 1
    seen = double.accepted[0]
    assert result.provider_message_id == seen.biz_id and seen.biz_id
    assert (seen.phone, seen.template, seen.params, seen.sign_name, seen.out_id) == (
        PHONE, "SMS_100001", {"code": "123456"}, "一网通办", "msg-42")
    request = double.requests[0]
    assert request["method"] == "POST"
    assert request["params"]["Format"] == "JSON"
    assert request["params"]["RegionId"] == "cn-hangzhou"
    assert request["params"]["Version"] == "2017-05-25"


def test_template_code_and_sign_name_can_be_given_per_call(double):
    result = make_provider(double, sign_name="").send(
        PHONE, "", template="SMS_200002", params={"number": "YW2026", "password": "ab12"}, sign_name="一网通办")
    assert result.ok, result
    assert double.accepted[0].template == "SMS_200002"
    assert double.accepted[0].params == {"number": "YW2026", "password": "ab12"}


def test_each_attempt_uses_a_fresh_nonce(double):
    provider = make_provider(double)
    for _ in range(3):
        assert provider.send(PHONE, "", template="verification_code", params={"code": "1"}).ok
    nonces = {r["params"]["SignatureNonce"] for r in double.requests}
    assert len(nonces) == 3 and len(double.accepted) == 3


def test_wrong_secret_is_signature_does_not_match_and_not_retryable(double, caplog):
    caplog.set_level(logging.DEBUG)
    result = make_provider(double, access_key_secret="not-the-secret").send(
        PHONE, "", template="verification_code", params={"code": "123456"})
    assert not result.ok
    assert result.error_code == "SignatureDoesNotMatch"
    assert result.retryable is False
    assert "签名校验失败" in result.error
    assert double.requests[0]["status"] == 400
    assert double.accepted == []
    # the gateway echoes the string to sign (with the number); none of it reaches error or log
    assert PHONE not in result.error and "string to sign" not in result.error
    assert PHONE not in caplog.text and "not-the-secret" not in caplog.text
    assert "138****5678" in caplog.text


def test_unknown_access_key_is_not_retryable(double):
    result = make_provider(double, access_key_id="LTAIunknown").send(
        PHONE, "", template="verification_code", params={"code": "1"})
    assert (result.ok, result.error_code, result.retryable) == (False, "InvalidAccessKeyId.NotFound", False)


def test_clock_off_by_more_than_15_minutes_is_rejected(double):
    skewed = make_provider(double, clock=lambda: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    result = skewed.send(PHONE, "", template="verification_code", params={"code": "1"})
    assert (result.error_code, result.retryable) == ("InvalidTimeStamp.Expired", False)
    close = make_provider(double, clock=lambda: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=14))
    assert close.send(PHONE, "", template="verification_code", params={"code": "1"}).ok


def test_double_rejects_replayed_nonce_tampering_and_wrong_method(double):
    provider = make_provider(double)
    params = provider.request_params(PHONE, template_code="SMS_100001", params={"code": "9"},
                                     sign_name="一网通办", out_id="")

    def post(p, method="POST"):
        data = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in p.items())
        if method == "GET":
            req = urllib.request.Request(double.url + "?" + data, method="GET")
        else:
            req = urllib.request.Request(double.url, data=data.encode(), method="POST", headers={
                "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=2) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert post({**params, "PhoneNumbers": "13900000000"}) == 400  # changed after signing
    assert double.requests[-1]["code"] == "SignatureDoesNotMatch"
    assert post(params, method="GET") == 400  # signed for POST, sent as GET
    assert double.requests[-1]["code"] == "SignatureDoesNotMatch"
    assert post(params) == 200
    assert post(params) == 400  # replay
    assert double.requests[-1]["code"] == "SignatureNonceUsed"
    assert post({k: v for k, v in params.items() if k != "Timestamp"}) == 400
    assert double.requests[-1]["code"] == "MissingTimestamp"
    assert len(double.accepted) == 1


@pytest.mark.parametrize(("template", "params", "sign_name", "code"), [
    ("SMS_200002", {"number": "YW2026"}, "一网通办", "isv.TEMPLATE_MISSING_PARAMETERS"),
    ("SMS_999999", {"code": "1"}, "一网通办", "isv.SMS_TEMPLATE_ILLEGAL"),
    ("SMS_100001", {"code": "1"}, "别人的签名", "isv.SMS_SIGNATURE_ILLEGAL"),
])
def test_template_and_sign_problems_are_permanent(double, template, params, sign_name, code):
    result = make_provider(double).send(PHONE, "", template=template, params=params, sign_name=sign_name)
    assert (result.ok, result.error_code, result.retryable) == (False, code, False)
    assert str(ERRORS[code].explanation) in result.error
    assert double.accepted == []


@pytest.mark.parametrize(("code", "status", "retryable"), [
    ("isv.BUSINESS_LIMIT_CONTROL", 200, True),
    ("Throttling.User", 400, True),
    ("ServiceUnavailable", 503, True),
    ("InternalError", 500, True),
    ("isp.SOMETHING_NEW", 200, True),
    ("isv.DAY_LIMIT_CONTROL", 200, False),
    ("isv.AMOUNT_NOT_ENOUGH", 200, False),
    ("isv.MOBILE_NUMBER_ILLEGAL", 200, False),
    ("isv.SOMETHING_NEW", 200, False),
])
def test_provider_codes_are_classified(double, code, status, retryable):
    provider = make_provider(double)
    double.fail_next(1, code, status=status, message="触发流控 Permits:1")
    result = provider.send(PHONE, "", template="verification_code", params={"code": "1"})
    assert (result.ok, result.error_code, result.retryable) == (False, code, retryable)
    assert "触发流控 Permits:1" in result.error
    # only the next request was scripted: the one after goes through
    assert provider.send(PHONE, "", template="verification_code", params={"code": "1"}).ok
    assert len(double.accepted) == 1


def test_rate_limit_then_recovers(double):
    provider = make_provider(double)
    double.fail_next(2, "isv.BUSINESS_LIMIT_CONTROL")
    results = [provider.send(PHONE, "", template="verification_code", params={"code": "1"}) for _ in range(3)]
    assert [(r.ok, r.retryable) for r in results] == [(False, True), (False, True), (True, False)]
    assert results[0].error.startswith("触发阿里云短信业务流控")


def test_http_5xx_without_json_is_retryable(double):
    double.fail_next(1, status=502, body=b"<html>502 Bad Gateway</html>")
    result = make_provider(double).send(PHONE, "", template="verification_code", params={"code": "1"})
    assert (result.ok, result.error_code, result.retryable) == (False, "HTTP 502", True)


def test_http_4xx_without_json_is_not_retryable(double):
    double.fail_next(1, status=403, body=b"<html>Forbidden</html>")
    result = make_provider(double).send(PHONE, "", template="verification_code", params={"code": "1"})
    assert (result.ok, result.error_code, result.retryable) == (False, "HTTP 403", False)


def test_connection_refused_is_retryable():
    provider = AliyunSmsProvider(endpoint=f"http://127.0.0.1:{free_port()}/", access_key_id="id",
                                 access_key_secret="secret", sign_name="一网通办", timeout=1)
    result = provider.send(PHONE, "", template="SMS_100001", params={"code": "1"})
    assert (result.ok, result.error_code, result.retryable) == (False, "network_error", True)


def test_timeout_is_retryable(double):
    double.fail_next(1, "OK", delay=1.5)
    result = make_provider(double, timeout=0.3).send(PHONE, "", template="verification_code",
                                                     params={"code": "1"})
    assert (result.ok, result.error_code, result.retryable) == (False, "timeout", True)


@pytest.mark.parametrize("phone", ["", "1381234567", "138123456789", "23812345678", "12812345678",
                                   "+8613812345678", "1381234567a"])
def test_invalid_phone_is_rejected_without_a_request(double, phone):
    result = make_provider(double).send(phone, "", template="verification_code", params={"code": "1"})
    assert (result.ok, result.error_code, result.retryable) == (False, "invalid_phone", False)
    assert double.requests == []


def test_missing_template_or_sign_name_is_rejected_without_a_request(double):
    provider = make_provider(double, sign_name="")
    assert provider.send(PHONE, "纯文本", template="").error_code == "missing_template"
    assert provider.send(PHONE, "", template="verification_code").error_code == "missing_sign_name"
    assert double.requests == []


# --- configuration ---------------------------------------------------------------------------------

def test_missing_credentials_raise_a_clear_chinese_error(settings, monkeypatch):
    for name in ("YIWANG_SMS_ALIYUN_ACCESS_KEY_ID", "YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delattr(settings, name, raising=False)
    with pytest.raises(ImproperlyConfigured, match="阿里云短信未配置.*YIWANG_SMS_ALIYUN_ACCESS_KEY_ID"):
        AliyunSmsProvider()
    with pytest.raises(ImproperlyConfigured, match="YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET"):
        AliyunSmsProvider(access_key_id="id")


def test_configuration_from_settings_and_environment(settings, monkeypatch):
    settings.YIWANG_SMS_ALIYUN_ACCESS_KEY_ID = "from-settings"
    monkeypatch.delattr(settings, "YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET", raising=False)
    monkeypatch.setenv("YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET", "from-env")
    monkeypatch.setenv("YIWANG_SMS_TIMEOUT_SECONDS", "7.5")
    monkeypatch.setenv("YIWANG_SMS_ALIYUN_TEMPLATES", "verification_code=SMS_1, case_query_password=SMS_2")
    monkeypatch.delenv("YIWANG_SMS_ALIYUN_ENDPOINT", raising=False)
    monkeypatch.delenv("YIWANG_SMS_ALIYUN_REGION", raising=False)
    provider = AliyunSmsProvider()
    assert provider.access_key_id == "from-settings"
    assert provider.endpoint == "https://dysmsapi.aliyuncs.com/"
    assert provider.region == "cn-hangzhou"
    assert provider.timeout == 7.5
    assert provider.templates == {"verification_code": "SMS_1", "case_query_password": "SMS_2"}
    assert "from-env" not in repr(provider)
    monkeypatch.setenv("YIWANG_SMS_TIMEOUT_SECONDS", "five")
    with pytest.raises(ImproperlyConfigured, match="YIWANG_SMS_TIMEOUT_SECONDS"):
        AliyunSmsProvider()


def test_classification_table():
    assert all(str(kind.explanation) for kind in ERRORS.values())
    assert classify("SignatureDoesNotMatch").retryable is False
    assert classify("isv.BUSINESS_LIMIT_CONTROL").retryable is True
    assert classify("isv.DAY_LIMIT_CONTROL").retryable is False
    assert classify("anything", 503).retryable is True
    assert classify("anything", 429).retryable is True
    assert classify("anything", 404).retryable is False
