"""The change-request builder: the change log, and each request's impact recomputed.

A change request states its impact (working days the finish moves, cost, affected
activities); the PMO review recomputes such numbers rather than trusting them
(architecture decision 2). So the impact panel does the recomputation the learner would
otherwise guess: it applies the proposed change to a copy of the learner's
``schedule.json`` and re-runs the critical path (:func:`livepmo.planning.critical_path`)
and the cost on that copy.

The change log model has no field for the proposal itself, so the panel asks for it in a
small, explicit form: for each affected activity, the working days it gains (negative:
loses) and the cost it adds, plus a cost not tied to any activity (a licence, say).
Extra scope is expressed as extra days on the activity that will do the work. The
proposal lives in the panel; "Use this impact" writes its outcome into the request's
impact (``schedule_days``, ``cost``, ``affected_activities``), which is what is saved.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ipywidgets as w

from livepmo.deliverables import ChangeLog, Charter, Schedule
from livepmo.errors import LivepmoError
from livepmo.planning import PlanningError, critical_path
from livepmo.widgets._builder import Builder
from livepmo.widgets._form import LABEL_WIDTH, Rows
from livepmo.widgets._views import SavedDeliverable

_MUTED = "var(--jp-ui-font-color2, #666)"
_ERROR = "var(--jp-error-color1, #c62828)"
_GOOD = "var(--jp-success-color1, #2e7d32)"
_STYLE = {"description_width": LABEL_WIDTH}


@dataclass(frozen=True)
class ActivityChange:
    """A proposed change to one activity: working days added (negative: removed) and the
    cost it adds (negative: saves)."""

    activity: str
    days: int = 0
    cost: float = 0.0


@dataclass(frozen=True)
class ChangeImpact:
    """The recomputed impact of a change on the schedule and the cost.

    Times are working days; ``schedule_days`` is how far the project finish moves (the
    meaning of a change request's ``impact.schedule_days``). ``critical`` lists the
    activities whose days change and that are on the critical path before or after the
    change (its float used up); ``float_before`` gives every changed activity's total
    float before it. The tolerances are the charter's:
    time is working days past the deadline, cost a percentage over the cost baseline
    (the planned cost of all activities).
    """

    finish_before: date
    finish_after: date
    schedule_days: int
    critical: tuple[str, ...]
    float_before: dict[str, int]
    cost_before: float
    cost_after: float
    deadline: date | None = None
    slack_before: int | None = None
    slack_after: int | None = None
    time_tolerance_days: int | None = None
    cost_tolerance_pct: float | None = None
    affected: tuple[str, ...] = field(default=())

    @property
    def cost(self) -> float:
        """The change in cost (the meaning of a change request's ``impact.cost``)."""
        return self.cost_after - self.cost_before

    @property
    def hits_critical_path(self) -> bool:
        """Whether the change touches an activity on the critical path."""
        return bool(self.critical)

    @property
    def meets_deadline(self) -> bool | None:
        """Whether the changed plan still finishes by the deadline (None: no deadline)."""
        return None if self.slack_after is None else self.slack_after >= 0

    @property
    def days_late(self) -> int | None:
        """Working days the changed plan finishes after the deadline (0 when on time)."""
        return None if self.slack_after is None else max(0, -self.slack_after)

    @property
    def within_time_tolerance(self) -> bool | None:
        """Whether the changed plan's lateness stays within the time tolerance."""
        late = self.days_late
        if late is None or self.time_tolerance_days is None:
            return None
        return late <= self.time_tolerance_days

    @property
    def cost_limit(self) -> float | None:
        """The most the plan may cost within the cost tolerance."""
        if self.cost_tolerance_pct is None:
            return None
        return self.cost_before * (1 + self.cost_tolerance_pct / 100)

    @property
    def within_cost_tolerance(self) -> bool | None:
        """Whether the changed plan's cost stays within the cost tolerance."""
        limit = self.cost_limit
        return None if limit is None else self.cost_after <= limit + 1e-6


def assess_change(
    schedule: Schedule,
    changes: list[ActivityChange],
    *,
    other_cost: float = 0.0,
    time_tolerance_days: int | None = None,
    cost_tolerance_pct: float | None = None,
) -> ChangeImpact:
    """Apply ``changes`` to a copy of ``schedule``, re-run the critical path and the cost.

    ``other_cost`` is cost not tied to an activity. Raises
    :class:`~livepmo.planning.PlanningError` for an unknown activity, a milestone given
    days, or a duration or cost that would fall below zero (and whatever
    :func:`~livepmo.planning.critical_path` raises for the schedule itself).
    """
    by_id = {a.id: a for a in schedule.activities}
    wanted: dict[str, tuple[int, float]] = {}
    for c in changes:
        days, cost = wanted.get(c.activity, (0, 0.0))
        wanted[c.activity] = (days + c.days, cost + c.cost)
    for aid, (days, cost) in wanted.items():
        act = by_id.get(aid)
        if act is None:
            raise PlanningError(
                "is not in the schedule", activity=aid, fix="choose an activity of schedule.json"
            )
        if act.milestone and days:
            raise PlanningError(
                "is a milestone: it takes no time",
                activity=aid,
                fix="give the days to the activity that leads to it",
            )
        if act.duration + days < 0:
            raise PlanningError(
                f"would last {act.duration + days} days",
                activity=aid,
                fix=f"remove at most {act.duration} days",
            )
        if act.cost + cost < 0:
            raise PlanningError(
                f"would cost {act.cost + cost:,.0f}",
                activity=aid,
                fix=f"save at most {act.cost:,.0f}",
            )
    changed = schedule.model_copy(
        update={
            "activities": [
                a.model_copy(
                    update={
                        "duration": a.duration + wanted[a.id][0],
                        "cost": a.cost + wanted[a.id][1],
                    }
                )
                if a.id in wanted
                else a
                for a in schedule.activities
            ]
        }
    )
    before, after = critical_path(schedule), critical_path(changed)
    floats = {aid: before.activity(aid).total_float for aid in wanted}
    return ChangeImpact(
        finish_before=before.finish_date,
        finish_after=after.finish_date,
        schedule_days=after.finish - before.finish,
        # Days moved on an activity that is critical before or after (float used up) move
        # the critical path; cost alone does not.
        critical=tuple(
            aid
            for aid, (days, _) in wanted.items()
            if days and (before.activity(aid).critical or after.activity(aid).critical)
        ),
        float_before=floats,
        cost_before=_cost(schedule),
        cost_after=_cost(changed) + other_cost,
        deadline=schedule.deadline,
        slack_before=before.deadline_slack,
        slack_after=after.deadline_slack,
        time_tolerance_days=time_tolerance_days,
        cost_tolerance_pct=cost_tolerance_pct,
        affected=tuple(wanted),
    )


def _cost(schedule: Schedule) -> float:
    return float(sum(a.cost for a in schedule.activities))


@dataclass
class _Proposal:
    """What the learner proposes for one change request (kept while the builder lives)."""

    changes: list[ActivityChange]
    other_cost: float = 0.0


class _ChangeRow:
    """One activity of the proposal: its name, extra days, extra cost and a remove button."""

    def __init__(self, change: ActivityChange, name: str) -> None:
        self.activity = change.activity
        self.days = w.IntText(
            value=change.days,
            description="Extra working days",
            style=_STYLE,
            layout=w.Layout(width="20em"),
            tooltip="Working days this activity gains (negative: loses)",
        )
        self.cost = w.FloatText(
            value=change.cost,
            description="Extra cost",
            style={"description_width": "6em"},
            layout=w.Layout(width="16em"),
            tooltip="Cost this activity gains (negative: saves)",
        )
        self.remove = w.Button(
            description="Remove", icon="trash", tooltip=f"Take {change.activity} out of the change"
        )
        label = w.HTML(
            f"<b>{html.escape(change.activity)}</b> {html.escape(name)}",
            layout=w.Layout(margin=f"0 0 0 {LABEL_WIDTH}"),
        )
        self.box = w.VBox([label, w.HBox([self.days, self.cost, self.remove])])

    @property
    def value(self) -> ActivityChange:
        """The row as a change."""
        return ActivityChange(self.activity, int(self.days.value), float(self.cost.value))


class ChangeRequestForm(Builder[ChangeLog]):
    """Keep the change log (``change_log.json``) and assess each request's impact.

    Above the register, the impact panel works on the chosen request: list the
    activities the change affects with the working days and cost each gains, and the
    panel re-runs the critical path and the cost on a copy of ``schedule.json`` (same
    folder): the finish before and after, the delay, whether the critical path is hit,
    the cost before and after, and whether the deadline and the charter's tolerances
    still hold. "Use this impact" writes the result into the request's impact fields.
    """

    MODEL = ChangeLog
    _impact: ChangeImpact | None = None

    def views(self) -> list[w.Widget]:
        self._quiet = False
        self._schedule = SavedDeliverable(self.store, Schedule)
        self._charter = SavedDeliverable(self.store, Charter)
        self._proposals: dict[str, _Proposal] = {}
        self._rows: list[_ChangeRow] = []
        self._showing: str | None = None  # the request whose proposal the panel shows
        self.heading = w.HTML()
        self.message = w.HTML()
        self.activity_picker = w.Dropdown(
            description="Affected activity",
            style=_STYLE,
            layout=w.Layout(width="36em"),
            tooltip="An activity of schedule.json the change affects",
        )
        self.add_button = w.Button(
            description="Add to the change",
            icon="plus",
            layout=w.Layout(width="auto"),
            tooltip="Add the chosen activity to the proposed change",
        )
        self.other_cost = w.FloatText(
            description="Other cost",
            style=_STYLE,
            layout=w.Layout(width="24em"),
            tooltip="Cost of the change not tied to an activity (negative: a saving)",
        )
        self.changes_box = w.VBox()
        self.result = w.HTML()
        self.use_button = w.Button(
            description="Use this impact",
            icon="check",
            button_style="info",
            tooltip="Write these schedule days, cost and affected activities into the "
            "request's impact",
        )
        self.add_button.on_click(lambda _: self._add_activity())
        self.other_cost.observe(lambda _: self._proposal_edited(), names="value")
        self.use_button.on_click(lambda _: self.use_impact())
        self.rows.picker.observe(lambda _: self.refresh(), names="value")
        self.editor = w.VBox(
            [
                w.HBox([self.activity_picker, self.add_button]),
                self.changes_box,
                self.other_cost,
            ]
        )
        panel = w.VBox(
            [self.heading, self.message, self.editor, self.result, self.use_button],
            layout=w.Layout(
                border="1px solid var(--jp-border-color2, #ccc)", padding="4px 8px", margin="4px 0"
            ),
        )
        return [panel]

    @property
    def rows(self) -> Rows:
        """The register of change requests (its list, buttons and the chosen request's form)."""
        rows = self.form.find("requests")
        assert isinstance(rows, Rows)
        return rows

    # -- the proposal ---------------------------------------------------------------------

    def _chosen(self) -> tuple[int, dict[str, Any]] | None:
        i = self.rows.index
        return None if i is None else (i, self.rows.rows[i])

    def proposal(self) -> tuple[list[ActivityChange], float]:
        """The proposed change the panel shows: activity changes and other cost."""
        return [r.value for r in self._rows], float(self.other_cost.value)

    def propose(self, changes: list[ActivityChange], other_cost: float = 0.0) -> None:
        """Set the chosen request's proposed change (as if typed into the panel)."""
        if self._showing is None:
            return
        self._proposals[self._showing] = _Proposal(list(changes), other_cost)
        self._showing = None  # redraw the proposal's editors
        self.refresh()

    def _add_activity(self) -> None:
        aid = self.activity_picker.value
        if not isinstance(aid, str) or aid in {r.activity for r in self._rows}:
            return
        changes, other = self.proposal()
        self.propose([*changes, ActivityChange(aid)], other)

    def _remove(self, activity: str) -> None:
        changes, other = self.proposal()
        self.propose([c for c in changes if c.activity != activity], other)

    def _proposal_edited(self) -> None:
        if self._showing is None or self._quiet:
            return
        changes, other = self.proposal()
        self._proposals[self._showing] = _Proposal(changes, other)
        self._assess()

    def _show_proposal(self, key: str, request: dict[str, Any], schedule: Schedule) -> None:
        """Draw the editors of a request's proposal (first time: its affected activities)."""
        names = {a.id: a.name for a in schedule.activities}
        if key not in self._proposals:
            impact = request.get("impact") or {}
            listed = impact.get("affected_activities", []) if isinstance(impact, dict) else []
            self._proposals[key] = _Proposal(
                [ActivityChange(a) for a in listed if isinstance(a, str) and a in names]
            )
        proposal = self._proposals[key]
        self._quiet = True
        try:
            self._rows = [_ChangeRow(c, names.get(c.activity, "")) for c in proposal.changes]
            for row in self._rows:
                row.days.observe(lambda _: self._proposal_edited(), names="value")
                row.cost.observe(lambda _: self._proposal_edited(), names="value")
                row.remove.on_click(lambda _, a=row.activity: self._remove(a))
            self.changes_box.children = [r.box for r in self._rows] or [
                w.HTML(
                    f"<div style='color: {_MUTED}; margin-left: {LABEL_WIDTH}'>No activity "
                    "yet: choose the activities the change affects and add them.</div>"
                )
            ]
            self.other_cost.value = proposal.other_cost
            self.activity_picker.options = [
                (f"{a.id} — {a.name}", a.id) for a in schedule.activities
            ]
        finally:
            self._quiet = False
        self._showing = key

    # -- live views -------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._quiet:
            return
        chosen = self._chosen()
        schedule, why = self._schedule.get()
        self._impact = None
        if chosen is None:
            self._panel(
                "Impact of a change request",
                "Choose a change request in the list below (or add one) to assess its impact.",
            )
            return
        i, request = chosen
        title = str(request.get("title") or "")
        self.heading.value = (
            f"<b>Impact of {html.escape(str(request.get('id') or f'#{i + 1}'))}</b>"
            + (f" — {html.escape(title)}" if title else "")
        )
        if schedule is None:
            self._panel(
                None,
                f"{why} The impact is computed on a copy of the schedule: save "
                "the schedule (the schedule builder) in this folder first.",
            )
            return
        key = f"{i}:{request.get('id')}"
        if key != self._showing:
            self._show_proposal(key, request, schedule)
        self.message.value = ""
        self.editor.layout.display = None
        self._assess()

    def _panel(self, heading: str | None, message: str) -> None:
        """The panel with a message only (nothing to assess)."""
        if heading is not None:
            self.heading.value = f"<b>{html.escape(heading)}</b>"
        self.message.value = f"<div style='color: {_MUTED}'>{message}</div>"
        self.editor.layout.display = "none"
        self.result.value = ""
        self.use_button.disabled = True
        self._showing = None

    def _tolerances(self) -> tuple[int | None, float | None]:
        charter, _ = self._charter.get()
        if charter is not None and charter.tolerances is not None:
            return charter.tolerances.time_days, charter.tolerances.cost_pct
        if self.scenario is not None:
            return self.scenario.tolerances.time_days, self.scenario.tolerances.cost_pct
        return None, None

    def _assess(self) -> None:
        chosen = self._chosen()
        schedule, _ = self._schedule.get()
        if chosen is None or schedule is None:
            return
        changes, other = self.proposal()
        time_days, cost_pct = self._tolerances()
        try:
            impact = assess_change(
                schedule,
                changes,
                other_cost=other,
                time_tolerance_days=time_days,
                cost_tolerance_pct=cost_pct,
            )
        except LivepmoError as exc:
            self._impact = None
            self.result.value = (
                f"<div style='color: {_ERROR}'>⚠ The impact cannot be "
                f"computed: {html.escape(str(exc))}</div>"
            )
            self.use_button.disabled = True
            return
        self._impact = impact
        self.use_button.disabled = False
        self.result.value = impact_html(impact, chosen[1].get("impact"), schedule.currency)

    # -- the action -------------------------------------------------------------------------

    @property
    def impact(self) -> ChangeImpact | None:
        """The impact the panel shows for the chosen request (None when it cannot be computed)."""
        return self._impact

    def use_impact(self) -> None:
        """Write the computed impact into the chosen request's impact fields: the days the
        finish moves, the cost and the affected activities (the rest is left as it is)."""
        chosen, impact = self._chosen(), self._impact
        if chosen is None or impact is None:
            return
        i, _ = chosen
        nested = self.form.find(f"requests[{i}].impact")
        self._quiet = True
        try:
            include = getattr(nested, "include", None)
            if isinstance(include, w.Checkbox):
                include.value = True
            nested.find("schedule_days").set(impact.schedule_days)
            nested.find("cost").set(round(impact.cost, 2))
            nested.find("affected_activities").set(list(impact.affected))
        finally:
            self._quiet = False
        self.refresh()


def _yes_no(ok: bool | None, yes: str, no: str) -> tuple[str, str]:
    if ok is None:
        return "—", _MUTED
    return (yes, _GOOD) if ok else (no, _ERROR)


def _slack(slack: int | None) -> str:
    if slack is None:
        return "no deadline"
    return (
        f"met, {slack} working days to spare" if slack >= 0 else f"missed by {-slack} working days"
    )


def impact_html(impact: ChangeImpact, stated: Any = None, currency: str = "") -> str:
    """The recomputed impact as an HTML table; with the request's ``stated`` impact (its
    JSON data), the stated days and cost are set beside the computed ones."""
    money = f" {html.escape(currency)}" if currency else ""
    critical = (
        "yes — " + ", ".join(impact.critical) + " on the critical path"
        if impact.critical
        else "no"
        + (
            ""
            if not impact.float_before
            else " — total float before: "
            + ", ".join(f"{a} {f} days" for a, f in impact.float_before.items())
        )
    )
    deadline, deadline_colour = _yes_no(
        impact.meets_deadline,
        f"{_slack(impact.slack_after)}",
        f"{_slack(impact.slack_after)} (before: {_slack(impact.slack_before)})",
    )
    time_text, time_colour = _yes_no(
        impact.within_time_tolerance,
        f"holds ({impact.days_late} of {impact.time_tolerance_days} days late)",
        f"broken: {impact.days_late} working days late, tolerance {impact.time_tolerance_days}",
    )
    limit = impact.cost_limit
    cost_text, cost_colour = _yes_no(
        impact.within_cost_tolerance,
        f"holds (limit {limit or 0:,.0f}{money}, {impact.cost_tolerance_pct or 0:g} %)",
        f"broken: {impact.cost_after:,.0f}{money} is over the limit {limit or 0:,.0f}"
        f"{money} ({impact.cost_tolerance_pct or 0:g} %)",
    )
    lines: list[tuple[str, str, str | None]] = [
        ("Project finish", f"{impact.finish_before} → {impact.finish_after}", None),
        (
            "Finish moves",
            f"{impact.schedule_days:+d} working days",
            _ERROR if impact.schedule_days > 0 else None,
        ),
        ("Hits the critical path", critical, _ERROR if impact.critical else None),
        (
            "Planned cost",
            f"{impact.cost_before:,.0f} → {impact.cost_after:,.0f}{money} ({impact.cost:+,.0f})",
            None,
        ),
        (
            f"Deadline {impact.deadline}" if impact.deadline else "Deadline",
            deadline,
            deadline_colour,
        ),
        ("Time tolerance", time_text, time_colour),
        ("Cost tolerance", cost_text, cost_colour),
    ]
    if isinstance(stated, dict):
        days, cost = stated.get("schedule_days"), stated.get("cost")
        same = (
            days == impact.schedule_days
            and isinstance(cost, int | float)
            and abs(cost - impact.cost) <= 1.0
        )
        lines.append(
            (
                "Stated in the request",
                f"{days if days is not None else '—'} days, "
                f"{cost if not isinstance(cost, int | float) else f'{cost:+,.0f}'}{money}"
                + (" — agrees" if same else " — differs: Use this impact to copy it"),
                _GOOD if same else _MUTED,
            )
        )
    else:
        lines.append(("Stated in the request", "no impact stated yet", _MUTED))
    body = "".join(
        "<tr><td style='padding: 1px 14px 1px 0; white-space: nowrap'>"
        + html.escape(k)
        + "</td><td"
        + (f" style='color: {c}'" if c else "")
        + f">{html.escape(v)}</td></tr>"
        for k, v, c in lines
    )
    return f"<table style='color: var(--jp-ui-font-color1); margin: 4px 0'>{body}</table>"
