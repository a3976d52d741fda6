"""Which builder edits which deliverable kind; a plain form for the kinds without their own."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from livepmo.deliverables import KINDS, Deliverable
from livepmo.scenarios.schema import Scenario
from livepmo.widgets._builder import Builder
from livepmo.widgets.changes import ChangeRequestForm
from livepmo.widgets.charter import CharterBuilder
from livepmo.widgets.closure import ClosureReportBuilder
from livepmo.widgets.execution import ExecutionConsole
from livepmo.widgets.lessons import LessonsLearnedBuilder
from livepmo.widgets.risks import RiskMatrix
from livepmo.widgets.schedule import ScheduleBuilder
from livepmo.widgets.stakeholders import StakeholderMap
from livepmo.widgets.status import StatusReport

#: The dedicated builder of each kind that has one.
BUILDERS: dict[str, type[Builder[Deliverable]]] = {
    cls.MODEL.KIND: cls
    for cls in (CharterBuilder, StakeholderMap, ScheduleBuilder, RiskMatrix,
                ExecutionConsole, ChangeRequestForm, StatusReport, ClosureReportBuilder,
                LessonsLearnedBuilder)
}


def builder_for(kind: str, folder: str | Path = "deliverables", *,
                scenario: Scenario | None = None) -> Builder[Deliverable]:
    """The builder of a deliverable kind on the learner's folder.

    Kinds without a dedicated builder (the communications plan, the issue log, the
    exception reports) get the plain form: labelled fields, inline problems and Save.
    """
    if kind not in KINDS:
        raise KeyError(f"unknown deliverable kind {kind!r}; known kinds: {', '.join(KINDS)}")
    cls = BUILDERS.get(kind) or _plain(kind)
    return cls(folder, scenario=scenario)


@cache
def _plain(kind: str) -> type[Builder[Deliverable]]:
    model = KINDS[kind]
    name = f"{model.__name__}Builder"
    return type(name, (Builder,), {"MODEL": model, "__doc__": f"Build the {model.TITLE}."})
