"""The learner's builders: one interactive editor per deliverable, and its pictures.

Every builder loads the learner's saved file, shows problems beside the fields, saves
atomically and never writes an invalid file (see :mod:`livepmo.widgets._builder`). The
figures are plain functions from a deliverable to a plotly figure
(:mod:`livepmo.widgets.figures`), shared with the memos and the gate presentations.
"""

from __future__ import annotations

from livepmo.widgets.builders import BUILDERS, builder_for
from livepmo.widgets.changes import ChangeRequestForm
from livepmo.widgets.charter import CharterBuilder
from livepmo.widgets.closure import ClosureReportBuilder
from livepmo.widgets.deck import gate_deck
from livepmo.widgets.execution import ExecutionConsole
from livepmo.widgets.lessons import LessonsLearnedBuilder
from livepmo.widgets.project import ProjectChooser
from livepmo.widgets.readiness import ReadinessPanel
from livepmo.widgets.risks import RiskMatrix
from livepmo.widgets.schedule import ScheduleBuilder
from livepmo.widgets.stakeholders import StakeholderMap
from livepmo.widgets.status import StatusReport

__all__ = [
    "BUILDERS",
    "ChangeRequestForm",
    "CharterBuilder",
    "ClosureReportBuilder",
    "ExecutionConsole",
    "LessonsLearnedBuilder",
    "ProjectChooser",
    "ReadinessPanel",
    "RiskMatrix",
    "ScheduleBuilder",
    "StakeholderMap",
    "StatusReport",
    "builder_for",
    "gate_deck",
]
