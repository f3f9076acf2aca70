"""Full-text backends behind one interface, chosen by ``connection.vendor``.

- SQLite: an FTS5 table with external content (``catalog_searchentry``), kept in step by triggers
  on that table, ``unicode61`` tokenizer over the space-separated tokens; bm25 with column weights
  title 10 ≫ aliases 4 > body 1; rows matching in the title or the aliases come first.
- PostgreSQL: two stored generated ``tsvector('simple')`` columns on ``catalog_searchentry`` —
  ``title_vector`` (title A, aliases B) and ``search_vector`` (A, B and body C) — each with a GIN
  index. Rows are found with ``search_vector @@ q``; only the small ``title_vector`` is ranked
  (``ts_rank``), body-only matches follow by popularity, so the cost of a query does not grow with
  the size of the bodies it matched (the 20k-item latency target).

The DDL is not in migrations (it is backend-specific): ``install()`` creates it idempotently and
runs after every ``migrate`` (``signals.py``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

from yiwang.catalog.search.query import Hit, QueryPlan

TABLE = "catalog_searchentry"
FTS_TABLE = "catalog_searchentry_fts"

HIT_COLUMNS = ("id", "item_id", "code", "name", "name_key", "title_tokens", "alias_tokens", "popularity")


@dataclass
class Filters:
    """SQL for the filter columns: ``where`` fragments joined by AND over alias ``e``, and params."""

    where: list[str]
    params: list

    @classmethod
    def build(cls, filters) -> Filters:
        where: list[str] = []
        params: list = []
        if filters is None:
            return cls(where, params)
        for column, value in (("audiences", filters.audience), ("themes", filters.theme)):
            if value:
                where.append(f"e.{column} LIKE %s ESCAPE '!'")
                params.append(f"%|{_escape_like(str(value))}|%")
        for column, value in (
            ("department_code", filters.department),
            ("item_type", filters.item_type),
            ("case_type", filters.case_type),
            ("tongban_scope", filters.tongban),
        ):
            if value:
                where.append(f"e.{column} = %s")
                params.append(value)
        if filters.online == "full":
            where.append("e.online_level = 4")
        elif filters.online == "capable":
            where.append("e.online_capable = %s")
            params.append(True)
        if filters.charges is not None:
            where.append("e.charges = %s")
            params.append(bool(filters.charges))
        return cls(where, params)

    def sql(self, prefix: str = " AND ") -> str:
        return (prefix + " AND ".join(self.where)) if self.where else ""


def _escape_like(value: str) -> str:
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_tsquery(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


class SearchBackend(ABC):
    """One full-text backend. Matching rows come in two phases, so that a broad word matching most
    bodies never costs a ranking of every body:

    1. ``title_matches``: rows matching in the title or the aliases, ranked by the backend;
    2. ``body_matches``: the other matching rows (body only), in a cheap order;

    and ``count`` of every match. ``engine`` merges the phases and re-ranks the first window."""

    vendor = ""

    def __init__(self, using: str = "default"):
        self.using = using

    @property
    def connection(self):
        return connections[self.using]

    def _fetch(self, sql: str, params) -> list:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # interface ------------------------------------------------------------------------------------
    @abstractmethod
    def install(self) -> None:
        """Create the backend's full-text structures if missing (idempotent)."""

    def installed(self) -> bool:
        """Whether the full-text structures are all there (cheap catalogue look-up)."""
        return True

    @abstractmethod
    def rebuild(self) -> None:
        """Re-derive the full-text structures from ``catalog_searchentry``."""

    def reading(self):
        """Context for the queries of one search (planner settings)."""
        return nullcontext()

    @abstractmethod
    def count(self, plan: QueryPlan, filters: Filters) -> int:
        """Rows matching anywhere (title, aliases or body)."""
        ...

    @abstractmethod
    def title_count(self, plan: QueryPlan, filters: Filters) -> int:
        """Rows matching in the title or the aliases."""
        ...

    @abstractmethod
    def title_matches(self, plan: QueryPlan, filters: Filters, limit: int, offset: int = 0) -> list[tuple[int, float]]:
        """Rows matching in the title or the aliases, best first, as (entry id, backend score)."""
        ...

    @abstractmethod
    def body_matches(self, plan: QueryPlan, filters: Filters, limit: int, offset: int = 0,
                     exclude: list[int] | None = None) -> tuple[list[tuple[int, float]], int | None]:
        """Rows matching only in the body, in the backend's order (tie-break: id), and how many
        there are (``None`` when no row came back). ``exclude``: the ids of *all* title matches when
        the caller has them (cheaper than testing the title again), else ``None``."""
        ...

    @abstractmethod
    def prefix(self, word: str, limit: int) -> list[Hit]:
        """Rows with a title or alias token starting with ``word`` (pinyin while typing), by popularity."""
        ...

    # shared ----------------------------------------------------------------------------------------
    def listing(self, filters: Filters, limit: int, offset: int) -> tuple[list[int], int]:
        where = filters.sql(" WHERE ")
        total = self._fetch(f"SELECT COUNT(*) FROM {TABLE} e{where}", filters.params)[0][0]
        rows = self._fetch(
            f"SELECT e.item_id FROM {TABLE} e{where} ORDER BY e.popularity DESC, e.code, e.id LIMIT %s OFFSET %s",
            [*filters.params, limit, offset],
        )
        return [r[0] for r in rows], total

    def hits(self, scored: list[tuple[int, float]]) -> list[Hit]:
        """The columns the re-ranker reads, for the given (entry id, score) rows, in that order."""
        if not scored:
            return []
        entry_ids = [entry_id for entry_id, _ in scored]
        cols = ", ".join(f"e.{c}" for c in HIT_COLUMNS)
        marks = ", ".join(["%s"] * len(entry_ids))
        rows = {row[0]: row for row in self._fetch(f"SELECT {cols} FROM {TABLE} e WHERE e.id IN ({marks})", entry_ids)}
        return [Hit(*rows[i], backend_score=score) for i, score in scored if i in rows]

    def names_like(self, word: str, limit: int, anywhere: bool = False) -> list[Hit]:
        """Rows whose normalised name starts with (or contains) ``word``, by popularity."""
        cols = ", ".join(f"e.{c}" for c in HIT_COLUMNS)
        pattern = ("%" if anywhere else "") + _escape_like(word) + "%"
        rows = self._fetch(
            f"SELECT {cols} FROM {TABLE} e WHERE e.name_key LIKE %s ESCAPE '!' "
            "ORDER BY e.popularity DESC, e.code LIMIT %s",
            [pattern, limit],
        )
        return [Hit(*row) for row in rows]


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
    WEIGHTS = (10.0, 4.0, 1.0)  # bm25 column weights: title, aliases, body
    TITLE_COLUMNS = "title_tokens alias_tokens"

    TRIGGERS = {
        f"{TABLE}_fts_ai": f"""
            CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_ai AFTER INSERT ON {TABLE} BEGIN
              INSERT INTO {FTS_TABLE}(rowid, title_tokens, alias_tokens, body_tokens)
              VALUES (new.id, new.title_tokens, new.alias_tokens, new.body_tokens);
            END""",
        f"{TABLE}_fts_ad": f"""
            CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_ad AFTER DELETE ON {TABLE} BEGIN
              INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_tokens, alias_tokens, body_tokens)
              VALUES ('delete', old.id, old.title_tokens, old.alias_tokens, old.body_tokens);
            END""",
        f"{TABLE}_fts_au": f"""
            CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_au
            AFTER UPDATE OF id, title_tokens, alias_tokens, body_tokens ON {TABLE} BEGIN
              INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_tokens, alias_tokens, body_tokens)
              VALUES ('delete', old.id, old.title_tokens, old.alias_tokens, old.body_tokens);
              INSERT INTO {FTS_TABLE}(rowid, title_tokens, alias_tokens, body_tokens)
              VALUES (new.id, new.title_tokens, new.alias_tokens, new.body_tokens);
            END""",
    }

    def _present(self) -> set[str]:
        names = [FTS_TABLE, *self.TRIGGERS]
        rows = self._fetch(f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})", names)
        return {row[0] for row in rows}

    def installed(self) -> bool:
        return {FTS_TABLE, *self.TRIGGERS} <= self._present()

    def install(self) -> None:
        present = self._present()
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "title_tokens, alias_tokens, body_tokens, "
                f"content='{TABLE}', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 0', prefix='2 3')"
            )
            for sql in self.TRIGGERS.values():
                cursor.execute(sql)
            # A new FTS table, or triggers lost (SQLite rebuilds a table to alter it, dropping its
            # triggers): the index may lag the content table, so derive it again.
            if FTS_TABLE not in present or not set(self.TRIGGERS) <= present:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")

    def rebuild(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")

    @staticmethod
    def _match(plan: QueryPlan, columns: str = "") -> str:
        groups = []
        for group in plan.groups:
            alts = ["(" + " AND ".join(_quote_fts(t) for t in alternative) + ")" for alternative in group.alternatives]
            groups.append("(" + " OR ".join(alts) + ")")
        expression = " OR ".join(groups)
        return f"{{{columns}}} : ({expression})" if columns else expression

    def _from(self, filters: Filters) -> str:
        return f"{FTS_TABLE} f JOIN {TABLE} e ON e.id = f.rowid" if filters.where else f"{FTS_TABLE} f"

    def count(self, plan, filters) -> int:
        sql = f"SELECT COUNT(*) FROM {self._from(filters)} WHERE {FTS_TABLE} MATCH %s{filters.sql()}"
        return self._fetch(sql, [self._match(plan), *filters.params])[0][0]

    def title_count(self, plan, filters) -> int:
        sql = f"SELECT COUNT(*) FROM {self._from(filters)} WHERE {FTS_TABLE} MATCH %s{filters.sql()}"
        return self._fetch(sql, [self._match(plan, self.TITLE_COLUMNS), *filters.params])[0][0]

    def title_matches(self, plan, filters, limit, offset=0):
        weights = ", ".join(str(w) for w in self.WEIGHTS)
        sql = (f"SELECT f.rowid, bm25({FTS_TABLE}, {weights}) AS rank "
               f"FROM {self._from(filters)} WHERE {FTS_TABLE} MATCH %s{filters.sql()} "
               "ORDER BY rank, f.rowid LIMIT %s OFFSET %s")
        rows = self._fetch(sql, [self._match(plan, self.TITLE_COLUMNS), *filters.params, limit, offset])
        return [(row[0], -row[1]) for row in rows]

    def body_matches(self, plan, filters, limit, offset=0, exclude=None):
        weights = ", ".join(str(w) for w in self.WEIGHTS)
        if exclude is None:
            not_title = f"f.rowid NOT IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
            not_params = [self._match(plan, self.TITLE_COLUMNS)]
        else:
            not_title = f"f.rowid NOT IN ({', '.join(['%s'] * len(exclude))})" if exclude else "1"
            not_params = list(exclude)
        sql = (f"SELECT id, rank, COUNT(*) OVER () FROM ("
               f"SELECT f.rowid AS id, bm25({FTS_TABLE}, {weights}) AS rank "
               f"FROM {self._from(filters)} WHERE {FTS_TABLE} MATCH %s{filters.sql()} AND {not_title}"
               ") ORDER BY rank, id LIMIT %s OFFSET %s")
        rows = self._fetch(sql, [self._match(plan), *filters.params, *not_params, limit, offset])
        return [(row[0], -row[1]) for row in rows], (rows[0][2] if rows else None)

    def prefix(self, word, limit) -> list[Hit]:
        cols = ", ".join(f"e.{c}" for c in HIT_COLUMNS)
        sql = (f"SELECT {cols} FROM {FTS_TABLE} f JOIN {TABLE} e ON e.id = f.rowid "
               f"WHERE {FTS_TABLE} MATCH %s ORDER BY e.popularity DESC, e.code LIMIT %s")
        match = f"{{{self.TITLE_COLUMNS}}} : {_quote_fts(word)} *"
        return [Hit(*row) for row in self._fetch(sql, [match, limit])]


class PostgreSQLBackend(SearchBackend):
    vendor = "postgresql"
    # ts_rank weights are {D, C, B, A}: title A ≫ aliases B (the title vector has no C or D).
    RANK_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"

    TITLE_EXPR = ("setweight(to_tsvector('simple'::regconfig, coalesce(title_tokens, '')), 'A') || "
                  "setweight(to_tsvector('simple'::regconfig, coalesce(alias_tokens, '')), 'B')")
    BODY_EXPR = "setweight(to_tsvector('simple'::regconfig, coalesce(body_tokens, '')), 'C')"

    def _columns(self) -> set[str]:
        rows = self._fetch(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) "
            "AND attname IN ('title_vector', 'search_vector') AND NOT attisdropped", [TABLE])
        return {r[0] for r in rows}

    def _indexes(self) -> set[str]:
        rows = self._fetch("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname IN (%s, %s)",
                           [TABLE, f"{TABLE}_search_gin", f"{TABLE}_title_gin"])
        return {r[0] for r in rows}

    TOAST_TUPLE_TARGET = 256

    def _storage_tuned(self) -> bool:
        rows = self._fetch(
            "SELECT c.reloptions, a.attstorage FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.oid = to_regclass(%s) AND a.attname = 'title_vector'", [TABLE])
        return bool(rows) and f"toast_tuple_target={self.TOAST_TUPLE_TARGET}" in (rows[0][0] or []) \
            and rows[0][1] == "m"

    def installed(self) -> bool:
        return len(self._columns()) == 2 and len(self._indexes()) == 2 and self._storage_tuned()

    def install(self) -> None:
        # Checked first, then IF NOT EXISTS too: ALTER/CREATE INDEX on a table with pending
        # (deferred constraint) trigger events fails even when there is nothing to do.
        columns, indexes = self._columns(), self._indexes()
        with self.connection.cursor() as cursor:
            if "title_vector" not in columns:
                cursor.execute(
                    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS title_vector tsvector "
                    f"GENERATED ALWAYS AS ({self.TITLE_EXPR}) STORED"
                )
            if "search_vector" not in columns:
                cursor.execute(
                    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
                    f"GENERATED ALWAYS AS ({self.TITLE_EXPR} || {self.BODY_EXPR}) STORED"
                )
            if f"{TABLE}_search_gin" not in indexes:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_search_gin ON {TABLE} USING gin (search_vector)")
            if f"{TABLE}_title_gin" not in indexes:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_title_gin ON {TABLE} USING gin (title_vector)")
        if not self._storage_tuned():
            # Dense heap pages: the token texts and the body vector (never read by a query, GIN is
            # exact) go out of line, the title vector (ranked) stays in the row. Halves the pages a
            # bitmap scan of a broad word visits. Applies to rows written from now on (rebuild).
            with self.connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = {self.TOAST_TUPLE_TARGET})")
                cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN title_vector SET STORAGE MAIN")

    def rebuild(self) -> None:
        """Generated columns follow their row; nothing to derive."""

    @contextmanager
    def reading(self):
        """GIN is exact for our queries (plain lexemes, no weights or phrases), so a bitmap scan
        never reads a tsvector, while a sequential scan reads (de-TOASTs) every one: tens of ms at
        20k items. The planner does not know that cost; forbid the sequential scan for the queries
        of one search (SET LOCAL, undone afterwards, in a transaction or savepoint)."""
        with transaction.atomic(using=self.using):
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            yield
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")

    @staticmethod
    def _tsquery(plan: QueryPlan) -> str:
        groups = []
        for group in plan.groups:
            alts = ["(" + " & ".join(_quote_tsquery(t) for t in alternative) + ")" for alternative in group.alternatives]
            groups.append("(" + " | ".join(alts) + ")")
        return " | ".join(groups)

    def count(self, plan, filters) -> int:
        sql = (f"SELECT COUNT(*) FROM {TABLE} e "
               f"WHERE e.search_vector @@ to_tsquery('simple', %s){filters.sql()}")
        return self._fetch(sql, [self._tsquery(plan), *filters.params])[0][0]

    def title_count(self, plan, filters) -> int:
        sql = (f"SELECT COUNT(*) FROM {TABLE} e "
               f"WHERE e.title_vector @@ to_tsquery('simple', %s){filters.sql()}")
        return self._fetch(sql, [self._tsquery(plan), *filters.params])[0][0]

    def title_matches(self, plan, filters, limit, offset=0):
        sql = (f"SELECT e.id, ts_rank('{self.RANK_WEIGHTS}', e.title_vector, q) AS rank "
               f"FROM {TABLE} e, to_tsquery('simple', %s) AS q WHERE e.title_vector @@ q{filters.sql()} "
               "ORDER BY rank DESC, e.popularity DESC, e.id LIMIT %s OFFSET %s")
        rows = self._fetch(sql, [self._tsquery(plan), *filters.params, limit, offset])
        return [(row[0], float(row[1])) for row in rows]

    def body_matches(self, plan, filters, limit, offset=0, exclude=None):
        # Body-only matches follow by popularity: ranking them would read every matching body.
        # "+ 0": never walk the popularity index testing every row (a LIMIT 2 with no body-only
        # match would read all 20k tsvectors); bitmap-scan the matches and sort them.
        if exclude is None:
            not_title, not_params = "NOT (e.title_vector @@ q)", []
        else:
            not_title, not_params = "NOT (e.id = ANY(%s))", [list(exclude)]
        sql = (f"SELECT e.id, COUNT(*) OVER () FROM {TABLE} e, to_tsquery('simple', %s) AS q "
               f"WHERE e.search_vector @@ q AND {not_title}{filters.sql()} "
               "ORDER BY e.popularity + 0 DESC, e.id LIMIT %s OFFSET %s")
        rows = self._fetch(sql, [self._tsquery(plan), *not_params, *filters.params, limit, offset])
        return [(row[0], 0.0) for row in rows], (rows[0][1] if rows else None)

    def prefix(self, word, limit) -> list[Hit]:
        cols = ", ".join(f"e.{c}" for c in HIT_COLUMNS)
        sql = (f"SELECT {cols} FROM {TABLE} e WHERE e.title_vector @@ to_tsquery('simple', %s) "
               "ORDER BY e.popularity DESC, e.code LIMIT %s")
        return [Hit(*row) for row in self._fetch(sql, [_quote_tsquery(word) + ":*", limit])]


BACKENDS = {cls.vendor: cls for cls in (SQLiteBackend, PostgreSQLBackend)}


_checked: set[tuple[str, str]] = set()


def get_backend(using: str = "default") -> SearchBackend:
    """The backend for the database ``using``. The first call per process and database checks that
    the full-text structures exist and creates them if not (normally done after ``migrate``)."""
    connection = connections[using]
    try:
        backend = BACKENDS[connection.vendor](using)
    except KeyError:
        raise ImproperlyConfigured(f"catalogue search has no backend for {connection.vendor!r}") from None
    key = (using, str(connection.settings_dict.get("NAME")))
    if key not in _checked:
        if not backend.installed():
            backend.install()
        _checked.add(key)
    return backend
