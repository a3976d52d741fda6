"""The execution console: run the project week by week, decide, and keep the decision log.

Execution is event-sourced (architecture decision 3): the console holds a
:class:`~livepmo.execution.Simulation` of the learner's scenario variant and schedule,
and its deliverable, ``decision_log.json``, is the simulation's log. Every decision taken
is checked by the simulation (a refused one changes nothing and says why), applied at
once and saved; "Advance a week" answers the events whose option was chosen, runs the
rest of the week and saves. On start the console replays the saved log, so a restarted
kernel lands in the very same week with the very same state.

The decision log does not say how many weeks were advanced without a decision, so the
console keeps the week it reached in a small hidden file beside the log
(:data:`POSITION_FILE`; hidden files are not deliverables). Without it the console
replays to the week of the last decision.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go
from pydantic import ValidationError

from livepmo.deliverables import DecisionLog, Schedule
from livepmo.deliverables.decisions import Decision
from livepmo.errors import DeliverableError
from livepmo.execution import (
    DecisionError,
    OpenEvent,
    Simulation,
    SimulationError,
)
from livepmo.execution.state import Occurrence
from livepmo.scenarios.schema import Scenario
from livepmo.storage import write_atomic
from livepmo.widgets._builder import Builder
from livepmo.widgets._form import LABEL_WIDTH
from livepmo.widgets.figures.execution import forecast_figure

#: The hidden file beside the decision log that remembers the week the console reached.
POSITION_FILE = ".execution_console.json"

# The levers a project manager pulls without an event to answer, as offered in the console.
_LEVERS: dict[str, str] = {
    "crash": "Crash an activity (extra effort shortens it, at a cost)",
    "fast_track": "Fast-track an activity (overlap it with its predecessors)",
    "add_resource": "Add people to an activity",
    "release_resource": "Release added people from an activity",
    "mitigate_risk": "Take a response to a risk",
    "accept_risk": "Accept a risk (watch it, no action)",
    "raise_exception": "Raise an exception report to the board",
}
_AMOUNT_LABEL = {
    "crash": "Days to cut",
    "add_resource": "People to add",
    "release_resource": "People to release",
}
_STYLE = {"description_width": LABEL_WIDTH}
_WIDE = w.Layout(width="95%", max_width="52em")
_ERROR = "var(--jp-error-color1, #c62828)"
_TEXT = "var(--jp-ui-font-color1)"
_MUTED = "var(--jp-ui-font-color2)"


class ExecutionConsole(Builder[DecisionLog]):
    """Run the execution phase week by week (``decision_log.json``).

    ``scenario`` must be the learner's variant (``load_scenario(id, seed)``) and the
    learner's ``schedule.json`` must be saved in ``folder``. The console shows the week's
    state (forecast finish, days late, cost forecast, breaches, CPI and SPI), what
    happened last week and what the stakeholders said, the open events with their options,
    and the levers; it draws the forecast week by week (:func:`forecast_figure`).
    """

    MODEL = DecisionLog
    DERIVED = ("decisions",)

    def __init__(
        self, folder: str | Path = "deliverables", *, scenario: Scenario | None = None
    ) -> None:
        self.sim: Simulation | None = None
        #: Why the console cannot run ("" when it can).
        self.blocked = ""
        #: The option chosen for each open event, by event id (answered on Advance).
        self.event_choices: dict[str, w.Dropdown] = {}
        # The row of each open event, by (event id, answer-by week): rows of events still
        # open are kept when the list changes, so choices made for them are not lost.
        self._event_rows: dict[tuple[str, int], w.Widget] = {}
        super().__init__(folder, scenario=scenario)
        self._start()
        self.refresh()

    # -- Builder hooks --------------------------------------------------------------------

    def views(self) -> list[w.Widget]:
        self.state = w.HTML()
        self.week_report = w.HTML()
        self.figure = go.FigureWidget(forecast_figure([]))
        self.events = w.VBox()
        self.lever = w.Dropdown(
            options=[(label, key) for key, label in _LEVERS.items()],
            description="Decision",
            style=_STYLE,
            layout=_WIDE,
        )
        self.target = w.Dropdown(description="Acts on", style=_STYLE, layout=_WIDE)
        self.response = w.Dropdown(description="Response", style=_STYLE, layout=_WIDE)
        self.amount = w.IntText(value=1, description="Days / people", style=_STYLE)
        self.rationale = w.Textarea(
            description="Rationale",
            rows=2,
            style=_STYLE,
            layout=_WIDE,
            placeholder="Why? Recorded with the next decision you take or answer you give",
        )
        self.take_button = w.Button(
            description="Take decision", icon="check", tooltip="Check the decision and apply it now"
        )
        self.advance_button = w.Button(
            description="Advance a week",
            icon="forward",
            button_style="warning",
            tooltip="Answer the events whose option you chose, then run the rest of the week",
        )
        self.message = w.HTML()
        self.log_view = w.HTML()
        self.lever.observe(lambda _: self._fill_targets(), names="value")
        self.target.observe(lambda _: self._fill_responses(), names="value")
        self.take_button.on_click(lambda _: self.take_lever())
        self.advance_button.on_click(lambda _: self.advance())
        levers = w.VBox(
            [
                w.HTML("<b>Levers</b>"),
                self.lever,
                self.target,
                self.response,
                self.amount,
                self.take_button,
            ]
        )
        return [
            self.state,
            self.figure,
            self.week_report,
            w.HTML("<b>Open events</b> — choose an option and Answer now, or on Advance"),
            self.events,
            levers,
            self.rationale,
            w.HBox([self.advance_button], layout=w.Layout(margin="6px 0")),
            self.message,
            self.log_view,
        ]

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        # The simulation's log is the deliverable: it holds exactly the decisions applied.
        if self.sim is not None:
            data["decisions"] = self.sim.log.model_dump(mode="json")["decisions"]
        return data

    def refresh(self) -> None:
        sim = self.sim
        controls = (
            self.lever,
            self.target,
            self.response,
            self.amount,
            self.rationale,
            self.take_button,
            self.advance_button,
            self.save_button,
        )
        if sim is None:
            for c in controls:
                c.disabled = True
            self.state.value = _say(self.blocked, error=True) if self.blocked else ""
            return
        for c in controls:
            c.disabled = sim.closed
        self.state.value = self._state_html(sim)
        self.week_report.value = self._week_html(sim)
        self.log_view.value = self._log_html(sim)
        self._show_events(sim)
        self._fill_targets()
        new = forecast_figure(
            sim.history,
            deadline=sim.scenario.deadline,
            budget=sim.scenario.budget,
            currency=sim.schedule.currency,
        )
        with self.figure.batch_update():
            self.figure.data = []
            self.figure.add_traces(list(new.data))
            self.figure.layout = new.layout

    # -- acting ---------------------------------------------------------------------------

    def take(
        self,
        type_: str,
        target: str | None = None,
        option: str | None = None,
        amount: float | None = None,
    ) -> bool:
        """Take one decision now: checked, applied, logged and saved.

        Returns whether it was taken; when refused, the reason and how to fix it are shown
        and nothing changes (neither the simulation nor the saved log).
        """
        sim = self.sim
        if sim is None:
            self._tell(self.blocked or "the console is not running", error=True)
            return False
        try:
            decision = Decision.model_validate(
                {
                    "id": self._next_id(sim),
                    "week": sim.week,
                    "type": type_,
                    "target": target,
                    "option": option,
                    "amount": amount,
                    "rationale": self.rationale.value.strip(),
                }
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            self._tell(f"Not taken: {problems}", error=True)
            return False
        before = sim.forecast()
        try:
            sim.decide(decision)
        except DecisionError as exc:
            self._tell(f"Not taken: {exc.reason} — {exc.fix}", error=True)
            return False
        after = sim.forecast()
        self.rationale.value = ""
        self.save()
        moved = (
            f"forecast finish {before.finish:%d %b %Y} → {after.finish:%d %b %Y}; "
            f"cost forecast {after.cost - before.cost:+,.0f} {sim.schedule.currency}"
        )
        self._tell(f"✓ {decision.id}: {_describe(decision)} — {moved}")
        self.refresh()
        return True

    def take_lever(self) -> bool:
        """Take the decision set up in the levers (the "Take decision" button)."""
        lever = str(self.lever.value)
        amount = float(self.amount.value) if lever in _AMOUNT_LABEL else None
        option = self.response.value if lever == "mitigate_risk" else None
        target = None if lever == "raise_exception" else self.target.value
        return self.take(lever, target, option, amount)

    def answer(self, event_id: str, option: str | None = None) -> bool:
        """Answer an open event now, with ``option`` or else the option chosen for it."""
        sim = self.sim
        event = next((e for e in sim.open_events() if e.id == event_id), None) if sim else None
        if event is None:
            self._tell(f"{event_id} is not open: there is nothing to answer", error=True)
            return False
        choice = self.event_choices.get(event_id)
        option = option if option is not None else choice.value if choice is not None else None
        if option is None:
            self._tell(f"Choose an option for {event_id} first", error=True)
            return False
        kind = "change_request" if event.change_request else "respond_to_event"
        return self.take(kind, event_id, str(option))

    def advance(self) -> bool:
        """Answer the events whose option was chosen, run the rest of the week, save.

        Returns whether the week was run; a refused answer stops it (and says why).
        """
        sim = self.sim
        if sim is None or sim.closed:
            self._tell(self.blocked or "the project is closed", error=True)
            return False
        chosen = [(eid, c.value) for eid, c in self.event_choices.items() if c.value is not None]
        for event_id, option in chosen:
            if not self.answer(event_id, str(option)):
                return False
        state = sim.advance()[0]
        self.save()
        self._remember_week()
        done = " The project is closed." if sim.closed else ""
        self._tell(
            f"Week {state.week} ran: forecast finish {state.forecast.finish:%d %b %Y},"
            f" cost forecast {state.forecast.cost:,.0f} {sim.schedule.currency}.{done}"
        )
        self.refresh()
        return True

    # -- starting: replay the saved log -------------------------------------------------------

    def _start(self) -> None:
        s = self.scenario
        if s is None or s.seed is None:
            self.blocked = (
                "The console needs your scenario variant: "
                "<code>ExecutionConsole(folder, scenario=load_scenario(id, seed))"
                "</code>"
            )
            return
        try:
            schedule = self.store.load(Schedule)
        except DeliverableError as exc:
            self.blocked = (
                f"Your schedule cannot be read, so execution cannot run: {html.escape(str(exc))}"
            )
            return
        if schedule is None:
            self.blocked = (
                f"Save your schedule first: execution runs "
                f"<code>{html.escape(str(self.store.path(Schedule)))}</code>"
            )
            return
        saved = self.deliverable
        if saved is None:
            self.blocked = (
                "The saved decision log has problems (listed below); fix the "
                "file, then run this cell again"
            )
            return
        try:
            sim = Simulation(s, schedule, saved)
        except (DecisionError, SimulationError) as exc:
            self.blocked = (
                f"The saved decision log cannot be replayed on this schedule: "
                f"{html.escape(str(exc))}. The log is kept as it is; restore "
                "the schedule it was taken on, or fix the decision in the file"
            )
            return
        target = max(self._remembered_week(s), sim.week)
        while not sim.closed and sim.week < target:
            sim.advance()
        self.sim = sim

    def _remembered_week(self, s: Scenario) -> int:
        path = self.store.folder / POSITION_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0  # not there yet, or unreadable: replay to the last decision
        if (
            not isinstance(data, dict)
            or data.get("scenario") != s.id
            or data.get("seed") != s.seed
            or not isinstance(data.get("week"), int)
        ):
            return 0  # another variant's position means nothing here
        return int(data["week"])

    def _remember_week(self) -> None:
        assert self.sim is not None and self.scenario is not None
        data = {"scenario": self.scenario.id, "seed": self.scenario.seed, "week": self.sim.week}
        try:
            write_atomic(self.store.folder / POSITION_FILE, json.dumps(data) + "\n")
        except OSError as exc:
            self._tell(
                f"The week reached could not be remembered ({exc}); after a restart "
                "the console replays to your last decision",
                error=True,
            )

    # -- drawing --------------------------------------------------------------------------

    def _state_html(self, sim: Simulation) -> str:
        s, cur = sim.scenario, sim.schedule.currency
        fc = sim.forecast()
        last = sim.history[-1] if sim.history else None
        late = (
            f"{fc.days_late} working days late"
            if fc.days_late > 0
            else f"{-fc.days_late} working days to spare"
            if fc.days_late < 0
            else "on the deadline"
        )
        breaches = (
            "; ".join(html.escape(b.message) for b in fc.breaches)
            if fc.breaches
            else "none forecast"
        )
        rows = [
            ("Week", f"{sim.week} — closed" if sim.closed else f"{sim.week} (being decided)"),
            (
                "Status date",
                f"{last.end:%a %d %b %Y} (end of week {last.week})"
                if last
                else f"{s.start:%a %d %b %Y} (start)",
            ),
            ("Forecast finish", f"{fc.finish:%d %b %Y} — {late} (deadline {s.deadline:%d %b %Y})"),
            ("Cost forecast (EAC)", f"{fc.cost:,.0f} {cur} (budget {s.budget:,.0f})"),
            ("Scope", f"{fc.scope_pct:g}%"),
            ("Tolerance breaches", _colour(breaches, bool(fc.breaches))),
        ]
        if last is not None:
            rows += [
                ("CPI / SPI", f"{_index(last.evm.cpi)} / {_index(last.evm.spi)}"),
                ("PV / EV / AC", f"{last.pv:,.0f} / {last.ev:,.0f} / {last.ac:,.0f} {cur}"),
                ("Quality", str(last.quality)),
            ]
        if sim.closed:
            rows += [
                (f"At closure: {k}", html.escape(v)) for k, v in sim.outcome().key_figures().items()
            ]
        return _table(rows)

    def _week_html(self, sim: Simulation) -> str:
        if not sim.history:
            return _say("Week 1 is about to run: nothing has happened yet.")
        last, cur = sim.history[-1], sim.schedule.currency
        names = {p.id: p.name for p in sim.scenario.stakeholders}
        senders = {e.id: e.from_stakeholder for e in sim.scenario.events}
        parts = [f"<b>What happened in week {last.week}</b>"]
        items: list[str] = []
        for o in (*last.risks_struck, *last.events_fired, *last.decisions, *last.defaults):
            who = names.get(senders.get(o.id) or "", "") if o.kind == "event" else ""
            items.append(_occurrence_html(o, cur, who))
        parts.append(
            "<ul style='margin: 2px 0'>" + "".join(items) + "</ul>"
            if items
            else _say("A quiet week: no risk struck, no event fired.")
        )
        if last.notes:
            parts.append(
                "<b>The stakeholders and the team say</b><ul style='margin: 2px 0'>"
                + "".join(f"<li>{html.escape(n)}</li>" for n in last.notes)
                + "</ul>"
            )
        return f"<div style='color: {_TEXT}'>" + "".join(parts) + "</div>"

    def _log_html(self, sim: Simulation) -> str:
        decisions = sim.log.decisions
        if not decisions:
            return _say("No decisions taken yet.")
        rows = "".join(
            f"<tr><td>{d.week}</td><td>{html.escape(d.id)}</td>"
            f"<td>{html.escape(_describe(d))}</td><td>{html.escape(d.rationale)}</td></tr>"
            for d in reversed(decisions)
        )
        return (
            f"<details style='color: {_TEXT}'><summary>Decision log: {len(decisions)} "
            "decisions (newest first)</summary><table><tr><th>Week</th><th>Id</th>"
            f"<th>Decision</th><th>Rationale</th></tr>{rows}</table></details>"
        )

    def _show_events(self, sim: Simulation) -> None:
        names = {p.id: p.name for p in sim.scenario.stakeholders}
        rows: dict[tuple[str, int], w.Widget] = {}
        choices: dict[str, w.Dropdown] = {}
        for e in sim.open_events():
            key = (e.id, e.respond_by_week)
            if key in self._event_rows and e.id in self.event_choices:
                rows[key], choices[e.id] = self._event_rows[key], self.event_choices[e.id]
            else:
                rows[key], choices[e.id] = self._event_row(e, names, sim.week)
        if list(rows) == list(self._event_rows) and self.events.children:
            return
        self._event_rows, self.event_choices = rows, choices
        self.events.children = list(rows.values()) or [_note("No event waits for an answer.")]

    def _event_row(
        self, e: OpenEvent, names: dict[str, str], week: int
    ) -> tuple[w.Widget, w.Dropdown]:
        default = next((o.label for o in e.options if o.id == e.default_option), e.default_option)
        who = names.get(e.from_stakeholder or "", "")
        due = "this week" if e.respond_by_week <= week else f"by week {e.respond_by_week}"
        head = (
            f"<b>{html.escape(e.id)} — {html.escape(e.title)}</b>"
            + (" (change request)" if e.change_request else "")
            + (f"<br><i>{html.escape(who)}:</i> " if who else "<br>")
            + html.escape(e.message)
            + f"<br><span style='color: {_MUTED}'>Answer {due}; otherwise "
            f"“{html.escape(default)}” applies.</span>"
        )
        choice = w.Dropdown(
            options=[("— no answer yet —", None)]
            + [(f"{o.label}: {o.consequence}", o.id) for o in e.options],
            value=None,
            description="Answer",
            style=_STYLE,
            layout=_WIDE,
        )
        answer = w.Button(
            description="Answer now", icon="reply", tooltip=f"Answer {e.id} with the chosen option"
        )
        escalate = w.Button(
            description="Escalate",
            icon="level-up",
            tooltip="Ask the sponsor: two more weeks to answer; the sponsor's goodwill suffers",
        )
        answer.on_click(lambda _, eid=e.id: self.answer(eid))
        escalate.on_click(lambda _, eid=e.id: self.take("escalate", eid))
        row = w.VBox(
            [
                w.HTML(f"<div style='color: {_TEXT}'>{head}</div>"),
                choice,
                w.HBox([answer, escalate]),
            ],
            layout=w.Layout(
                border="1px solid var(--jp-border-color2, #ccc)", padding="4px 8px", margin="4px 0"
            ),
        )
        return row, choice

    def _fill_targets(self) -> None:
        sim, lever = self.sim, str(self.lever.value)
        self.amount.description = _AMOUNT_LABEL.get(lever, "Days / people")
        self.amount.disabled = lever not in _AMOUNT_LABEL or sim is None or sim.closed
        if sim is None:
            return
        options = _targets(sim, lever)
        self.target.disabled = lever == "raise_exception" or sim.closed
        if options != list(self.target.options):
            keep = self.target.value
            self.target.options = options
            ids = [v for _, v in options]
            self.target.value = keep if keep in ids else (ids[0] if ids else None)
        self._fill_responses()

    def _fill_responses(self) -> None:
        sim, lever = self.sim, str(self.lever.value)
        risk = (
            next((r for r in sim.scenario.risks if r.id == self.target.value), None)
            if sim is not None and lever == "mitigate_risk"
            else None
        )
        options = [
            (f"{r.id} — {r.strategy}: {r.description} (costs {r.cost:,.0f})", r.id)
            for r in (risk.responses if risk is not None else [])
        ]
        if options != list(self.response.options):
            self.response.options = options
            self.response.value = options[0][1] if options else None
        self.response.disabled = risk is None or sim is None or sim.closed

    def _tell(self, text: str, *, error: bool = False) -> None:
        self.message.value = _say(html.escape(text), error=error)

    @staticmethod
    def _next_id(sim: Simulation) -> str:
        taken = {d.id for d in sim.log.decisions}
        k = sum(d.week == sim.week for d in sim.log.decisions) + 1
        while f"D{sim.week:03d}-{k:02d}" in taken:
            k += 1
        return f"D{sim.week:03d}-{k:02d}"


# -- small helpers --------------------------------------------------------------------------


def _targets(sim: Simulation, lever: str) -> list[tuple[str, str]]:
    """What a lever can act on now, labelled; the simulation still checks every choice."""
    if lever == "raise_exception":
        return []
    if lever in ("mitigate_risk", "accept_risk"):
        # Leave out the risks the learner knows are settled: struck, or already decided.
        struck = {o.id for week in sim.history for o in week.risks_struck}
        decided = {
            d.target
            for d in sim.log.decisions
            if d.type == "mitigate_risk" or (d.type == lever == "accept_risk")
        }
        return [
            (f"{r.id} — {r.title} ({r.type})", r.id)
            for r in sim.scenario.risks
            if r.id not in struck and r.id not in decided
        ]
    status = sim.forecast().activities
    out = []
    for a in sim.schedule.activities:
        st = status.get(a.id)
        if st is None or st.finish is not None:
            continue
        if lever == "crash" and st.crash_days_left < 1:
            continue
        if lever == "fast_track" and st.start is not None:
            continue
        if lever in ("add_resource", "release_resource") and a.milestone:
            continue
        if lever == "release_resource" and st.people_added < 1:
            continue
        notes = [
            n
            for n, on in (
                ("critical", st.critical),
                (f"{st.crash_days_left} crash days left", lever == "crash"),
                (f"{st.people_added} added", st.people_added > 0),
            )
            if on
        ]
        extra = f" ({', '.join(notes)})" if notes else ""
        out.append((f"{a.id} — {a.name}{extra}", a.id))
    return out


def _describe(d: Decision) -> str:
    parts = [d.type.replace("_", " ")]
    if d.target:
        parts.append(d.target)
    if d.option:
        parts.append(f"→ {d.option}")
    if d.amount is not None:
        parts.append(f"× {d.amount:g}")
    return " ".join(parts)


def _occurrence_html(o: Occurrence, currency: str, who: str) -> str:
    kind = {
        "risk": "Risk struck",
        "event": "Event",
        "decision": "Decision",
        "default": "No answer in time",
    }[o.kind]
    sender = f" <i>(from {html.escape(who)})</i>" if who else ""
    return (
        f"<li><b>{kind}: {html.escape(o.title)}</b>{sender} — {html.escape(o.message)} "
        f"<span style='color: {_MUTED}'>[{html.escape(o.effect.describe(currency))}]"
        "</span></li>"
    )


def _index(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _colour(text: str, bad: bool) -> str:
    return f"<span style='color: {_ERROR}'>{text}</span>" if bad else text


def _table(rows: Sequence[tuple[str, str]]) -> str:
    return (
        f"<table style='color: {_TEXT}'>"
        + "".join(
            f"<tr><td style='padding-right: 1em; vertical-align: top'>{k}</td><td><b>{v}</b></td>"
            "</tr>"
            for k, v in rows
        )
        + "</table>"
    )


def _say(text: str, *, error: bool = False) -> str:
    return f"<div style='color: {_ERROR if error else _TEXT}'>{text}</div>"


def _note(text: str) -> w.HTML:
    return w.HTML(_say(html.escape(text)))
