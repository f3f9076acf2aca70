"""core.text: normalisation, segmentation and pinyin with the catalogue's dictionary and stop words."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yiwang.catalog.search  # noqa: F401 - registers the catalogue dictionary and stop words
from yiwang.core import text

NASTY = st.one_of(
    st.text(max_size=1000),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=900, max_size=1000),
    st.text(alphabet=st.sampled_from(list("营业执照社保卡ＹＹＺＺ，。！？😀👍🏻\u200d\x00\x1b\t\n 　臺灣證照辦理")), max_size=300),
    st.text(alphabet=st.characters(blacklist_categories=("L", "N")), max_size=200),
)


def test_full_width_case_and_traditional():
    assert text.normalize("ＹＹＺＺ") == "yyzz"
    assert text.normalize("YyZz") == "yyzz"
    assert text.normalize("營業執照") == "营业执照"
    assert text.normalize("社會保障卡　補辦") == "社会保障卡 补办"
    assert text.normalize("１２３４５") == "12345"


def test_punctuation_emoji_and_controls_become_spaces():
    assert text.normalize("营业执照！！😀怎么办？") == "营业执照 怎么办"
    assert text.normalize("，。！？……——") == ""
    assert text.normalize("😀👍🏻") == ""
    assert text.normalize("a\x00b\x1bc\td") == "a b c d"
    assert text.normalize(None) == "" and text.normalize(12) == ""


def test_cut_to_100_characters():
    assert len(text.normalize("营" * 1000)) == 100
    assert len(text.normalize("营" * 1000, None)) == 1000
    assert text.normalize("ab " * 60) == ("ab " * 34)[:100].rstrip()


def test_tokenize_search_mode_with_dictionary_and_stopwords():
    tokens = text.tokenize("怎么办理营业执照变更")
    assert "营业执照" in tokens and "营业" in tokens and "执照" in tokens and "变更" in tokens
    assert "怎么" not in tokens and "办理" not in tokens
    assert "社会保障卡" in text.tokenize("社会保障卡申领")
    assert text.tokenize("一网通办") == ["一网", "通办", "一网通办"] or "一网通办" in text.tokenize("一网通办")


def test_query_tokens_are_precise_and_without_stopwords():
    assert text.query_tokens("我想办营业执照") == ["营业执照"]
    assert text.query_tokens("公积金怎么取") == ["公积金", "取"]
    assert text.query_tokens("ＹＹＺＺ") == ["yyzz"]
    assert text.query_tokens("营业执照 营业执照") == ["营业执照"]
    assert text.query_tokens("？？？") == []


def test_pinyin_forms():
    forms = text.pinyin_forms("营业执照")
    assert forms[:2] == ["yingyezhizhao", "yyzz"]
    forms = text.pinyin_forms("营业执照变更登记")
    assert {"yingyezhizhaobiangengdengji", "yyzzbgdj", "yingyezhizhao", "yyzz", "bgdj"} <= set(forms)
    assert {"shehuibaozhangka", "shbzk"} <= set(text.pinyin_forms("社会保障卡申领"))
    assert text.pinyin_forms("ABC") == []
    assert text.pinyin_forms("") == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NASTY)
def test_normalize_never_raises_is_short_and_idempotent(value):
    once = text.normalize(value)
    assert len(once) <= 100
    assert text.normalize(once) == once
    assert once == once.strip()
    assert "  " not in once


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NASTY)
def test_tokenize_and_pinyin_never_raise(value):
    tokens = text.tokenize(value)
    assert all(t and " " not in t for t in tokens)
    assert all(t not in text.stopwords() for t in tokens)
    assert all(t and " " not in t for t in text.query_tokens(value))
    assert all(f.isascii() and f.isalpha() for f in text.pinyin_forms(value))


@given(st.text(alphabet="ａｂｃｄｅｆｇＡＢＣＤＥＦＧ０１２３４５", min_size=1, max_size=50))
def test_full_width_equals_half_width(value):
    half = "".join(chr(ord(c) - 0xFEE0) for c in value)
    assert text.normalize(value) == text.normalize(half) == half.lower()
