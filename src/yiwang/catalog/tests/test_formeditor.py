"""Form editor operations: pure functions on (schema, ui) that always leave a usable form."""

import copy

import pytest

from yiwang.catalog import formeditor as fe
from yiwang.catalog import formschema as fs

ID = "11010519491231002X"


def base():
    s, u = fe.add_field({}, {}, "text", "applicant_name", "申请人姓名", True, "与身份证一致")
    s, u = fe.add_field(s, u, "id_number", "applicant_id_number", "身份证号", True)
    s, u = fe.add_field(s, u, "radio", "marital", "婚姻状况", True, options="single|未婚\nmarried|已婚")
    s, u = fe.add_field(s, u, "text", "spouse_name", "配偶姓名", True)
    s, u = fe.set_condition(s, u, "spouse_name", "marital", "married")
    return s, u


def names(s, u, group=None):
    specs = fs.fields(s, u)
    if group:
        specs = next(x for x in specs if x.name == group).children
    return [x.name for x in specs]


@pytest.mark.parametrize("kind", fs.KINDS)
def test_every_kind_can_be_added_and_the_form_stays_usable(kind):
    options = [{"value": "a", "label": "甲"}, ("b", "乙")] if kind in fs.OPTION_KINDS else None
    s, u = fe.add_field({}, {}, kind, "field_1", "字段", True, "说明", options)
    assert fs.check_schema(s, u) == {}
    spec = fs.fields(s, u)[0]
    assert (spec.kind, spec.label, spec.help, spec.required) == (kind, "字段", "说明", True)
    if kind in fs.OPTION_KINDS:
        assert spec.options == [fs.Option("a", "甲"), fs.Option("b", "乙")]
    assert s["$schema"] == fs.DRAFT_2020_12 and s["type"] == "object"
    assert u["order"] == ["field_1"]


def test_inputs_are_never_modified():
    s, u = base()
    s0, u0 = copy.deepcopy(s), copy.deepcopy(u)
    fe.add_field(s, u, "text", "x", "X")
    fe.remove_field(s, u, "applicant_name")
    fe.move_field(s, u, "marital", "up")
    fe.update_field(s, u, "applicant_name", label="姓名", required=False)
    fe.set_condition(s, u, "applicant_name", "marital", "single")
    fe.clear_condition(s, u, "spouse_name")
    assert (s, u) == (s0, u0)


def test_add_positions():
    s, u = base()
    s, u = fe.add_field(s, u, "phone", "phone", "联系电话", after="applicant_name")
    s, u = fe.add_field(s, u, "email", "email", "邮箱", after=fe.AT_START)
    assert names(s, u) == ["email", "applicant_name", "phone", "applicant_id_number", "marital", "spouse_name"]
    with pytest.raises(fe.UnknownField) as exc:
        fe.add_field(s, u, "text", "x", "X", after="ghost")
    assert exc.value.field == "after"


def test_add_field_schema_shapes():
    s, u = fe.add_field({}, {}, "text", "a", "A", max_length="50")
    s, u = fe.add_field(s, u, "number", "n", "N", minimum="0", maximum=9.5)
    s, u = fe.add_field(s, u, "number", "i", "I", integer=True, maximum=3)
    s, u = fe.add_field(s, u, "checkbox", "agree", "同意", True)
    s, u = fe.add_field(s, u, "checkboxes", "needs", "需求", True, options="甲\n乙")
    assert s["properties"]["a"] == {"type": "string", "maxLength": 50}
    assert s["properties"]["n"] == {"type": "number", "minimum": 0, "maximum": 9.5}
    assert s["properties"]["i"] == {"type": "integer", "maximum": 3}
    assert s["properties"]["agree"] == {"type": "boolean", "const": True}
    assert s["properties"]["needs"]["minItems"] == 1
    assert u["fields"]["needs"]["options"] == [{"value": "甲", "label": "甲"}, {"value": "乙", "label": "乙"}]
    assert fs.check_schema(s, u) == {}


@pytest.mark.parametrize(("kwargs", "key", "fragment"), [
    ({"name": "Applicant"}, "name", "小写英文字母开头"),
    ({"name": "1abc"}, "name", "小写英文字母开头"),
    ({"name": "a" * 41}, "name", "40"),
    ({"name": "姓名"}, "name", "小写"),
    ({"name": "applicant_name"}, "name", "已被使用"),
    ({"label": " "}, "label", "显示名称"),
    ({"label": "长" * 101}, "label", "100"),
    ({"kind": "slider"}, "kind", "字段类型"),
    ({"kind": "select"}, "options", "至少"),
    ({"kind": "select", "options": "a|甲\na|乙"}, "options", "重复"),
    ({"kind": "select", "options": "|甲"}, "options", "格式"),
    ({"kind": "text", "max_length": "0"}, "max_length", "1 到"),
    ({"kind": "text", "max_length": "many"}, "max_length", "正整数"),
    ({"kind": "number", "minimum": 5, "maximum": 1}, "maximum", "最大值"),
    ({"kind": "number", "minimum": "inf"}, "minimum", "数字"),
])
def test_add_field_errors(kwargs, key, fragment):
    s, u = base()
    args = {"kind": "text", "name": "new_field", "label": "新字段", **kwargs}
    with pytest.raises(fe.FormEditError) as exc:
        fe.add_field(s, u, **args)
    assert isinstance(exc.value, ValueError)
    assert key in exc.value.fields and fragment in exc.value.fields[key]


def test_remove_field():
    s, u = base()
    s, u = fe.remove_field(s, u, "applicant_id_number")
    assert "applicant_id_number" not in s["properties"] and "applicant_id_number" not in s["required"]
    assert "applicant_id_number" not in u["fields"] and "applicant_id_number" not in u["order"]
    # a conditional field takes its condition with it
    s, u = fe.remove_field(s, u, "spouse_name")
    assert "allOf" not in s
    assert fs.check_schema(s, u) == {}
    with pytest.raises(fe.UnknownField):
        fe.remove_field(s, u, "ghost")


def test_remove_refused_while_a_condition_depends_on_it():
    s, u = base()
    with pytest.raises(fe.InvalidCondition) as exc:
        fe.remove_field(s, u, "marital")
    assert "配偶姓名" in exc.value.message


def test_move_field():
    s, u = base()
    s, u = fe.move_field(s, u, "marital", "up")
    assert names(s, u) == ["applicant_name", "marital", "applicant_id_number", "spouse_name"]
    s, u = fe.move_field(s, u, "applicant_name", "up")  # already first: stays
    s, u = fe.move_field(s, u, "applicant_name", "down")
    assert names(s, u) == ["marital", "applicant_name", "applicant_id_number", "spouse_name"]
    s, u = fe.move_field(s, u, "spouse_name", 0)
    s, u = fe.move_field(s, u, "marital", 99)
    assert names(s, u) == ["spouse_name", "applicant_name", "applicant_id_number", "marital"]
    with pytest.raises(fe.InvalidValue):
        fe.move_field(s, u, "marital", "sideways")


def test_move_repairs_a_partial_order():
    s, u = base()
    u["order"] = ["marital", "ghost"]
    s, u = fe.move_field(s, u, "spouse_name", "up")
    assert u["order"] == ["marital", "applicant_name", "spouse_name", "applicant_id_number"]
    assert fs.check_schema(s, u) == {}


def test_update_field():
    s, u = base()
    s, u = fe.update_field(s, u, "applicant_name", label="姓名", help="", required=False, max_length=30,
                           placeholder="如：张三", kind="textarea")
    spec = fs.fields(s, u)[0]
    assert (spec.label, spec.help, spec.required, spec.max_length, spec.kind, spec.placeholder) == (
        "姓名", "", False, 30, "textarea", "如：张三")
    assert "applicant_name" not in s["required"]
    s, u = fe.update_field(s, u, "marital", options="single|未婚\nmarried|已婚\ndivorced|离异", kind="select")
    assert s["properties"]["marital"]["enum"] == ["single", "married", "divorced"]
    assert fs.fields(s, u)[2].kind == "select"
    s, u = fe.add_field(s, u, "number", "area", "面积", minimum=1)
    s, u = fe.update_field(s, u, "area", minimum=None, maximum="100", integer=True)
    assert s["properties"]["area"] == {"type": "integer", "maximum": 100}
    assert fs.check_schema(s, u) == {}


@pytest.mark.parametrize(("name", "changes", "key"), [
    ("applicant_name", {"kind": "number"}, "kind"),
    ("applicant_name", {"label": ""}, "label"),
    ("marital", {"options": ""}, "options"),
    ("marital", {"options": "single|未婚\ndivorced|离异"}, "options"),  # "married" is a condition value
    ("ghost", {"label": "x"}, "name"),
])
def test_update_field_errors(name, changes, key):
    s, u = base()
    with pytest.raises(fe.FormEditError) as exc:
        fe.update_field(s, u, name, **changes)
    assert key in exc.value.fields


def test_update_field_rejects_unknown_changes():
    s, u = base()
    with pytest.raises(TypeError):
        fe.update_field(s, u, "applicant_name", name="other")


def test_required_checkbox_and_checkboxes_toggle_their_constraints():
    s, u = fe.add_field({}, {}, "checkbox", "agree", "同意", True)
    s, u = fe.add_field(s, u, "checkboxes", "needs", "需求", True, options="a\nb")
    s, u = fe.update_field(s, u, "agree", required=False)
    s, u = fe.update_field(s, u, "needs", required=False)
    assert s["properties"]["agree"] == {"type": "boolean"}
    assert "minItems" not in s["properties"]["needs"]
    assert "required" not in s


def test_conditions():
    s, u = base()
    spouse = fs.fields(s, u)[3]
    assert spouse.condition == fs.Condition("marital", "married") and spouse.required
    assert "spouse_name" not in s["required"]
    assert fs.validate(s, {"applicant_name": "a", "applicant_id_number": ID, "marital": "married"}) == {
        "spouse_name": "此项为必填项。"}
    # optional while shown
    s, u = fe.update_field(s, u, "spouse_name", required=False)
    assert s["allOf"][0]["then"] == {"properties": {"spouse_name": {}}}
    assert fs.fields(s, u)[3].condition == fs.Condition("marital", "married")
    s, u = fe.update_field(s, u, "spouse_name", required=True)
    assert s["allOf"][0]["then"] == {"required": ["spouse_name"]}
    # by option label too; a second field with the same condition shares the entry
    s, u = fe.add_field(s, u, "date", "marriage_date", "结婚日期")
    s, u = fe.set_condition(s, u, "marriage_date", "marital", "已婚")
    assert len(s["allOf"]) == 1 and s["allOf"][0]["then"]["properties"] == {"marriage_date": {}}
    # clearing keeps requiredness
    s, u = fe.clear_condition(s, u, "spouse_name")
    assert "spouse_name" in s["required"] and fs.fields(s, u)[3].condition is None
    assert fs.check_schema(s, u) == {}


def test_condition_on_checkbox_and_number():
    s, u = fe.add_field({}, {}, "checkbox", "has_car", "有车")
    s, u = fe.add_field(s, u, "text", "plate", "车牌号", True)
    s, u = fe.add_field(s, u, "number", "children", "子女数", integer=True)
    s, u = fe.add_field(s, u, "text", "note", "说明")
    s, u = fe.set_condition(s, u, "plate", "has_car", "是")
    s, u = fe.set_condition(s, u, "note", "children", "2")
    specs = {x.name: x for x in fs.fields(s, u)}
    assert specs["plate"].condition == fs.Condition("has_car", True)
    assert specs["note"].condition == fs.Condition("children", 2)
    assert fs.check_schema(s, u) == {}


@pytest.mark.parametrize(("field", "depends_on", "equals", "key"), [
    ("spouse_name", "spouse_name", "x", "depends_on"),
    ("spouse_name", "ghost", "x", "depends_on"),
    ("spouse_name", "marital", "widowed", "equals"),
    ("marital", "spouse_name", "王五", "depends_on"),  # a cycle
    ("spouse_name", "applicant_id_number", "x", "depends_on"),  # not a condition kind
    ("ghost", "marital", "married", "name"),
])
def test_condition_errors(field, depends_on, equals, key):
    s, u = base()
    with pytest.raises(fe.FormEditError) as exc:
        fe.set_condition(s, u, field, depends_on, equals)
    assert key in exc.value.fields, exc.value.fields


def test_checkbox_condition_needs_yes_or_no():
    s, u = fe.add_field({}, {}, "checkbox", "has_car", "有车")
    s, u = fe.add_field(s, u, "text", "plate", "车牌号")
    with pytest.raises(fe.InvalidCondition):
        fe.set_condition(s, u, "plate", "has_car", "也许")


def test_groups():
    s, u = base()
    s, u = fe.add_field(s, u, "group", "members", "家庭成员", True)
    s, u = fe.add_group_child(s, u, "members", "text", "name", "姓名", True)
    s, u = fe.add_group_child(s, u, "members", "checkbox", "is_child", "未成年")
    s, u = fe.add_group_child(s, u, "members", "text", "school", "学校", True, after="name")
    s, u = fe.set_condition(s, u, "members.school", "is_child", "是")
    assert fs.check_schema(s, u) == {}
    assert names(s, u, "members") == ["name", "school", "is_child"]
    s, u = fe.move_field(s, u, "members.is_child", "up")
    assert names(s, u, "members") == ["name", "is_child", "school"]
    s, u = fe.update_field(s, u, "members.name", label="成员姓名")
    members = fs.fields(s, u)[4]
    assert members.required and members.children[0].label == "成员姓名"
    assert members.children[2].condition == fs.Condition("is_child", True)
    errors = fs.validate(s, {"applicant_name": "a", "applicant_id_number": ID, "marital": "single",
                             "members": [{"name": "x", "is_child": True}]})
    assert errors == {"members.0.school": "此项为必填项。"}
    with pytest.raises(fe.InvalidValue):
        fe.add_group_child(s, u, "members", "group", "sub", "子分组")
    with pytest.raises(fe.DuplicateName):
        fe.add_group_child(s, u, "members", "text", "name", "姓名")
    with pytest.raises(fe.UnknownField):
        fe.add_group_child(s, u, "marital", "text", "x", "X")
    with pytest.raises(fe.InvalidCondition):
        fe.set_condition(s, u, "members.school", "marital", "single")  # another level
    with pytest.raises(fe.InvalidCondition):
        fe.remove_field(s, u, "members.is_child")
    s, u = fe.remove_field(s, u, "members.school")
    s, u = fe.remove_field(s, u, "members.is_child")
    assert names(s, u, "members") == ["name"]
    s, u = fe.update_field(s, u, "members", required=False)
    assert "minItems" not in s["properties"]["members"]
    s, u = fe.remove_field(s, u, "members")
    assert "members" not in u["fields"] and fs.check_schema(s, u) == {}


def test_empty_group_is_still_a_usable_form():
    s, u = fe.add_field({}, {}, "group", "members", "家庭成员")
    assert fs.check_schema(s, u) == {}
    assert fs.fields(s, u)[0].children == []


def test_parse_and_format_options():
    opts = fe.parse_options(" a | 甲 \n\n乙\n")
    assert opts == [{"value": "a", "label": "甲"}, {"value": "乙", "label": "乙"}]
    assert fe.options_text(opts) == "a|甲\n乙"
    assert fe.options_text([fs.Option("x", "X")]) == "x|X"


def test_field_state():
    s, u = base()
    assert fe.field_state(s, u, "spouse_name") == {
        "kind": "text", "label": "配偶姓名", "help": "", "required": True, "options": "",
        "max_length": 200, "minimum": None, "maximum": None, "integer": False, "placeholder": "",
        "depends_on": "marital", "equals": "married",
    }
    assert fe.field_state(s, u, "marital")["options"] == "single|未婚\nmarried|已婚"


def test_editor_works_on_imported_forms():
    """Forms written by hand (catalog import) without ui.order or $schema."""
    schema = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    ui = {"fields": {"a": {"label": "A"}, "b": {"label": "B"}}}
    s, u = fe.move_field(schema, ui, "b", "up")
    assert u["order"] == ["b", "a"]
    assert "$schema" not in s
    assert fs.check_schema(s, u) == {}
