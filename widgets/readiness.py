"""The readiness panel: run the PMO's own review before submitting, and read its memo."""

from __future__ import annotations

import html
import sqlite3
from pathlib import Path

import ipywidgets as w

from livepmo.autograder.selfcheck import SelfCheck, self_check
from livepmo.errors import LivepmoError
from livepmo.scenarios.schema import Scenario

_DECISIONS = {
    "approved": ("Approved", "var(--jp-success-color1, #1a7f37)"),
    "approved_with_conditions": ("Approved with conditions", "var(--jp-warn-color1, #9a6700)"),
    "rework": ("Rework: resubmit", "var(--jp-error-color1, #c62828)"),
    "stop": ("Stop", "var(--jp-error-color1, #c62828)"),
}
_MEMO_HEIGHT = "640px"


class ReadinessPanel(w.VBox):
    """A button that runs the gate's self-check and shows its memo.

    The self-check is the very review the PMO runs (``livepmo.autograder.self_check``):
    the panel shows its decision and score in one line and the memo below. With a
    ``learner`` and a ``ledger`` every run is recorded as an attempt and the memo says what
    changed since the previous one. The panel saves nothing and decides nothing itself.
    """

    def __init__(
        self,
        gate: str,
        folder: str | Path = "deliverables",
        scenario: Scenario | None = None,
        learner: str | None = None,
        ledger: str | Path | None = None,
    ) -> None:
        self.gate = gate
        self.folder = Path(folder)
        self.scenario = scenario
        self.learner = learner
        self.ledger = ledger
        #: The last self-check run, or None before the first run (or when it failed).
        self.result: SelfCheck | None = None
        self.run_button = w.Button(
            description="Run the readiness check",
            icon="check-square",
            button_style="primary",
            tooltip=f"Review {self.folder} as the PMO will at {gate}",
            layout=w.Layout(width="auto"),  # the whole label, not "Run the readin…"
        )
        self.run_button.on_click(lambda _: self.run())
        self.summary = w.HTML()
        self.summary.layout.margin = "0 0 0 12px"
        self.memo = w.HTML()
        where = html.escape(str(self.folder))
        self.summary.value = (
            f"<span style='color: var(--jp-ui-font-color1)'>Reviews "
            f"<code>{where}</code> at the {html.escape(gate)} gate, exactly "
            "as the PMO will.</span>"
        )
        super().__init__(
            [
                w.HBox([self.run_button, self.summary], layout=w.Layout(align_items="center")),
                self.memo,
            ]
        )

    def run(self) -> SelfCheck | None:
        """Run the self-check and show the decision line and the memo; returns it.

        Bad deliverables never stop the review (the memo reports them as findings). When
        the check itself cannot run — an unknown gate, a broken rubric, an unusable
        ledger — the reason is shown instead, and None is returned.
        """
        try:
            result = self_check(
                self.gate, self.folder, self.scenario, learner=self.learner, ledger=self.ledger
            )
        except (LivepmoError, OSError, sqlite3.Error) as exc:
            self.result = None
            self.summary.value = (
                "<span style='color: var(--jp-error-color1, #c62828)'>"
                f"The readiness check could not run: {html.escape(str(exc))}"
                "</span>"
            )
            self.memo.value = ""
            return None
        self.result = result
        self.summary.value = _decision_line(result)
        # The memo is a whole HTML page with its own stylesheet: an iframe keeps that
        # stylesheet from restyling JupyterLab around it.
        self.memo.value = (
            f"<iframe title='PMO review memo' srcdoc=\"{html.escape(result.html, quote=True)}\""
            f" style='width: 100%; max-width: 56rem; height: {_MEMO_HEIGHT}; "
            "border: 1px solid var(--jp-border-color2, #ccc); background: #fff'></iframe>"
        )
        return result


def _decision_line(result: SelfCheck) -> str:
    r = result.review
    label, colour = _DECISIONS.get(r.decision, (r.decision, "var(--jp-ui-font-color1)"))
    open_count = len(r.open_findings)
    attempt = f" · attempt {result.attempt}" if result.attempt is not None else ""
    changed = ""
    if result.changes is not None:
        c = result.changes
        changed = (
            f" · since attempt {c.previous_attempt}: {len(c.resolved)} resolved, "
            f"{len(c.new)} new, {len(c.still_open)} still open"
        )
    return (
        f"<span style='color: var(--jp-ui-font-color1)'><b style='color: {colour}'>"
        f"{html.escape(label)}</b> — score {r.score:g} / {r.total_points:g} (rework below "
        f"{r.rework_below:g}); {open_count} finding{'' if open_count == 1 else 's'} open"
        f"{attempt}{html.escape(changed)}</span>"
    )
