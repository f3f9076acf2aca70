"""``yiwang calendar``: exact output for scripts, 暂定 on stderr, all-or-nothing imports."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from yiwang.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_working_days_prints_only_the_date():
    assert run("add-working-days", "2026-09-30", "1") == ("2026-10-08\n", "")
    assert run("add-working-days", "2026-09-30", "0") == ("2026-09-30\n", "")


def test_provisional_result_is_marked_on_stderr_only():
    out, err = run("add-working-days", "2027-02-04", "1")
    assert out == "2027-02-09\n"
    assert err.startswith("（暂定）")


def test_between():
    assert run("between", "2026-09-30", "2026-10-08") == ("1\n", "")
    assert run("between", "2026-10-08", "2026-09-30") == ("-1\n", "")
    out, err = run("between", "2026-12-31", "2027-01-04")
    assert out == "1\n" and "暂定" in err


def test_show_official_and_provisional_years():
    out, _ = run("show", "2026")
    assert "2026年工作日历\n" in out and "暂定" not in out
    assert "  2026-10-01 周四 国庆节\n" in out
    assert "  2026-10-10 周六 国庆节\n" in out  # 调休上班
    out, _ = run("show", "2027")
    assert out.startswith("2027年工作日历（暂定）\n")
    assert "  2027-02-05 周五 春节（暂定）\n" in out
    assert "yiwang calendar import" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add-working-days", "2026-13-01", "1"), "YYYY-MM-DD"),
        (("add-working-days", "明天", "1"), "YYYY-MM-DD"),
        (("add-working-days", "2026-09-30", "一"), "工作日数"),
        (("add-working-days", "2026-09-30", "-1"), "工作日数"),
        (("add-working-days", "2003-06-01", "1"), "2004"),
        (("between", "2026-09-30", "2026/10/08"), "YYYY-MM-DD"),
        (("show", "27"), "年份"),
        (("show", "1999"), "没有1999年"),
        (("show", "2101"), "超出"),
    ],
)
def test_bad_input_gives_a_chinese_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def write(tmp_path: Path, data, name="notice.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


NOTICE = {
    "year": 2027,
    "note": "国办发明电〔2026〕X号",
    "holidays": [{"date": "2027-01-01", "name": "元旦"}]
    + [{"date": f"2027-02-{d:02d}", "name": "春节"} for d in range(5, 14)]
    + [{"date": f"2027-10-{d:02d}", "name": "国庆节"} for d in range(1, 8)],
    "workdays": [{"date": "2027-02-20", "name": "春节"}, {"date": "2027-10-09", "name": "国庆节"}],
}


def test_import_replaces_the_provisional_year(tmp_path):
    run("show", "2027")
    out, _ = run("import", write(tmp_path, NOTICE))
    assert out == "已导入2027年工作日历：放假17天，调休上班2天（国办发明电〔2026〕X号）。\n"
    assert CalendarYear.objects.get(year=2027).source == "notice"
    assert run("add-working-days", "2027-09-30", "1") == ("2027-10-08\n", "")
    assert run("add-working-days", "2027-10-08", "1") == ("2027-10-09\n", "")  # make-up Saturday
    out, _ = run("show", "2027")
    assert "暂定" not in out and "国办发明电〔2026〕X号" in out


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        ([], "JSON 对象"),
        ({**NOTICE, "year": "2027"}, "整数年份"),
        ({**NOTICE, "extra": 1}, "未知字段"),
        ({**NOTICE, "holidays": {"date": "2027-01-01"}}, "应为列表"),
        ({**NOTICE, "holidays": ["2027-01-01"]}, "第1项"),
        ({**NOTICE, "holidays": [{"date": "2027-02-30", "name": "春节"}]}, "YYYY-MM-DD"),
        ({**NOTICE, "holidays": [{"date": "2028-01-01", "name": "元旦"}]}, "不在2027年内"),
        ({**NOTICE, "holidays": NOTICE["holidays"] + [{"date": "2027-01-01", "name": "元旦"}]}, "重复"),
        ({**NOTICE, "workdays": [{"date": "2027-01-01", "name": "元旦"}]}, "重复"),
        ({**NOTICE, "year": 1980}, "超出"),
    ],
)
def test_bad_import_changes_nothing(tmp_path, data, message):
    run("show", "2027")
    before = list(CalendarDay.objects.filter(year_id=2027).values_list("date", "kind", "name"))
    with pytest.raises(CommandError, match=message):
        run("import", write(tmp_path, data))
    assert CalendarYear.objects.get(year=2027).source == "provisional"
    assert list(CalendarDay.objects.filter(year_id=2027).values_list("date", "kind", "name")) == before


def test_import_missing_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run("import", str(tmp_path / "missing.json"))


def test_real_command_line_prints_exactly_the_date(tmp_path):
    """The real command line (``yiwang.cli.main``) on a fresh SQLite database in a temporary directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIWANG_", "DATABASE_URL", "DJANGO_"))}
    env["YIWANG_VAR_DIR"] = str(tmp_path)
    cli = [sys.executable, "-c", "from yiwang.cli import main; main()"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=120)
    done = subprocess.run(
        [*cli, "calendar", "add-working-days", "2026-09-30", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "2026-10-08\n", "")
    done = subprocess.run(
        [*cli, "calendar", "add-working-days", "2003-01-01", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and done.stdout == "" and "2004" in done.stderr
