"""Review processes 审查流程 of cases: BPMN 2.0 templates run by SpiffWorkflow (pure Python).

See :mod:`yiwang.cases.workflow.engine` for the API.
"""

from .engine import (
    StepInfo,
    TaskInfo,
    WorkflowError,
    WorkflowRun,
    complete,
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

__all__ = [
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
