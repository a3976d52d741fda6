"""Flaws learners really make at the initiation gate, as mutations of a reference set.

Each mutation damages the gate's reference deliverables ({kind: JSON data}) in place the way
a learner would, and declares the criteria it must trigger and the decision it must lead to.
Applied to every scenario's reference solution they form the gate's test matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from livepmo.autograder.mutations import Data, Mutation

GATE = "01-initiation"


def _score(risk: dict[str, Any]) -> float:
    return float(risk["probability"]) * float(risk["impact"])


def _high_risks(data: Data) -> list[dict[str, Any]]:
    register = data["risk_register"]
    threshold = 0.18 if register.get("scale") == "pmbok" else 10
    return [r for r in register["risks"] if _score(r) >= threshold]


# -- the flaws -----------------------------------------------------------------------------------


def _drop_risk_register(data: Data) -> None:
    del data["risk_register"]


def _invalid_charter(data: Data) -> None:
    data["charter"]["budget"]["total"] = "about three million"


def _vague_objectives(data: Data) -> None:
    for o in data["charter"]["objectives"]:
        o["metric"] = ""
        o["target"] = "Improve significantly"
        o["due"] = None


def _no_out_of_scope(data: Data) -> None:
    data["charter"]["scope"]["out_of_scope"] = []


def _placeholder_sponsor(data: Data) -> None:
    data["charter"]["sponsor"]["name"] = "TBD"


def _generic_engagement(data: Data) -> None:
    for s in data["stakeholder_register"]["stakeholders"]:
        if s["power"] >= 4:
            s["strategy"] = "Keep informed."


def _missing_powerful_stakeholder(data: Data) -> None:
    sponsor = data["charter"]["sponsor"]["name"]
    owners = {r.get("owner", "") for r in data["risk_register"]["risks"]}
    people = data["stakeholder_register"]["stakeholders"]
    victim = next(s for s in people
                  if s["power"] >= 4 and s["name"] != sponsor and s["name"] not in owners)
    people.remove(victim)


def _unowned_high_risks(data: Data) -> None:
    for r in _high_risks(data):
        r["owner"] = ""


def _budget_over_envelope(data: Data) -> None:
    data["charter"]["budget"]["total"] = round(data["charter"]["budget"]["total"] * 1.2)


def _budget_breaks_case(data: Data) -> None:
    data["charter"]["budget"]["total"] = round(data["charter"]["budget"]["total"] * 3)


def _finish_after_deadline(data: Data) -> None:
    charter = data["charter"]
    charter["target_finish"] = (date.fromisoformat(charter["target_finish"])
                                + timedelta(days=42)).isoformat()


def _no_contingency(data: Data) -> None:
    data["charter"]["budget"]["contingency"] = 0


def _thin_business_case(data: Data) -> None:
    data["charter"]["business_case"] = "The new system improves efficiency."


def _pm_without_limits(data: Data) -> None:
    data["charter"]["project_manager"]["authority"] = "Manages the project and the team."


def _risks_as_titles(data: Data) -> None:
    for r in data["risk_register"]["risks"]:
        r["statement"] = {"cause": r["title"], "event": r["title"], "effect": r["title"]}


def _everything_vague(data: Data) -> None:
    for flaw in (_vague_objectives, _no_out_of_scope, _generic_engagement,
                 _unowned_high_risks, _thin_business_case, _risks_as_titles):
        flaw(data)


def _m(name: str, expects: set[str], decision: str, apply: Callable[[Data], None],
       description: str) -> Mutation:
    return Mutation(name, GATE, frozenset(expects), decision, apply, description)


MUTATIONS: list[Mutation] = [
    _m("missing-risk-register", {"I01", "I09", "I10"}, "rework", _drop_risk_register,
       "No risk register handed in: the risks are 'in the charter'."),
    _m("invalid-charter", {"I01", "I02", "I03", "I04", "I05", "I06", "I11", "I12",
                           "I14"}, "rework", _invalid_charter,
       "The charter does not validate: the budget total is written as words."),
    _m("vague-objectives", {"I05"}, "approved_with_conditions", _vague_objectives,
       "Objectives as wishes: no metric, 'improve significantly', no date."),
    _m("no-out-of-scope", {"I06"}, "approved_with_conditions", _no_out_of_scope,
       "Only what is in scope is listed; nothing is explicitly excluded."),
    _m("placeholder-sponsor", {"I02", "I14"}, "rework", _placeholder_sponsor,
       "The sponsor is 'TBD': nobody owns the business case."),
    _m("generic-engagement", {"I08"}, "approved_with_conditions", _generic_engagement,
       "Every powerful stakeholder gets the same one-line strategy, 'Keep informed.'"),
    _m("missing-powerful-stakeholder", {"I07"}, "approved_with_conditions",
       _missing_powerful_stakeholder,
       "A high-power stakeholder of the organisation is left out of the register."),
    _m("unowned-high-risks", {"I10"}, "approved_with_conditions", _unowned_high_risks,
       "The high risks have no owner."),
    _m("budget-over-envelope", {"I11"}, "approved_with_conditions", _budget_over_envelope,
       "The budget asks 20 % more than the sponsor's envelope."),
    _m("budget-breaks-business-case", {"I11", "I13"}, "stop", _budget_breaks_case,
       "The budget is three times the reference: beyond the overrun where the case fails."),
    _m("finish-after-deadline", {"I12"}, "approved_with_conditions", _finish_after_deadline,
       "The charter promises a finish six weeks after the deadline."),
    _m("no-contingency", {"I11"}, "approved_with_conditions", _no_contingency,
       "No contingency in the budget: every estimate is assumed to hold."),
    _m("thin-business-case", {"I04"}, "approved_with_conditions", _thin_business_case,
       "The business case is one sentence without a figure."),
    _m("pm-without-limits", {"I03"}, "approved_with_conditions", _pm_without_limits,
       "The project manager's authority is 'manages the project', with no limit."),
    _m("risks-as-titles", {"I09"}, "approved_with_conditions", _risks_as_titles,
       "Risk statements repeat the title instead of cause → event → effect."),
    _m("everything-vague", {"I04", "I05", "I06", "I08", "I09", "I10"}, "rework", _everything_vague,
       "Many major gaps at once: the score falls below the rework threshold."),
]
