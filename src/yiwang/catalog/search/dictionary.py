"""The catalogue's dictionary and stop words, registered with the kernel's tokenizer (core.text).

Registered once per process, on the first import of ``yiwang.catalog.search``, before anything is
tokenized: index time and query time use the same dictionary.
"""

from __future__ import annotations

from pathlib import Path

from yiwang.core import text

DATA_DIR = Path(__file__).resolve().parent / "data"
DICTIONARY_FILE = DATA_DIR / "dictionary.txt"
STOPWORDS_FILE = DATA_DIR / "stopwords.txt"

_registered = False


def ensure_registered() -> None:
    global _registered
    if _registered:
        return
    text.add_dictionary(DICTIONARY_FILE)
    text.add_stopwords(text.read_word_file(STOPWORDS_FILE))
    _registered = True
