"""The learner's project assignment: which scenario, which variant, whose.

Written once, when a learner chooses (or is assigned) a scenario, and carried from gate
to gate with the deliverables. It pins the variant: the execution simulation replays the
learner's decisions against the same shocks wherever the review runs — in the learner's
kernel, in nbgrader's autograde or in a batch check (architecture decision 3).
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from livepmo.deliverables.base import Deliverable, Id, Int, Name


class ProjectAssignment(Deliverable):
    """Which practice project a learner runs (``project.json``)."""

    KIND = "project"
    TITLE = "Project assignment"

    scenario: Id = Field(description="Id of the scenario, e.g. erp-distributor")
    seed: Int = Field(ge=0, le=2**32 - 1, description="The learner's variant of the scenario")
    learner: Name
    assigned_on: dt.date

    def key_figures(self) -> dict[str, str]:
        return {"scenario": self.scenario, "seed": str(self.seed), "learner": self.learner}
