"""Generic Chinese text processing for search: normalisation, word segmentation and pinyin.

- ``normalize(q)``: NFKC (full-width → half-width), lower case, traditional → simplified (OpenCC
  ``t2s``), punctuation, symbols, emoji and control characters → spaces, cut to 100 characters.
- ``tokenize(text)``: jieba in search mode (``cut_for_search``: a long word and the dictionary words
  inside it), stop words removed. The same tokenizer serves index time and query time.
- ``query_tokens(q)``: jieba's precise mode for a query (the index holds the words and their
  sub-words, so the whole word is enough), stop words removed, duplicates dropped.
- ``pinyin_forms(text)``: full pinyin and initials of the whole text and of each word
  (``营业执照`` → ``yingyezhizhao``, ``yyzz``).

The kernel imports no app: domain dictionaries and stop words are registered by the apps that own
them (``add_dictionary``, ``add_words``, ``add_stopwords``), before or after the tokenizer loads.
jieba is loaded once per process, lazily, on the first call that needs it.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

MAX_QUERY_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def strip_control(value: object) -> str:
    """Typed free text as it may be stored: no NUL or other control characters (PostgreSQL
    refuses NUL in text; a document must not carry invisible characters) and no lone surrogates
    (they cannot be encoded), trimmed. Newlines and tabs stay."""
    return _CONTROL.sub("", str(value or "")).strip()


MAX_LOOKUP_LENGTH = 100


def lookup_code(value: object) -> str:
    """A code or key from a URL, a query string or a request body, fit to look up with: the value
    stripped, or ``""`` (found nothing) when it is not a string, is longer than any code, or holds
    a control character or a lone surrogate — PostgreSQL refuses NUL in a query parameter and a
    surrogate cannot be encoded, so such a value would be a 500 instead of "not found"."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > MAX_LOOKUP_LENGTH or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        return ""
    return value


_lock = threading.RLock()
_t2s = None
_t2s_failed = False
_tokenizer = None
_dictionaries: list[Path] = []
_extra_words: list[str] = []
_stopwords: set[str] = set()

_NOT_WORD = re.compile(r"[\W_]+")  # \w: Unicode letters and digits (and "_", excluded here)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_ASCII_WORD = re.compile(r"^[a-z0-9]+$")


# --- normalisation --------------------------------------------------------------------------------

def _converter():
    """OpenCC traditional → simplified, loaded once; None when the library is unusable."""
    global _t2s, _t2s_failed
    if _t2s is None and not _t2s_failed:
        with _lock:
            if _t2s is None and not _t2s_failed:
                try:
                    import opencc

                    _t2s = opencc.OpenCC("t2s")
                except Exception:  # pragma: no cover - a broken wheel must not break search
                    logging.getLogger(__name__).warning("OpenCC unavailable: traditional characters stay as they are")
                    _t2s_failed = True
    return _t2s


def _strip_symbols(text: str) -> str:
    """Letters and digits stay; everything else (punctuation, symbols, emoji, controls, marks,
    unpaired surrogates, ``_``) becomes a space; runs of spaces collapse."""
    return _NOT_WORD.sub(" ", text).strip()


def _to_simplified(text: str) -> str:
    converter = _converter()
    if converter is None or not text:
        return text
    try:
        return converter.convert(text)
    except Exception:  # pragma: no cover - defensive: never fail a search on conversion
        return text


def _normalize_once(text: str, max_length: int | None) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _strip_symbols(text)  # before OpenCC: no control characters or surrogates reach it
    if max_length is not None:
        text = text[:max_length]
    text = _strip_symbols(unicodedata.normalize("NFKC", _to_simplified(text)).lower())
    if max_length is not None:
        text = text[:max_length].rstrip()
    return text


def normalize(q, max_length: int | None = MAX_QUERY_LENGTH) -> str:
    """A query (or any text) in the one form the index and the queries share.

    Never raises: anything that is not a string becomes ``""``. ``max_length=None`` keeps the
    whole text (used for the bodies that are indexed). Idempotent: ``normalize(normalize(x)) ==
    normalize(x)`` (conversion is repeated until it is stable, which takes one round in practice).
    """
    if not isinstance(q, str):
        return ""
    result = _normalize_once(q, max_length)
    for _ in range(3):
        again = _normalize_once(result, max_length)
        if again == result:
            break
        result = again
    return result


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


# --- dictionaries and stop words ---------------------------------------------------------------------

def add_dictionary(path: str | Path) -> None:
    """Register a jieba user dictionary (``word [freq] [tag]`` per line, UTF-8)."""
    path = Path(path)
    with _lock:
        if path in _dictionaries:
            return
        _dictionaries.append(path)
        if _tokenizer is not None:
            _load_words(_tokenizer, _read_dictionary(path))


def add_words(words: Iterable[str]) -> None:
    """Register extra dictionary words (e.g. synonym terms) so they are cut as one word."""
    new = [w for w in (normalize(w, None).replace(" ", "") for w in words) if len(w) > 1]
    with _lock:
        new = [w for w in new if w not in _extra_words]
        _extra_words.extend(new)
        if _tokenizer is not None:
            _load_words(_tokenizer, [(w, None) for w in new])


def add_stopwords(words: Iterable[str]) -> None:
    with _lock:
        _stopwords.update(normalize(w, None) for w in words if normalize(w, None))


def read_word_file(path: str | Path) -> list[str]:
    """One entry a line; ``#`` starts a comment; blank lines ignored."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words


def stopwords() -> frozenset[str]:
    return frozenset(_stopwords)


def _read_dictionary(path: Path) -> list[tuple[str, int | None]]:
    entries = []
    for line in read_word_file(path):
        parts = line.split()
        word = normalize(parts[0], None).replace(" ", "")
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        if word:
            entries.append((word, freq))
    return entries


def _load_words(tokenizer, entries) -> None:
    for word, freq in entries:
        # Without a frequency, jieba's suggest_freq gives the word just enough weight to be cut
        # whole (and search mode still yields the dictionary words inside it).
        tokenizer.add_word(word, freq)
        if freq is None:
            tokenizer.suggest_freq(word, tune=True)


def _get_tokenizer():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for path in _dictionaries:
                    _load_words(tokenizer, _read_dictionary(path))
                _load_words(tokenizer, [(w, None) for w in _extra_words])
                _tokenizer = tokenizer
    return _tokenizer


# --- segmentation -----------------------------------------------------------------------------------

def _runs(text: str) -> list[str]:
    return [run for run in text.split(" ") if run]


def _keep_token(token: str) -> bool:
    return bool(token) and token != " " and token not in _stopwords


def tokenize(text, max_length: int | None = None) -> list[str]:
    """Index-time tokens in order (duplicates kept: term frequency counts), search mode.

    ``营业执照变更`` → ``营业 执照 营业执照 变更``. Never raises.
    """
    normalized = normalize(text, max_length)
    if not normalized:
        return []
    tokenizer = _get_tokenizer()
    tokens: list[str] = []
    for run in _runs(normalized):
        if _ASCII_WORD.match(run):
            if _keep_token(run):
                tokens.append(run)
            continue
        tokens.extend(t for t in tokenizer.cut_for_search(run, HMM=False) if _keep_token(t.strip()))
    return [t.strip() for t in tokens]


def cut(text, max_length: int | None = MAX_QUERY_LENGTH, drop_stopwords: bool = True) -> list[str]:
    """Precise-mode words of a text in order (duplicates kept)."""
    normalized = normalize(text, max_length)
    if not normalized:
        return []
    tokenizer = _get_tokenizer()
    words: list[str] = []
    for run in _runs(normalized):
        if _ASCII_WORD.match(run):
            words.append(run)
        else:
            words.extend(w.strip() for w in tokenizer.cut(run, HMM=False) if w.strip())
    if drop_stopwords:
        words = [w for w in words if w not in _stopwords]
    return words


def subwords(word: str) -> list[str]:
    """The dictionary words that tile a long word, longest first from the left, stop words left
    out: ``不动产登记`` → ``["不动产", "登记"]``. ``[]`` when the word has no smaller parts (a word
    the query keeps whole may be absent from a text that was cut differently: the parts are the
    fallback)."""
    if len(word) < 3 or not has_cjk(word):
        return []
    parts = {t for t in _get_tokenizer().cut_for_search(word, HMM=False) if t != word and len(t) > 1}
    if not parts:
        return []
    tiles, i = [], 0
    while i < len(word):
        best = max((p for p in parts if word.startswith(p, i)), key=len, default=word[i])
        tiles.append(best)
        i += len(best)
    tiles = [t for t in tiles if t not in _stopwords]
    return tiles if len(tiles) > 1 else []


def query_tokens(q) -> list[str]:
    """Query-time tokens: precise mode, stop words removed, first occurrence order, no duplicates."""
    return list(dict.fromkeys(cut(q)))


# --- pinyin -------------------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[str, ...]:
    """One pinyin syllable per Chinese character of one word (pypinyin's phrase readings apply
    inside the word: 重庆 chongqing, 长江 changjiang); memoised, words repeat across a catalogue."""
    from pypinyin import lazy_pinyin

    hanzi = "".join(ch for ch in word if is_cjk(ch))
    if not hanzi:
        return ()
    syllables = lazy_pinyin(hanzi, errors=lambda chars: ["" for _ in chars])
    if len(syllables) != len(hanzi):  # defensive: keep positions aligned with the characters
        syllables = [(lazy_pinyin(ch, errors="ignore") or [""])[0] for ch in hanzi]
    return tuple("".join(c for c in s if "a" <= c <= "z") for s in syllables)


def _pair(syllables: list[str]) -> list[str]:
    full = "".join(syllables)
    return [full, "".join(s[:1] for s in syllables)] if full else []


def pinyin_forms(text) -> list[str]:
    """Full pinyin and initials of the whole text and of each word of two or more characters.

    ``营业执照变更`` → ``yingyezhizhaobiangeng yyzzbg yingyezhizhao yyzz biangeng bg``; text
    without Chinese characters gives ``[]``. Never raises.
    """
    normalized = normalize(text, None)
    if not has_cjk(normalized):
        return []
    forms: list[str] = []
    syllables: list[str] = []
    for word in cut(normalized, None, drop_stopwords=False):
        word_syllables = _word_syllables(word)
        syllables.extend(word_syllables)
        if len(word_syllables) >= 2:
            forms.extend(_pair(list(word_syllables)))
    return [f for f in dict.fromkeys([*_pair(syllables), *forms]) if len(f) > 1]
