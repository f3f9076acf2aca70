"""Identifiers: 身份证号, USCC, 组织机构代码, region codes — examples and hypothesis properties."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.core.identifiers import (
    CERTIFICATE_OID_PREFIX,
    ID_CHECK_CHARS,
    MOD37_36_CHARS,
    PROVINCE_CODES,
    USCC_CHARS,
    USCC_REGISTRATION_DEPTS,
    IdentifierError,
    id_check_digit,
    is_valid_certificate_identifier,
    is_valid_id_number,
    is_valid_mod37_36,
    is_valid_org_code,
    is_valid_uscc,
    make_certificate_identifier,
    make_uscc,
    mod37_36_check_char,
    org_code_check_char,
    parse_certificate_identifier,
    parse_id_number,
    parse_org_code,
    parse_region_code,
    parse_uscc,
    upgrade_id_number,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

PROPERTY = settings(max_examples=50, deadline=None)
DIGITS = "0123456789"


def error_of(func, value) -> str:
    with pytest.raises(IdentifierError) as info:
        func(value)
    return str(info.value)


# --- strategies ------------------------------------------------------------------------------

regions = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text(DIGITS, min_size=4, max_size=4),
)


@st.composite
def id_numbers(draw, min_year=1900, max_date=dt.date(2025, 12, 31)):
    born = draw(st.dates(min_value=dt.date(min_year, 1, 1), max_value=max_date))
    first17 = draw(regions) + born.strftime("%Y%m%d") + draw(st.text(DIGITS, min_size=3, max_size=3))
    return first17 + id_check_digit(first17)


@st.composite
def id_numbers_15(draw):
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)))
    return draw(regions) + born.strftime("%y%m%d") + draw(st.text(DIGITS, min_size=3, max_size=3))


@st.composite
def usccs(draw):
    dept = draw(st.sampled_from(sorted(USCC_REGISTRATION_DEPTS)))
    category = draw(st.sampled_from(sorted(USCC_REGISTRATION_DEPTS[dept][1])))
    region = draw(st.text(DIGITS, min_size=6, max_size=6))
    body = draw(st.text(USCC_CHARS, min_size=8, max_size=8))
    return make_uscc(dept, category, region, body)


# --- 身份证号 --------------------------------------------------------------------------------


def test_known_id_numbers():
    info = parse_id_number("11010519491231002X")
    assert info.number18 == "11010519491231002X"
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "F" and info.sex_label == "女"
    assert info.region_code == "110105"
    # The example of GB 11643 itself: born 1880, male.
    old = parse_id_number("440524188001010014")
    assert (old.birth_date, old.sex) == (dt.date(1880, 1, 1), "M")
    assert id_check_digit("37081219900307123") == "9"  # Σ = 289, 289 mod 11 = 3
    assert parse_id_number("370812199003071239").sex == "M"


def test_lower_case_x_and_full_width_are_accepted():
    assert parse_id_number("11010519491231002x").number18 == "11010519491231002X"
    assert parse_id_number(" 11010519491231002X ").number18 == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number18 == "11010519491231002X"


def test_id_number_error_messages_are_distinct():
    messages = {
        "empty": error_of(parse_id_number, ""),
        "length": error_of(parse_id_number, "1101051949123100"),
        "chars": error_of(parse_id_number, "11010519491231002A"),
        "date": error_of(parse_id_number, "110105" + "19990230" + "0011"),
        "province": error_of(parse_id_number, "990105194912310021"),
        "check": error_of(parse_id_number, "110105194912310021"),
    }
    future_first17 = "110105" + "20300101" + "001"
    messages["future"] = error_of(parse_id_number, future_first17 + id_check_digit(future_first17))
    assert len(set(messages.values())) == len(messages)
    assert "校验码" in messages["check"]
    assert "出生日期" in messages["date"] and "晚于今天" in messages["future"]
    assert "18位" in messages["length"]
    assert "X" in messages["chars"]


def test_future_birth_date_is_relative_to_today():
    first17 = "110105" + "20260102" + "001"
    number = first17 + id_check_digit(first17)
    with pytest.raises(IdentifierError, match="晚于今天"):
        parse_id_number(number, today=dt.date(2026, 1, 1))
    assert parse_id_number(number, today=dt.date(2026, 1, 2)).birth_date == dt.date(2026, 1, 2)


def test_historical_address_code_is_not_tied_to_birth_date():
    # 510221 was 长寿县, 四川 — retired when 重庆 became a municipality in 1997.
    first17 = "510221" + "20050601" + "123"
    assert parse_id_number(first17 + id_check_digit(first17)).region_code == "510221"


def test_id_check_digit_needs_17_digits():
    with pytest.raises(IdentifierError):
        id_check_digit("1234")


@PROPERTY
@given(id_numbers())
def test_generated_id_numbers_parse(number):
    info = parse_id_number(number)
    assert info.number18 == number
    assert info.birth_date.strftime("%Y%m%d") == number[6:14]
    assert info.sex == ("M" if int(number[16]) % 2 else "F")
    assert is_valid_id_number(number.lower())


@PROPERTY
@given(id_numbers())
def test_every_single_substitution_of_an_id_number_is_caught(number):
    for i, original in enumerate(number):
        allowed = DIGITS + "X" if i == 17 else DIGITS
        for c in allowed:
            if c != original:
                changed = number[:i] + c + number[i + 1 :]
                assert not is_valid_id_number(changed), changed


@PROPERTY
@given(id_numbers_15())
def test_15_to_18_upgrade_round_trip(number15):
    number18 = upgrade_id_number(number15)
    assert len(number18) == 18 and number18[6:8] == "19"
    assert number18[:6] + number18[8:17] == number15
    assert number18[17] in ID_CHECK_CHARS
    assert parse_id_number(number18).number18 == number18
    assert parse_id_number(number15) == parse_id_number(number18)


def test_15_digit_errors():
    assert "15位身份证号" in error_of(parse_id_number, "11010549123100A")
    assert "出生日期" in error_of(parse_id_number, "110105491331002")
    with pytest.raises(IdentifierError):
        upgrade_id_number("11010519491231002X")


def test_validate_id_number_raises_validation_error():
    validate_id_number("11010519491231002X")
    with pytest.raises(ValidationError) as info:
        validate_id_number("110105194912310021")
    assert "校验码" in info.value.messages[0]
    assert info.value.error_list[0].code == "invalid_id_number"


# --- 组织机构代码 ----------------------------------------------------------------------------


def test_org_code_check_chars():
    assert org_code_check_char("60003734") == "1"
    assert org_code_check_char("M000100Y") == "4"
    assert is_valid_org_code("60003734-1")
    assert parse_org_code("600037341") == "600037341"
    assert not is_valid_org_code("600037342")
    # Both special cases: remainder 1 → 10 → X, remainder 0 → 11 → 0.
    assert org_code_check_char("00000006") == "X"  # 6·2 = 12, 11 − 1 = 10
    assert org_code_check_char("00000019") == "0"  # 1·4 + 9·2 = 22, 11 − 0 = 11
    assert is_valid_org_code("00000006-X") and is_valid_org_code("000000190")


def test_org_code_errors_are_distinct():
    messages = {
        error_of(parse_org_code, ""),
        error_of(parse_org_code, "6000373"),
        error_of(parse_org_code, "60003734Y"),
        error_of(parse_org_code, "600037342"),
    }
    assert len(messages) == 4


# --- 统一社会信用代码 -------------------------------------------------------------------------


def test_known_usccs():
    info = parse_uscc("91350100M000100Y43")
    assert info.registration_dept_name.startswith("工商")
    assert info.org_category_name == "企业"
    assert info.region_code == "350100"
    assert info.org_code == "M000100Y4"
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert is_valid_uscc("91350100m000100y43")
    assert make_uscc("9", "1", "350100", "M000100Y") == "91350100M000100Y43"


def test_uscc_error_messages_are_distinct():
    good = "91350100M000100Y43"
    wrong_org = "91350100M000100Y5"  # org check char wrong, USCC check char recomputed
    wrong_org += uscc_check_char(wrong_org)
    messages = {
        "empty": error_of(parse_uscc, ""),
        "length": error_of(parse_uscc, good[:-1]),
        "chars": error_of(parse_uscc, "91350100M000100I43"),
        "dept": error_of(parse_uscc, "B" + good[1:]),
        "category": error_of(parse_uscc, "94" + good[2:]),
        "region": error_of(parse_uscc, "9135010AM000100Y43"),
        "org": error_of(parse_uscc, wrong_org),
        "check": error_of(parse_uscc, good[:-1] + "4"),
    }
    assert len(set(messages.values())) == len(messages)
    assert "I" in messages["chars"]
    assert "登记管理部门" in messages["dept"] and "机构类别" in messages["category"]
    assert "组织机构代码" in messages["org"] and "校验码" in messages["check"]


def test_make_uscc_rejects_bad_parts():
    with pytest.raises(IdentifierError):
        make_uscc("9", "4", "350100", "M000100Y")  # 工商 has no category 4
    with pytest.raises(IdentifierError):
        make_uscc("9", "1", "35010", "M000100Y")
    with pytest.raises(IdentifierError):
        make_uscc("9", "1", "350100", "M000100O")


@PROPERTY
@given(usccs())
def test_generated_usccs_parse(code):
    info = parse_uscc(code)
    assert info.code == code
    assert is_valid_org_code(info.org_code)
    assert uscc_check_char(code[:17]) == code[17]


@PROPERTY
@given(usccs())
def test_every_single_substitution_of_a_uscc_is_caught(code):
    for i, original in enumerate(code):
        for c in USCC_CHARS:
            if c != original:
                changed = code[:i] + c + code[i + 1 :]
                assert not is_valid_uscc(changed), changed


def test_validate_uscc_raises_validation_error():
    validate_uscc("91350100M000100Y43")
    with pytest.raises(ValidationError) as info:
        validate_uscc("91350100M000100Y44")
    assert "校验码" in info.value.messages[0]


# --- 行政区划代码 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("110000", 1, None),
        ("110100", 2, "110000"),
        ("110105", 3, "110100"),
        ("429004", 3, "429000"),  # 仙桃市, a county-level city directly under 湖北
        ("110105001000", 4, "110105000000"),
        ("110105001001", 5, "110105001000"),
        ("370800000000", 2, "370000000000"),
    ],
)
def test_region_codes(code, level, parent):
    info = parse_region_code(code)
    assert (info.level, info.parent) == (level, parent)
    assert info.province_code == code[:2] + "0" * (len(code) - 2)


@pytest.mark.parametrize(
    "code", ["", "11010", "1101050", "11010A", "990000", "110001", "110105000001", "110000001000"]
)
def test_bad_region_codes(code):
    with pytest.raises(IdentifierError):
        parse_region_code(code)


@PROPERTY
@given(st.sampled_from(sorted(PROVINCE_CODES)), st.integers(1, 99), st.integers(1, 99), st.integers(1, 999))
def test_region_parent_chain_ends_at_province(province, city, county, town):
    code = f"{province}{city:02d}{county:02d}{town:03d}001"
    levels = []
    while code is not None:
        info = parse_region_code(code)
        levels.append(info.level)
        code = info.parent
    assert levels == [5, 4, 3, 2, 1]


# --- 电子证照标识 (GB/T 36904) and ISO/IEC 7064 MOD 37,36 ----------------------------------------

ALNUM = st.text(alphabet=MOD37_36_CHARS, min_size=1, max_size=40)


def test_mod37_36_known_answers_from_the_isan_example():
    # ISAN 0000-0000-D07A-0090-Q-0000-0000-X (ISO 15706 uses ISO/IEC 7064 MOD 37,36): the first check
    # character covers root + episode, the second also the version part.
    assert mod37_36_check_char("00000000D07A0090") == "Q"
    assert mod37_36_check_char("00000000D07A009000000000") == "X"
    assert is_valid_mod37_36("00000000D07A0090Q") and not is_valid_mod37_36("00000000D07A0090R")


@given(ALNUM)
def test_mod37_36_generated_check_verifies(payload):
    assert is_valid_mod37_36(payload + mod37_36_check_char(payload))


@given(ALNUM, st.data())
def test_mod37_36_catches_any_single_changed_character(payload, data):
    full = payload + mod37_36_check_char(payload)
    i = data.draw(st.integers(0, len(full) - 1))
    other = data.draw(st.sampled_from([c for c in MOD37_36_CHARS if c != full[i]]))
    assert not is_valid_mod37_36(full[:i] + other + full[i + 1:])


def test_mod37_36_catches_nearly_all_adjacent_swaps():
    """The hybrid MOD 37,36 system catches every single substitution but not every
    adjacent transposition (hypothesis found '94B'+'C' ↔ '94CB'); it must still catch
    well over 99% of them, which a weaker check (a plain sum, a constant) would not."""
    rng = random.Random(7064)
    swaps = missed = 0
    for _ in range(20000):
        payload = "".join(rng.choice(MOD37_36_CHARS) for _ in range(rng.randint(2, 30)))
        full = payload + mod37_36_check_char(payload)
        i = rng.randrange(len(full) - 1)
        if full[i] == full[i + 1]:
            continue
        swaps += 1
        missed += is_valid_mod37_36(full[:i] + full[i + 1] + full[i] + full[i + 2:])
    assert swaps > 19000
    assert missed / swaps < 0.005


def _issuer() -> str:
    return make_uscc("1", "1", "370812", "MB229149")


@given(st.text(alphabet=MOD37_36_CHARS, min_size=1, max_size=20), st.text(alphabet=MOD37_36_CHARS, min_size=1,
                                                                          max_size=12), st.integers(1, 999))
def test_certificate_identifier_round_trip(type_code, serial, version):
    ident = make_certificate_identifier(type_code, _issuer(), serial, version)
    assert ident.startswith(CERTIFICATE_OID_PREFIX)
    parsed = parse_certificate_identifier(ident)
    assert (parsed.type_code, parsed.issuer_uscc, parsed.serial, parsed.version) == (
        type_code, _issuer(), serial, f"{version:03d}")
    assert str(parsed) == ident
    # the check character covers the parts without prefix and dots
    assert parsed.check == mod37_36_check_char(type_code + _issuer() + serial + f"{version:03d}")


@settings(max_examples=200)
@given(st.text(alphabet=MOD37_36_CHARS, min_size=1, max_size=20), st.text(alphabet=MOD37_36_CHARS, min_size=1,
                                                                          max_size=12), st.data())
def test_certificate_identifier_any_single_changed_character_is_caught(type_code, serial, data):
    ident = make_certificate_identifier(type_code, _issuer(), serial, 1)
    body_start = len(CERTIFICATE_OID_PREFIX)
    positions = [i for i in range(body_start, len(ident)) if ident[i] != "."]
    i = data.draw(st.sampled_from(positions))
    other = data.draw(st.sampled_from([c for c in MOD37_36_CHARS if c != ident[i]]))
    assert not is_valid_certificate_identifier(ident[:i] + other + ident[i + 1:])


@pytest.mark.parametrize("value, message", [
    ("", "请填写"),
    ("1.2.156.3005.3.X.Y.Z.001.A", "开头"),
    ("1.2.156.3005.2.111.123", "五段"),
    (f"1.2.156.3005.2.111.{'9' * 18}.0001.001.A", "统一社会信用代码"),
    ("1.2.156.3005.2.111.{uscc}.0001.01.A", "版本号"),
    ("1.2.156.3005.2.111.{uscc}.00-1.001.A", "流水号"),
    ("1.2.156.3005.2.111.{uscc}.0001.001.AB", "校验位"),
])
def test_certificate_identifier_errors_say_what_is_wrong(value, message):
    with pytest.raises(IdentifierError, match=message):
        parse_certificate_identifier(value.replace("{uscc}", _issuer()))


def test_certificate_identifier_with_a_wrong_check_character():
    ident = make_certificate_identifier("111", _issuer(), "0001", 1)
    wrong = ident[:-1] + ("0" if ident[-1] != "0" else "1")
    with pytest.raises(IdentifierError, match="校验位错误"):
        parse_certificate_identifier(wrong)
    # pasted with full-width characters and spaces: folded like the other identifiers
    assert parse_certificate_identifier(" " + ident.replace("1", "１", 1)).check == ident[-1]
