"""The scenario schema: a real-world IT project as data, validated on load.

A scenario is everything the practice PMO knows that the learner does not write: the
organisation and its people, the business case and its limits, the activity catalogue a
schedule is built from, and — hidden from the learner — the *true* risks and the events
that the execution simulation throws at the project, with the options each offers.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import (
    Currency,
    Document,
    Flag,
    Float,
    Id,
    Int,
    Items,
    Model,
    Money,
    Name,
    Rules,
    Text,
)
from livepmo.deliverables.risks import OPPORTUNITY_STRATEGIES, THREAT_STRATEGIES
from livepmo.deliverables.schedule import Calendar, Link, find_cycle

SCHEMA_VERSION = 1

Attitude = Literal["supporter", "neutral", "resistor"]
Share = Field(ge=0, le=1, description="A probability or share, from 0 to 1")
EventKind = Literal[
    "vendor_delay",
    "staff_loss",
    "scope_push",
    "defects",
    "security_incident",
    "data_quality",
    "cutover",
    "opportunity",
    "regulatory",
    "budget_cut",
    "stakeholder",
    "technical",
]


class Persona(Model):
    """A person the learner deals with: what they care about and how they react."""

    name: Name
    title: Name
    cares_about: Items = Field(min_length=1)
    reacts: Text = Field(min_length=1, description="How they react under pressure")


class Organisation(Model):
    name: Name
    industry: Name
    headcount: Int = Field(ge=1)
    revenue: Text = ""
    locations: Items = []
    situation: Text = Field(min_length=1, description="Why the project exists now")


class Benefit(Model):
    description: Text = Field(min_length=1)
    value_per_year: Money


class BusinessCase(Model):
    """The case for the project, and the numbers beyond which it no longer holds."""

    summary: Text = Field(min_length=1)
    benefits: list[Benefit] = Field(min_length=1)
    payback_months: Int = Field(ge=1, le=240)
    max_cost_overrun_pct: Float = Field(
        ge=0, le=500, description="Overrun of the budget beyond which the case fails (stop)"
    )
    min_scope_pct: Float = Field(
        ge=0, le=100, description="Share of scope below which the benefits are lost (stop)"
    )


class Tolerances(Model):
    time_days: Int = Field(ge=0, le=1000, description="Working days late the board tolerates")
    cost_pct: Float = Field(ge=0, le=100, description="% over the cost baseline tolerated")
    scope_pct: Float = Field(ge=0, le=100, description="% of scope that may be dropped")


class Team(Model):
    size: Int = Field(ge=1, le=1000)
    roles: Items = Field(min_length=1)


class Reaction(Model):
    """How a stakeholder's satisfaction moves when an event of a kind fires."""

    to: EventKind
    satisfaction: Int = Field(ge=-100, le=100)
    says: Text = ""


class StakeholderSeed(Model):
    id: Id
    name: Name
    position: Name
    internal: Flag = True
    interests: Text = Field(min_length=1)
    power: Int = Field(ge=1, le=5)
    interest: Int = Field(ge=1, le=5)
    attitude: Attitude
    legitimacy: Flag = True
    urgency: Flag = False
    satisfaction: Int = Field(default=60, ge=0, le=100, description="Starting satisfaction")
    reactions: list[Reaction] = []


class Crash(Model):
    """How far an activity can be shortened by adding effort, and at what price."""

    max_days: Int = Field(ge=1, le=1000)
    cost_per_day: Money


class CatalogueActivity(Model):
    """An activity a learner can put in the schedule, with its honest estimates."""

    id: Id
    wbs: str = Field(pattern=r"^\d+(\.\d+)*$", max_length=40)
    name: Name
    optimistic: Float = Field(ge=0, le=10_000)
    most_likely: Float = Field(ge=0, le=10_000)
    pessimistic: Float = Field(ge=0, le=10_000)
    cost: Money
    resource: Name
    predecessors: list[Link] = []
    milestone: Flag = False
    level_of_effort: Flag = Field(
        default=False,
        description="Spans the project (its management): its length follows the schedule, "
        "so a learner's variant does not rescale its estimate",
    )
    crash: Crash | None = None


class Impact(Model):
    """What happens to the project when a risk occurs or an option is taken."""

    cost: Float = Field(default=0, ge=-1e9, le=1e9, description="One-off cost (negative: saving)")
    delay: dict[Id, Int] = Field(
        default={}, description="Working days added per activity id (negative: days saved)"
    )
    scope_pct: Float = Field(
        default=0, ge=-100, le=100,
        description="Change of scope delivered, % points (positive: scope added)",
    )
    quality: Int = Field(default=0, ge=-100, le=100, description="Change of quality points")
    satisfaction: dict[Id, Int] = Field(default={}, description="Change per stakeholder id")
    risk_probability: dict[Id, Float] = Field(
        default={}, description="New true probability per risk id"
    )


class RiskResponse(Model):
    """A response a learner can take against a risk, and what it does to the risk."""

    id: Id
    strategy: Literal[
        "avoid", "mitigate", "transfer", "accept", "escalate", "exploit", "enhance", "share"
    ]
    description: Text = Field(min_length=1)
    cost: Money = 0
    probability_after: Float = Share
    impact_factor: Float = Field(default=1, ge=0, le=5, description="Multiplies the impact")


class RiskSeed(Model):
    """A risk as it truly is: the simulation draws it with these numbers."""

    id: Id
    title: Name
    type: Literal["threat", "opportunity"]
    category: Name
    cause: Text = Field(min_length=1)
    event: Text = Field(min_length=1)
    effect: Text = Field(min_length=1)
    probability: Float = Share
    weeks: tuple[Int, Int] = Field(description="Window (first, last week) in which it can occur")
    impact: Impact
    early_signs: Text = Field(min_length=1, description="The trigger a good register names")
    responses: list[RiskResponse] = Field(min_length=1)


class Precondition(Model):
    """One condition an event needs; exactly one field is set."""

    risk_not_mitigated: Id | None = None
    risk_mitigated: Id | None = None
    risk_occurred: Id | None = None
    event_fired: Id | None = None
    event_not_fired: Id | None = None
    activity_started: Id | None = None
    activity_not_finished: Id | None = None


class Trigger(Model):
    weeks: tuple[Int, Int] = Field(description="First and last week in which it can fire")
    probability: Float = Share
    requires: list[Precondition] = []


class EventOption(Model):
    id: Id
    label: Name
    impact: Impact = Impact()
    consequence: Text = Field(min_length=1, description="What the learner is told happens")


class Event(Model):
    """A shock during execution: it fires by its trigger and the learner must decide."""

    id: Id
    title: Name
    kind: EventKind
    trigger: Trigger
    from_stakeholder: Id | None = None
    message: Text = Field(min_length=1, description="What the learner reads when it fires")
    impact: Impact = Impact()
    options: list[EventOption] = Field(min_length=2)
    default_option: Id
    respond_within_weeks: Int = Field(default=1, ge=0, le=26)


class Acceptance(Model):
    deliverable: Name
    accepter: Id = Field(description="Stakeholder id who accepts it")
    criteria: Text = Field(min_length=1)


class ClosureFacts(Model):
    """What closure needs: who accepts what, who takes over, what benefits are measured."""

    acceptance: list[Acceptance] = Field(min_length=1)
    handover_owner: Id = Field(description="Stakeholder id of the operations owner")
    support_model: Text = Field(min_length=1)
    benefit_measures: Items = Field(min_length=1)
    contracts_to_close: Items = []


class Draw(Model):
    """A variant's fate for one risk or event: it strikes in ``week`` if ``u`` < probability."""

    u: Float = Share
    week: Int = Field(ge=1)


class Scenario(Document):
    """One practice project."""

    id: Id
    schema_version: Int
    title: Name
    summary: Text = Field(min_length=1)
    sources: Items = Field(default=[], description="Public practice the figures come from")
    organisation: Organisation
    sponsor: Persona
    reviewer: Persona
    business_case: BusinessCase
    currency: Currency = "EUR"
    budget: Money
    contingency: Money
    start: date
    deadline: date
    confidence: Float = Field(
        default=0.8, ge=0.5, le=0.99, description="Confidence the deadline must be met at"
    )
    calendar: Calendar = Calendar()
    tolerances: Tolerances
    constraints: Items = Field(min_length=1)
    assumptions: Items = Field(min_length=1)
    team: Team
    stakeholders: list[StakeholderSeed] = Field(min_length=10)
    activities: list[CatalogueActivity] = Field(min_length=35)
    risks: list[RiskSeed] = Field(min_length=12)
    events: list[Event] = Field(min_length=12)
    closure: ClosureFacts
    # Set by load_scenario(id, seed) for a learner's variant; never written by an author.
    seed: Int | None = None
    draws: dict[Id, Draw] = {}

    def _rules(self, rules: Rules) -> None:
        people = {s.id for s in self.stakeholders}
        activities = {a.id for a in self.activities}
        risks = {r.id for r in self.risks}
        events = {e.id for e in self.events}
        rules.unique([s.id for s in self.stakeholders], "stakeholders")
        rules.unique([a.id for a in self.activities], "activities")
        rules.unique([r.id for r in self.risks], "risks")
        rules.unique([e.id for e in self.events], "events")
        rules.in_order(self.start, self.deadline, "deadline", "start")
        if self.schema_version != SCHEMA_VERSION:
            rules.add("schema_version", f"schema_version {self.schema_version} is not "
                      f"{SCHEMA_VERSION}", f"write schema_version: {SCHEMA_VERSION}")
        if self.contingency > self.budget:
            rules.add("contingency", "contingency is more than the budget",
                      "contingency is part of the budget: lower it")
        catalogue_cost = sum(a.cost for a in self.activities)
        if catalogue_cost > self.budget:
            rules.add("activities", f"the catalogue costs {catalogue_cost:,.0f}, more than the "
                      f"budget {self.budget:,.0f}", "lower activity costs or raise the budget")
        for i, a in enumerate(self.activities):
            here = f"activities[{i}]"
            if not a.optimistic <= a.most_likely <= a.pessimistic:
                rules.add(here, f"estimates of {a.id!r} are out of order",
                          "use optimistic ≤ most_likely ≤ pessimistic")
            if a.milestone and a.pessimistic != 0:
                rules.add(here, f"milestone {a.id!r} has a duration", "give a milestone 0 days")
            rules.refs(((f"{here}.predecessors[{j}].activity", link.activity)
                        for j, link in enumerate(a.predecessors)), activities, "activity")
        cycle = find_cycle({a.id: [p.activity for p in a.predecessors] for a in self.activities})
        if cycle:
            rules.add("activities", "the catalogue's links form a cycle: "
                      + " → ".join([*cycle, cycle[0]]), "remove one link of the cycle")
        for i, s in enumerate(self.stakeholders):
            rules.unique([r.to for r in s.reactions], f"stakeholders[{i}].reactions", "to")
        for i, r in enumerate(self.risks):
            self._impact(rules, f"risks[{i}].impact", r.impact, people, activities, risks)
            self._window(rules, f"risks[{i}].weeks", r.weeks)
            rules.unique([x.id for x in r.responses], f"risks[{i}].responses")
            allowed = THREAT_STRATEGIES if r.type == "threat" else OPPORTUNITY_STRATEGIES
            for j, response in enumerate(r.responses):
                if response.strategy not in allowed:
                    rules.add(f"risks[{i}].responses[{j}].strategy",
                              f"{response.strategy!r} does not answer a {r.type}",
                              "use one of " + ", ".join(allowed))
        for i, e in enumerate(self.events):
            here = f"events[{i}]"
            self._window(rules, f"{here}.trigger.weeks", e.trigger.weeks)
            if e.from_stakeholder is not None:
                rules.refs([(f"{here}.from_stakeholder", e.from_stakeholder)], people,
                           "stakeholder")
            self._impact(rules, f"{here}.impact", e.impact, people, activities, risks)
            rules.unique([o.id for o in e.options], f"{here}.options")
            rules.refs([(f"{here}.default_option", e.default_option)],
                       {o.id for o in e.options}, "option")
            for j, o in enumerate(e.options):
                self._impact(rules, f"{here}.options[{j}].impact", o.impact, people,
                             activities, risks)
            for j, pre in enumerate(e.trigger.requires):
                set_fields = [k for k, v in pre.model_dump().items() if v is not None]
                path = f"{here}.trigger.requires[{j}]"
                if len(set_fields) != 1:
                    rules.add(path, f"{len(set_fields)} conditions in one entry",
                              "write one condition per entry")
                    continue
                field = set_fields[0]
                known = (risks if field.startswith("risk") else events
                         if field.startswith("event") else activities)
                rules.refs([(f"{path}.{field}", getattr(pre, field))], known,
                           field.split("_")[0])
        rules.refs((("closure.handover_owner", self.closure.handover_owner),), people,
                   "stakeholder")
        rules.refs(((f"closure.acceptance[{i}].accepter", a.accepter)
                    for i, a in enumerate(self.closure.acceptance)), people, "stakeholder")

    @staticmethod
    def _window(rules: Rules, path: str, weeks: tuple[int, int]) -> None:
        first, last = weeks
        if not 1 <= first <= last:
            rules.add(path, f"week window {first}–{last} is not a range of weeks",
                      "write [first, last] with 1 ≤ first ≤ last")

    @staticmethod
    def _impact(
        rules: Rules, path: str, impact: Impact, people: set[str], activities: set[str],
        risks: set[str],
    ) -> None:
        rules.refs(((f"{path}.delay.{k}", k) for k in impact.delay), activities, "activity")
        rules.refs(((f"{path}.satisfaction.{k}", k) for k in impact.satisfaction), people,
                   "stakeholder")
        rules.refs(((f"{path}.risk_probability.{k}", k) for k in impact.risk_probability),
                   risks, "risk")
