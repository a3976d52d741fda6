"""A small synthetic scenario that satisfies the schema: a CRM roll-out in six streams.

Generated in code so each part stays readable: 10 stakeholders, 37 activities (a start,
planning, six streams of design → build → test → integrate → document, then system test,
user acceptance, training, cutover and the end), 12 risks and 12 events. Every event's
default option is worse than its best option, and every threat has a response that costs
less than the harm it is expected to do, so good decisions pay off.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

SCENARIO_ID = "synthetic-crm"
START = date(2027, 1, 4)  # a Monday
STREAMS = range(1, 7)
RATE = 1000.0  # labour cost per most-likely day


def _people() -> list[dict[str, Any]]:
    rows = [
        ("S01", "Dana Weber", "Chief operating officer (sponsor)", 5, 5, "supporter",
         {"scope_push": -3, "budget_cut": -5, "security_incident": -8}),
        ("S02", "Rui Costa", "Head of PMO (reviewer)", 4, 4, "neutral", {"defects": -5}),
        ("S03", "Mia Laine", "Head of sales", 4, 5, "supporter", {"vendor_delay": -4}),
        ("S04", "Tom Ash", "Head of service", 3, 4, "neutral", {"data_quality": -6}),
        ("S05", "Ida Brun", "Procurement lead", 3, 2, "neutral", {"vendor_delay": -3}),
        ("S06", "Leo Park", "Works council", 4, 3, "resistor", {"staff_loss": -5}),
        ("S07", "Eva Roth", "Data protection officer", 4, 4, "neutral", {"regulatory": -6}),
        ("S08", "Ana Silva", "IT operations", 3, 4, "supporter", {"cutover": -6}),
        ("S09", "Kai Berg", "Finance controller", 3, 3, "neutral", {"budget_cut": 3}),
        ("S10", "Zoe Lin", "Key user lead", 2, 5, "supporter", {"technical": -4}),
    ]
    return [
        {
            "id": sid, "name": name, "position": position, "interests": f"{position} outcomes",
            "power": power, "interest": interest, "attitude": attitude, "satisfaction": 60,
            "reactions": [{"to": kind, "satisfaction": d, "says": f"{name} is not pleased."}
                          for kind, d in reactions.items()],
        }
        for sid, name, position, power, interest, attitude, reactions in rows
    ]


def _activity(
    aid: str, wbs: str, likely: float, preds: list[tuple[str, str, int]],
    crash: tuple[int, float] | None = None, milestone: bool = False,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": aid, "wbs": wbs, "name": f"Activity {aid}",
        "optimistic": 0.0 if milestone else round(likely * 0.8 * 2) / 2,
        "most_likely": 0.0 if milestone else likely,
        "pessimistic": 0.0 if milestone else round(likely * 1.6 * 2) / 2,
        "cost": 0.0 if milestone else likely * RATE,
        "resource": "Project team",
        "predecessors": [{"activity": p, "type": t, "lag": lag} for p, t, lag in preds],
        "milestone": milestone,
    }
    if crash:
        row["crash"] = {"max_days": crash[0], "cost_per_day": crash[1]}
    return row


def _activities() -> list[dict[str, Any]]:
    acts = [
        _activity("START", "1", 0, [], milestone=True),
        _activity("PLAN", "2", 8, [("START", "FS", 0)]),
    ]
    for k in STREAMS:
        w = f"3.{k}"
        acts += [
            _activity(f"DES-{k}", f"{w}.1", 6, [("PLAN", "FS", 0)]),
            _activity(f"BLD-{k}", f"{w}.2", 10, [(f"DES-{k}", "FS", 0)], crash=(3, 1200.0)),
            _activity(f"TST-{k}", f"{w}.3", 5, [(f"BLD-{k}", "FS", -1 if k % 2 else 0)]),
            _activity(f"INT-{k}", f"{w}.4", 4, [(f"TST-{k}", "FS", 0)], crash=(2, 1500.0)),
            _activity(f"DOC-{k}", f"{w}.5", 3, [(f"TST-{k}", "SS", 2), (f"INT-{k}", "FF", 1)]),
        ]
    acts += [
        _activity("SIT", "4", 10, [(f"INT-{k}", "FS", 0) for k in STREAMS], crash=(3, 2000.0)),
        _activity("UAT", "5", 8, [("SIT", "FS", 0)], crash=(2, 2500.0)),
        _activity("TRAIN", "6", 5, [("UAT", "SS", 3)]),
        _activity("CUT", "7", 3, [("UAT", "FS", 0), ("TRAIN", "FS", 0)]),
        _activity("END", "8", 0, [("CUT", "FS", 0)], milestone=True),
    ]
    return acts


def _impact(cost: float = 0, delay: dict[str, int] | None = None, scope: float = 0,
            quality: int = 0, sat: dict[str, int] | None = None,
            risk_p: dict[str, float] | None = None) -> dict[str, Any]:
    return {"cost": float(cost), "delay": delay or {}, "scope_pct": float(scope),
            "quality": quality, "satisfaction": sat or {}, "risk_probability": risk_p or {}}


def _risks() -> list[dict[str, Any]]:
    risks = []
    for k in STREAMS:  # R01..R06: a build stream loses time and money
        risks.append(_risk(f"R0{k}", f"Stream {k} developer leaves", 0.45, (2, 5),
                           _impact(6000, {f"BLD-{k}": 8}, quality=-2, sat={"S06": -3}),
                           mitigation=(1500.0, 0.1, 0.5)))
    risks += [
        _risk("R07", "Test environment late", 0.5, (3, 7),
              _impact(5000, {"SIT": 6}, sat={"S08": -5}), mitigation=(2000.0, 0.1, 0.5)),
        _risk("R08", "Key users unavailable for UAT", 0.4, (6, 10),
              _impact(4000, {"UAT": 5}, sat={"S10": -6}), mitigation=(1000.0, 0.15, 0.5)),
        _risk("R09", "Interface specification wrong", 0.35, (3, 6),
              _impact(7000, {"INT-3": 5, "INT-4": 4}, quality=-4), mitigation=(2500.0, 0.1, 0.4)),
        _risk("R10", "Data migration errors", 0.4, (7, 11),
              _impact(6000, {"CUT": 3}, quality=-6, sat={"S04": -5}),
              mitigation=(1500.0, 0.1, 0.5)),
        _risk("R11", "Reusable component found", 0.3, (2, 4),
              _impact(-3000, {"BLD-3": -4}), kind="opportunity", mitigation=(800.0, 0.8, 1.0)),
        _risk("R12", "Licence price rise", 0.3, (4, 8), _impact(3000, sat={"S09": -4}),
              mitigation=(2500.0, 0.2, 1.0)),  # mitigating costs more than it saves
    ]
    return risks


def _risk(rid: str, title: str, p: float, weeks: tuple[int, int], impact: dict[str, Any],
          mitigation: tuple[float, float, float], kind: str = "threat") -> dict[str, Any]:
    cost, p_after, factor = mitigation
    strategy = "exploit" if kind == "opportunity" else "mitigate"
    return {
        "id": rid, "title": title, "type": kind, "category": "delivery",
        "cause": f"Because of {title.lower()}", "event": f"{title} happens.",
        "effect": "Time and money are lost." if kind == "threat" else "Time is saved.",
        "probability": p, "weeks": list(weeks), "impact": impact,
        "early_signs": "Watch the weekly report.",
        "responses": [
            {"id": f"{rid}-M", "strategy": strategy, "description": f"{strategy} {title}",
             "cost": cost, "probability_after": p_after, "impact_factor": factor},
            {"id": f"{rid}-A", "strategy": "accept", "description": "Accept and watch",
             "cost": 0.0, "probability_after": p, "impact_factor": 1.0},
        ],
    }


def _event(eid: str, kind: str, weeks: tuple[int, int], p: float,
           options: list[tuple[str, dict[str, Any]]], default: str, *, within: int = 1,
           requires: list[dict[str, str]] | None = None, impact: dict[str, Any] | None = None,
           who: str | None = None) -> dict[str, Any]:
    return {
        "id": eid, "title": f"{kind.replace('_', ' ').capitalize()} {eid}", "kind": kind,
        "trigger": {"weeks": list(weeks), "probability": p, "requires": requires or []},
        "from_stakeholder": who, "message": f"{eid}: a {kind.replace('_', ' ')} needs you.",
        "impact": impact or _impact(),
        "options": [{"id": oid, "label": oid.lower(), "impact": imp,
                     "consequence": f"{oid.lower()} is done."} for oid, imp in options],
        "default_option": default, "respond_within_weeks": within,
    }


def _events() -> list[dict[str, Any]]:
    return [
        _event("E01", "vendor_delay", (3, 5), 0.8, [
            ("WAIT", _impact(4000, {"BLD-2": 10}, sat={"S01": -5})),
            ("SWITCH", _impact(3000, {"BLD-2": 2})),
            ("PENALTY", _impact(1000, {"BLD-2": 5}, sat={"S05": -5}))], "WAIT"),
        _event("E02", "scope_push", (4, 6), 0.9, [
            ("APPROVE", _impact(12000, {"BLD-4": 6}, scope=5, sat={"S03": 10})),
            ("REJECT", _impact(sat={"S03": -6})),
            ("DEFER", _impact(3000, {"INT-4": 3}, sat={"S03": -5, "S01": -5}))], "DEFER",
            who="S03"),
        _event("E03", "staff_loss", (5, 7), 0.7, [
            ("BACKFILL", _impact(3000, {"TST-1": 2})),
            ("OVERTIME", _impact(3000, quality=-5)),
            ("NOTHING", _impact(2000, {"TST-1": 8}, quality=-3))], "NOTHING",
            requires=[{"risk_not_mitigated": "R01"}]),
        _event("E04", "defects", (6, 9), 0.8, [
            ("FIX", _impact(4000, {"TST-2": 3})),
            ("WAIVE", _impact(quality=-10, sat={"S02": -5})),
            ("IGNORE", _impact(5000, {"INT-2": 6}, quality=-10))], "IGNORE",
            requires=[{"activity_started": "TST-2"}]),
        _event("E05", "security_incident", (6, 8), 0.5, [
            ("CONTAIN", _impact(6000)),
            ("DOWNPLAY", _impact(15000, {"SIT": 5}, sat={"S01": -10}))], "DOWNPLAY", within=0,
            impact=_impact(2000)),
        _event("E06", "data_quality", (7, 9), 0.7, [
            ("CLEANSE", _impact(4000, {"INT-3": 2})),
            ("SKIP", _impact(2000, {"SIT": 4}, quality=-8))], "SKIP",
            requires=[{"activity_not_finished": "INT-3"}]),
        _event("E07", "regulatory", (8, 10), 0.6, [
            ("COMPLY", _impact(7000, {"UAT": 3}, scope=2)),
            ("LATE", _impact(12000, {"UAT": 6}, sat={"S07": -10}))], "LATE", within=2),
        _event("E08", "budget_cut", (5, 9), 0.4, [
            ("CUT_SCOPE", _impact(-8000, scope=-4)),
            ("PROTEST", _impact(sat={"S01": -10, "S09": -5}))], "PROTEST",
            requires=[{"event_not_fired": "E07"}]),
        _event("E09", "stakeholder", (3, 6), 0.8, [
            ("MEET", _impact(500, sat={"S06": 10})),
            ("IGNORE", _impact(sat={"S06": -15, "S04": -5}, risk_p={"R06": 0.9}))], "IGNORE",
            who="S06"),
        _event("E10", "technical", (6, 9), 0.9, [
            ("REFACTOR", _impact(3000, {"BLD-5": 2})),
            ("HACK", _impact(3000, {"SIT": 4}, quality=-8))], "HACK",
            requires=[{"event_fired": "E01"}]),
        _event("E11", "opportunity", (4, 8), 0.6, [
            ("TAKE", _impact(1000, {"BLD-6": -3})),
            ("PASS", _impact(sat={"S10": -3}))], "PASS"),
        _event("E12", "cutover", (9, 14), 0.9, [
            ("REHEARSE", _impact(3000, {"CUT": 1})),
            ("GO", _impact(8000, quality=-10, sat={"S01": -10, "S08": -8}))], "GO",
            requires=[{"activity_started": "SIT"}]),
    ]


def scenario_data() -> dict[str, Any]:
    """The scenario as the YAML an author would write."""
    return {
        "id": SCENARIO_ID, "schema_version": 1, "title": "CRM roll-out (synthetic)",
        "summary": "A mid-sized firm replaces its sales and service CRM.",
        "organisation": {"name": "Synthetic GmbH", "industry": "Wholesale", "headcount": 800,
                         "situation": "The old CRM is out of support next year."},
        "sponsor": {"name": "Dana Weber", "title": "COO", "cares_about": ["go-live date"],
                    "reacts": "Asks for the plan B."},
        "reviewer": {"name": "Rui Costa", "title": "Head of PMO", "cares_about": ["no surprises"],
                     "reacts": "Wants the exception report early."},
        "business_case": {"summary": "Faster quotes, fewer lost leads.",
                          "benefits": [{"description": "Sales uplift", "value_per_year": 400000.0}],
                          "payback_months": 24, "max_cost_overrun_pct": 25.0,
                          "min_scope_pct": 90.0},
        "budget": 260000.0, "contingency": 25000.0,
        "start": START, "deadline": date(2027, 3, 31),
        "tolerances": {"time_days": 5, "cost_pct": 10.0, "scope_pct": 5.0},
        "constraints": ["Go-live before the old CRM's support ends"],
        "assumptions": ["Key users are released half time"],
        "team": {"size": 12, "roles": ["developer", "tester", "analyst"]},
        "stakeholders": _people(),
        "activities": _activities(),
        "risks": _risks(),
        "events": _events(),
        "closure": {"acceptance": [{"deliverable": "CRM", "accepter": "S03",
                                    "criteria": "Sales can quote in the new CRM"}],
                    "handover_owner": "S08", "support_model": "IT operations, 2nd level",
                    "benefit_measures": ["quote lead time"]},
    }


def write_library(folder: Path) -> Path:
    """Write the scenario as ``<folder>/synthetic-crm.yaml``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SCENARIO_ID}.yaml").write_text(
        yaml.safe_dump(scenario_data(), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return folder
