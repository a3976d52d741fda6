"""The schedule builder: activities from the catalogue, live critical path and Monte Carlo.

Every edit recomputes the critical path and a 1,000-run Monte Carlo simulation of the
finish with :mod:`livepmo.planning` and redraws the Gantt chart, the finish-date
histogram and the sensitivity tornado in place (the figures are the plain functions of
:mod:`livepmo.widgets.figures.schedule`, which memos and decks draw too).

Decisions the issue leaves open:

* **First draft**: with no saved file, the draft is the scenario's whole catalogue
  (:func:`~livepmo.scenarios.catalogue.schedule_from_catalogue`): every activity at its
  most likely duration, with the catalogue's links. A learner then removes, re-estimates
  and re-links; starting from an empty plan would make them re-type the scenario. An
  activity removed can be put back with "Add from catalogue".
* **Adding from the catalogue** adds the entry with its estimate, cost, resource and its
  links to predecessors already in the schedule. Links *from* activities already in the
  schedule to the one added are not made (that would edit rows the learner owns); the
  note beside the button names them so the learner can link them.
* **The Monte Carlo** uses a fixed seed (:attr:`ScheduleBuilder.SEED`), so an edit moves
  the histogram only as far as the edit itself does, never by sampling noise.
* **While the schedule is invalid** (a cycle, an unknown predecessor, a bad number), the
  figures keep showing the last valid plan, marked out of date, and the summary shows
  the problems; the problems are also shown beside their fields as the learner edits.
  For a cycle, each link on it is flagged beside its field.
* **The baseline** is not edited in the form: "Freeze baseline" sets it from the current
  plan (:func:`~livepmo.planning.with_baseline`) with today's date; Save writes it.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, ClassVar, Final

import ipywidgets as w
import plotly.graph_objects as go

from livepmo.deliverables.schedule import Schedule, find_cycle
from livepmo.errors import Problem
from livepmo.planning import (
    CpmResult,
    MonteCarloResult,
    Network,
    PlanningError,
    ThreePoint,
    WorkCalendar,
    critical_path,
    simulate,
    with_baseline,
)
from livepmo.scenarios.catalogue import schedule_from_catalogue, to_activity
from livepmo.widgets._builder import Builder
from livepmo.widgets._form import LABEL_WIDTH, Rows, problem_html
from livepmo.widgets.figures.schedule import _gantt, _histogram, _Picture, _tornado

_TEXT: Final = "var(--jp-ui-font-color1)"
_DIM: Final = "var(--jp-ui-font-color2, #666)"
_ERROR: Final = "var(--jp-error-color1, #c62828)"


class ScheduleBuilder(Builder[Schedule]):
    """Build the schedule (``schedule.json``) with a live critical path and Monte Carlo.

    Above the form: a one-line summary (finish, deadline slack, P80, chance of meeting the
    deadline, critical activities), the catalogue picker, "Freeze baseline", and three
    figures in tabs (Gantt, finish dates, sensitivity). See the module docstring for the
    choices made on drafts, catalogue links and invalid schedules.
    """

    MODEL = Schedule
    DERIVED = ("baseline",)
    #: Monte Carlo runs per edit, and the fixed seed that keeps them comparable.
    ITERATIONS: ClassVar[int] = 1_000
    SEED: ClassVar[int] = 20_260_112

    # -- views ------------------------------------------------------------------------------

    def views(self) -> list[w.Widget]:
        # Set up here: the base class calls views() before it loads the file.
        self._baseline: dict[str, Any] | None = None
        self._frozen = False
        self._checked: tuple[dict[str, Any], Schedule | list[Problem]] | None = None
        self._last_shown: list[Problem] | None = None
        self.cpm: CpmResult | None = None
        self.montecarlo: MonteCarloResult | None = None
        self.summary = w.HTML()
        self.catalogue = w.Dropdown(
            description="Catalogue",
            options=[],
            style={"description_width": LABEL_WIDTH},
            layout=w.Layout(width="34em"),
        )
        self.add_button = w.Button(
            description="Add from catalogue",
            icon="plus",
            tooltip="Add the chosen catalogue activity to the schedule",
        )
        self.add_button.on_click(lambda _: self.add_from_catalogue())
        self.note = w.HTML()
        self.freeze_button = w.Button(
            description="Freeze baseline",
            icon="lock",
            tooltip="Set the baseline to the current plan (dated today)",
        )
        self.freeze_button.on_click(lambda _: self.freeze_baseline())
        self.baseline_status = w.HTML()
        self.gantt = go.FigureWidget()
        self.histogram = go.FigureWidget()
        self.tornado = go.FigureWidget()
        self.figures = w.Tab(
            children=[self.gantt, self.histogram, self.tornado],
            titles=("Gantt", "Finish dates", "Sensitivity"),
        )
        picker = w.HBox(
            [self.catalogue, self.add_button],
            layout=w.Layout(align_items="center", flex_flow="row wrap"),
        )
        freeze = w.HBox(
            [self.freeze_button, self.baseline_status], layout=w.Layout(align_items="center")
        )
        self.baseline_status.layout.margin = "0 0 0 12px"
        return [self.summary, picker, self.note, freeze, self.figures]

    # -- the builder's hooks ----------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        if self.scenario is None:
            return {"project_start": dt.date.today().isoformat()}
        return schedule_from_catalogue(self.scenario).model_dump(mode="json")

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        # A loaded file's baseline comes back among the fields the form does not edit;
        # a baseline frozen here replaces it.
        if self._frozen:
            data["baseline"] = self._baseline
        return data

    def validate(self) -> Schedule | list[Problem]:
        """The schedule the form holds, or its problems (checked once per change)."""
        data = self.data
        if self._checked is not None and self._checked[0] == data:
            return self._checked[1]
        result = super().validate()
        self._checked = (data, result)
        return result

    def show_problems(self, problems: list[Problem]) -> None:
        """Show problems beside their fields; a cycle is also flagged on each of its links."""
        problems = [*problems, *self._cycle_links(problems)]
        if problems == self._last_shown:
            return  # shown earlier in this edit (by the base class): don't redraw twice
        self._last_shown = problems
        super().show_problems(problems)

    def refresh(self) -> None:
        try:
            self._refresh()
        finally:
            self._last_shown = None  # the next edit shows its problems afresh

    def _refresh(self) -> None:
        self._refresh_catalogue()
        self._say_baseline()
        result = self.validate()
        if isinstance(result, list):
            self.show_problems(result)
            self._out_of_date(result)
            return
        if not result.activities:
            self.cpm = self.montecarlo = None
            self.summary.value = _line(
                "No activities yet: add them from the catalogue or with the register's Add button.",
                _DIM,
            )
            return
        try:
            cpm, mc = self._compute(result)
        except PlanningError as exc:  # the model's rules should have caught it; say so
            self._out_of_date([Problem("activities", str(exc), "")])
            return
        self.cpm, self.montecarlo = cpm, mc
        names = {a.id: a.name for a in result.activities}
        # The same pictures as gantt_figure, finish_histogram and sensitivity_tornado.
        _show(self.gantt, _gantt(cpm, names, result.baseline, result.deadline))
        _show(self.histogram, _histogram(mc, result.deadline))
        _show(self.tornado, _tornado(mc, 10, names))
        self.summary.value = self._summary(result, cpm, mc)

    # -- actions ----------------------------------------------------------------------------

    def add_from_catalogue(self, activity: str | None = None) -> int | None:
        """Add a catalogue activity (the chosen one by default) to the schedule.

        It comes with its estimate, cost, resource and its links to predecessors already
        in the schedule. Returns its row, or None when there is nothing to add.
        """
        aid = activity if activity is not None else self.catalogue.value
        entries = {e.id: e for e in (self.scenario.activities if self.scenario else [])}
        if not isinstance(aid, str) or aid not in entries:
            return None
        register = self._register()
        present = {str(r.get("id")) for r in register.rows}
        if aid in present:
            return None
        absent = set(entries) - present
        row = to_activity(entries[aid], leave_out=absent - {aid}).model_dump(mode="json")
        index = register.add(row)  # keeps the catalogue id: links and the review use it
        followers = sorted(
            e.id
            for e in entries.values()
            if e.id in present and any(p.activity == aid for p in e.predecessors)
        )
        self.note.value = _line(
            f"Added {html.escape(aid)}."
            + (
                f" In the catalogue it comes before {html.escape(', '.join(followers))}: "
                "link them to it if you want that order."
                if followers
                else ""
            ),
            _DIM,
        )
        return index

    def freeze_baseline(self, approved_on: dt.date | None = None) -> bool:
        """Set the baseline to the current plan, approved on ``approved_on`` (today).

        Returns whether it was set; a schedule with problems has no plan to freeze.
        """
        saved = self._baseline, self._frozen
        self._frozen, self._baseline = False, None  # freeze the plan, not the old baseline
        result = self.validate()
        if isinstance(result, list) or not result.activities:
            self._baseline, self._frozen = saved
            self.baseline_status.value = _line(
                "Cannot freeze: "
                + (
                    "fix the problems first"
                    if isinstance(result, list)
                    else "there are no activities"
                ),
                _ERROR,
            )
            return False
        frozen = with_baseline(
            result.model_copy(update={"baseline": None}), approved_on or dt.date.today()
        )
        assert frozen.baseline is not None
        self._baseline = frozen.baseline.model_dump(mode="json")
        self._frozen = True
        self._checked = None
        self.changed()
        return True

    # -- internals --------------------------------------------------------------------------

    def _register(self) -> Rows:
        register = self.form.find("activities")
        assert isinstance(register, Rows)
        return register

    def _compute(self, schedule: Schedule) -> tuple[CpmResult, MonteCarloResult]:
        """The critical path and the Monte Carlo run on one network (built once)."""
        calendar = WorkCalendar.of(schedule)
        net = Network.from_schedule(schedule, calendar)
        cpm = critical_path(net, calendar=calendar, deadline=schedule.deadline)
        mc = simulate(
            net,
            seed=self.SEED,
            iterations=self.ITERATIONS,
            estimates=ThreePoint.of(schedule),
            calendar=calendar,
            deadline=schedule.deadline,
        )
        return cpm, mc

    def _summary(self, schedule: Schedule, cpm: CpmResult, mc: MonteCarloResult) -> str:
        slack = cpm.deadline_slack
        chance = mc.deadline_probability
        critical = cpm.critical_ids
        shown = ", ".join(critical[:6]) + (
            f" and {len(critical) - 6} more" if len(critical) > 6 else ""
        )
        parts = [f"Finish <b>{cpm.finish_date:%a %d %b %Y}</b>"]
        if slack is not None:
            colour = _TEXT if slack >= 0 else _ERROR
            parts.append(
                f"<span style='color: {colour}'>deadline slack <b>{slack:+d}</b> "
                "working days</span>"
            )
        parts.append(f"P80 <b>{mc.percentile_date(80):%d %b %Y}</b>")
        if chance is not None:
            parts.append(f"P(deadline) <b>{chance:.0%}</b>")
        parts.append(f"{len(critical)} critical: {html.escape(shown)}")
        return _line(" · ".join(parts), _TEXT)

    def _out_of_date(self, problems: list[Problem]) -> None:
        """Say why the figures did not follow the last edit."""
        lead = "The plan cannot be computed: the figures show the last valid plan."
        self.summary.value = _line(lead, _ERROR) + problem_html(
            [
                Problem(p.path, f"{p.path}: {p.message}" if p.path else p.message, p.fix)
                for p in problems[:5]
            ]
        )

    def _cycle_links(self, problems: list[Problem]) -> list[Problem]:
        """A problem beside each link on a cycle, when ``problems`` report one."""
        if not any(p.path == "activities" and "cycle" in p.message for p in problems):
            return []
        rows = self.form.value.get("activities", [])
        index = {str(r.get("id")): i for i, r in enumerate(rows) if isinstance(r, dict)}
        links = {
            aid: [
                str(p.get("activity"))
                for p in rows[i].get("predecessors", [])
                if isinstance(p, dict)
            ]
            for aid, i in index.items()
        }
        cycle = find_cycle({a: [p for p in preds if p != a] for a, preds in links.items()})
        text = " → ".join([*cycle, cycle[0]]) if cycle else ""
        found: list[Problem] = []
        for k, before in enumerate(cycle):
            after = cycle[(k + 1) % len(cycle)]
            j = links[after].index(before)
            found.append(
                Problem(
                    f"activities[{index[after]}].predecessors[{j}].activity",
                    f"this link is on the cycle {text}",
                    "remove or reverse one link on the cycle",
                )
            )
        return found

    def _refresh_catalogue(self) -> None:
        """Offer the catalogue entries not yet in the schedule."""
        entries = self.scenario.activities if self.scenario is not None else []
        present = {str(r.get("id")) for r in self._register().rows}
        options = [(f"{e.id} — {e.name}", e.id) for e in entries if e.id not in present]
        if options != list(self.catalogue.options):
            self.catalogue.options = options
        self.catalogue.disabled = self.add_button.disabled = not options

    def _say_baseline(self) -> None:
        baseline = self._baseline if self._frozen else self.form.value.get("baseline")
        if isinstance(baseline, dict):
            text = (
                f"Baseline approved {baseline.get('approved_on')}: "
                f"{baseline.get('start')} → {baseline.get('finish')}"
                + (" (unsaved)" if self._frozen and self.dirty else "")
            )
        else:
            text = "No baseline yet: freeze it when the plan is ready for approval."
        self.baseline_status.value = _line(html.escape(text), _DIM)


def _show(widget: go.FigureWidget, picture: _Picture) -> None:
    """Show ``picture`` in ``widget``: the first time as a whole figure with the common
    look, then trace by trace in place, without re-applying the look (see
    :mod:`livepmo.widgets.figures.schedule`)."""
    if not widget.data:
        fig = picture.figure()
        with widget.batch_update():
            widget.add_traces(list(fig.data))
            widget.layout = fig.layout
        return
    with widget.batch_update():
        for old, new in zip(widget.data, picture.traces, strict=True):
            old.update({k: v for k, v in new.items() if k != "type"}, overwrite=True)
        widget.update_layout(picture.layout)
        widget.layout.title.text = picture.title
        widget.layout.height = picture.height


def _line(text: str, colour: str) -> str:
    return f"<div style='color: {colour}; margin: 2px 0'>{text}</div>"
