"""On screen only enough personal data to recognise the record (DESIGN §5)."""

from hypothesis import given
from hypothesis import strategies as st

from yiwang.core.masking import mask_address, mask_email, mask_id_number, mask_name, mask_phone


def test_id_number():
    assert mask_id_number("370812199001011234") == "370812********1234"
    assert mask_id_number("37081219900101123X") == "370812********123X"
    assert mask_id_number(" 370812199001011234 ") == "370812********1234"
    assert mask_id_number("370812900101123") == "370812*****1123"  # old 15-digit number
    assert mask_id_number("12345") == "*****"
    assert mask_id_number("") == mask_id_number(None) == ""


def test_phone():
    assert mask_phone("13800000001") == "138****0001"
    assert mask_phone("123") == "***"
    assert mask_phone(None) == ""


def test_name_email_address():
    assert mask_name("张三丰") == "张**"
    assert mask_name("张") == "张"
    assert mask_email("zhangsan@example.cn") == "z***@example.cn"
    assert mask_email("not-an-email") == "not-an-email"
    assert mask_address("山东省济宁市兖州区建设路1号") == "山东省济宁市****"
    assert mask_address("兖州区") == "兖州区"


@given(st.text(alphabet="0123456789X", min_size=11, max_size=18))
def test_masked_id_keeps_length_and_hides_the_middle(value):
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert masked[:6] == value[:6] and masked[-4:] == value[-4:]
    assert set(masked[6:-4]) == {"*"}
