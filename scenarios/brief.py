"""The learner's brief: what a project manager would be told on day one, as markdown.

The brief shows the situation, the people, the business case and the constraints. It
never shows what the simulation keeps hidden: the true risk probabilities and the events.
"""

from __future__ import annotations

from livepmo.scenarios.schema import Persona, Scenario


def brief(scenario: Scenario) -> str:
    """The scenario's brief as markdown (for the terminal, a notebook or a slide)."""
    s, org, case = scenario, scenario.organisation, scenario.business_case
    benefits = sum(b.value_per_year for b in case.benefits)
    lines = [
        f"# {s.title}",
        "",
        s.summary,
        "",
        f"## {org.name}",
        "",
        f"{org.industry}; {org.headcount:,} staff"
        + (f"; {org.revenue}" if org.revenue else "")
        + (f"; {', '.join(org.locations)}" if org.locations else "")
        + ".",
        "",
        org.situation,
        "",
        "## The people you report to",
        "",
        _persona("Sponsor", s.sponsor),
        _persona("PMO reviewer", s.reviewer),
        "## Business case",
        "",
        case.summary,
        "",
        *[f"- {b.description}: {b.value_per_year:,.0f} {s.currency} a year" for b in case.benefits],
        "",
        f"Benefits {benefits:,.0f} {s.currency} a year; payback expected within "
        f"{case.payback_months} months.",
        "",
        "## Budget, dates and tolerances",
        "",
        "| | |",
        "|---|---|",
        f"| Budget | {s.budget:,.0f} {s.currency}, of which contingency "
        f"{s.contingency:,.0f} |",
        f"| Start | {s.start.isoformat()} |",
        f"| Deadline | {s.deadline.isoformat()}, to be met at {s.confidence:.0%} confidence |",
        f"| Tolerances | time {s.tolerances.time_days} working days, cost "
        f"{s.tolerances.cost_pct:g} %, scope {s.tolerances.scope_pct:g} % |",
        f"| Team | {s.team.size} people: {', '.join(s.team.roles)} |",
        "",
        "## Constraints",
        "",
        *[f"- {c}" for c in s.constraints],
        "",
        "## Assumptions",
        "",
        *[f"- {a}" for a in s.assumptions],
        "",
        "## Stakeholders",
        "",
        "| id | name | position | power | interest | attitude |",
        "|---|---|---|---|---|---|",
        *[
            f"| {p.id} | {p.name} | {p.position} | {p.power} | {p.interest} | {p.attitude} |"
            for p in s.stakeholders
        ],
        "",
        f"The activity catalogue holds {len(s.activities)} activities to build your "
        "schedule from.",
    ]
    if s.seed is not None:
        lines += ["", f"Your variant of this project: seed {s.seed}."]
    return "\n".join(lines) + "\n"


def _persona(role: str, p: Persona) -> str:
    cares = "; ".join(p.cares_about)
    return f"**{role}: {p.name}**, {p.title}. Cares about: {cares}. {p.reacts}\n"
