"""Flaws learners make at the execution gate, as mutations of a reference deliverable set.

Each mutation damages ``{kind: json data}`` of an approved execution gate in place, the way
a learner's submission goes wrong, and declares the criteria it must trigger and the
decision the review must reach. Applied to every scenario's reference they form the test
matrix of ``tests/autograder/test_execution.py``.
"""

from __future__ import annotations

import re
from typing import Any

from livepmo.autograder.mutations import Data, Mutation
from livepmo.planning import earned_value

GATE = "03-execution"


def _reports(data: Data) -> list[dict[str, Any]]:
    reports: list[dict[str, Any]] = data["status_reports"]["reports"]
    return reports


def _recompute_indices(report: dict[str, Any]) -> None:
    """The learner's indices, computed correctly from the (possibly wrong) inputs."""
    e = report["evm"]
    figures = earned_value(e["pv"], e["ev"], e["ac"], e["bac"]).figures()
    report["reported"] = {
        k: None if v is None else round(v, 4 if k in ("cpi", "spi", "tcpi") else 2)
        for k, v in figures.items()
    }


def _drop_status_reports(data: Data) -> None:
    del data["status_reports"]


def _invalid_change_log(data: Data) -> None:
    data["change_log"]["requests"] = "see the minutes of the steering committee"


def _rosy_actuals(data: Data) -> None:
    # Actual cost typed from the time sheets only: contractor and risk-response costs left
    # out, so AC is a tenth too low; the indices follow the wrong AC.
    for r in _reports(data):
        r["evm"]["ac"] = round(r["evm"]["ac"] * 0.9, 2)
        _recompute_indices(r)


def _inverted_indices(data: Data) -> None:
    # CPI as AC/EV and SPI as PV/EV: the classic inversion, with EAC from the wrong CPI.
    for r in _reports(data):
        e, rep = r["evm"], r["reported"]
        if e["ev"] > 0:
            rep["cpi"] = round(e["ac"] / e["ev"], 4)
            rep["spi"] = round(e["pv"] / e["ev"], 4)
            rep["eac"] = round(e["bac"] / rep["cpi"], 2) if rep["cpi"] else None


def _always_green(data: Data) -> None:
    for r in _reports(data):
        r["rag"] = "green"


def _unexplained_variances(data: Data) -> None:
    for r in _reports(data):
        r["variance_explanation"] = "On track."


def _stop_reporting_halfway(data: Data) -> None:
    reports = _reports(data)
    del reports[len(reports) // 2:]


def _unassessed_change(data: Data) -> None:
    # A change approved in the corridor: no impact, no options, no recommendation.
    last = _reports(data)[len(_reports(data)) // 2]
    data["change_log"]["requests"].append({
        "id": "CR-99",
        "raised": last["period_end"],
        "requester": "Sponsor",
        "title": "Add a management dashboard",
        "description": "The sponsor wants a dashboard of warehouse KPIs for the board.",
        "status": "implemented",
        "decision": {"outcome": "approve", "date": last["period_end"], "by": "Sponsor"},
    })


def _no_exception(data: Data) -> None:
    # The breach is visible in the status reports, but nobody escalates it.
    data["exception_reports"]["reports"] = []
    log = data["decision_log"]["decisions"]
    log[:] = [d for d in log if d["type"] != "raise_exception"]


def _thin_exception(data: Data) -> None:
    # "We are over budget, please approve more money": one option, no effects, no figures.
    for r in data["exception_reports"]["reports"]:
        option = r["options"][0]
        option.update(effect_on_business_case="", effect_on_risks="", effect_on_tolerances="")
        r["options"] = [option]
        r["forecast"] = "We will be over budget."
        r["consequences"] = ""
        r["recommendation"] = option["id"]
        if r.get("decision") is not None:
            r["decision"] = option["id"]


def _occurred_risks_not_logged(data: Data) -> None:
    # Risks that struck are dealt with in the corridor; the issue log keeps the rest.
    risk_id = re.compile(r"^R\d+$")
    issues = data["issue_log"]["issues"]
    issues[:] = [i for i in issues if not any(risk_id.match(x) for x in i.get("links", []))
                 and not re.search(r"\brisk R\d+", i["title"] + " " + i["description"])]


def _issues_without_actions(data: Data) -> None:
    for i in data["issue_log"]["issues"]:
        i["actions"] = ""
        i["due"] = None


MUTATIONS: list[Mutation] = [
    Mutation("missing-status-reports", GATE, frozenset({"E01"}), "rework",
             _drop_status_reports,
             "No status reports handed in: the board cannot see how execution went."),
    Mutation("invalid-change-log", GATE, frozenset({"E01"}), "rework", _invalid_change_log,
             "The change log's requests are a sentence instead of a list: the file is invalid."),
    Mutation("rosy-actual-cost", GATE, frozenset({"E03"}), "approved_with_conditions",
             _rosy_actuals,
             "AC taken from time sheets only (10 % low) and the indices computed from it."),
    Mutation("inverted-indices", GATE, frozenset({"E04"}), "approved_with_conditions",
             _inverted_indices, "CPI computed as AC/EV and SPI as PV/EV, EAC from that CPI."),
    Mutation("always-green", GATE, frozenset({"E05"}), "approved_with_conditions",
             _always_green, "Every week reported green, even with a forecast tolerance breach."),
    Mutation("unexplained-variances", GATE, frozenset({"E06"}), "approved_with_conditions",
             _unexplained_variances, "Variance explanations say 'On track.' whatever the SV/CV."),
    Mutation("reporting-stops-halfway", GATE, frozenset({"E02"}), "approved_with_conditions",
             _stop_reporting_halfway, "Status reports stop halfway through execution."),
    Mutation("change-approved-without-assessment", GATE, frozenset({"E07"}),
             "approved_with_conditions", _unassessed_change,
             "A sponsor's change is approved and implemented with no impact assessment, "
             "alternatives or recommendation."),
    Mutation("breach-not-escalated", GATE, frozenset({"E08"}), "approved_with_conditions",
             _no_exception,
             "The forecast breaks the cost tolerance but no exception is raised or reported."),
    Mutation("exception-without-options", GATE, frozenset({"E09"}), "approved_with_conditions",
             _thin_exception,
             "The exception report asks for money: no figures, no consequences, one option "
             "without its effects."),
    Mutation("occurred-risks-not-logged", GATE, frozenset({"E10"}), "approved_with_conditions",
             _occurred_risks_not_logged,
             "Threats that occurred never reach the issue log."),
    Mutation("issues-without-actions", GATE, frozenset({"E11"}), "approved",
             _issues_without_actions,
             "Issues are logged with no actions and no due date (minor: feedback only)."),
]
