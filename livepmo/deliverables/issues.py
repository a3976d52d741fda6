"""The issue log: what has gone wrong already (a risk that occurred, or a surprise)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import Deliverable, Id, Model, Name, Rules, Text


class Issue(Model):
    id: Id
    title: Name
    description: Text = Field(min_length=1)
    raised: date
    priority: Literal["low", "medium", "high", "critical"]
    owner: Name
    status: Literal["open", "in_progress", "resolved", "closed"] = "open"
    actions: Text = ""
    due: date | None = None
    resolution: Text = ""
    resolved: date | None = None
    links: list[Id] = Field(default=[], description="Risk, change or activity ids")


class IssueLog(Deliverable):
    """Issue log kept during execution."""

    KIND = "issue_log"
    TITLE = "Issue log"

    issues: list[Issue] = Field(default=[], max_length=1000)

    def _rules(self, rules: Rules) -> None:
        rules.unique([i.id for i in self.issues], "issues")
        for n, issue in enumerate(self.issues):
            rules.in_order(issue.raised, issue.due, f"issues[{n}].due", "raised")
            rules.in_order(issue.raised, issue.resolved, f"issues[{n}].resolved", "raised")
            done = issue.status in ("resolved", "closed")
            if done != (issue.resolved is not None):
                rules.add(f"issues[{n}].resolved",
                          f"status {issue.status!r} does not agree with the resolved date",
                          "set a resolved date exactly when the issue is resolved or closed")
            if done and not issue.resolution:
                rules.add(f"issues[{n}].resolution", f"issue {issue.id!r} is {issue.status} "
                          "without a resolution", "say how it was resolved")

    def key_figures(self) -> dict[str, str]:
        by_status = Counter(i.status for i in self.issues)
        return {"issues": str(len(self.issues)),
                **{s: str(n) for s, n in sorted(by_status.items())}}
