"""Personal-data key rotation and key-usage report (``yiwang keys rotate|status``, ADR 0005).

Encrypted columns and blind indexes are discovered from the models, so an app that adds an
``EncryptedTextField`` is covered without registering anything. Rotation rewrites everything in
one transaction: either every value is under the new key or none is. The new key is written to
the keyring file *before* the data, and old keys are never removed, so no crash can leave a value
that no key opens, and old backups keep opening.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, models, transaction

from yiwang.core import audit, crypto
from yiwang.core.clock import iso, now
from yiwang.core.crypto import BlindIndexField, EncryptedTextField

BATCH_SIZE = 500


@dataclass
class ProtectedModel:
    """One model's encrypted columns and the blind indexes computed from its fields."""

    model: type[models.Model]
    encrypted: list[EncryptedTextField]
    indexes: list[BlindIndexField]

    @property
    def label(self) -> str:
        return self.model._meta.label


def protected_models() -> list[ProtectedModel]:
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        enc = [f for f in meta.concrete_fields if isinstance(f, EncryptedTextField)]
        idx = [f for f in meta.concrete_fields if isinstance(f, BlindIndexField)]
        if enc or idx:
            found.append(ProtectedModel(model, enc, idx))
    return found


@dataclass
class RotationResult:
    mode: str  # "file" or "env"
    old_active: str | None
    new_active: str
    values: Counter = field(default_factory=Counter)  # "app.Model.field" → re-encrypted values
    indexes: Counter = field(default_factory=Counter)  # "app.Model.field" → changed blind indexes
    rows: Counter = field(default_factory=Counter)  # "app.Model" → rows rewritten

    @property
    def total_values(self) -> int:
        return sum(self.values.values())

    @property
    def total_indexes(self) -> int:
        return sum(self.indexes.values())


def _raw_batches(
    model: type[models.Model], columns: list[models.Field], using: str, batch_size: int, *, lock: bool
):
    """Yield lists of raw rows ``(pk, col…)`` in primary-key order (keyset pagination).

    Raw SQL because the ORM would decrypt on read, and we need to see which key a value is under.
    ``lock`` adds ``FOR UPDATE`` where supported, so a concurrent edit cannot be overwritten with
    the value read here (SQLite's IMMEDIATE transaction already excludes other writers).
    """
    conn = connections[using]
    qn = conn.ops.quote_name
    meta = model._meta
    pk = qn(meta.pk.column)
    cols = ", ".join(qn(c.column) for c in columns)
    suffix = " FOR UPDATE" if lock and conn.features.has_select_for_update else ""
    last = None
    while True:
        where = f" WHERE {pk} > %s" if last is not None else ""
        sql = f"SELECT {pk}, {cols} FROM {qn(meta.db_table)}{where} ORDER BY {pk} LIMIT {int(batch_size)}{suffix}"
        with conn.cursor() as cur:
            cur.execute(sql, [last] if last is not None else [])
            rows = cur.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _rotate_model(pm: ProtectedModel, result: RotationResult, using: str, batch_size: int) -> None:
    ring = crypto.keyring()
    meta = pm.model._meta
    # Every column we need: the encrypted ones, the indexes, and the (maybe plain) index sources.
    sources = {ix.source: meta.get_field(ix.source) for ix in pm.indexes}
    columns: list[models.Field] = list(dict.fromkeys([*pm.encrypted, *pm.indexes, *sources.values()]))
    pos = {f.name: n + 1 for n, f in enumerate(columns)}
    manager = pm.model._base_manager.db_manager(using)
    for rows in _raw_batches(pm.model, columns, using, batch_size, lock=True):
        changed = []
        for row in rows:
            plain: dict[str, str] = {}
            for f in columns:
                raw = row[pos[f.name]]
                if isinstance(f, EncryptedTextField) and raw and crypto.key_id_of(raw) is not None:
                    plain[f.name] = crypto.decrypt(raw, f.aad)
                else:  # a plain column, or legacy plaintext in an encrypted one: encrypted now
                    plain[f.name] = raw
            obj = pm.model(pk=row[0])
            fields_to_write = []
            for f in pm.encrypted:
                raw = row[pos[f.name]]
                if raw and crypto.key_id_of(raw) != ring.active:
                    setattr(obj, f.attname, plain[f.name])
                    fields_to_write.append(f.name)
                    result.values[f"{pm.label}.{f.name}"] += 1
            for ix in pm.indexes:
                new = ix.compute(plain[ix.source])
                if new != (row[pos[ix.name]] or ""):
                    setattr(obj, ix.attname, new)
                    fields_to_write.append(ix.name)
                    result.indexes[f"{pm.label}.{ix.name}"] += 1
            if fields_to_write:
                changed.append((obj, fields_to_write))
        # Group rows by the set of columns they need rewritten so each bulk UPDATE is exact
        # (bulk_update writes each value through the field, which encrypts under the active key).
        groups: dict[tuple[str, ...], list[models.Model]] = {}
        for obj, names in changed:
            groups.setdefault(tuple(names), []).append(obj)
        for names, objs in groups.items():
            manager.bulk_update(objs, list(names), batch_size=batch_size)
        result.rows[pm.label] += len(changed)


def add_file_key() -> tuple[str | None, str]:
    """Generate a key, make it active in the keyring file and keep all the old ones."""
    path = crypto.keyring_path()
    data = crypto.read_keyring_file(path) if path.exists() else {"active": None, "keys": {}}
    kid = crypto.new_kid(data["keys"])
    old = data.get("active")
    data["keys"][kid] = crypto.new_key_text()
    data["active"] = kid
    history = data.setdefault("history", [])
    history.append({"kid": kid, "activated_at": iso(now()), "previous": old})
    crypto.write_keyring_file(data, path)
    crypto.reset_keyring_cache()
    return old, kid


def rotate(
    *,
    using: str = "default",
    batch_size: int = BATCH_SIZE,
    actor=None,
    progress: Callable[[str], None] | None = None,
) -> RotationResult:
    """Re-encrypt every encrypted value and recompute every blind index under the active key.

    File keyring: a new key is generated first. Environment keyring: nothing is generated — the
    operator has put the new key first in ``YIWANG_DATA_KEY`` — and the data follows that key.
    """
    crypto.reset_keyring_cache()
    if crypto.uses_env_keys():
        ring = crypto.keyring()
        result = RotationResult("env", None, ring.active)
    else:
        previous = crypto.keyring().active  # creates the file on a fresh installation
        old, new = add_file_key()
        result = RotationResult("file", old or previous, new)
    with transaction.atomic(using=using):
        for pm in protected_models():
            _rotate_model(pm, result, using, batch_size)
            if progress:
                progress(pm.label)
        audit.record(
            "keys.rotated",
            actor=actor,
            object_type="core.datakey",
            object_id=result.new_active,
            summary=f"个人信息加密密钥轮换为 {result.new_active}，重新加密 {result.total_values} 个值",
            data={
                "mode": result.mode,
                "previous": result.old_active,
                "active": result.new_active,
                "values": dict(result.values),
                "indexes": dict(result.indexes),
            },
        )
    return result


@dataclass
class KeyStatus:
    mode: str
    active: str
    known: list[str]
    per_kid: Counter  # kid → values
    per_field: dict[str, Counter]  # "app.Model.field" → kid → values

    @property
    def unknown(self) -> list[str]:
        return sorted(k for k in self.per_kid if k not in self.known)


PLAINTEXT = "（未加密）"


def status(*, using: str = "default", batch_size: int = 2000) -> KeyStatus:
    """Count stored values per key id, read from the ``v1$<kid>$`` prefix (nothing is decrypted)."""
    ring = crypto.keyring()
    per_kid: Counter = Counter()
    per_field: dict[str, Counter] = {}
    for pm in protected_models():
        counts = {f.name: Counter() for f in pm.encrypted}
        for rows in (
            _raw_batches(pm.model, pm.encrypted, using, batch_size, lock=False) if pm.encrypted else ()
        ):
            for row in rows:
                for n, f in enumerate(pm.encrypted, start=1):
                    if row[n]:
                        counts[f.name][crypto.key_id_of(row[n]) or PLAINTEXT] += 1
        for name, c in counts.items():
            per_field[f"{pm.label}.{name}"] = c
            per_kid.update(c)
    return KeyStatus(
        mode="env" if crypto.uses_env_keys() else "file",
        active=ring.active,
        known=list(ring.keys),
        per_kid=per_kid,
        per_field=per_field,
    )
