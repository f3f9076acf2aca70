"""Review-process engine 审查流程引擎: BPMN 2.0 diagrams run by SpiffWorkflow 3.x.

Pure Python — no Django, no database. The cases app owns persistence (the serialized state
while a case is open, and the ``WorkItem`` rows that mirror :func:`ready_tasks`).

Each diagram under ``templates/`` is parsed once per process and cached; a serialized run
carries only its *state* (task tree and data) plus the template name, never the diagram
itself, so each diagram is stored once (in the package, or once per registered template).

Who acts on a user task is declared in the diagram, in SpiffWorkflow task properties::

    <bpmn:extensionElements>
      <spiffworkflow:properties>
        <spiffworkflow:property name="role" value="reviewer"/>           role code (DESIGN §3)
        <spiffworkflow:property name="step_label" value="审核"/>          Chinese step name
        <spiffworkflow:property name="department_key" value="lead_department"/>
        <spiffworkflow:property name="outcomes" value="pass,return"/>    accepted outcomes
      </spiffworkflow:properties>
    </bpmn:extensionElements>

``department_key`` names the task-data field holding the acting department's code: the lead
department for ordinary steps, the multi-instance input item (``joint_department``) for the
parallel 联审 instances. The lane each task sits in is exposed too (``TaskInfo.lane``).

Typical use::

    run = start("promised", {"lead_department": "330102-SCJ"})
    for task in ready_tasks(run):          # mirror into WorkItem rows
        ...
    complete(run, task.task_id, {"outcome": "pass", "opinion": "同意"})
    state = serialize(run)                 # JSON-safe dict, store on the case
    run = restore("promised", state)
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_SERIALIZER_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask, MultiInstanceTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG as SPIFF_SERIALIZER_CONFIG
from SpiffWorkflow.util.task import TaskState

__all__ = [
    "RESERVED_KEYS",
    "STATE_FORMAT",
    "StepInfo",
    "TaskInfo",
    "WorkflowError",
    "WorkflowRun",
    "complete",
    "is_finished",
    "ready_tasks",
    "register_template",
    "restore",
    "serialize",
    "start",
    "template_names",
    "template_source",
    "template_steps",
]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATE_FORMAT = "yiwang.workflow/1"

OUTCOME_PASS = "pass"
OUTCOME_RETURN = "return"

#: Routing fields set at start; a completing task may not overwrite them.
RESERVED_KEYS = frozenset(
    {"lead_department", "accepting_department", "joint_departments", "joint_department", "joint_reviews"}
)

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class WorkflowError(Exception):
    """A workflow operation that cannot be done (unknown template or task, finished run, bad data).

    The message is Chinese and fit to show to the user; the cases app maps it to 400/404/409.
    """


# --------------------------------------------------------------------------------------------
# Value objects
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskInfo:
    """A ready user task — what the cases app mirrors into a ``WorkItem``."""

    task_id: str  # SpiffWorkflow task UUID as a string; stable across serialize/restore
    step: str  # BPMN id of the user task: undertake, review, approve, joint_review, decide, accept_instant
    step_label: str  # 承办 / 审核 / 批准 / 联审 / 决定 / 即办
    role: str  # role code: undertaker, reviewer, approver, window_clerk
    department: str | None  # department code: the instance's department for 联审, else the lead/accepting one
    lane: str | None = None  # BPMN lane name, e.g. 审核人
    outcomes: tuple[str, ...] = (OUTCOME_PASS,)  # outcomes `complete` accepts for this task
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class StepInfo:
    """A user-task step of a template, in diagram order (for showing the whole process)."""

    step: str
    step_label: str
    role: str
    lane: str | None
    outcomes: tuple[str, ...]
    parallel: bool  # one instance per joint department


@dataclass
class WorkflowRun:
    """A running review process for one case. Treat ``workflow`` as private."""

    template: str
    workflow: BpmnWorkflow

    @property
    def data(self) -> dict[str, Any]:
        """Data of the most recently completed task (or the start data)."""
        last = self.workflow.last_task or self.workflow.task_tree
        return dict(last.data)


# --------------------------------------------------------------------------------------------
# Templates: parsed once per process
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Template:
    name: str
    source: str
    spec: Any
    subprocess_specs: dict
    steps: tuple[StepInfo, ...]
    collections: tuple[str, ...]  # data inputs of multi-instance tasks (e.g. joint_departments)


_templates: dict[str, _Template] = {}
_lock = threading.Lock()


def _properties(task_spec) -> dict[str, str]:
    extensions = getattr(task_spec, "extensions", None) or {}
    return extensions.get("properties") or {}


def _outcomes(props: Mapping[str, str]) -> tuple[str, ...]:
    raw = props.get("outcomes") or OUTCOME_PASS
    return tuple(o.strip() for o in raw.split(",") if o.strip())


def _build_template(name: str, source: str, process_id: str) -> _Template:
    parser = SpiffBpmnParser(validator=VALIDATOR)
    try:
        parser.add_bpmn_str(source.encode("utf-8"), filename=f"{name}.bpmn")
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except (ValidationException, SpiffWorkflowException, ValueError, SyntaxError) as exc:
        raise WorkflowError(f"流程模板 {name} 无效：{exc}") from exc

    # SpiffWorkflow wires a loop's children to it only when it creates one; a run restored in a
    # fresh process would never merge its parallel instances. Wire them up front, as its own
    # spec deserializer does.
    for process_spec in (spec, *subprocess_specs.values()):
        for task_spec in process_spec.task_specs.values():
            if isinstance(task_spec, LoopTask):
                child_spec = process_spec.task_specs[task_spec.task_spec]
                if not child_spec.completed_event.is_connected(task_spec.merge_child):
                    child_spec.completed_event.connect(task_spec.merge_child)

    steps: list[StepInfo] = []
    collections: list[str] = []
    parallel_children = set()
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, MultiInstanceTask):
            parallel_children.add(task_spec.task_spec)
            if task_spec.data_input is not None:
                collections.append(task_spec.data_input.bpmn_id)
    for task_spec in spec.task_specs.values():
        if not getattr(task_spec, "manual", False):
            continue
        props = _properties(task_spec)
        if "role" not in props:
            raise WorkflowError(f"流程模板 {name} 的用户任务 {task_spec.bpmn_id} 未声明角色 (role)")
        steps.append(
            StepInfo(
                step=task_spec.bpmn_id,
                step_label=props.get("step_label") or task_spec.bpmn_name or task_spec.bpmn_id,
                role=props["role"],
                lane=task_spec.lane,
                outcomes=_outcomes(props),
                parallel=task_spec.name in parallel_children,
            )
        )
    return _Template(name, source, spec, subprocess_specs, tuple(steps), tuple(collections))


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise WorkflowError(f"未知的流程模板：{name!r}")


def _template(name: str) -> _Template:
    template = _templates.get(name)
    if template is not None:
        return template
    _check_name(name)
    path = TEMPLATE_DIR / f"{name}.bpmn"
    if not path.is_file():
        raise WorkflowError(f"未知的流程模板：{name!r}")
    with _lock:
        template = _templates.get(name)
        if template is None:
            template = _build_template(name, path.read_text(encoding="utf-8"), process_id=name)
            _templates[name] = template
    return template


def register_template(name: str, source: str | bytes, process_id: str | None = None) -> None:
    """Register (or replace) a diagram under ``name`` — e.g. an item-specific one kept in the database.

    ``process_id`` (the BPMN process id inside the XML) defaults to ``name``. Names are
    ``[a-z][a-z0-9_]*``; give a changed diagram a new name (``xk_001_v2``) rather than replacing
    one that open cases still run on — a run is restored onto its template by name.
    Conditions and script tasks in a diagram run as Python: only trusted staff may author them.
    """
    _check_name(name)
    if isinstance(source, bytes):
        source = source.decode("utf-8")
    template = _build_template(name, source, process_id or name)
    with _lock:
        _templates[name] = template


def template_names() -> list[str]:
    """Names of the shipped templates plus any registered ones."""
    shipped = {p.stem for p in TEMPLATE_DIR.glob("*.bpmn")}
    return sorted(shipped | set(_templates))


def template_source(name: str) -> str:
    """The BPMN XML of a template (for display, or for storing it once)."""
    return _template(name).source


def template_steps(name: str) -> list[StepInfo]:
    """The user-task steps of a template, in diagram order."""
    return list(_template(name).steps)


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


def _department_codes(value: Any, key: str) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        raise WorkflowError(f"{key} 必须是非空的部门编码列表")
    codes = []
    for code in value:
        if not isinstance(code, str) or not code.strip():
            raise WorkflowError(f"{key} 中含有无效的部门编码：{code!r}")
        codes.append(code)
    if len(set(codes)) != len(codes):
        raise WorkflowError(f"{key} 中有重复的部门")
    return codes


def start(template: str, data: Mapping[str, Any]) -> WorkflowRun:
    """Start a review process. ``data`` needs ``lead_department`` (and ``joint_departments`` for joint).

    Optional ``accepting_department`` names the accepting unit (综合窗口) for the instant step.
    Engine steps run at once: when this returns, the first user tasks are ready.
    """
    tpl = _template(template)
    data = dict(data or {})
    lead = data.get("lead_department")
    if not isinstance(lead, str) or not lead.strip():
        raise WorkflowError("缺少牵头部门 (lead_department)")
    for key in tpl.collections:
        data[key] = _department_codes(data.get(key), key)
    workflow = BpmnWorkflow(tpl.spec, tpl.subprocess_specs)
    workflow.task_tree.data.update(data)
    _run_engine(workflow)
    return WorkflowRun(template=template, workflow=workflow)


def _run_engine(workflow: BpmnWorkflow) -> None:
    try:
        workflow.do_engine_steps()
    except SpiffWorkflowException as exc:
        raise WorkflowError(f"流程执行出错：{exc}") from exc


def _department(task) -> str | None:
    key = _properties(task.task_spec).get("department_key") or "lead_department"
    value = task.data.get(key)
    if value is None:
        value = task.data.get("lead_department")
    return value


def _info(task) -> TaskInfo:
    spec = task.task_spec
    props = _properties(spec)
    return TaskInfo(
        task_id=str(task.id),
        step=spec.bpmn_id,
        step_label=props.get("step_label") or spec.bpmn_name or spec.bpmn_id,
        role=props.get("role", ""),
        department=_department(task),
        lane=spec.lane,
        outcomes=_outcomes(props),
        data=dict(task.data),
    )


def ready_tasks(run: WorkflowRun) -> list[TaskInfo]:
    """User tasks waiting for someone, in diagram order (parallel instances in list order)."""
    tasks = run.workflow.get_tasks(state=TaskState.READY, manual=True)
    return [_info(task) for task in tasks]


def _find_ready_task(run: WorkflowRun, task_id: str):
    if is_finished(run):
        raise WorkflowError("流程已结束，不能再办理")
    try:
        uuid = task_id if isinstance(task_id, UUID) else UUID(str(task_id))
    except ValueError:
        raise WorkflowError(f"未知的流程任务：{task_id!r}") from None
    task = run.workflow.tasks.get(uuid)
    if task is None:
        # A task of a subprocess would live in run.workflow.subprocesses; the shipped templates have none.
        for sub in run.workflow.subprocesses.values():
            task = sub.tasks.get(uuid)
            if task is not None:
                break
    if task is None or not task.task_spec.manual:
        raise WorkflowError(f"未知的流程任务：{task_id!r}")
    if task.state != TaskState.READY:
        raise WorkflowError(f"流程任务 {task.task_spec.bpmn_id} 当前不可办理（已办理或尚未开始）")
    return task


def complete(run: WorkflowRun, task_id: str, data: Mapping[str, Any] | None = None) -> None:
    """Complete a ready user task and advance the process to the next user tasks.

    ``data`` is merged into the task data: ``outcome`` (``pass`` by default, or ``return`` where the
    step allows 退回), ``opinion`` and anything else JSON-safe the case wants kept with the step.
    For a 联审 instance the submitted data, plus ``department``, is collected into ``joint_reviews``.
    """
    task = _find_ready_task(run, task_id)
    data = dict(data or {})
    reserved = RESERVED_KEYS & data.keys()
    if reserved:
        raise WorkflowError(f"不能修改流程字段：{', '.join(sorted(reserved))}")
    props = _properties(task.task_spec)
    outcome = data.get("outcome") or OUTCOME_PASS
    allowed = _outcomes(props)
    if outcome not in allowed:
        raise WorkflowError(
            f"环节 {props.get('step_label', task.task_spec.bpmn_id)} 不支持办理结果 {outcome!r}"
        )
    data["outcome"] = outcome

    department = _department(task)
    task.data.update(data)
    parent_spec = task.parent.task_spec if task.parent is not None else None
    if (
        isinstance(parent_spec, MultiInstanceTask)
        and parent_spec.task_spec == task.task_spec.name  # an instance, not the step after the loop
        and parent_spec.output_item is not None
    ):
        task.data[parent_spec.output_item.bpmn_id] = {"department": department, **data}
    try:
        task.run()
    except SpiffWorkflowException as exc:
        raise WorkflowError(f"流程执行出错：{exc}") from exc
    _run_engine(run.workflow)


def is_finished(run: WorkflowRun) -> bool:
    return run.workflow.is_completed()


# --------------------------------------------------------------------------------------------
# Serialization: state only, the diagram comes from the cached template
# --------------------------------------------------------------------------------------------


class _StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Like SpiffWorkflow's converter, but leaves the spec out and takes it back from the cache."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _make_serializer() -> BpmnWorkflowSerializer:
    config = dict(SPIFF_SERIALIZER_CONFIG)
    config[BpmnWorkflow] = _StateOnlyWorkflowConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


_serializer = _make_serializer()


def serialize(run: WorkflowRun) -> dict[str, Any]:
    """JSON-safe state of a run (without the diagram)."""
    return {
        "format": STATE_FORMAT,
        "template": run.template,
        "spiff_version": SPIFF_SERIALIZER_VERSION,
        "workflow": _serializer.to_dict(run.workflow),
    }


def restore(template: str, state: Mapping[str, Any]) -> WorkflowRun:
    """Rebuild a run from :func:`serialize` output, on the cached diagram of ``template``."""
    tpl = _template(template)
    if not isinstance(state, Mapping) or state.get("format") != STATE_FORMAT:
        raise WorkflowError("无法识别的流程状态")
    if state.get("template") != template:
        raise WorkflowError(f"流程状态属于模板 {state.get('template')!r}，不是 {template!r}")
    if state.get("spiff_version") != SPIFF_SERIALIZER_VERSION:
        raise WorkflowError(
            f"流程状态的版本 {state.get('spiff_version')!r} 与当前引擎 {SPIFF_SERIALIZER_VERSION!r} 不符"
        )
    try:
        workflow = _serializer.from_dict(
            state["workflow"], spec=tpl.spec, subprocess_specs=tpl.subprocess_specs
        )
    except (KeyError, TypeError, ValueError, AttributeError, SpiffWorkflowException) as exc:
        raise WorkflowError(f"流程状态已损坏：{exc}") from exc
    if not isinstance(workflow, BpmnWorkflow) or workflow.task_tree is None:
        raise WorkflowError("流程状态已损坏")
    return WorkflowRun(template=template, workflow=workflow)
