"""``yiwang certs verify FILE.pdf --keys keys.json [--tree-head sth.json]`` and ``yiwang certs verify-log``.

``verify`` is the offline verifier: it reads three files and touches neither the database nor
the network, so anyone holding the published key list can check a certificate. Exit status:
0 valid, 1 not valid, 2 an input file that cannot be read or understood.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yiwang.certificates.offline import PROBLEM_LABELS, InputError, OfflineReport, verify_document

EXIT_INVALID = 1
EXIT_INPUT = 2


def read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        why = _("文件不存在")
    except IsADirectoryError:
        why = _("这是一个目录")
    except PermissionError:
        why = _("没有读取权限")
    except OSError as exc:
        why = exc.strerror or str(exc)
    raise CommandError(_("无法读取文件 %(path)s：%(why)s。") % {"path": path, "why": why}, returncode=EXIT_INPUT)


def read_json(path: str, what: str) -> Any:
    data = read_bytes(path)
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CommandError(_("%(what)s %(path)s 不是 UTF-8 编码的文本。") % {"what": what, "path": path},
                           returncode=EXIT_INPUT) from None
    except json.JSONDecodeError as exc:
        raise CommandError(_("%(what)s %(path)s 不是有效的 JSON（第%(line)s行第%(col)s列）。")
                           % {"what": what, "path": path, "line": exc.lineno, "col": exc.colno},
                           returncode=EXIT_INPUT) from None


class Command(BaseCommand):
    help = "电子证照：verify 离线核验证照 PDF；verify-log 核对透明日志"
    # System checks are skipped: ``verify`` must run where there is no database at all.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help=_("离线核验证照 PDF（不访问数据库和网络）"))
        verify.add_argument("file", help=_("证照 PDF 文件"))
        verify.add_argument("--keys", required=True, help=_("公钥列表（/api/v1/certificates/keys 的输出）"))
        verify.add_argument("--tree-head", dest="tree_head",
                            help=_("另行取得的签名树头，或核验接口、日志证明接口的输出"))
        sub.add_parser("verify-log", help=_("重算透明日志并核对最新签名树头（需要数据库）"))

    def handle(self, *args, **opts):
        if opts["action"] == "verify":
            self.verify(opts["file"], opts["keys"], opts.get("tree_head"))
        else:
            self.verify_log()

    def verify(self, pdf_path: str, keys_path: str, tree_head_path: str | None) -> None:
        # pypdf logs every oddity of a damaged file; the report already says what matters.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        pdf = read_bytes(pdf_path)
        keys = read_json(keys_path, _("公钥文件"))
        tree_head = read_json(tree_head_path, _("树头文件")) if tree_head_path else None
        try:
            report = verify_document(pdf, keys, tree_head)
        except InputError as exc:
            raise CommandError(str(exc), returncode=EXIT_INPUT) from None
        self.print_report(report)
        if not report.valid:
            raise SystemExit(EXIT_INVALID)

    def print_report(self, report: OfflineReport) -> None:
        meta = report.metadata or {}
        if meta:
            self.stdout.write(_("证照：%(name)s") % {"name": meta.get("name")})
            self.stdout.write(_("编号：%(id)s") % {"id": report.identifier})
            self.stdout.write(_("持证主体：%(holder)s；颁发机构：%(issuer)s")
                              % {"holder": meta["holder"]["name"], "issuer": meta["issuer"]["name"]})
        for line in report.checks:
            self.stdout.write(f"  ✓ {line}")
        for code, message in report.problems:
            self.stdout.write(f"  ✗ [{code}] {message}")
        for note in report.notes:
            self.stdout.write(_("  注意：%(note)s") % {"note": note})
        if report.valid:
            self.stdout.write(_("结论：有效"))
        else:
            labels = dict.fromkeys(PROBLEM_LABELS.get(code, code) for code, _m in report.problems)
            self.stdout.write(_("结论：无效（%(why)s）") % {"why": "；".join(labels)})

    def verify_log(self) -> None:
        from yiwang.certificates.log import verify_log

        result = verify_log()
        self.stdout.write(_("日志条数：%(size)s") % {"size": result.size})
        self.stdout.write(_("根哈希：%(root)s") % {"root": result.root_hash})
        for problem in result.problems:
            self.stdout.write(f"  ✗ {problem}")
        if result.ok:
            self.stdout.write(_("结论：日志完整，与签名树头一致"))
            return
        self.stdout.write(_("结论：日志有问题（%(n)s 处）") % {"n": len(result.problems)})
        raise SystemExit(EXIT_INVALID)
