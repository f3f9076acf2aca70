"""Review-process engine (yiwang.cases.workflow): BPMN templates run by SpiffWorkflow. Pure Python."""

import json

import pytest

from yiwang.cases.workflow import (
    WorkflowError,
    complete,
    engine,
    is_finished,
    ready_tasks,
    register_template,
    restore,
    serialize,
    start,
    template_names,
    template_source,
    template_steps,
)

LEAD = "330102-SCJ"


def only(run):
    tasks = ready_tasks(run)
    assert len(tasks) == 1, tasks
    return tasks[0]


def roundtrip(run):
    """Serialize through JSON text, as the case row would store it."""
    return restore(run.template, json.loads(json.dumps(serialize(run), ensure_ascii=False)))


# ------------------------------------------------------------------ templates


def test_shipped_templates_parse_and_declare_roles():
    assert {"instant", "promised", "joint"} <= set(template_names())
    assert [(s.step, s.step_label, s.role) for s in template_steps("promised")] == [
        ("undertake", "承办", "undertaker"),
        ("review", "审核", "reviewer"),
        ("approve", "批准", "approver"),
    ]
    joint = {s.step: s for s in template_steps("joint")}
    assert joint["joint_review"].parallel and joint["joint_review"].step_label == "联审"
    assert not joint["decide"].parallel and joint["decide"].role == "approver"
    assert [s.step for s in template_steps("instant")] == ["accept_instant"]
    assert "<bpmn:lane" in template_source("promised")


def test_templates_are_parsed_once():
    assert engine._template("promised") is engine._template("promised")
    run_a = start("promised", {"lead_department": LEAD})
    run_b = start("promised", {"lead_department": LEAD})
    assert run_a.workflow.spec is run_b.workflow.spec


@pytest.mark.parametrize("name", ["nope", "../promised", "", None, "Promised"])
def test_unknown_template(name):
    with pytest.raises(WorkflowError):
        start(name, {"lead_department": LEAD})


# ------------------------------------------------------------------ promised 承诺件


def test_promised_happy_path():
    run = start("promised", {"lead_department": LEAD})
    task = only(run)
    assert (task.step, task.step_label, task.role, task.department, task.lane) == (
        "undertake",
        "承办",
        "undertaker",
        LEAD,
        "承办人",
    )
    complete(run, task.task_id, {"opinion": "材料齐全，拟准予"})

    task = only(run)
    assert (task.step, task.step_label, task.role, task.department) == ("review", "审核", "reviewer", LEAD)
    assert task.outcomes == ("pass", "return")
    assert task.data["opinion"] == "材料齐全，拟准予"  # the previous step's opinion travels along
    complete(run, task.task_id, {"outcome": "pass", "opinion": "同意"})

    task = only(run)
    assert (task.step, task.step_label, task.role) == ("approve", "批准", "approver")
    assert not is_finished(run)
    complete(run, task.task_id, {"outcome": "pass", "opinion": "准予许可", "decision": "grant"})

    assert is_finished(run)
    assert ready_tasks(run) == []
    assert run.data["decision"] == "grant"


def test_review_return_goes_back_to_undertake():
    run = start("promised", {"lead_department": LEAD})
    first = only(run)
    complete(run, first.task_id, {})
    complete(run, only(run).task_id, {"outcome": "return", "opinion": "请补充现场核查记录"})

    again = only(run)
    assert again.step == "undertake" and again.role == "undertaker"
    assert again.task_id != first.task_id  # a new task (and so a new work item)
    assert again.data["opinion"] == "请补充现场核查记录"
    complete(run, again.task_id, {})
    assert only(run).step == "review"


def test_approve_return_goes_back_to_review():
    run = start("promised", {"lead_department": LEAD})
    complete(run, only(run).task_id, {})
    complete(run, only(run).task_id, {"outcome": "pass"})
    complete(run, only(run).task_id, {"outcome": "return", "opinion": "依据不足"})
    assert only(run).step == "review"
    complete(run, only(run).task_id, {"outcome": "pass"})
    complete(run, only(run).task_id, {"outcome": "pass"})
    assert is_finished(run)


def test_undertake_cannot_return():
    run = start("promised", {"lead_department": LEAD})
    with pytest.raises(WorkflowError, match="不支持"):
        complete(run, only(run).task_id, {"outcome": "return"})
    assert only(run).step == "undertake"  # nothing moved


# ------------------------------------------------------------------ joint 联审


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_joint_parallel_reviews_then_decide(order):
    run = start("joint", {"lead_department": LEAD, "joint_departments": ["330102-GTJ", "330102-ZJJ"]})
    reviews = ready_tasks(run)
    assert [t.step for t in reviews] == ["joint_review", "joint_review"]
    assert {t.department for t in reviews} == {"330102-GTJ", "330102-ZJJ"}
    assert all(t.role == "reviewer" and t.step_label == "联审" for t in reviews)
    assert len({t.task_id for t in reviews}) == 2

    first, second = reviews[order[0]], reviews[order[1]]
    complete(run, first.task_id, {"opinion": f"{first.department} 同意"})
    remaining = ready_tasks(run)
    assert [t.task_id for t in remaining] == [second.task_id]  # no 决定 yet
    complete(run, second.task_id, {"opinion": f"{second.department} 同意"})

    decide = only(run)
    assert (decide.step, decide.step_label, decide.role, decide.department) == (
        "decide",
        "决定",
        "approver",
        LEAD,
    )
    opinions = {r["department"]: r["opinion"] for r in decide.data["joint_reviews"]}
    assert opinions == {d: f"{d} 同意" for d in ("330102-GTJ", "330102-ZJJ")}
    complete(run, decide.task_id, {"outcome": "pass", "decision": "grant"})
    assert is_finished(run)


def test_joint_decide_return_reopens_every_review():
    run = start("joint", {"lead_department": LEAD, "joint_departments": ["A", "B", "C"]})
    for task in ready_tasks(run):
        complete(run, task.task_id, {"opinion": "同意"})
    complete(run, only(run).task_id, {"outcome": "return", "opinion": "请重新会审"})
    reviews = ready_tasks(run)
    assert sorted(t.department for t in reviews) == ["A", "B", "C"]
    for task in reviews:
        complete(run, task.task_id, {"opinion": "再次同意"})
    decide = only(run)
    assert [r["opinion"] for r in decide.data["joint_reviews"]] == ["再次同意"] * 3  # only this round
    complete(run, decide.task_id, {})
    assert is_finished(run)


@pytest.mark.parametrize(
    "departments",
    [None, [], ["A", "A"], ["A", ""], "A,B", [1]],
    ids=["missing", "empty", "dup", "blank", "str", "int"],
)
def test_joint_needs_departments(departments):
    data = {"lead_department": LEAD}
    if departments is not None:
        data["joint_departments"] = departments
    with pytest.raises(WorkflowError):
        start("joint", data)


# ------------------------------------------------------------------ instant 即办件


def test_instant_one_task_then_finished():
    run = start("instant", {"lead_department": LEAD, "accepting_department": "330102-ZWFW"})
    task = only(run)
    assert (task.step, task.step_label, task.role, task.department) == (
        "accept_instant",
        "即办",
        "window_clerk",
        "330102-ZWFW",
    )
    complete(run, task.task_id, {"opinion": "当场办结"})
    assert is_finished(run)


def test_instant_department_falls_back_to_lead():
    run = start("instant", {"lead_department": LEAD})
    assert only(run).department == LEAD


# ------------------------------------------------------------------ serialize / restore


def test_serialize_restore_mid_way_and_continue():
    run = start("promised", {"lead_department": LEAD})
    complete(run, only(run).task_id, {"opinion": "拟准予"})
    state = serialize(run)
    text = json.dumps(state, ensure_ascii=False)  # JSON-safe
    assert "<bpmn" not in text and "task_specs" not in text  # the diagram itself is not stored
    before = only(run)

    restored = restore("promised", json.loads(text))
    after = only(restored)
    assert (after.task_id, after.step, after.department) == (before.task_id, "review", LEAD)
    assert after.data["opinion"] == "拟准予"
    complete(restored, after.task_id, {"outcome": "pass"})
    complete(restored, only(restored).task_id, {"outcome": "pass"})
    assert is_finished(restored)
    assert is_finished(roundtrip(restored))


def test_joint_restore_in_a_fresh_process(monkeypatch):
    """A restored run whose template was parsed anew (another worker) still joins its reviews."""
    run = start("joint", {"lead_department": LEAD, "joint_departments": ["A", "B"]})
    first, second = ready_tasks(run)
    complete(run, first.task_id, {"opinion": "同意"})
    state = json.loads(json.dumps(serialize(run)))

    monkeypatch.setattr(engine, "_templates", {})  # as if in a new process
    restored = restore("joint", state)
    assert restored.workflow.spec is not run.workflow.spec
    assert [t.task_id for t in ready_tasks(restored)] == [second.task_id]
    complete(restored, second.task_id, {"opinion": "同意"})
    decide = only(roundtrip(restored))
    assert decide.step == "decide"
    assert {r["department"] for r in decide.data["joint_reviews"]} == {"A", "B"}


def test_restore_rejects_bad_state():
    run = start("promised", {"lead_department": LEAD})
    state = serialize(run)
    with pytest.raises(WorkflowError):
        restore("joint", state)  # another template's state
    with pytest.raises(WorkflowError):
        restore("promised", {"format": "something-else"})
    with pytest.raises(WorkflowError):
        restore("promised", {**state, "workflow": {"tasks": {}}})


# ------------------------------------------------------------------ errors


def test_unknown_task_id():
    run = start("promised", {"lead_department": LEAD})
    for bad in ["not-a-uuid", "00000000-0000-0000-0000-000000000000", ""]:
        with pytest.raises(WorkflowError, match="未知"):
            complete(run, bad, {})
    # a task that exists but is not a user task (the start event)
    with pytest.raises(WorkflowError):
        complete(run, str(run.workflow.task_tree.id), {})
    assert only(run).step == "undertake"


def test_task_cannot_be_completed_twice():
    run = start("promised", {"lead_department": LEAD})
    task = only(run)
    complete(run, task.task_id, {})
    with pytest.raises(WorkflowError, match="不可办理"):
        complete(run, task.task_id, {})


def test_finished_workflow_rejects_actions():
    run = start("instant", {"lead_department": LEAD})
    task = only(run)
    complete(run, task.task_id, {})
    with pytest.raises(WorkflowError, match="已结束"):
        complete(run, task.task_id, {})


def test_routing_fields_cannot_be_overwritten():
    run = start("joint", {"lead_department": LEAD, "joint_departments": ["A", "B"]})
    with pytest.raises(WorkflowError):
        complete(run, ready_tasks(run)[0].task_id, {"joint_department": "Z"})


def test_missing_lead_department():
    with pytest.raises(WorkflowError, match="lead_department"):
        start("promised", {})


# ------------------------------------------------------------------ registered diagrams


def test_register_template(monkeypatch):
    monkeypatch.setattr(engine, "_templates", {})
    source = template_source("instant").replace('id="instant"', 'id="quick_v2"')
    register_template("quick_v2", source)
    run = start("quick_v2", {"lead_department": LEAD})
    assert only(run).step == "accept_instant"
    with pytest.raises(WorkflowError):
        register_template("broken", "<not-bpmn/>")
    with pytest.raises(WorkflowError):
        register_template("broken", "<<<")
