"""Query planning and re-ranking, shared by every backend.

A query becomes a list of *groups*; a row matches when it matches at least one group. A group is a
set of *alternatives* (any one will do); an alternative is a tuple of tokens that must all be
present (usually a single token; a synonym like ``公司设立`` that the tokenizer cuts into two words
gives ``("公司", "设立")``).

- each query word (precise segmentation, stop words removed) is a group: the word, its synonyms and,
  for a run of ASCII letters, nothing else (pinyin forms are indexed, so ``yyzz`` is a plain token);
- each synonym source of two or more Chinese characters found *inside* the query (``开公司`` in
  ``怎么开公司``) adds a group of its targets, weighted higher: it is curated intent.

The backend returns matching rows in a coarse order (title/alias matches first, then its own
relevance, then popularity); the first ``RERANK_WINDOW`` rows are re-ranked here with the same rules
on every database: title matches above alias matches above body matches, the query as an exact
phrase in the name above scattered words, coverage of the query, then popularity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from yiwang.core import text

RERANK_WINDOW = 100

TOKEN_WEIGHT = 1.0
SHORT_TOKEN_WEIGHT = 0.3  # one character: weak evidence
PHRASE_SYNONYM_WEIGHT = 2.0


@dataclass(frozen=True)
class Group:
    alternatives: tuple[tuple[str, ...], ...]
    weight: float
    label: str


@dataclass
class QueryPlan:
    normalized: str
    tokens: list[str]
    groups: list[Group] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def compact(self) -> str:
        return self.normalized.replace(" ", "")

    @property
    def core(self) -> str:
        """The query's meaningful words run together (stop words dropped), for the phrase test."""
        return "".join(self.tokens)

    def all_tokens(self) -> list[str]:
        seen: dict[str, None] = {}
        for group in self.groups:
            for alternative in group.alternatives:
                for token in alternative:
                    seen.setdefault(token, None)
        return list(seen)


def _term_tokens(term: str) -> tuple[str, ...]:
    return tuple(text.query_tokens(term))


def build_plan(q, synonyms) -> QueryPlan:
    """Normalise, segment and expand a query. Never raises; an empty plan means "no words"."""
    normalized = text.normalize(q)
    tokens = text.query_tokens(normalized)
    plan = QueryPlan(normalized=normalized, tokens=tokens)
    if not tokens:
        return plan
    token_set = set(tokens)
    compact = plan.compact
    phrase_sources = [s for s in synonyms.phrase_sources()
                      if s not in token_set and s.replace(" ", "") in compact]
    # A lone character (证, 办, 卡) is weak evidence that matches thousands of rows: kept only when
    # it is all the query has, or when the synonym table knows it (取 → 提取).
    strong = any(len(t) > 1 for t in tokens) or bool(phrase_sources)
    for token in tokens:
        if strong and len(token) == 1 and not synonyms.lookup(token):
            continue
        alternatives = [(token,)]
        parts = tuple(text.subwords(token))
        if parts:
            alternatives.append(parts)  # 不动产登记 also matches 不动产 … 登记 (不动产转移登记)
        for target in synonyms.lookup(token):
            alt = _term_tokens(target)
            if alt and alt not in alternatives:
                alternatives.append(alt)
        weight = TOKEN_WEIGHT if len(token) > 1 else SHORT_TOKEN_WEIGHT
        if len(alternatives) > 1 and len(token) > 1 and text.has_cjk(token):
            weight = PHRASE_SYNONYM_WEIGHT  # a curated synonym: the resident's own word for an item
        plan.groups.append(Group(tuple(alternatives), weight, token))
    ascii_words = [t for t in tokens if t.isascii() and t.isalpha()]
    if len(ascii_words) > 1 and len(ascii_words) == len(tokens):  # "ying ye zhi zhao" → yingyezhizhao
        joined = "".join(ascii_words)
        plan.groups.append(Group(((joined,),), TOKEN_WEIGHT, joined))
    for source in phrase_sources:
        alternatives = []
        for term in (source, *synonyms.lookup(source)):
            alt = _term_tokens(term)
            if alt and alt not in alternatives:
                alternatives.append(alt)
        if alternatives:
            plan.groups.append(Group(tuple(alternatives), PHRASE_SYNONYM_WEIGHT, source))
    return plan


# --- re-ranking -----------------------------------------------------------------------------------

TITLE_SCORE = 3.0
ALIAS_SCORE = 2.0
EXACT_NAME_BONUS = 6.0
PHRASE_BONUS = 3.0
COVERAGE_BONUS = 2.0
BACKEND_ORDER_WEIGHT = 1.0
POPULARITY_WEIGHT = 0.6


@dataclass
class Hit:
    entry_id: int
    item_id: int
    code: str
    name: str
    name_key: str
    title_tokens: str
    alias_tokens: str
    popularity: int
    backend_score: float = 0.0
    score: float = 0.0


def _present(alternative: tuple[str, ...], tokens: set[str]) -> bool:
    return all(t in tokens for t in alternative)


def rerank(plan: QueryPlan, hits: list[Hit]) -> list[Hit]:
    """Order the first window of backend hits by the shared rules; stable for equal scores."""
    if not hits:
        return hits
    total_weight = sum(g.weight for g in plan.groups) or 1.0
    top_popularity = max((h.popularity for h in hits), default=0)
    core = plan.core
    n = len(hits)
    for position, hit in enumerate(hits):
        title = set(hit.title_tokens.split())
        alias = set(hit.alias_tokens.split())
        name = hit.name_key.replace(" ", "")
        matched = 0.0
        text_score = 0.0
        for group in plan.groups:
            best = 0.0
            for alternative in group.alternatives:
                if _present(alternative, title):
                    best = TITLE_SCORE
                    break
                if _present(alternative, alias):
                    best = max(best, ALIAS_SCORE)
            if best:
                matched += group.weight
            text_score += group.weight * best
        score = text_score + COVERAGE_BONUS * matched / total_weight
        if core and name == core:
            score += EXACT_NAME_BONUS
        elif len(core) > 1 and core in name:
            score += PHRASE_BONUS
        score += BACKEND_ORDER_WEIGHT * (1.0 - position / n)
        if top_popularity:
            score += POPULARITY_WEIGHT * math.log1p(hit.popularity) / math.log1p(top_popularity)
        hit.score = round(score, 4)
    return sorted(hits, key=lambda h: -h.score)
