"""Messages raised by the account services follow the active language (zh-Hans source, English catalogue)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from yiwang.accounts.services.registration import register_citizen
from yiwang.core.api import ApiError

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module", autouse=True)
def compiled_messages():
    """English needs the compiled catalogue; `make` builds it, this keeps a bare pytest run working."""
    po = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        msgfmt = shutil.which("msgfmt")
        assert msgfmt, "GNU gettext (msgfmt) is needed to compile translations: apt-get install gettext"
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)
        translation.trans_real._translations = {}
        translation.trans_real._default = None


def _register_badly() -> ApiError:
    with pytest.raises(ApiError) as info:
        register_citizen(name="李四", id_number="110101199003071234", phone="13912345678", sms_code="123456",
                         password="Str0ng!Passw0rd", consent=False)
    return info.value


@pytest.mark.django_db
def test_registration_field_errors_follow_the_active_language():
    with translation.override("en"):
        err = _register_badly()
    assert set(err.fields) == {"id_number", "consent"}
    assert err.fields["consent"] and not CJK.search(err.fields["consent"]), err.fields["consent"]
    assert "Privacy Policy" in err.fields["consent"]
    assert not CJK.search(err.message), err.message

    with translation.override("zh-hans"):
        err = _register_badly()
    assert err.fields["consent"] == "请阅读并同意《隐私政策与个人信息处理规则》。"
    assert err.message == "提交的内容有误，请检查标注的字段。"
