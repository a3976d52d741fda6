"""Flaws learners make at the closure gate, as mutations of the reference deliverables.

Each mutation damages ``{kind: json-data}`` of a scenario's ``04-closure`` reference set in
place, the way learners do, and declares the criteria it must trigger and the decision the
review must reach. They hold for every scenario of the library.
"""

from __future__ import annotations

from typing import Any

from livepmo.autograder.mutations import Mutation

GATE = "04-closure"
Data = dict[str, dict[str, Any]]


def _report(data: Data) -> dict[str, Any]:
    return data["closure_report"]


def _missing_report(data: Data) -> None:
    del data["closure_report"]


def _invalid_report(data: Data) -> None:
    # Typed in a notebook as text: "3.2m" is not a number, the file no longer validates.
    _report(data)["actual_cost"] = "3.2m"
    _report(data)["sign_off"] = {"decision": "ok"}


def _unaccepted(data: Data) -> None:
    # The learner closes with the last deliverables still in acceptance testing.
    acceptance = _report(data)["acceptance"]
    for a in acceptance[len(acceptance) // 2:]:
        a["accepted"] = False
        a["accepted_by"] = ""
        a["date"] = None


def _accepted_by_pm(data: Data) -> None:
    # The project manager "accepts" every deliverable themselves.
    for a in _report(data)["acceptance"]:
        a["accepted_by"] = "Project manager"


def _vague_objectives(data: Data) -> None:
    for o in _report(data)["objectives"]:
        o["outcome"] = "met"
        o["evidence"] = "Achieved as planned."


def _unexplained_variance(data: Data) -> None:
    _report(data)["variance_explanation"] = (
        "Some activities took longer than expected and there were extra costs."
    )


def _no_handover(data: Data) -> None:
    _report(data)["handover"] = None


def _forgotten_open_items(data: Data) -> None:
    # Closed as if nothing remained: contracts, benefit measures and deferred changes gone.
    _report(data)["open_items"] = []


def _platitude_lessons(data: Data) -> None:
    for lesson in data["lessons_learned"]["lessons"]:
        lesson["what_happened"] = "Communication could have been better across the teams."
        lesson["recommendation"] = "Communicate better and plan better next time."


def _orphan_lessons(data: Data) -> None:
    for lesson in data["lessons_learned"]["lessons"]:
        lesson["owner"] = ""
        lesson["links"] = []


def _no_lessons(data: Data) -> None:
    del data["lessons_learned"]


def _two_lessons(data: Data) -> None:
    data["lessons_learned"]["lessons"] = data["lessons_learned"]["lessons"][:2]


def _undecided_changes(data: Data) -> None:
    # Two change requests still waiting for the board when the project closes.
    _report(data)["changes"]["raised"] += 2


def _unsigned(data: Data) -> None:
    _report(data)["sign_off"] = None


def _on_time_on_budget(data: Data) -> None:
    # The summary written before the figures were in: it no longer agrees with them.
    _report(data)["summary"] = (
        "The project closed successfully, on time and within budget, and delivered "
        "everything it promised to the business and to operations."
    )


def _copy_paste_closure(data: Data) -> None:
    # A closure written the night before: every section a line of filler.
    _vague_objectives(data)
    _unexplained_variance(data)
    _no_handover(data)
    _platitude_lessons(data)
    _orphan_lessons(data)
    _unsigned(data)


MUTATIONS: list[Mutation] = [
    Mutation("missing-closure-report", GATE, frozenset({"C01", "C05", "C07", "C14"}), "rework",
             _missing_report, "No closure report handed in, only the lessons."),
    Mutation("invalid-closure-report", GATE, frozenset({"C01", "C02", "C05"}), "rework",
             _invalid_report, "Closure report that does not validate (cost typed as text)."),
    Mutation("unaccepted-deliverables", GATE, frozenset({"C05"}), "rework", _unaccepted,
             "Closed with half the key deliverables not yet accepted."),
    Mutation("accepted-by-project-manager", GATE, frozenset({"C06"}),
             "approved_with_conditions", _accepted_by_pm,
             "Every deliverable 'accepted' by the project manager, not its business owner."),
    Mutation("vague-objective-evidence", GATE, frozenset({"C02"}), "approved_with_conditions",
             _vague_objectives, "Every objective 'met', 'achieved as planned', no evidence."),
    Mutation("unexplained-variance", GATE, frozenset({"C03"}), "approved_with_conditions",
             _unexplained_variance, "Variance explanation without figures or causes."),
    Mutation("no-handover", GATE, frozenset({"C07"}), "approved_with_conditions", _no_handover,
             "No handover to operations recorded."),
    Mutation("forgotten-open-items", GATE, frozenset({"C08", "C09"}),
             "approved_with_conditions", _forgotten_open_items,
             "No open items: contracts, benefit measures and deferred changes forgotten."),
    Mutation("platitude-lessons", GATE, frozenset({"C12"}), "approved_with_conditions",
             _platitude_lessons, "Lessons that are platitudes: 'communicate better'."),
    Mutation("orphan-lessons", GATE, frozenset({"C13"}), "approved_with_conditions",
             _orphan_lessons, "Lessons without owner or links to risks, issues or changes."),
    Mutation("no-lessons-register", GATE, frozenset({"C11", "C12", "C13"}), "rework",
             _no_lessons, "The lessons-learned register is not handed in."),
    Mutation("two-lessons", GATE, frozenset({"C11"}), "rework", _two_lessons,
             "Two lessons from a year-long project."),
    Mutation("undecided-changes", GATE, frozenset({"C10"}), "approved", _undecided_changes,
             "Change requests left undecided at closure (a minor finding: feedback only)."),
    Mutation("unsigned-closure", GATE, frozenset({"C14"}), "approved_with_conditions",
             _unsigned, "No sponsor sign-off."),
    Mutation("on-time-on-budget-summary", GATE, frozenset({"C04"}), "approved_with_conditions",
             _on_time_on_budget,
             "A summary that claims 'on time and within budget' and quotes no figure."),
    Mutation("copy-paste-closure", GATE,
             frozenset({"C02", "C03", "C07", "C12", "C13", "C14"}), "rework",
             _copy_paste_closure,
             "Every section filler: many major findings, total below the rework line."),
]
