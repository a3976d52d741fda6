"""The charter builder: the project's why, objectives, scope, budget and authority."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from livepmo.deliverables import Charter
from livepmo.widgets._builder import Builder


class CharterBuilder(Builder[Charter]):
    """Build the project charter (``charter.json``).

    A first draft is taken from the scenario's facts (organisation, sponsor, budget, dates,
    tolerances); the objectives, scope and the rest are the learner's to write. The summary
    above the form shows what the review looks at first: measurable objectives and
    explicit scope boundaries.
    """

    MODEL = Charter

    def views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        return [self.summary]

    def refresh(self) -> None:
        data = self.form.value
        objectives = [o for o in data.get("objectives", []) if isinstance(o, dict)]
        measurable = sum(
            1 for o in objectives if o.get("metric") and o.get("target") and o.get("due")
        )
        scope = data.get("scope") or {}
        cells = [
            ("Objectives", f"{len(objectives)} ({measurable} with metric, target and date)"),
            ("In scope", str(len(scope.get("in_scope", [])))),
            ("Out of scope", str(len(scope.get("out_of_scope", [])))),
            ("Milestones", str(len(data.get("milestones", [])))),
        ]
        self.summary.value = "<table>" + "".join(
            f"<tr><td style='padding-right: 1em'>{k}</td><td><b>{v}</b></td></tr>"
            for k, v in cells
        ) + "</table>"

    def draft(self) -> dict[str, Any]:
        s = self.scenario
        if s is None:
            return {}
        reserve = s.contingency
        return {
            "project_name": s.title,
            "purpose": s.organisation.situation,
            "business_case": s.business_case.summary,
            "start_date": s.start.isoformat(),
            "target_finish": s.deadline.isoformat(),
            "budget": {"total": s.budget, "contingency": reserve, "currency": s.currency},
            "tolerances": {"time_days": s.tolerances.time_days,
                           "cost_pct": s.tolerances.cost_pct},
            "constraints": list(s.constraints),
            "assumptions": list(s.assumptions),
            "sponsor": {"name": s.sponsor.name, "title": s.sponsor.title},
            "project_manager": {"name": "", "title": "Project manager"},
        }
