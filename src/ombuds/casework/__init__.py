"""Casework core: the workflow as data, who may do what, deadlines and JSON merge patch.

Pure: nothing here opens a file after loading the workflow data, touches a database or the
network. Storage and HTTP sit in :mod:`ombuds.office` and :mod:`ombuds.server`.
"""

from ombuds.casework.workflow import (
    Actor,
    CaseFacts,
    Refusal,
    Transition,
    Workflow,
    WorkflowError,
    load_workflow,
)

__all__ = [
    "Actor",
    "CaseFacts",
    "Refusal",
    "Transition",
    "Workflow",
    "WorkflowError",
    "load_workflow",
]
