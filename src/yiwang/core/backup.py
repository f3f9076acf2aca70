"""Backup and restore of everything an installation needs: database, uploaded files, keys.

One ``.tar.gz`` (mode 0600, it holds the key material) with a ``manifest.json`` listing every
member's SHA-256. Restore extracts into a staging directory and checks every hash before it
touches anything, so a corrupted archive changes nothing.

The functions take paths and Django-style database settings as parameters (the commands pass
the live ones) so they can be exercised on any database, including a scratch SQLite file.

- SQLite: the copy is made with SQLite's online backup API (consistent while the server writes);
  restore writes it back through the same API, a single transaction on the live file, which is
  atomic for every reader and — unlike renaming a file over it — safe with WAL and open
  connections.
- PostgreSQL: ``pg_dump --format=custom`` with the binary matching the server's major version;
  restore with ``pg_restore --clean --if-exists`` in one transaction.
- Keys: ``KEYS_DIR`` is archived as is. On restore the keyring file is *merged* (keys from the
  archive are added, the archive's active key becomes active, no key is ever dropped). With
  ``YIWANG_DATA_KEY`` the data keys are not in any file: the manifest says so and lists the key
  ids the data needs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from yiwang.core.clock import SHANGHAI, iso, now

FORMAT = "yiwang-backup"
VERSION = 1
MANIFEST = "manifest.json"
ENV_KEYS_NOTE_FILE = "KEYS-NOT-INCLUDED.txt"
ENV_KEYS_NOTE = (
    "个人信息加密密钥来自环境变量 YIWANG_DATA_KEY，不在本备份中。"
    "恢复时必须在 YIWANG_DATA_KEY 中提供下列密钥标识对应的密钥，否则个人信息无法解密："
)
KEYRING_FILE = "datakeys.json"
SQLITE_MEMBER = "database/db.sqlite3"
PG_MEMBER = "database/db.pgdump"
_CHUNK = 1024 * 1024
# libpq connection keywords that may appear in Django's OPTIONS (dj-database-url puts host/port there).
_LIBPQ_OPTIONS = {
    "host",
    "hostaddr",
    "port",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "sslpassword",
    "passfile",
    "service",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
    "gssencmode",
    "channel_binding",
}


class BackupError(Exception):
    """A backup cannot be made, or an archive cannot be trusted or restored (message in Chinese)."""


@dataclass
class BackupInfo:
    path: Path
    manifest: dict
    sha256: str
    size: int


# --- helpers ------------------------------------------------------------------------------------


def vendor_of(database: dict) -> str:
    engine = database.get("ENGINE", "")
    if "sqlite3" in engine:
        return "sqlite"
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    raise BackupError(f"不支持的数据库类型：{engine}")


def default_archive_path(var_dir: Path, at: dt.datetime | None = None) -> Path:
    stamp = (at or now()).astimezone(SHANGHAI).strftime("%Y%m%d-%H%M%S")
    return Path(var_dir) / "backups" / f"yiwang-{stamp}.tar.gz"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _regular_files(root: Path, *, skip_hidden_temp: bool = False) -> list[Path]:
    """Regular files under ``root`` (symlinks are never followed or archived)."""
    if not root.is_dir():
        return []
    out = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if p.is_symlink() or not p.is_file():
                continue
            if skip_hidden_temp and name.startswith(".datakeys-"):
                continue
            out.append(p)
    return out


class _HashingReader:
    """File wrapper hashing exactly the bytes tarfile copies into the archive."""

    def __init__(self, fh):
        self.fh, self.h = fh, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.h.update(data)
        return data


def _add_file(tar: tarfile.TarFile, src: Path, member: str, files: list[dict]) -> None:
    with open(src, "rb") as fh:
        st = os.fstat(fh.fileno())
        info = tarfile.TarInfo(member)
        info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), 0o600
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    files.append({"path": member, "sha256": reader.h.hexdigest(), "size": info.size})


def _add_bytes(tar: tarfile.TarFile, member: str, data: bytes, files: list[dict] | None) -> None:
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = len(data), int(now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))
    if files is not None:
        files.append({"path": member, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})


# --- PostgreSQL tools ----------------------------------------------------------------------------


def pg_conninfo(database: dict) -> tuple[str, dict[str, str]]:
    """libpq conninfo (without the password) and the environment carrying the password."""
    from psycopg.conninfo import make_conninfo

    params = {
        "dbname": database.get("NAME") or "",
        "user": database.get("USER") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
    }
    for key, value in (database.get("OPTIONS") or {}).items():
        if key in _LIBPQ_OPTIONS and value not in (None, ""):
            params[key] = str(value)
    password = database.get("PASSWORD") or (database.get("OPTIONS") or {}).get("password") or ""
    env = {"PGPASSWORD": str(password)} if password else {}
    return make_conninfo(**{k: v for k, v in params.items() if v}), env


def pg_server_version(database: dict) -> int:
    import psycopg

    conninfo, env = pg_conninfo(database)
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD") or None) as conn:
        return conn.info.server_version


def find_pg_tool(name: str, server_version: int) -> str:
    """The ``pg_dump``/``pg_restore`` of the server's major version (or the nearest newer one):
    an older client refuses to dump a newer server, a much newer one writes archives an older
    ``pg_restore`` cannot read."""
    major = server_version // 10000
    found: dict[int, str] = {}
    for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}"):
        m = re.search(r"/postgresql/(\d+)/bin/", path)
        if m and os.access(path, os.X_OK):
            found[int(m.group(1))] = path
    if major in found:
        return found[major]
    newer = sorted(v for v in found if v > major)
    if newer:
        return found[newer[0]]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(f"找不到 {name}（需要 PostgreSQL {major} 客户端，可安装 postgresql-client-{major}）。")


def _run_pg(tool: str, args: list[str], env_extra: dict[str, str]) -> None:
    env = {**os.environ, **env_extra}
    proc = subprocess.run([tool, *args], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackupError(
            f"{Path(tool).name} 执行失败（退出码 {proc.returncode}）：{proc.stderr.strip()[-2000:]}"
        )


def dump_postgresql(database: dict, dest: Path, server_version: int | None = None) -> dict:
    version = server_version or pg_server_version(database)
    conninfo, env = pg_conninfo(database)
    tool = find_pg_tool("pg_dump", version)
    _run_pg(tool, ["--format=custom", "--no-password", f"--file={dest}", f"--dbname={conninfo}"], env)
    return {"server_version": version, "tool": tool}


def restore_postgresql(database: dict, dump: Path, server_version: int | None = None) -> None:
    version = server_version or pg_server_version(database)
    conninfo, env = pg_conninfo(database)
    tool = find_pg_tool("pg_restore", version)
    args = [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={conninfo}",
        str(dump),
    ]
    _run_pg(tool, args, env)


# --- SQLite ----------------------------------------------------------------------------------


def dump_sqlite(src: Path, dest: Path) -> dict:
    """A consistent copy of a live SQLite database, as one self-contained file."""
    if not Path(src).exists():
        raise BackupError(f"数据库文件不存在：{src}")
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # no -wal beside the copy
        check = target.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        target.close()
        source.close()
    if check != "ok":
        raise BackupError(f"数据库副本校验失败：{check}")
    return {"sqlite_version": sqlite3.sqlite_version}


def restore_sqlite(copy: Path, target: Path) -> None:
    """Put the archived database in place of ``target`` atomically.

    An existing database is overwritten through the backup API: one write transaction, so other
    connections see the old or the new database, never a mix, and WAL files stay consistent.
    A missing one is created by renaming a complete copy into place.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        if not target.exists():
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
            os.close(fd)
            dest = sqlite3.connect(tmp)
            try:
                source.backup(dest)
            finally:
                dest.close()
            os.chmod(tmp, 0o600)
            os.replace(tmp, target)
            return
        dest = sqlite3.connect(target, timeout=30)
        try:
            source.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise BackupError(f"恢复 SQLite 数据库失败：{exc}") from exc
    finally:
        source.close()


# --- backup ----------------------------------------------------------------------------------


def create_backup(
    output: Path,
    *,
    database: dict,
    media_root: Path,
    keys_dir: Path,
    env_keys: bool,
    key_ids: list[str],
    server_version: int | None = None,
    yiwang_version: str = "",
) -> BackupInfo:
    """Write one archive with the database, the uploaded files and the key material."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    vendor = vendor_of(database)
    staging = Path(tempfile.mkdtemp(prefix=".yiwang-backup-", dir=output.parent))
    part = output.with_name(f".{output.name}.part")
    try:
        if vendor == "sqlite":
            db_member = SQLITE_MEMBER
            db_meta = dump_sqlite(Path(database["NAME"]), staging / "db")
        else:
            db_member = PG_MEMBER
            db_meta = dump_postgresql(database, staging / "db", server_version)
        files: list[dict] = []
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_file(tar, staging / "db", db_member, files)
            media_files = _regular_files(Path(media_root))
            for p in media_files:
                _add_file(tar, p, "media/" + p.relative_to(media_root).as_posix(), files)
            key_files = _regular_files(Path(keys_dir), skip_hidden_temp=True)
            for p in key_files:
                _add_file(tar, p, "keys/" + p.relative_to(keys_dir).as_posix(), files)
            if env_keys:
                note = ENV_KEYS_NOTE + "，".join(key_ids) + "\n"
                _add_bytes(tar, ENV_KEYS_NOTE_FILE, note.encode(), files)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": iso(now()),
                "yiwang_version": yiwang_version,
                "database": {"vendor": vendor, "member": db_member, **db_meta},
                "media": {"files": len(media_files)},
                "keys": {
                    "mode": "env" if env_keys else "file",
                    "key_ids": list(key_ids),
                    "data_keys_included": not env_keys,
                    "note": ENV_KEYS_NOTE + "，".join(key_ids)
                    if env_keys
                    else "密钥文件（KEYS_DIR）已包含在备份中。",
                },
                "files": files,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode(), None)
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(part, 0o600)
        os.replace(part, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
    return BackupInfo(output, manifest, sha256_file(output), output.stat().st_size)


# --- verify and restore ------------------------------------------------------------------------


@dataclass
class VerifiedArchive:
    root: Path  # staging directory holding the extracted, verified members
    manifest: dict

    @property
    def vendor(self) -> str:
        return self.manifest["database"]["vendor"]

    def path(self, member: str) -> Path:
        return self.root / member


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name not in ("", ".")


@contextlib.contextmanager
def open_archive(archive: Path, workdir: Path) -> Iterator[VerifiedArchive]:
    """Extract ``archive`` under ``workdir`` and check it against its manifest; clean up after.

    Raises :class:`BackupError` for anything unexpected: unreadable gzip, foreign members,
    links, a hash or size that does not match, a missing or unlisted file.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}")
    workdir.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=".yiwang-restore-", dir=workdir))
    try:
        try:
            with tarfile.open(archive, mode="r:gz") as tar:
                for m in tar.getmembers():
                    if not _safe_member(m.name) or not (m.isfile() or m.isdir()):
                        raise BackupError(f"备份文件含有不允许的条目：{m.name}。未做任何改动。")
                tar.extractall(root, filter="data")
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            raise BackupError(f"备份文件已损坏，无法读取（{exc}）。未做任何改动。") from exc
        try:
            manifest = json.loads((root / MANIFEST).read_text())
        except (OSError, ValueError) as exc:
            raise BackupError("备份文件缺少有效的 manifest.json。未做任何改动。") from exc
        if (
            not isinstance(manifest, dict)
            or manifest.get("format") != FORMAT
            or manifest.get("version") != VERSION
        ):
            raise BackupError("不是本系统可识别的备份格式。未做任何改动。")
        listed = set()
        try:
            for entry in manifest["files"]:
                name = str(entry["path"])
                p = root / name
                if not _safe_member(name) or not p.is_file():
                    raise BackupError(f"备份文件已损坏：缺少 {name}。未做任何改动。")
                if p.stat().st_size != entry["size"] or sha256_file(p) != entry["sha256"]:
                    raise BackupError(f"备份文件已损坏：{name} 的校验值不符。未做任何改动。")
                listed.add(name)
            db_member = manifest["database"]["member"]
            if manifest["keys"]["mode"] not in ("file", "env"):
                raise KeyError("keys.mode")
        except (KeyError, TypeError) as exc:
            raise BackupError(f"备份文件的 manifest.json 不完整（{exc}）。未做任何改动。") from exc
        for p in _regular_files(root):
            rel = p.relative_to(root).as_posix()
            if rel != MANIFEST and rel not in listed:
                raise BackupError(f"备份文件含有清单外的文件：{rel}。未做任何改动。")
        if db_member not in listed:
            raise BackupError("备份文件缺少数据库。未做任何改动。")
        yield VerifiedArchive(root, manifest)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def describe_targets(
    verified: VerifiedArchive, *, database: dict, media_root: Path, keys_dir: Path
) -> list[str]:
    """What a restore would overwrite, for the refusal message without ``--yes``."""
    vendor = vendor_of(database)
    where = database["NAME"] if vendor == "sqlite" else f"PostgreSQL 数据库 {database.get('NAME')}"
    m = verified.manifest
    lines = [
        f"备份时间：{m.get('created_at')}，数据库类型：{m['database']['vendor']}",
        f"将覆盖数据库：{where}（当前全部数据被备份中的数据替换）",
        f"将替换上传文件目录：{media_root}（现有 {len(_regular_files(Path(media_root)))} 个文件，"
        f"备份中 {m.get('media', {}).get('files', 0)} 个）",
    ]
    if m["keys"]["mode"] == "file":
        lines.append(f"将写入密钥目录：{keys_dir}（密钥环合并，不删除现有密钥）")
    else:
        lines.append(
            "备份中不含个人信息加密密钥（来自环境变量），须确认 YIWANG_DATA_KEY 含有："
            + "，".join(m["keys"].get("key_ids", []))
        )
    return lines


def _merge_keyring(archived: Path, target: Path) -> None:
    """Add the archive's keys to the live keyring and make its active key active again."""
    from yiwang.core.crypto import read_keyring_file, write_keyring_file

    incoming = read_keyring_file(archived)
    if not target.exists():
        write_keyring_file(incoming, target)
        return
    current = read_keyring_file(target)
    merged = {
        **current,
        "active": incoming["active"],
        "keys": {**current["keys"], **incoming["keys"]},
        "history": [
            *current.get("history", []),
            {"restored_at": iso(now()), "active": incoming["active"], "previous": current["active"]},
        ],
    }
    if current["keys"].keys() & incoming["keys"].keys():
        clash = [
            k for k in current["keys"] if k in incoming["keys"] and current["keys"][k] != incoming["keys"][k]
        ]
        if clash:  # never lose key material, even a clashing one
            stamp = now().astimezone(SHANGHAI).strftime("%Y%m%d-%H%M%S")
            shutil.copy2(target, target.with_name(f"datakeys.pre-restore-{stamp}.json"))
    write_keyring_file(merged, target)


def _replace_dir(new: Path, target: Path) -> None:
    """Swap ``target`` for ``new`` (same filesystem) with two renames."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    new.mkdir(parents=True, exist_ok=True)
    old = None
    if target.exists():
        os.chmod(new, stat.S_IMODE(target.stat().st_mode))  # keep the directory's permissions
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def restore_archive(
    verified: VerifiedArchive,
    *,
    database: dict,
    media_root: Path,
    keys_dir: Path,
    server_version: int | None = None,
) -> list[str]:
    """Restore a verified archive: database first (the step most likely to fail), then the
    uploaded files, then the keys. Returns human-readable notes."""
    vendor = vendor_of(database)
    if verified.vendor != vendor:
        raise BackupError(f"备份的数据库类型（{verified.vendor}）与当前数据库（{vendor}）不同，无法恢复。")
    notes = []
    db_file = verified.path(verified.manifest["database"]["member"])
    if vendor == "sqlite":
        restore_sqlite(db_file, Path(database["NAME"]))
    else:
        restore_postgresql(database, db_file, server_version)
    notes.append("数据库已恢复。")

    media_root = Path(media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    near = Path(tempfile.mkdtemp(prefix=".yiwang-media-", dir=media_root.parent))
    try:
        # Stage the files beside MEDIA_ROOT so the final swap is a rename on one filesystem.
        staged, fresh = verified.path("media"), near / "media"
        if staged.is_dir():
            try:
                os.rename(staged, fresh)
            except OSError:
                shutil.copytree(staged, fresh)
        _replace_dir(fresh, media_root)
    finally:
        shutil.rmtree(near, ignore_errors=True)
    notes.append(f"上传文件已恢复到 {media_root}。")

    keys_dir = Path(keys_dir)
    staged_keys = verified.path("keys")
    if staged_keys.is_dir():
        keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for p in _regular_files(staged_keys):
            rel = p.relative_to(staged_keys)
            dest = keys_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if rel.as_posix() == KEYRING_FILE:
                _merge_keyring(p, dest)
            else:
                tmp = dest.with_name(f".{dest.name}.restore")
                shutil.copyfile(p, tmp)
                os.chmod(tmp, 0o600)
                os.replace(tmp, dest)
        notes.append(f"密钥已恢复到 {keys_dir}（密钥环已合并）。")
    if verified.manifest["keys"]["mode"] == "env":
        notes.append(verified.manifest["keys"]["note"])
    return notes
