"""The closure report builder: objectives against outcome, variances, acceptance, handover."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from pathlib import Path
from typing import Any

import ipywidgets as w

from livepmo.deliverables import Charter, ClosureReport, DecisionLog, Schedule
from livepmo.errors import LivepmoError
from livepmo.execution import Outcome, Simulation
from livepmo.scenarios.schema import Scenario
from livepmo.widgets._builder import Builder
from livepmo.widgets._form import date_value

_TEXT = "var(--jp-ui-font-color1)"
_MUTED = "var(--jp-ui-font-color2)"
_OUTCOMES = (("met", "met"), ("partly_met", "partly met"), ("not_met", "not met"))


class ClosureReportBuilder(Builder[ClosureReport]):
    """Build the closure report (``closure_report.json``).

    The first draft takes only facts: the planned and actual dates and costs from the
    execution replayed from the saved schedule and decision log (with the scenario
    variant), and from the scenario's closure facts the deliverables to accept and who
    accepts each, the operations owner and support model, and the contracts to close.
    What the learner judges — the summary, each objective's outcome and its evidence, the
    explanations and the sign-off — is left to write. The summary above the form counts
    the objectives met, partly met and not met (and names the charter's objectives without
    an outcome) and tabulates the variances beside the simulation's figures.
    """

    MODEL = ClosureReport

    def __init__(
        self, folder: str | Path = "deliverables", *, scenario: Scenario | None = None
    ) -> None:
        self._outcome: Outcome | None = None
        self._outcome_note = ""
        self._outcome_done = False
        super().__init__(folder, scenario=scenario)

    def views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        return [self.summary]

    def outcome(self) -> Outcome | None:
        """The project's outcome replayed from the saved schedule and decision log, or None
        when it cannot be (no scenario variant, files missing or not replayable)."""
        if not self._outcome_done:
            self._outcome_done = True
            self._outcome, self._outcome_note = self._replay()
        return self._outcome

    def _replay(self) -> tuple[Outcome | None, str]:
        s = self.scenario
        if s is None or s.seed is None:
            return None, "no scenario variant was given"
        try:
            schedule = self.store.load(Schedule)
            log = self.store.load(DecisionLog)
            if schedule is None or log is None:
                return None, "the schedule and the decision log must both be saved"
            return Simulation(s, schedule, log).run(), ""
        except LivepmoError as exc:
            return None, f"the execution cannot be replayed: {exc}"

    def draft(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        outcome = self.outcome()
        if outcome is not None:
            data.update(
                {
                    "planned_start": outcome.planned_start.isoformat(),
                    "planned_finish": outcome.planned_finish.isoformat(),
                    "actual_start": outcome.actual_start.isoformat(),
                    "actual_finish": outcome.actual_finish.isoformat(),
                    "planned_cost": float(outcome.planned_cost),
                    "actual_cost": round(float(outcome.actual_cost), 2),
                }
            )
        s = self.scenario
        if s is not None:
            names = {p.id: p.name for p in s.stakeholders}
            facts = s.closure
            # Who accepts what is a fact of the scenario; whether it was accepted is not.
            data["acceptance"] = [
                {
                    "deliverable": a.deliverable,
                    "accepted": False,
                    "accepted_by": names.get(a.accepter, ""),
                }
                for a in facts.acceptance
            ]
            data["handover"] = {
                "owner": names.get(facts.handover_owner, ""),
                "support_model": facts.support_model,
            }
            data["open_items"] = [f"Contract to close: {c}" for c in facts.contracts_to_close]
        return data

    def refresh(self) -> None:
        data = self.form.value
        parts = [self._objectives_html(data), self._variances_html(data), _others_html(data)]
        self.summary.value = f"<div style='color: {_TEXT}'>" + "".join(parts) + "</div>"

    # -- the summary ------------------------------------------------------------------------

    def _objectives_html(self, data: dict[str, Any]) -> str:
        rows = [o for o in data.get("objectives", []) if isinstance(o, dict)]
        counts = Counter(str(o.get("outcome")) for o in rows)
        text = ", ".join(f"<b>{counts[key]}</b> {label}" for key, label in _OUTCOMES)
        missing = ""
        charter = self._charter()
        if charter is not None:
            assessed = {str(o.get("objective")) for o in rows}
            left = [o.id for o in charter.objectives if o.id not in assessed]
            if left:
                missing = (
                    f"<br><span style='color: {_MUTED}'>Charter objectives without an "
                    f"outcome yet: {html.escape(', '.join(left))}</span>"
                )
        return f"<div><b>Objectives</b> ({len(rows)}): {text}{missing}</div>"

    def _variances_html(self, data: dict[str, Any]) -> str:
        outcome = self.outcome()
        starts = date_value(data.get("planned_start")), date_value(data.get("actual_start"))
        finishes = date_value(data.get("planned_finish")), date_value(data.get("actual_finish"))
        costs = _money(data.get("planned_cost")), _money(data.get("actual_cost"))
        sim_head = "<th>Simulated actual</th>" if outcome is not None else ""
        rows = [
            (
                "Start",
                *map(_show_date, starts),
                _days(*starts),
                _show_date(outcome.actual_start) if outcome else None,
            ),
            (
                "Finish",
                *map(_show_date, finishes),
                _days(*finishes),
                f"{outcome.actual_finish} ({outcome.finish_variance_days:+d} working days)"
                if outcome
                else None,
            ),
            (
                "Cost",
                *map(_show_money, costs),
                _pct(*costs),
                f"{outcome.actual_cost:,.0f} ({outcome.cost_variance_pct:+.1f}%)"
                if outcome
                else None,
            ),
        ]
        body = "".join(
            "<tr>"
            + "".join(f"<td style='padding: 0 .8em 0 0'>{c}</td>" for c in row if c is not None)
            + "</tr>"
            for row in rows
        )
        note = (
            ""
            if outcome is not None or not self._outcome_note
            else f"<div style='color: {_MUTED}'>Simulated figures not shown: "
            f"{html.escape(self._outcome_note)}</div>"
        )
        return (
            "<div style='margin-top: 4px'><b>Variances</b></div>"
            f"<table style='color: {_TEXT}'><tr><th></th><th>Planned</th><th>Actual</th>"
            f"<th>Variance</th>{sim_head}</tr>{body}</table>{note}"
        )

    def _charter(self) -> Charter | None:
        try:
            return self.store.load(Charter)
        except LivepmoError:
            return None  # an unreadable charter has its own builder to show why


def _others_html(data: dict[str, Any]) -> str:
    acceptance = [a for a in data.get("acceptance", []) if isinstance(a, dict)]
    accepted = sum(a.get("accepted") is True for a in acceptance)
    raw = data.get("changes")
    changes: dict[str, Any] = raw if isinstance(raw, dict) else {}
    decided = ", ".join(f"{changes.get(k, 0)} {k}" for k in ("approved", "rejected", "deferred"))
    sign_off = data.get("sign_off")
    decision = (
        str(sign_off.get("decision", "")).replace("_", " ")
        if isinstance(sign_off, dict)
        else "not yet"
    )
    return (
        f"<div style='margin-top: 4px'>Deliverables accepted: <b>{accepted} of "
        f"{len(acceptance)}</b> · Change requests: <b>{changes.get('raised', 0)}</b> "
        f"raised ({html.escape(decided)}) · Sign-off: <b>{html.escape(decision)}</b></div>"
    )


def _money(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and value >= 0 else None


def _show_date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "—"


def _show_money(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "—"


def _days(planned: dt.date | None, actual: dt.date | None) -> str:
    # Calendar days, as the closure report's own key figures count them.
    return f"{(actual - planned).days:+d} days" if planned and actual else "—"


def _pct(planned: float | None, actual: float | None) -> str:
    if planned is None or actual is None:
        return "—"
    # The report's own rule for the cost variance, on figures that may not validate yet.
    figures: dict[str, Any] = {"planned_cost": planned, "actual_cost": actual}
    pct = ClosureReport.model_construct(**figures).cost_variance_pct
    return f"{pct:+.1f}%" if pct is not None else "—"
