"""`yiwang backup` / `yiwang restore`: database, uploads and keys come back; a damaged archive
changes nothing.

Three layers: the SQLite functions on scratch files (both runs), the real commands end to end in
subprocesses on a scratch SQLite installation (both runs; pytest's SQLite test database lives in
memory, which cannot be backed up), and pg_dump/pg_restore through the commands on the
PostgreSQL test database (PostgreSQL run).
"""

import base64
import gzip
import hashlib
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import yiwang
from yiwang.core import backup, crypto

SQLITE = {"ENGINE": "django.db.backends.sqlite3"}


# --- SQLite functions on scratch files ----------------------------------------------------------


@pytest.fixture
def site(tmp_path):
    """A scratch installation: a WAL SQLite database, uploaded files and a keyring."""
    root = tmp_path / "site"
    db = root / "yiwang.sqlite3"
    media, keys = root / "media", root / "keys"
    (media / "proxy-evidence" / "2026" / "01").mkdir(parents=True)
    (media / "proxy-evidence" / "2026" / "01" / "授权书.pdf").write_bytes(b"%PDF-1.7 demo")
    (media / "top.txt").write_text("顶层文件")
    keys.mkdir()
    (keys / "secret_key").write_text("s3cret")
    key_a = base64.b64encode(b"a" * 32).decode()
    crypto.write_keyring_file({"active": "ka", "keys": {"ka": key_a}}, keys / "datakeys.json")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO person (name) VALUES (?)", [("张三",), ("李四",)])
    conn.commit()  # left in the WAL: the backup must see it all the same
    yield {"db": db, "media": media, "keys": keys, "conn": conn, "root": root, "out": tmp_path / "out"}
    conn.close()


def make_backup(site, **kw):
    return backup.create_backup(
        site["out"] / "b.tar.gz",
        database={**SQLITE, "NAME": str(site["db"])},
        media_root=site["media"],
        keys_dir=site["keys"],
        env_keys=kw.get("env_keys", False),
        key_ids=kw.get("key_ids", ["ka"]),
        yiwang_version="test",
    )


def restore(site, archive):
    with backup.open_archive(archive, site["root"]) as verified:
        return backup.restore_archive(
            verified,
            database={**SQLITE, "NAME": str(site["db"])},
            media_root=site["media"],
            keys_dir=site["keys"],
        )


def names(conn):
    return [r[0] for r in conn.execute("SELECT name FROM person ORDER BY id")]


def mutate(site):
    site["conn"].execute("DELETE FROM person WHERE name = '张三'")
    site["conn"].execute("INSERT INTO person (name) VALUES ('王五')")
    site["conn"].commit()
    (site["media"] / "top.txt").unlink()
    (site["media"] / "new.txt").write_text("备份之后上传")
    key_b = base64.b64encode(b"b" * 32).decode()
    crypto.write_keyring_file(
        {"active": "kb", "keys": {"ka": base64.b64encode(b"a" * 32).decode(), "kb": key_b}},
        site["keys"] / "datakeys.json",
    )


def state(site):
    files = sorted(p.relative_to(site["media"]).as_posix() for p in site["media"].rglob("*") if p.is_file())
    return names(site["conn"]), files, (site["keys"] / "datakeys.json").read_text()


def test_archive_is_private_and_lists_every_file_with_its_hash(site):
    info = make_backup(site)
    assert stat.S_IMODE(os.stat(info.path).st_mode) == 0o600
    with tarfile.open(info.path) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["format"] == "yiwang-backup" and manifest["version"] == 1
    assert manifest["created_at"].endswith("+08:00")
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["keys"]["mode"] == "file" and manifest["keys"]["key_ids"] == ["ka"]
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert (
        set(listed)
        == set(members)
        == {
            "database/db.sqlite3",
            "media/proxy-evidence/2026/01/授权书.pdf",
            "media/top.txt",
            "keys/datakeys.json",
            "keys/secret_key",
        }
    )
    assert all(hashlib.sha256(members[p]).hexdigest() == h for p, h in listed.items())
    copy = site["out"] / "copy.sqlite3"
    copy.write_bytes(members["database/db.sqlite3"])
    assert names(sqlite3.connect(copy)) == ["张三", "李四"]
    assert not list(site["out"].glob(".*"))  # no staging or partial files left behind


def test_sqlite_round_trip_restores_database_media_and_keys(site):
    info = make_backup(site)
    before = state(site)
    mutate(site)
    assert state(site) != before

    notes = restore(site, info.path)

    db_names, files, keyring_text = state(site)  # read through the connection open all along
    assert db_names == ["张三", "李四"]
    assert files == before[1]
    keyring = json.loads(keyring_text)
    assert keyring["active"] == "ka" and set(keyring["keys"]) == {"ka", "kb"}  # merged, nothing lost
    assert (site["keys"] / "secret_key").read_text() == "s3cret"
    assert any("数据库已恢复" in n for n in notes)
    assert sqlite3.connect(site["db"]).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_creates_a_missing_database(site):
    info = make_backup(site)
    site["conn"].close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{site['db']}{suffix}").unlink(missing_ok=True)
    restore(site, info.path)
    site["conn"] = sqlite3.connect(site["db"])
    assert names(site["conn"]) == ["张三", "李四"]


def _rewrite(archive: Path, dest: Path, change) -> Path:
    """Copy an archive member by member, letting ``change(name, data)`` alter or drop members."""
    with tarfile.open(archive) as src, tarfile.open(dest, "w:gz") as out:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            for name, new in change(m.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(new)
                out.addfile(info, io.BytesIO(new))
    return dest


@pytest.mark.parametrize(
    "damage, message",
    [
        ("truncated", "已损坏"),
        ("flipped", "已损坏"),
        ("edited member", "校验值不符"),
        ("missing member", "缺少"),
        ("extra member", "清单外"),
        ("path traversal", "不允许"),
        ("no manifest", "manifest"),
    ],
)
def test_damaged_archive_is_refused_and_nothing_changes(site, damage, message):
    info = make_backup(site)
    mutate(site)
    before = state(site)
    bad = site["out"] / "bad.tar.gz"
    raw = info.path.read_bytes()
    if damage == "truncated":
        bad.write_bytes(raw[: len(raw) // 2])
    elif damage == "flipped":
        plain = bytearray(gzip.decompress(raw))
        plain[len(plain) // 2] ^= 0xFF
        bad.write_bytes(gzip.compress(bytes(plain)))
    else:
        changes = {
            "edited member": lambda n, d: [(n, b"tampered" if n == "media/top.txt" else d)],
            "missing member": lambda n, d: [] if n == "keys/secret_key" else [(n, d)],
            "extra member": lambda n, d: (
                [(n, d), ("media/extra.txt", b"x")] if n == "media/top.txt" else [(n, d)]
            ),
            "path traversal": lambda n, d: (
                [(n, d), ("../evil.txt", b"x")] if n == "media/top.txt" else [(n, d)]
            ),
            "no manifest": lambda n, d: [] if n == "manifest.json" else [(n, d)],
        }
        _rewrite(info.path, bad, changes[damage])
    with pytest.raises(backup.BackupError, match=message):
        restore(site, bad)
    assert state(site) == before
    assert not (site["root"].parent / "evil.txt").exists()
    assert not [p for p in site["root"].iterdir() if p.name.startswith(".yiwang-")]  # staging cleaned


def test_environment_keys_are_not_in_the_archive_and_it_says_so(site):
    (site["keys"] / "datakeys.json").unlink()
    info = make_backup(site, env_keys=True, key_ids=["prod2026"])
    manifest = info.manifest
    assert manifest["keys"]["mode"] == "env" and not manifest["keys"]["data_keys_included"]
    assert "不在本备份中" in manifest["keys"]["note"] and "prod2026" in manifest["keys"]["note"]
    with tarfile.open(info.path) as tar:
        members = tar.getnames()
        note = tar.extractfile(backup.ENV_KEYS_NOTE_FILE).read().decode()
    assert "keys/datakeys.json" not in members and "YIWANG_DATA_KEY" in note
    assert any("prod2026" in n for n in restore(site, info.path))


def test_postgresql_connection_parameters_and_tool_choice(monkeypatch):
    conninfo, env = backup.pg_conninfo(
        {
            "NAME": "yiwang",
            "USER": "yw",
            "PASSWORD": "pa ss",
            "HOST": "",
            "PORT": "",
            "OPTIONS": {"host": "/run/pg", "port": 55432, "sslmode": "prefer", "cursor_factory": object},
        }
    )
    assert conninfo == "dbname=yiwang user=yw host=/run/pg port=55432 sslmode=prefer"
    assert env == {"PGPASSWORD": "pa ss"}
    tools = {
        13: "/usr/lib/postgresql/13/bin/pg_dump",
        15: "/usr/lib/postgresql/15/bin/pg_dump",
        16: "/usr/lib/postgresql/16/bin/pg_dump",
    }
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: list(tools.values()))
    monkeypatch.setattr(backup.os, "access", lambda path, mode: True)
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    assert backup.find_pg_tool("pg_dump", 150004) == tools[15]
    assert backup.find_pg_tool("pg_dump", 140010) == tools[15]  # the nearest newer one
    with pytest.raises(backup.BackupError, match="postgresql-client-17"):
        backup.find_pg_tool("pg_dump", 170000)


# --- the commands, end to end, on a scratch SQLite installation ------------------------------------


def cli(env, *args, check=True):
    proc = subprocess.run(
        [sys.executable, "-m", "yiwang.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


CHECK_DATA = """
from yiwang.accounts.models import User
from yiwang.core.crypto import blind_index
print(sorted(User.objects.values_list("username", flat=True)))
u = User.objects.get(id_number_index=blind_index("id_number", "370812199001011234"))
print("lookup", u.username, u.phone)
"""


def test_backup_and_restore_commands_end_to_end_on_sqlite(tmp_path):
    var = tmp_path / "var"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "YIWANG_DATA_KEY", "YIWANG_TEST_SQLITE_FILE")
    }
    src = str(Path(yiwang.__file__).resolve().parent.parent)
    env.update(
        YIWANG_VAR_DIR=str(var),
        PYTHONPATH=os.pathsep.join([src, env.get("PYTHONPATH", "")]),
        DJANGO_SETTINGS_MODULE="yiwang.test_settings",
    )
    for name in ("YIWANG_KEYS_DIR", "YIWANG_MEDIA_DIR"):
        env.pop(name, None)
    cli(env, "migrate", "-v0")
    cli(
        env,
        "shell",
        "-c",
        "from yiwang.accounts.models import User; "
        "User.objects.create(username='zhang', id_number='370812199001011234', phone='13800000001')",
    )
    (var / "media" / "proxy-evidence").mkdir(parents=True)
    (var / "media" / "proxy-evidence" / "a.pdf").write_bytes(b"%PDF demo")

    out = cli(env, "backup").stdout
    assert "备份完成" in out
    (archive,) = (var / "backups").glob("yiwang-*.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    # After the backup: a key rotation, a deleted and a new user, a new upload.
    assert "轮换完成" in cli(env, "keys", "rotate").stdout
    cli(
        env,
        "shell",
        "-c",
        "from yiwang.accounts.models import User; "
        "User.objects.filter(username='zhang').delete(); User.objects.create(username='li', phone='13800000002')",
    )
    (var / "media" / "later.txt").write_text("later")
    changed = cli(
        env,
        "shell",
        "-c",
        "from yiwang.accounts.models import User; print(list(User.objects.values_list('username', flat=True)))",
    ).stdout

    refused = cli(env, "restore", str(archive), check=False)
    assert refused.returncode == 1
    assert (
        "--yes" in refused.stderr
        and "将覆盖数据库" in refused.stdout
        and "将替换上传文件目录" in refused.stdout
    )
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(archive.read_bytes()[:-200])
    broken = cli(env, "restore", str(damaged), "--yes", check=False)
    assert broken.returncode == 1 and "已损坏" in broken.stderr
    assert (
        cli(
            env,
            "shell",
            "-c",
            "from yiwang.accounts.models import User; print(list(User.objects.values_list('username', flat=True)))",
        ).stdout
        == changed
    )

    out = cli(env, "restore", str(archive), "--yes").stdout
    assert "恢复完成" in out
    checked = cli(env, "shell", "-c", CHECK_DATA).stdout
    assert "['zhang']" in checked and "lookup zhang 13800000001" in checked
    assert sorted(p.name for p in (var / "media").rglob("*") if p.is_file()) == ["a.pdf"]
    keyring = json.loads((var / "keys" / "datakeys.json").read_text())
    assert len(keyring["keys"]) == 2  # the rotated-in key is kept, the backup's key is active again
    assert "审计链完整" in cli(env, "audit", "verify").stdout


# --- PostgreSQL through the commands ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql  # pg_dump/pg_restore: collected only in the PostgreSQL run
def test_postgresql_backup_and_restore_commands(settings, tmp_path):
    from yiwang.accounts.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KEYS_DIR = tmp_path / "keys"
    settings.YIWANG_DATA_KEY = ""
    crypto.reset_keyring_cache()
    (settings.MEDIA_ROOT / "docs").mkdir(parents=True)
    (settings.MEDIA_ROOT / "docs" / "a.pdf").write_bytes(b"%PDF demo")
    User.objects.create(username="zhang", id_number="370812199001011234", phone="13800000001")
    archive = tmp_path / "pg.tar.gz"

    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["server_version"] // 10000 == connection.pg_version // 10000

    User.objects.all().delete()
    User.objects.create(username="li")
    (settings.MEDIA_ROOT / "later.txt").write_text("later")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert list(User.objects.values_list("username", flat=True)) == ["li"]

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert list(User.objects.values_list("username", flat=True)) == ["zhang"]
    user = User.objects.get(id_number_index=crypto.blind_index("id_number", "370812199001011234"))
    assert user.phone == "13800000001"
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == ["a.pdf"]
    crypto.reset_keyring_cache()
