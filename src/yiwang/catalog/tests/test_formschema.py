"""Application forms: format checkers, check_schema, validate, fields, coerce, merge."""

import copy
import datetime as dt

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.catalog import formschema as fs
from yiwang.core.identifiers import (
    PROVINCE_CODES,
    USCC_CHARS,
    USCC_REGISTRATION_DEPTS,
    id_check_digit,
    make_uscc,
)

ID = "11010519491231002X"  # GB 11643's own example
USCC = make_uscc("9", "1", "370812", "MA3C4D5E")


def form():
    """A form with every field kind, a condition, a group with a conditional child."""
    schema = {
        "$schema": fs.DRAFT_2020_12,
        "type": "object",
        "properties": {
            "applicant_name": {"type": "string", "maxLength": 20},
            "remarks": {"type": "string", "maxLength": 500},
            "applicant_id_number": {"type": "string", "format": "id_number"},
            "company_uscc": {"type": "string", "format": "uscc"},
            "phone": {"type": "string", "format": "phone"},
            "email": {"type": "string", "format": "email"},
            "birth_date": {"type": "string", "format": "date"},
            "household_region": {"type": "string", "format": "region_code"},
            "area": {"type": "number", "minimum": 0, "maximum": 10000},
            "rooms": {"type": "integer", "minimum": 1},
            "marital": {"type": "string", "enum": ["single", "married"]},
            "spouse_name": {"type": "string", "maxLength": 50},
            "purpose": {"type": "string", "enum": ["self", "rent"]},
            "agree": {"type": "boolean", "const": True},
            "needs": {"type": "array", "items": {"type": "string", "enum": ["a", "b", "c"]}, "uniqueItems": True},
            "address": {
                "type": "object",
                "properties": {
                    "region_code": {"type": "string", "format": "region_code"},
                    "detail": {"type": "string", "maxLength": 200},
                },
                "required": ["region_code", "detail"],
            },
            "members": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "maxLength": 50},
                        "id_number": {"type": "string", "format": "id_number"},
                        "is_child": {"type": "boolean"},
                        "school": {"type": "string"},
                    },
                    "required": ["name"],
                    "allOf": [{"if": {"properties": {"is_child": {"const": True}}, "required": ["is_child"]},
                               "then": {"required": ["school"]}}],
                },
            },
        },
        "required": ["applicant_name", "applicant_id_number", "marital", "agree", "address", "members"],
        "allOf": [
            {"if": {"properties": {"marital": {"const": "married"}}, "required": ["marital"]},
             "then": {"required": ["spouse_name"]}},
        ],
    }
    ui = {
        "order": ["applicant_name", "applicant_id_number", "marital", "spouse_name"],
        "fields": {
            "applicant_name": {"label": "申请人姓名", "help": "与身份证一致", "prefill": "profile.name"},
            "remarks": {"label": "备注", "widget": "textarea"},
            "applicant_id_number": {"label": "身份证号", "widget": "id_number"},
            "company_uscc": {"label": "统一社会信用代码"},
            "phone": {"label": "联系电话"},
            "email": {"label": "电子邮箱"},
            "birth_date": {"label": "出生日期"},
            "household_region": {"label": "户籍地"},
            "area": {"label": "面积"},
            "rooms": {"label": "房间数"},
            "marital": {"label": "婚姻状况", "widget": "radio",
                        "options": [{"value": "single", "label": "未婚"}, {"value": "married", "label": "已婚"}]},
            "spouse_name": {"label": "配偶姓名"},
            "purpose": {"label": "用途", "widget": "select"},
            "agree": {"label": "我承诺所填信息真实"},
            "needs": {"label": "需求", "widget": "checkboxes",
                      "options": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"},
                                  {"value": "c", "label": "丙"}]},
            "address": {"label": "住址", "widget": "address"},
            "members": {"label": "家庭成员", "widget": "group", "order": ["name", "id_number"], "fields": {
                "name": {"label": "姓名"}, "id_number": {"label": "身份证号"},
                "is_child": {"label": "未成年"}, "school": {"label": "就读学校"}}},
        },
    }
    return schema, ui


def good_data():
    return {
        "applicant_name": "张三", "applicant_id_number": ID, "marital": "single", "agree": True,
        "address": {"region_code": "370812", "detail": "建设路1号"},
        "members": [{"name": "李四"}],
    }


# --- format checkers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "value", "ok"), [
    ("id_number", ID, True),
    ("id_number", "11010519491231002x", False),  # canonical: upper-case X
    ("id_number", "110105194912310021", False),
    ("uscc", USCC, True),
    ("uscc", USCC.lower(), False),
    ("phone", "13800138000", True),
    ("phone", "0537-3461002", True),
    ("phone", "05373461002", True),
    ("phone", "010-12345678", True),
    ("phone", "12800138000", False),
    ("phone", "1380013800", False),
    ("phone", "537-3461002", False),
    ("phone", "１３８００１３８０００", False),  # full-width digits are not ASCII digits
    ("region_code", "370812", True),
    ("region_code", "370812001001", True),
    ("region_code", "990000", False),
    ("region_code", "37081", False),
    ("email", "a.b@example.com", True),
    ("email", "a@b", False),
    ("email", "a b@example.com", False),
    ("date", "2024-02-29", True),
    ("date", "2023-02-29", False),
    ("date", "2024-2-1", False),
    ("date", "20240201", False),
])
def test_format_checkers(fmt, value, ok):
    assert fs.FORMAT_CHECKER.conforms(value, fmt) is ok


def test_format_checkers_ignore_non_strings():
    for fmt in fs.FORMATS:
        assert fs.FORMAT_CHECKER.conforms(12, fmt)


# --- check_schema ------------------------------------------------------------------------------


def test_full_form_is_usable():
    schema, ui = form()
    assert fs.check_schema(schema, ui) == {}


def test_empty_form_means_no_form():
    assert fs.check_schema({}, {}) == {}
    assert fs.validate({}, {"x": 1}) == {}
    assert fs.fields({}, {}) == []


@pytest.mark.parametrize(("mutate", "key", "fragment"), [
    (lambda s, u: s.update(type="array"), "__all__", "object"),
    (lambda s, u: s.update({"$schema": "http://json-schema.org/draft-07/schema#"}), "__all__", "2020-12"),
    (lambda s, u: s["properties"]["area"].update(type=5), "area", "JSON Schema"),
    (lambda s, u: u["fields"]["phone"].pop("label"), "phone", "显示名称"),
    (lambda s, u: u["fields"]["members"]["fields"]["name"].update(label=" "), "members.name", "显示名称"),
    (lambda s, u: u["order"].append("ghost"), "ui.order", "ghost"),
    (lambda s, u: u["order"].append("marital"), "ui.order", "重复"),
    (lambda s, u: u["fields"]["marital"]["options"].pop(), "marital", "enum"),
    (lambda s, u: u["fields"]["needs"]["options"].append({"value": "d", "label": "丁"}), "needs", "enum"),
    (lambda s, u: u["fields"]["spouse_name"].update(widget="select"), "spouse_name", "enum"),
    (lambda s, u: u["fields"]["phone"].update(widget="slider"), "phone", "slider"),
    (lambda s, u: u["fields"]["phone"].update(widget="date"), "phone", "不符"),
    (lambda s, u: s["allOf"][0]["if"]["properties"].update({"ghost": s["allOf"][0]["if"]["properties"].pop("marital")}),
     "spouse_name", "ghost"),
    (lambda s, u: s["allOf"][0]["then"]["required"].append("ghost"), "ghost", "不存在"),
    (lambda s, u: s["allOf"][0]["if"]["properties"]["marital"].update(const="divorced"), "spouse_name", "divorced"),
    (lambda s, u: s["properties"]["address"]["properties"].pop("detail"), "address", "detail"),
    (lambda s, u: s["properties"].update({"_x": {"type": "string"}}), "_x", "字段名"),
    (lambda s, u: s["properties"]["phone"].update(format="ipv4"), "phone", "ipv4"),
    (lambda s, u: s["required"].append("nobody"), "nobody", "不存在"),
    (lambda s, u: u["fields"].update(stale={"label": "旧"}), "ui.fields.stale", "不存在"),
    (lambda s, u: s["properties"]["members"]["items"]["allOf"][0]["then"]["required"].append("ghost"),
     "members.ghost", "不存在"),
])
def test_check_schema_problems(mutate, key, fragment):
    schema, ui = form()
    mutate(schema, ui)
    errors = fs.check_schema(schema, ui)
    assert key in errors, errors
    assert fragment in errors[key]


def test_check_schema_rejects_non_objects():
    assert "__all__" in fs.check_schema([], {})
    assert "ui" in fs.check_schema(form()[0], [])


# --- validate ------------------------------------------------------------------------------


def test_valid_data_passes():
    schema, _ui = form()
    assert fs.validate(schema, good_data()) == {}


def test_required_messages_are_chinese_and_blank_counts_as_missing():
    schema, _ui = form()
    data = {**good_data(), "applicant_name": "   ", "address": {"region_code": "", "detail": None}}
    errors = fs.validate(schema, data)
    assert errors["applicant_name"] == "此项为必填项。"
    assert errors["address"] == "此项为必填项。"  # an empty address is no address
    errors = fs.validate(schema, {**good_data(), "address": {"region_code": "370812"}})
    assert errors == {"address.detail": "此项为必填项。"}


def test_messages_per_kind():
    schema, _ui = form()
    data = {
        **good_data(),
        "applicant_name": "张" * 21,
        "applicant_id_number": "110105194912310021",
        "company_uscc": USCC[:-1] + ("0" if USCC[-1] != "0" else "1"),
        "phone": "12345",
        "email": "nobody",
        "birth_date": "2023-02-30",
        "household_region": "990000",
        "area": -1,
        "rooms": 1.5,
        "marital": "widowed",
        "agree": False,
        "needs": ["a", "z"],
    }
    errors = fs.validate(schema, data)
    assert errors["applicant_name"] == "超出长度：最多 20 个字。"
    assert errors["applicant_id_number"] == "身份证号校验码错误，请核对后重新输入。"
    assert "统一社会信用代码校验码" in errors["company_uscc"]
    assert "电话号码格式不正确" in errors["phone"]
    assert "电子邮箱" in errors["email"]
    assert errors["birth_date"] == "日期 2023-02-30 不存在。"
    assert "省级代码 99" in errors["household_region"]
    assert errors["area"] == "不能小于 0。"
    assert errors["rooms"] == "格式不正确：应为整数。"
    assert errors["marital"] == "不在可选范围内。"
    assert errors["agree"] == "请勾选此项。"
    assert errors["needs.1"] == "不在可选范围内。"


def test_type_errors_win_over_other_messages():
    schema, _ui = form()
    errors = fs.validate(schema, {**good_data(), "area": "很大", "applicant_name": 12})
    assert errors["area"] == "格式不正确：应为数字。"
    assert errors["applicant_name"] == "格式不正确：应为文本。"


def test_conditional_requirement():
    schema, _ui = form()
    assert fs.validate(schema, {**good_data(), "marital": "married"}) == {"spouse_name": "此项为必填项。"}
    assert fs.validate(schema, {**good_data(), "marital": "married", "spouse_name": "王五"}) == {}


def test_group_paths_and_group_conditions():
    schema, _ui = form()
    data = {**good_data(), "members": [{"name": "李四"}, {"id_number": "123"}, {"name": "小明", "is_child": True}]}
    errors = fs.validate(schema, data)
    assert errors["members.1.name"] == "此项为必填项。"
    assert "18位" in errors["members.1.id_number"]
    assert errors["members.2.school"] == "此项为必填项。"
    assert fs.validate(schema, {**good_data(), "members": []}) == {"members": "此项为必填项。"}


def test_optional_blank_formatted_field_is_fine():
    schema, _ui = form()
    assert fs.validate(schema, {**good_data(), "phone": "", "email": " ", "needs": []}) == {}


def test_bad_shapes_do_not_raise():
    schema, _ui = form()
    assert fs.validate(schema, None) == {"__all__": "表单数据格式不正确。"}
    assert fs.validate(schema, [1, 2]) == {"__all__": "表单数据格式不正确。"}
    assert "address" in fs.validate(schema, {**good_data(), "address": "somewhere"})
    assert "members.0" in fs.validate(schema, {**good_data(), "members": ["x"]})
    assert fs.validate({"type": 5}, {}) == {"__all__": "申请表单定义有误，请联系事项管理部门。"}


def test_additional_properties_message():
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}
    assert fs.validate(schema, {"a": "x", "b": "y"}) == {"b": "表单中没有此项。"}


# --- fields ------------------------------------------------------------------------------


def test_fields_kinds_order_and_details():
    schema, ui = form()
    specs = fs.fields(schema, ui)
    names = [s.name for s in specs]
    assert names[:4] == ["applicant_name", "applicant_id_number", "marital", "spouse_name"]
    assert set(names) == set(schema["properties"])
    kinds = {s.name: s.kind for s in specs}
    assert kinds == {
        "applicant_name": "text", "remarks": "textarea", "applicant_id_number": "id_number",
        "company_uscc": "uscc", "phone": "phone", "email": "email", "birth_date": "date",
        "household_region": "region_code", "area": "number", "rooms": "number", "marital": "radio",
        "spouse_name": "text", "purpose": "select", "agree": "checkbox", "needs": "checkboxes",
        "address": "address", "members": "group",
    }
    by = {s.name: s for s in specs}
    assert by["applicant_name"].label == "申请人姓名" and by["applicant_name"].help == "与身份证一致"
    assert by["applicant_name"].required and by["applicant_name"].max_length == 20
    assert by["applicant_name"].prefill == "profile.name"
    assert by["marital"].options == [fs.Option("single", "未婚"), fs.Option("married", "已婚")]
    assert by["purpose"].options == [fs.Option("self", "self"), fs.Option("rent", "rent")]
    assert by["spouse_name"].condition == fs.Condition("marital", "married")
    assert by["spouse_name"].required  # required when shown
    assert not by["phone"].required
    assert by["rooms"].integer and by["rooms"].minimum == 1
    assert by["area"].maximum == 10000
    assert [c.path for c in by["address"].children] == ["address.region_code", "address.detail"]
    assert by["address"].children[0].label == "所在地区"
    members = by["members"]
    assert [c.name for c in members.children] == ["name", "id_number", "is_child", "school"]
    assert members.required and members.min_items == 1
    school = members.children[3]
    assert school.path == "members.school" and school.condition == fs.Condition("is_child", True)
    assert school.input_name(2) == "members-2-school"
    assert by["address"].children[1].html_name == "address-detail"
    assert by["members"].kind_label == "重复分组"


def test_conflicting_conditions_show_the_field():
    schema = {"type": "object", "properties": {"a": {"type": "string", "enum": ["1", "2"]},
                                               "b": {"type": "string"}},
              "allOf": [{"if": {"properties": {"a": {"const": "1"}}, "required": ["a"]}, "then": {"required": ["b"]}},
                        {"if": {"properties": {"a": {"const": "2"}}, "required": ["a"]}, "then": {"required": ["b"]}}]}
    ui = {"fields": {"a": {"label": "A"}, "b": {"label": "B"}}}
    spec = fs.fields(schema, ui)[1]
    assert spec.condition is None and spec.required


# --- coerce ------------------------------------------------------------------------------


def post(**values):
    q = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            q.setlist(key.replace("__", "-"), value)
        else:
            q[key.replace("__", "-")] = value
    return q


def test_coerce_types_every_kind():
    schema, ui = form()
    data = fs.coerce(schema, ui, post(
        applicant_name=" 张三 ", remarks="第一行\r\n第二行", applicant_id_number="１１０１０５ 19491231002x",
        company_uscc=USCC.lower(), phone=" 138 0013 8000 ", email="a@example.com", birth_date="2024-05-01",
        area="１,200.5", rooms="3", marital="married", spouse_name="", purpose="rent", agree="on",
        needs=["a", "c", "a", ""], address__region_code="370812", address__detail="建设路1号",
        members__0__name="李四", members__0__is_child="on", members__0__school="一中",
        members__7__name="王五", members__3__name="", members__3__id_number="",
    ))
    assert data == {
        "applicant_name": "张三", "remarks": "第一行\n第二行", "applicant_id_number": ID, "company_uscc": USCC,
        "phone": "13800138000", "email": "a@example.com", "birth_date": "2024-05-01", "area": 1200.5,
        "rooms": 3, "marital": "married", "purpose": "rent", "agree": True, "needs": ["a", "c"],
        "address": {"region_code": "370812", "detail": "建设路1号"},
        "members": [{"name": "李四", "is_child": True, "school": "一中"}, {"name": "王五", "is_child": False}],
    }
    assert fs.validate(schema, data) == {"spouse_name": "此项为必填项。"}


def test_coerce_keeps_unparseable_numbers_for_validate():
    schema, ui = form()
    data = fs.coerce(schema, ui, post(area="很大", rooms="2.0"))
    assert data["area"] == "很大" and data["rooms"] == 2
    assert fs.validate(schema, data)["area"] == "格式不正确：应为数字。"


def test_coerce_unchecked_box_is_false_and_blank_fields_are_left_out():
    schema, ui = form()
    data = fs.coerce(schema, ui, post(applicant_name="", address__detail=" "))
    assert data == {"agree": False}
    assert fs.validate(schema, data)["agree"] == "请勾选此项。"


def test_coerce_drops_answers_to_hidden_fields():
    schema, ui = form()
    data = fs.coerce(schema, ui, post(marital="single", spouse_name="王五", members__0__name="李四",
                                      members__0__school="一中"))
    assert "spouse_name" not in data
    assert data["members"] == [{"name": "李四", "is_child": False}]
    kept = fs.coerce(schema, ui, post(marital="single", spouse_name="王五"), hide_conditional=False)
    assert kept["spouse_name"] == "王五"


def test_coerce_accepts_plain_dicts_and_garbage():
    schema, ui = form()
    assert fs.coerce(schema, ui, {"applicant_name": ["a", "b"], "rooms": 4, "agree": True})["applicant_name"] == "b"
    assert fs.coerce(schema, ui, {"rooms": 4})["rooms"] == 4
    assert fs.coerce(schema, ui, None) == {"agree": False}
    assert fs.coerce(schema, ui, [1, 2, 3]) == {"agree": False}
    assert fs.coerce("nonsense", None, {"a": "b"}) == {}


def test_coerce_enum_of_numbers():
    schema = {"type": "object", "properties": {"n": {"type": "integer", "enum": [1, 2]}}}
    assert fs.coerce(schema, {}, {"n": "2"}) == {"n": 2}


# --- merge ------------------------------------------------------------------------------


def item_form(extra_props=None, required=(), all_of=None, labels=None):
    props = {"applicant_name": {"type": "string", "maxLength": 50},
             "applicant_id_number": {"type": "string", "format": "id_number"}}
    props.update(extra_props or {})
    schema = {"type": "object", "properties": props, "required": list(required)}
    if all_of:
        schema["allOf"] = all_of
    ui = {"order": list(props), "fields": {n: {"label": (labels or {}).get(n, n)} for n in props}}
    return schema, ui


def test_merge_asks_shared_fields_once():
    a = item_form({"company_name": {"type": "string", "maxLength": 100}}, required=["applicant_name"],
                  labels={"applicant_name": "申请人姓名"})
    b = item_form({"applicant_name": {"type": "string", "maxLength": 30},
                   "tax_type": {"type": "string", "enum": ["general", "small"]}},
                  required=["applicant_id_number"])
    schema, ui, owners = fs.merge([("A", *a), ("B", *b)])
    assert list(schema["properties"]) == ["applicant_name", "applicant_id_number", "company_name", "tax_type"]
    assert schema["properties"]["applicant_name"]["maxLength"] == 30  # the stricter
    assert set(schema["required"]) == {"applicant_name", "applicant_id_number"}
    assert ui["fields"]["applicant_name"]["label"] == "申请人姓名"
    assert owners["applicant_name"] == [("A", "applicant_name"), ("B", "applicant_name")]
    assert owners["tax_type"] == [("B", "tax_type")]
    assert fs.check_schema(schema, ui) == {}


def test_merge_keeps_incompatible_fields_apart():
    a = item_form({"area": {"type": "number"}}, labels={"area": "面积"})
    b = item_form({"area": {"type": "string", "enum": ["urban", "rural"]}}, labels={"area": "区域"})
    c = item_form({"area": {"type": "number", "minimum": 0}})
    schema, ui, owners = fs.merge([("A", *a), ("B", *b, "食品经营许可"), ("C", *c)])
    assert schema["properties"]["area"] == {"type": "number", "minimum": 0}
    assert schema["properties"]["B__area"]["enum"] == ["urban", "rural"]
    assert ui["fields"]["B__area"]["label"] == "区域（食品经营许可）"
    assert owners["area"] == [("A", "area"), ("C", "area")]
    assert owners["B__area"] == [("B", "area")]
    assert fs.check_schema(schema, ui) == {}
    assert fs.split({"area": 12, "B__area": "urban", "applicant_name": "张三"}, owners) == {
        "A": {"area": 12, "applicant_name": "张三"},
        "B": {"area": "urban", "applicant_name": "张三"},
        "C": {"area": 12, "applicant_name": "张三"},
    }


def test_merge_preserves_and_renames_conditions():
    cond = [{"if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]},
             "then": {"required": ["detail"]}}]
    a = item_form({"kind": {"type": "string", "enum": ["x", "y"]}, "detail": {"type": "string"}}, all_of=cond)
    b = item_form({"kind": {"type": "boolean"}, "detail": {"type": "string"}})
    schema, ui, owners = fs.merge([("A", *a), ("B", *b)])
    assert "A__kind" not in schema["properties"] and "B__kind" in schema["properties"]
    assert schema["allOf"] == cond
    specs = {s.name: s for s in fs.fields(schema, ui)}
    # "detail" is shared; B asks it unconditionally, so it is always shown, required only when kind = x
    assert specs["detail"].condition is None and ui["fields"]["detail"]["show"] == "always"
    assert fs.validate(schema, {"kind": "x"}) == {"detail": "此项为必填项。"}
    # prefixed fields keep their conditions
    schema, ui, owners = fs.merge([("B", *b), ("A", *a)])
    assert schema["allOf"][0]["if"]["properties"] == {"A__kind": {"const": "x"}}
    assert fs.check_schema(schema, ui) == {}


def test_merge_of_one_form_is_that_form():
    schema, ui = form()
    merged, merged_ui, owners = fs.merge([("A", copy.deepcopy(schema), copy.deepcopy(ui))])
    assert merged["properties"] == schema["properties"]
    assert merged["allOf"] == schema["allOf"]
    assert fs.fields(merged, merged_ui) == fs.fields(schema, ui)
    assert all(o == [("A", n)] for n, o in owners.items())


# --- property tests ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=5),
    max_leaves=25,
)
field_names = st.sampled_from([
    "applicant_name", "applicant_id_number", "marital", "spouse_name", "agree", "needs", "address", "members",
    "area", "rooms", "birth_date", "phone", "email", "company_uscc", "x",
])
odd_values = json_values | st.sets(st.integers(), max_size=3) | st.tuples(st.integers(), st.text(max_size=3)) | \
    st.builds(object) | st.binary(max_size=5)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(field_names, odd_values, max_size=8) | json_values)
def test_validate_never_raises(data):
    schema, _ui = form()
    errors = fs.validate(schema, data)
    assert isinstance(errors, dict)
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in errors.items())


flat_keys = st.sampled_from([
    "applicant_name", "rooms", "area", "agree", "needs", "marital", "address-region_code", "address-detail",
    "members-0-name", "members-1-is_child", "members-99999999999999-name", "members--name", "members-x-name",
    "members-0", "members", "address",
]) | st.text(max_size=12)
flat_values = st.text(max_size=20) | st.lists(st.text(max_size=10), max_size=3) | st.integers() | st.none() | \
    st.booleans() | st.floats()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(flat_keys, flat_values, max_size=10))
def test_coerce_never_raises_and_output_validates_without_raising(post_data):
    schema, ui = form()
    data = fs.coerce(schema, ui, post_data)
    assert isinstance(data, dict)
    q = QueryDict(mutable=True)
    for k, v in post_data.items():
        q.setlist(k, [str(x) for x in v] if isinstance(v, list) else [str(v)])
    assert isinstance(fs.coerce(schema, ui, q), dict)
    assert isinstance(fs.validate(schema, data), dict)


@st.composite
def id_numbers(draw):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    region = province + draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)))
    first17 = region + born.strftime("%Y%m%d") + draw(st.text("0123456789", min_size=3, max_size=3))
    return first17 + id_check_digit(first17)


@st.composite
def usccs(draw):
    dept = draw(st.sampled_from(sorted(USCC_REGISTRATION_DEPTS)))
    category = draw(st.sampled_from(sorted(USCC_REGISTRATION_DEPTS[dept][1])))
    region = draw(st.text("0123456789", min_size=6, max_size=6))
    body = draw(st.text(USCC_CHARS, min_size=8, max_size=8))
    return make_uscc(dept, category, region, body)


ID_SCHEMA = {"type": "object", "properties": {"v": {"type": "string", "format": "id_number"}}}
USCC_SCHEMA = {"type": "object", "properties": {"v": {"type": "string", "format": "uscc"}}}
replacement_chars = st.characters(blacklist_categories=("Cs",))


@settings(max_examples=200)
@given(id_numbers(), st.integers(0, 17), replacement_chars)
def test_generated_id_numbers_pass_and_single_changes_fail(number, pos, char):
    assert fs.validate(ID_SCHEMA, {"v": number}) == {}
    if char == number[pos]:
        return
    changed = number[:pos] + char + number[pos + 1:]
    assert "v" in fs.validate(ID_SCHEMA, {"v": changed})


@settings(max_examples=200)
@given(usccs(), st.integers(0, 17), replacement_chars)
def test_generated_usccs_pass_and_single_changes_fail(code, pos, char):
    assert fs.validate(USCC_SCHEMA, {"v": code}) == {}
    if char == code[pos]:
        return
    changed = code[:pos] + char + code[pos + 1:]
    assert "v" in fs.validate(USCC_SCHEMA, {"v": changed})
