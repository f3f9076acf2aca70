"""The audit log is a hash chain that `yiwang audit verify` checks; the ORM cannot edit it."""

import contextlib
import copy
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.utils import load_backend

from yiwang.core import audit
from yiwang.core.models import AuditChainHead, AuditRecord

pytestmark = pytest.mark.django_db


def write(n: int) -> None:
    for i in range(n):
        audit.record(
            "test.action", summary=f"第 {i + 1} 条", data={"i": i, "名称": "兖州区", "x": [1, 2.5, None]}
        )


def sql(statement: str, params=()) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            statement.format(rec=qn(AuditRecord._meta.db_table), head=qn(AuditChainHead._meta.db_table)),
            params,
        )


def verify_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def assert_fails_at(seq: int) -> None:
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == seq, result
    with pytest.raises(CommandError) as exc:
        verify_command()
    assert exc.value.returncode == 1
    assert f"第一条异常记录：{seq}" in str(exc.value)


def test_record_chains_hashes():
    write(3)
    recs = list(AuditRecord.objects.order_by("seq"))
    assert [r.seq for r in recs] == [1, 2, 3]
    assert recs[0].prev_hash == audit.GENESIS
    assert recs[1].prev_hash == recs[0].hash and recs[2].prev_hash == recs[1].hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, recs[2].hash)
    assert recs[0].actor_label == "系统" and recs[0].data["名称"] == "兖州区"


def test_empty_and_intact_chain_verifies():
    assert "审计链完整：0 条记录" in verify_command()
    write(5)
    assert "审计链完整：5 条记录" in verify_command()
    assert audit.verify(batch=2).ok  # across batch boundaries too


def test_changed_summary_is_found():
    write(5)
    sql("UPDATE {rec} SET summary = %s WHERE seq = %s", ["篡改", 3])
    assert_fails_at(3)


def test_changed_and_rehashed_row_breaks_the_next_link():
    write(5)
    rec = AuditRecord.objects.get(seq=3)
    rec.summary = "篡改"
    sql("UPDATE {rec} SET summary = %s, hash = %s WHERE seq = 3", ["篡改", audit.compute_hash(rec)])
    assert_fails_at(4)


def test_deleted_middle_row_is_found():
    write(5)
    sql("DELETE FROM {rec} WHERE seq = 3")
    assert_fails_at(3)


def test_deleted_last_row_is_found():
    write(5)
    sql("DELETE FROM {rec} WHERE seq = 5")
    assert_fails_at(5)


def test_head_that_disagrees_is_found():
    write(4)
    sql("UPDATE {head} SET last_hash = %s", ["f" * 64])
    assert_fails_at(4)


def test_rolled_back_head_is_found():
    write(4)
    third = AuditRecord.objects.get(seq=3)
    sql("UPDATE {head} SET last_seq = 3, last_hash = %s", [third.hash])
    assert_fails_at(4)


def test_missing_head_is_found():
    write(2)
    sql("DELETE FROM {head}")
    assert_fails_at(1)


def test_orm_cannot_change_or_delete_records():
    write(2)
    rec = AuditRecord.objects.get(seq=1)
    rec.summary = "改"
    attempts = [
        rec.save,
        rec.delete,
        AuditRecord.objects.all().delete,
        AuditChainHead.objects.get(pk=1).delete,
    ]
    for attempt in attempts:
        # Each in its own savepoint: a refused delete marks the enclosing transaction for rollback.
        with pytest.raises(audit.AuditLogImmutable), transaction.atomic():
            attempt()
    assert AuditRecord.objects.count() == 2 and audit.verify().ok


def test_record_within_a_rolled_back_transaction_leaves_no_gap():
    write(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("test.rolled_back")
        raise RuntimeError
    write(1)
    assert list(AuditRecord.objects.values_list("seq", flat=True)) == [1, 2]
    assert audit.verify().ok


@contextlib.contextmanager
def concurrent_database(tmp_path):
    """Yield ``bind()``, which each thread calls before touching the database.

    Normally ``bind()`` does nothing: the threads use the test database. The exception is SQLite
    in memory, shared through SQLite's shared cache, whose table locks fail at once ("database
    table is locked") instead of waiting out the busy timeout — production SQLite is a WAL file.
    There ``bind()`` points the thread's ``default`` connection at a scratch file database with
    the very same settings (IMMEDIATE transactions, busy timeout) holding the audit tables.
    """
    default = connections["default"]
    if not (default.vendor == "sqlite" and default.is_in_memory_db()):
        yield lambda: None
        return
    cfg = {**copy.deepcopy(default.settings_dict), "NAME": str(tmp_path / "audit.sqlite3")}
    backend = load_backend(cfg["ENGINE"])

    def bind() -> None:
        connections["default"] = backend.DatabaseWrapper(cfg, "default")

    bind()
    try:
        with connections["default"].schema_editor() as editor:
            editor.create_model(AuditChainHead)
            editor.create_model(AuditRecord)
        yield bind
    finally:
        connections["default"].close()
        connections["default"] = default


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_contiguous(tmp_path):
    threads, per_thread = 4, 25
    errors, verified_meanwhile = [], []
    with concurrent_database(tmp_path) as bind:
        start = threading.Barrier(threads + 1)

        def worker(n: int) -> None:
            try:
                bind()
                start.wait()
                for i in range(per_thread):
                    audit.record("test.concurrent", summary=f"线程 {n} 第 {i} 条")
            except Exception as exc:  # reported below; a thread's exception would otherwise vanish
                errors.append(exc)
            finally:
                connections.close_all()

        def verifier() -> None:
            # `yiwang audit verify` on a server that is writing: reads the head, checks up to it.
            try:
                bind()
                start.wait()
                for _ in range(10):
                    result = audit.verify()
                    verified_meanwhile.append(result.ok or result.reason)
            except Exception as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
        pool.append(threading.Thread(target=verifier))
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        assert not errors, errors
        seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, threads * per_thread + 1))
        assert verified_meanwhile and all(v is True for v in verified_meanwhile), verified_meanwhile
        assert "审计链完整：100 条记录" in verify_command()


def test_admin_is_a_read_only_viewer(client, django_user_model, monkeypatch):
    """Whoever may view (the accounts policy: the audit admin), nobody can add, edit or delete."""
    from django.contrib import admin

    from yiwang.core.admin import AuditRecordAdmin

    write(3)
    registered = admin.site._registry[AuditRecord]
    assert isinstance(registered, AuditRecordAdmin)
    # Who may read is the accounts policy's business; here: what a permitted reader gets.
    monkeypatch.setattr(registered, "has_view_permission", lambda request, obj=None: True)
    monkeypatch.setattr(registered, "has_module_permission", lambda request: True)
    superuser = django_user_model.objects.create_superuser("root", password="x-Yiwang@2026")
    client.force_login(superuser)
    base = "/admin/core/auditrecord/"
    page = client.get(base)
    assert page.status_code == 200 and "test.action" in page.content.decode()
    assert "第 2 条" in client.get(base, {"q": "第 2 条"}).content.decode()
    assert client.get(base, {"q": "2"}).status_code == 200
    assert client.get(base, {"action__exact": "test.action"}).status_code == 200
    rec = AuditRecord.objects.get(seq=2)
    detail = client.get(f"{base}{rec.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{rec.pk}/delete/").status_code == 403
    assert client.post(f"{base}{rec.pk}/change/", {"summary": "改"}).status_code == 403
    assert AuditRecord.objects.get(seq=2).summary == "第 2 条"
    request = type("R", (), {"user": superuser})()
    own = AuditRecordAdmin(AuditRecord, admin.site)
    assert not any(
        (
            own.has_add_permission(request),
            own.has_change_permission(request),
            own.has_delete_permission(request),
        )
    )
    assert own.get_actions(request) == {}
