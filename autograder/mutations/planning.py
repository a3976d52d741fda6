"""Flaws learners really make at the planning gate, as mutations of a reference set.

Each mutation damages the gate's reference deliverables ({kind: JSON data}: schedule,
risk_register, communications_plan) in place the way a learner would, and declares the
criteria it must trigger and the decision it must lead to. Applied to every scenario's
reference solution they form the gate's test matrix.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from livepmo.autograder.mutations import Data, Mutation
from livepmo.deliverables import Schedule
from livepmo.planning import critical_path, with_baseline

GATE = "02-planning"


# -- helpers ------------------------------------------------------------------------------


def _activities(data: Data) -> list[dict[str, Any]]:
    acts: list[dict[str, Any]] = data["schedule"]["activities"]
    return acts


def _rebaseline(data: Data) -> None:
    """Freeze the damaged plan as the baseline, as a learner re-baselining would."""
    schedule = Schedule.model_validate({**data["schedule"], "baseline": None})
    approved = date.fromisoformat(data["schedule"]["baseline"]["approved_on"])
    data["schedule"] = with_baseline(schedule, approved).model_dump(mode="json")


def _critical_work(data: Data) -> list[str]:
    """Ids of the critical activities with a duration, longest first."""
    schedule = Schedule.model_validate(data["schedule"])
    cpm = critical_path(schedule)
    durations = {a.id: a.duration for a in schedule.activities}
    work = [aid for aid in cpm.critical_ids if durations[aid] > 0]
    return sorted(work, key=lambda aid: (-durations[aid], aid))


def _successors(data: Data) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {a["id"]: [] for a in _activities(data)}
    for a in _activities(data):
        for link in a["predecessors"]:
            out.setdefault(link["activity"], []).append(a["id"])
    return out


def _high(risk: dict[str, Any]) -> bool:
    return float(risk["probability"]) * float(risk["impact"]) >= 10


# -- the flaws ----------------------------------------------------------------------------


def _drop_schedule(data: Data) -> None:
    del data["schedule"]


def _cycle(data: Data) -> None:
    acts = _activities(data)
    # The kick-off waits for the close-out: a loop the learner's tool would refuse.
    acts[1]["predecessors"].append({"activity": acts[-1]["id"], "type": "FS", "lag": 0})


def _dangling(data: Data) -> None:
    acts = _activities(data)
    succ = _successors(data)
    mid = [a for a in acts[2:-2] if a["predecessors"] and succ.get(a["id"])]
    # Two activities added late in the plan and never tied in.
    for a in mid[len(mid) // 3: len(mid) // 3 + 2]:
        a["predecessors"] = []
    _rebaseline(data)


def _optimistic(data: Data) -> None:
    for a in _activities(data):
        est = a.get("estimate")
        if a["milestone"] or not est or a["duration"] == 0:
            continue
        d = max(1, math.floor(est["optimistic"] * 0.7))
        a["duration"] = d
        a["estimate"] = {"optimistic": d, "most_likely": d,
                         "pessimistic": max(d, math.floor(est["optimistic"]))}


def _single_point(data: Data) -> None:
    for a in _activities(data):
        a["estimate"] = None


def _deadline_moved(data: Data) -> None:
    deadline = date.fromisoformat(data["schedule"]["deadline"])
    data["schedule"]["deadline"] = (deadline + timedelta(days=42)).isoformat()


def _critical_overrun(data: Data) -> None:
    longest = _critical_work(data)[0]
    for a in _activities(data):
        if a["id"] == longest:
            extra = 60
            a["duration"] += extra
            est = a["estimate"]
            a["estimate"] = {"optimistic": est["optimistic"] + extra,
                             "most_likely": est["most_likely"] + extra,
                             "pessimistic": est["pessimistic"] + extra}
    _rebaseline(data)


def _fat_tails(data: Data) -> None:
    critical = set(_critical_work(data))
    for a in _activities(data):
        if a["id"] in critical and a.get("estimate"):
            est = a["estimate"]
            est["pessimistic"] = est["most_likely"] + 3 * (est["pessimistic"] - est["optimistic"])


def _unowned_risks(data: Data) -> None:
    for r in data["risk_register"]["risks"]:
        if _high(r):
            r["owner"] = "TBD"
            r["trigger"] = ""


def _uncosted(data: Data) -> None:
    for r in data["risk_register"]["risks"]:
        r["cost_impact"] = None


def _cost_factor(factor: float) -> Any:
    def apply(data: Data) -> None:
        for a in _activities(data):
            a["cost"] = round(a["cost"] * factor, 2)
        _rebaseline(data)
    return apply


def _gates_only(data: Data) -> None:
    for c in data["communications_plan"]["communications"]:
        c["frequency"] = "per_gate"


def _scope_gaps(data: Data) -> None:
    acts = _activities(data)
    succ = _successors(data)
    critical = set(_critical_work(data))
    doomed = [a for a in acts[2:-2] if not a["milestone"] and a["id"] not in critical
              and a["predecessors"] and succ.get(a["id"])][:3]
    gone = {a["id"]: a for a in doomed}
    # Remove the activities and bridge their links, as a learner trimming "optional" work.
    for a in acts:
        links = []
        for link in a["predecessors"]:
            if link["activity"] in gone:
                for inner in gone[link["activity"]]["predecessors"]:
                    links.append({"activity": inner["activity"], "type": "FS", "lag": 0})
            else:
                links.append(link)
        kept: dict[str, dict[str, Any]] = {}
        for x in links:
            if x["activity"] not in gone:
                kept.setdefault(x["activity"], x)
        a["predecessors"] = list(kept.values())
    data["schedule"]["activities"] = [a for a in acts if a["id"] not in gone]
    _rebaseline(data)


def _no_baseline(data: Data) -> None:
    data["schedule"]["baseline"] = None


def _invalid_register(data: Data) -> None:
    data["risk_register"]["risks"][0]["probability"] = "likely"


MUTATIONS: list[Mutation] = [
    Mutation("missing-schedule", GATE, frozenset({"P01", "P03", "P06", "P07"}), "rework",
             _drop_schedule, "The schedule is not handed in: the gate has no plan to review."),
    Mutation("schedule-cycle", GATE, frozenset({"P01", "P03"}), "rework", _cycle,
             "A link back from the close-out to the kick-off: the network has no dates."),
    Mutation("dangling-activities", GATE, frozenset({"P03"}), "rework", _dangling,
             "Two activities are added without predecessors: the network is open."),
    Mutation("optimistic-durations", GATE, frozenset({"P04", "P05"}),
             "approved_with_conditions", _optimistic,
             "Durations cut to below the optimistic estimate to make the deadline, without "
             "re-baselining."),
    Mutation("single-point-estimates", GATE, frozenset({"P04", "P07"}),
             "approved_with_conditions", _single_point,
             "No three-point estimates: the deadline's confidence cannot be assessed."),
    Mutation("deadline-moved", GATE, frozenset({"P06"}), "rework", _deadline_moved,
             "The learner moves the deadline six weeks later instead of re-planning."),
    Mutation("critical-path-overrun", GATE, frozenset({"P06", "P07"}), "rework",
             _critical_overrun,
             "The longest critical activity takes 60 more days: the plan misses the deadline."),
    Mutation("fat-tails", GATE, frozenset({"P07"}), "approved_with_conditions", _fat_tails,
             "Honest but wide pessimistic estimates on the critical path and no reserve: the "
             "deadline is not met at P80."),
    Mutation("unowned-high-risks", GATE, frozenset({"P10"}), "approved_with_conditions",
             _unowned_risks, "High risks owned by 'TBD' with no trigger."),
    Mutation("uncosted-risks", GATE, frozenset({"P09"}), "approved_with_conditions",
             _uncosted, "No risk has its money at stake: the contingency is a guess."),
    Mutation("gold-plated-costs", GATE, frozenset({"P08"}), "approved_with_conditions",
             _cost_factor(1.15),
             "Every activity 15 % dearer: the cost baseline eats the contingency reserve."),
    Mutation("business-case-broken", GATE, frozenset({"P08", "P14"}), "stop",
             _cost_factor(2.0),
             "The plan costs twice the catalogue: beyond the overrun the business case survives."),
    Mutation("gates-only-communication", GATE, frozenset({"P12"}),
             "approved_with_conditions", _gates_only,
             "Stakeholders hear from the project at the gates only."),
    Mutation("scope-gaps", GATE, frozenset({"P02"}), "approved_with_conditions", _scope_gaps,
             "Three non-critical deliverables are dropped from the WBS to save money."),
    Mutation("no-baseline", GATE, frozenset({"P05"}), "approved_with_conditions",
             _no_baseline, "The plan is submitted without a baseline to freeze."),
    Mutation("invalid-risk-register", GATE, frozenset({"P01", "P09", "P10", "P11"}), "rework",
             _invalid_register, "A probability written as a word: the register is invalid."),
]
