"""The deliverable model: one schema-checked, versioned file per artifact."""

from __future__ import annotations

from livepmo.deliverables.base import Deliverable
from livepmo.deliverables.changes import ChangeLog, ChangeRequest
from livepmo.deliverables.charter import Charter
from livepmo.deliverables.closure import ClosureReport
from livepmo.deliverables.communications import CommunicationsPlan
from livepmo.deliverables.decisions import Decision, DecisionLog
from livepmo.deliverables.exception_report import ExceptionReport, ExceptionReports
from livepmo.deliverables.issues import Issue, IssueLog
from livepmo.deliverables.lessons import Lesson, LessonsLearned
from livepmo.deliverables.project import ProjectAssignment
from livepmo.deliverables.risks import Risk, RiskRegister
from livepmo.deliverables.schedule import Activity, Calendar, Link, Schedule, find_cycle
from livepmo.deliverables.stakeholders import Stakeholder, StakeholderRegister
from livepmo.deliverables.status import StatusReport, StatusReports
from livepmo.deliverables.versions import KINDS, MIGRATIONS, json_schema, parse_deliverable

__all__ = [
    "KINDS",
    "MIGRATIONS",
    "Activity",
    "Calendar",
    "ChangeLog",
    "ChangeRequest",
    "Charter",
    "ClosureReport",
    "CommunicationsPlan",
    "Decision",
    "DecisionLog",
    "Deliverable",
    "ExceptionReport",
    "ExceptionReports",
    "Issue",
    "IssueLog",
    "Lesson",
    "LessonsLearned",
    "Link",
    "ProjectAssignment",
    "Risk",
    "RiskRegister",
    "Schedule",
    "Stakeholder",
    "StakeholderRegister",
    "StatusReport",
    "StatusReports",
    "find_cycle",
    "json_schema",
    "parse_deliverable",
]
