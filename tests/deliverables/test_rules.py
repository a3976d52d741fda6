"""Rules that belong to the data itself, each reported with its exact field path: unique ids,
links that exist, no self-links or cycles, dates in order, values on their scale."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from livepmo.deliverables import (
    Activity,
    ChangeLog,
    ChangeRequest,
    Charter,
    ClosureReport,
    Decision,
    DecisionLog,
    Link,
    Risk,
    RiskRegister,
    Schedule,
    Stakeholder,
    find_cycle,
    parse_deliverable,
)
from livepmo.deliverables.risks import (
    OPPORTUNITY_STRATEGIES,
    PMBOK_IMPACT,
    PMBOK_PROBABILITY,
    THREAT_STRATEGIES,
)
from livepmo.errors import DeliverableError

from .corpus import good_data

DELETE = object()


def changed(kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The good document of ``kind`` with values set (or DELETEd) at field paths."""
    data = good_data(kind)
    for path, value in changes.items():
        keys = [int(k[1:-1]) if k.startswith("[") else k for k in re.findall(r"\[\d+\]|\w+", path)]
        *parents, last = keys
        node: Any = data
        for key in parents:
            node = node[key]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return data


def problems(kind: str, changes: dict[str, Any]) -> list[tuple[str, str]]:
    """(field path, message) of every problem of the changed document; [] when valid."""
    try:
        parse_deliverable(changed(kind, changes))
    except DeliverableError as exc:
        assert all(p.fix for p in exc.problems)
        return [(p.path, p.message) for p in exc.problems]
    return []


# ---- schedule --------------------------------------------------------------------------


def test_activity_ids_are_unique() -> None:
    assert problems("schedule", {"activities[3].id": "A"}) == [
        ("activities[3].id", "duplicate id 'A'")
    ]


def test_duplicate_id_is_not_also_reported_as_a_made_up_cycle() -> None:
    # Renaming M (which follows B and C) to A would read as B → A → B if the two A's were
    # merged; the network is ambiguous until the duplicate is fixed.
    found = problems("schedule", {"activities[3].id": "A"})

    assert not any("cycle" in message for _, message in found)


def test_every_repeat_of_an_id_is_reported_once() -> None:
    found = problems("schedule", {"activities[2].id": "A", "activities[3].id": "A"})

    assert [path for path, _ in found if "duplicate" in _] == [
        "activities[2].id",
        "activities[3].id",
    ]


def test_predecessor_must_exist() -> None:
    assert problems("schedule", {"activities[2].predecessors[0].activity": "X9"}) == [
        ("activities[2].predecessors[0].activity", "unknown predecessor 'X9' of 'C'")
    ]


def test_activity_may_not_be_its_own_predecessor() -> None:
    # Reported as a self-link only, not as a cycle of one activity as well.
    assert problems("schedule", {"activities[1].predecessors[0].activity": "B"}) == [
        ("activities[1].predecessors[0].activity", "'B' is linked to itself")
    ]


def test_the_same_predecessor_twice_is_reported() -> None:
    assert problems("schedule", {"activities[3].predecessors[0].activity": "C"}) == [
        ("activities[3].predecessors[1].activity", "'M' is linked to 'C' twice")
    ]


def test_cycle_names_its_activities_in_link_order() -> None:
    # A → B → C already; C → A closes the loop.
    [(path, message)] = problems("schedule", {"activities[0].predecessors": [{"activity": "C"}]})

    assert path == "activities"
    cycle = message.removeprefix("the links form a cycle: ").split(" → ")
    assert cycle[0] == cycle[-1]
    assert sorted(cycle[:-1]) == ["A", "B", "C"]
    links = {("A", "B"), ("B", "C"), ("C", "A")}  # (predecessor, successor)
    assert set(pairwise(cycle)) == links


def test_find_cycle_of_a_network_without_one_is_empty() -> None:
    assert find_cycle({"A": [], "B": ["A"], "C": ["A", "B"], "D": ["C", "nowhere"]}) == []


def test_find_cycle_handles_a_chain_of_100000_activities() -> None:
    chain = {f"A{i}": [f"A{i - 1}"] if i else [] for i in range(100_000)}
    chain["A0"] = ["A99999"]

    assert len(find_cycle(chain)) == 100_000


@given(st.integers(2, 30), st.data())
def test_find_cycle_returns_a_real_cycle_of_the_network(size: int, data: st.DataObject) -> None:
    # Links only from lower to higher numbers make a network without a cycle ...
    preds: dict[str, list[str]] = {"A0": []}
    for i in range(1, size):
        preds[f"A{i}"] = [f"A{j}" for j in sorted(data.draw(st.sets(st.integers(0, i - 1))))]
    assert find_cycle(preds) == []
    # ... one link back from a lower to a higher number that is reachable closes a cycle.
    preds["A0"].append(f"A{size - 1}")
    for i in range(1, size):
        preds[f"A{i}"].append(f"A{i - 1}")

    cycle = find_cycle(preds)

    assert cycle
    for predecessor, successor in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
        assert predecessor in preds[successor]


def test_milestone_takes_zero_days() -> None:
    assert problems("schedule", {"activities[3].duration": 2}) == [
        ("activities[3].duration", "milestone 'M' has duration 2")
    ]


def test_duration_is_not_negative() -> None:
    [(path, message)] = problems("schedule", {"activities[0].duration": -1})

    assert path == "activities[0].duration"
    assert "greater than or equal to 0" in message


def test_three_point_estimate_is_ordered() -> None:
    [(path, message)] = problems("schedule", {"activities[0].estimate.optimistic": 25})

    assert path == "activities[0].estimate"
    assert message == "optimistic 25, most_likely 20, pessimistic 30 are out of order"


def test_negative_lag_is_a_lead_and_allowed() -> None:
    assert problems("schedule", {"activities[2].predecessors[0].lag": -5}) == []


def test_deadline_is_not_before_project_start() -> None:
    assert problems("schedule", {"deadline": "2025-03-02"}) == [
        ("deadline", "2025-03-02 is before project_start 2025-03-03")
    ]


def test_deadline_on_the_start_day_is_allowed() -> None:
    assert problems("schedule", {"deadline": "2025-03-03"}) == []


def test_start_no_earlier_than_is_not_before_project_start() -> None:
    [(path, _)] = problems("schedule", {"activities[1].start_no_earlier_than": "2025-01-01"})

    assert path == "activities[1].start_no_earlier_than"


def test_baseline_entries_finish_after_they_start_and_name_known_activities() -> None:
    baseline = {
        "approved_on": "2025-03-01", "start": "2025-03-03", "finish": "2025-07-01",
        "activities": {
            "A": {"start": "2025-03-10", "finish": "2025-03-07", "duration": 5},
            "Z": {"start": "2025-03-03", "finish": "2025-03-07", "duration": 5},
        },
    }

    assert [path for path, _ in problems("schedule", {"baseline": baseline})] == [
        "baseline.activities.A.finish",
        "baseline.activities.Z",
    ]


# ---- charter ---------------------------------------------------------------------------


def test_charter_finish_is_not_before_its_start() -> None:
    assert problems("charter", {"target_finish": "2025-03-01"}) == [
        ("target_finish", "2025-03-01 is before start_date 2025-03-03")
    ]


def test_charter_milestone_is_not_before_the_start() -> None:
    [(path, _)] = problems("charter", {"milestones[1].date": "2024-12-01"})

    assert path == "milestones[1].date"


def test_contingency_may_be_the_whole_budget_but_not_more() -> None:
    assert problems("charter", {"budget.contingency": 1_200_000}) == []
    assert problems("charter", {"budget.contingency": 1_200_001}) == [
        ("budget.contingency", "contingency 1,200,001 exceeds the total budget 1,200,000")
    ]


def test_objective_ids_are_unique() -> None:
    objective = {"id": "O1", "description": "Cut order errors by half"}
    data = changed("charter", {})
    data["objectives"].append(objective)

    with pytest.raises(DeliverableError, match=r"objectives\[1\]\.id: duplicate id 'O1'"):
        parse_deliverable(data)


def test_misspelt_field_is_an_error_not_ignored() -> None:
    assert problems("charter", {"sponsor.tittle": "CFO"}) == [
        ("sponsor.tittle", "unknown field")
    ]


# ---- stakeholder register --------------------------------------------------------------


@pytest.mark.parametrize("field", ["power", "interest"])
@pytest.mark.parametrize(("value", "valid"), [(0, False), (1, True), (5, True), (6, False)])
def test_power_and_interest_are_on_the_1_to_5_scale(field: str, value: int, valid: bool) -> None:
    found = problems("stakeholder_register", {f"stakeholders[0].{field}": value})

    assert [path for path, _ in found] == ([] if valid else [f"stakeholders[0].{field}"])


@pytest.mark.parametrize(
    ("power", "interest", "quadrant"),
    [(4, 4, "manage closely"), (5, 3, "keep satisfied"), (3, 5, "keep informed"),
     (3, 3, "monitor")],
)
def test_power_and_interest_place_a_stakeholder_on_the_grid(
    power: int, interest: int, quadrant: str
) -> None:
    assert Stakeholder(id="S", name="N", power=power, interest=interest).quadrant == quadrant


# ---- risk register ---------------------------------------------------------------------


@pytest.mark.parametrize("field", ["probability", "impact"])
@pytest.mark.parametrize(("value", "valid"), [(0, False), (1, True), (5, True), (6, False),
                                              (2.5, False), (0.5, False)])
def test_5x5_values_are_whole_numbers_from_1_to_5(field: str, value: float, valid: bool) -> None:
    found = problems("risk_register", {f"risks[0].{field}": value})

    message = f"{field} {value:g} is not on the 5×5 scale"
    assert found == ([] if valid else [(f"risks[0].{field}", message)])


def pmbok(probability: float, impact: float) -> dict[str, Any]:
    return {"scale": "pmbok", "risks[0].probability": probability, "risks[0].impact": impact,
            "risks[1].probability": 0.1, "risks[1].impact": 0.05}


@pytest.mark.parametrize("probability", PMBOK_PROBABILITY)
@pytest.mark.parametrize("impact", PMBOK_IMPACT)
def test_pmbok_scale_takes_its_five_values(probability: float, impact: float) -> None:
    assert problems("risk_register", pmbok(probability, impact)) == []


def test_pmbok_probability_and_impact_have_scales_of_their_own() -> None:
    # 0.3 is a PMBOK probability but not an impact; 0.8 an impact but not a probability.
    assert problems("risk_register", pmbok(0.8, 0.3)) == [
        ("risks[0].probability", "probability 0.8 is not on the PMBOK scale"),
        ("risks[0].impact", "impact 0.3 is not on the PMBOK scale"),
    ]


def test_5x5_values_are_not_on_the_pmbok_scale() -> None:
    [(path, _), _impact] = problems("risk_register", pmbok(3, 4))

    assert path == "risks[0].probability"


@pytest.mark.parametrize("strategy", THREAT_STRATEGIES)
def test_threat_takes_a_threat_strategy(strategy: str) -> None:
    assert problems("risk_register", {"risks[0].response.strategy": strategy}) == []


@pytest.mark.parametrize("strategy", sorted(set(OPPORTUNITY_STRATEGIES) - set(THREAT_STRATEGIES)))
def test_threat_refuses_an_opportunity_strategy(strategy: str) -> None:
    assert problems("risk_register", {"risks[0].response.strategy": strategy}) == [
        ("risks[0].response.strategy", f"{strategy!r} is not a response to a threat")
    ]


@pytest.mark.parametrize("strategy", OPPORTUNITY_STRATEGIES)
def test_opportunity_takes_an_opportunity_strategy(strategy: str) -> None:
    assert problems("risk_register", {"risks[1].response.strategy": strategy}) == []


@pytest.mark.parametrize("strategy", sorted(set(THREAT_STRATEGIES) - set(OPPORTUNITY_STRATEGIES)))
def test_opportunity_refuses_a_threat_strategy(strategy: str) -> None:
    assert problems("risk_register", {"risks[1].response.strategy": strategy}) == [
        ("risks[1].response.strategy", f"{strategy!r} is not a response to an opportunity")
    ]


def test_risk_review_is_not_before_it_was_raised() -> None:
    [(path, _)] = problems("risk_register", {"risks[0].next_review": "2025-03-09"})

    assert path == "risks[0].next_review"


# ---- change log ------------------------------------------------------------------------


def test_ccb_decision_is_not_dated_before_the_request() -> None:
    assert problems("change_log", {"requests[0].decision.date": "2025-06-01"}) == [
        ("requests[0].decision.date", "2025-06-01 is before raised 2025-06-02")
    ]


def test_ccb_may_decide_on_the_day_a_request_is_raised() -> None:
    assert problems("change_log", {"requests[0].decision.date": "2025-06-02"}) == []


@pytest.mark.parametrize("status", ["decided", "implemented", "closed"])
def test_decided_request_records_the_ccb_decision(status: str) -> None:
    found = problems("change_log", {"requests[0].status": status, "requests[0].decision": DELETE})

    assert found == [
        ("requests[0].decision", f"status is {status!r} but no CCB decision is recorded")
    ]


@pytest.mark.parametrize("status", ["submitted", "logged", "assessed"])
def test_undecided_request_needs_no_decision(status: str) -> None:
    changes = {"requests[0].status": status, "requests[0].decision": DELETE}

    assert problems("change_log", changes) == []


# ---- status reports --------------------------------------------------------------------


@pytest.mark.parametrize("field", ["pv", "ev"])
def test_planned_and_earned_value_are_at_most_bac(field: str) -> None:
    assert problems("status_reports", {f"reports[0].evm.{field}": 160_001}) == [
        (f"reports[0].evm.{field}", f"{field.upper()} 160,001 exceeds BAC 160,000")
    ]


def test_actual_cost_may_exceed_bac() -> None:
    assert problems("status_reports", {"reports[1].evm.ac": 200_000}) == []


def test_reports_are_in_period_order() -> None:
    assert problems("status_reports", {"reports[0].period": 3}) == [
        ("reports[1].period", "period 2 comes after period 3")
    ]


def test_a_repeated_period_is_reported_once_as_a_duplicate() -> None:
    assert problems("status_reports", {"reports[1].period": 1}) == [
        ("reports[1].period", "duplicate period 1")
    ]


def test_report_period_ends_after_it_starts() -> None:
    [(path, _)] = problems("status_reports", {"reports[1].period_end": "2025-03-09"})

    assert path == "reports[1].period_end"


# ---- exception reports -----------------------------------------------------------------


def test_recommendation_names_one_of_the_options() -> None:
    assert problems("exception_reports", {"reports[0].recommendation": "O9"}) == [
        ("reports[0].recommendation", "unknown option 'O9'")
    ]


def test_report_without_a_recommendation_is_valid() -> None:
    assert problems("exception_reports", {"reports[0].recommendation": DELETE}) == []


def test_option_ids_are_unique_within_a_report() -> None:
    assert problems("exception_reports", {"reports[0].options[1].id": "O1"}) == [
        ("reports[0].options[1].id", "duplicate id 'O1'")
    ]


# ---- closure report --------------------------------------------------------------------


def test_decided_changes_are_at_most_the_changes_raised() -> None:
    assert problems("closure_report", {"changes.raised": 4}) == []
    assert problems("closure_report", {"changes.raised": 3}) == [
        ("changes", "2 approved + 1 rejected + 1 deferred is more than the 3 raised")
    ]


def test_accepted_deliverable_names_who_accepted_it() -> None:
    assert problems("closure_report", {"acceptance[0].accepted_by": ""}) == [
        ("acceptance[0].accepted_by", "accepted, but not by anyone")
    ]


def test_deliverable_not_accepted_needs_no_acceptor() -> None:
    changes = {"acceptance[0].accepted": False, "acceptance[0].accepted_by": ""}

    assert problems("closure_report", changes) == []


@pytest.mark.parametrize(("start", "finish"), [("planned_start", "planned_finish"),
                                               ("actual_start", "actual_finish")])
def test_closure_finish_is_not_before_start(start: str, finish: str) -> None:
    assert problems("closure_report", {finish: "2025-03-02"}) == [
        (finish, f"2025-03-02 is before {start} 2025-03-03")
    ]


def test_each_charter_objective_has_one_outcome() -> None:
    data = changed("closure_report", {})
    data["objectives"].append({"objective": "O1", "outcome": "not_met"})

    with pytest.raises(DeliverableError, match=r"objectives\[1\]\.objective: duplicate"):
        parse_deliverable(data)


def test_cost_variance_is_a_percentage_of_the_planned_cost() -> None:
    report = parse_deliverable(good_data("closure_report"))

    assert isinstance(report, ClosureReport)
    assert report.cost_variance_pct == pytest.approx(5.0)


# ---- lessons learned and decision log --------------------------------------------------


def test_lesson_ids_are_unique() -> None:
    data = changed("lessons_learned", {})
    data["lessons"].append(dict(data["lessons"][0]))

    with pytest.raises(DeliverableError, match=r"lessons\[1\]\.id: duplicate id 'L1'"):
        parse_deliverable(data)


def test_decisions_are_logged_in_week_order() -> None:
    assert problems("decision_log", {"decisions[1].week": 6}) == [
        ("decisions[2].week", "week 5 is logged after week 6")
    ]


def test_several_decisions_in_one_week_are_fine() -> None:
    assert problems("decision_log", {"decisions[2].week": 3}) == []


def test_decision_ids_are_unique() -> None:
    assert problems("decision_log", {"decisions[2].id": "D2"}) == [
        ("decisions[2].id", "duplicate id 'D2'")
    ]


# ---- every problem, and models built in code ---------------------------------------------


def test_every_broken_rule_is_reported_not_just_the_first() -> None:
    found = problems("schedule", {
        "deadline": "2025-01-01",
        "activities[1].predecessors[0].activity": "Q",
        "activities[3].duration": 1,
    })

    assert sorted(path for path, _ in found) == [
        "activities[1].predecessors[0].activity",
        "activities[3].duration",
        "deadline",
    ]


def test_schedule_built_in_code_with_a_self_link_raises() -> None:
    with pytest.raises(ValidationError, match=r"activities\[0\]\.predecessors\[0\]\.activity"):
        Schedule(
            project_start=date(2025, 3, 3),
            activities=[
                Activity(id="A", name="Design", duration=5, predecessors=[Link(activity="A")])
            ],
        )


def test_risk_register_built_in_code_with_probability_out_of_range_raises() -> None:
    risk = Risk(id="R1", title="Vendor late", probability=7, impact=3,
                statement={"cause": "one vendor", "event": "it is late", "effect": "we slip"})

    with pytest.raises(ValueError, match="probability 7 is not on the 5×5 scale"):
        RiskRegister(risks=[risk])


def test_charter_built_in_code_with_contingency_above_budget_raises() -> None:
    data = good_data("charter")
    data["budget"]["contingency"] = 2_000_000
    del data["kind"], data["schema_version"]

    with pytest.raises(ValidationError, match=r"budget\.contingency: contingency 2,000,000"):
        Charter(**data)


def test_decision_log_built_in_code_out_of_week_order_raises() -> None:
    with pytest.raises(ValidationError, match=r"decisions\[1\]\.week"):
        DecisionLog(decisions=[Decision(id="D1", week=5, type="crash"),
                               Decision(id="D2", week=4, type="crash")])


def test_change_log_built_in_code_with_a_decided_request_without_decision_raises() -> None:
    request = ChangeRequest(id="CR1", raised=date(2025, 6, 2), requester="Ops", title="Labels",
                            description="Print labels", status="closed")

    with pytest.raises(ValidationError, match=r"requests\[0\]\.decision"):
        ChangeLog(requests=[request])


def test_model_built_in_code_with_an_unknown_field_raises() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Schedule(project_start=date(2025, 3, 3), dead_line=date(2025, 12, 19))  # type: ignore[call-arg]


def test_valid_model_built_in_code_equals_the_same_data_read_from_a_file() -> None:
    data = good_data("decision_log")
    built = DecisionLog(decisions=[Decision(**d) for d in data["decisions"]])

    assert built == parse_deliverable(data)
