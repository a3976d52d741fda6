"""The orientation's project chooser: which scenario a learner runs, pinned once."""

from __future__ import annotations

import html
import os
from pathlib import Path

import ipywidgets as w

from livepmo.deliverables import ProjectAssignment
from livepmo.errors import LivepmoError
from livepmo.storage import DeliverableStore
from livepmo.widgets._form import LABEL_WIDTH, status_html


class ProjectChooser(w.VBox):
    """Choose a scenario and pin it (with the learner's variant) in ``project.json``.

    Once chosen, the project is shown and the choice is closed: the deliverables, the
    shocks of execution and every review belong to that variant. Another project needs
    another deliverables folder.
    """

    def __init__(self, folder: str | Path = "deliverables") -> None:
        from livepmo.scenarios import list_scenarios

        self.store = DeliverableStore(folder)
        style = {"description_width": LABEL_WIDTH}
        self.scenario = w.Dropdown(
            options=[(f"{s.title}", s.id) for s in list_scenarios()],
            description="Project", style=style, layout=w.Layout(width="95%", max_width="52em"))
        self.learner = w.Text(value=os.environ.get("JUPYTERHUB_USER", ""),
                              description="Your learner id", style=style,
                              placeholder="as your instructor knows you")
        self.choose_button = w.Button(description="Choose", button_style="primary",
                                      icon="check", tooltip="Pin this project for every gate")
        self.choose_button.on_click(lambda _: self.choose())
        self.status = w.HTML()
        super().__init__([self.scenario, self.learner, self.choose_button, self.status])
        self._show(self.store.load(ProjectAssignment))

    def choose(self) -> ProjectAssignment | None:
        """Pin the chosen scenario; returns the assignment, or None with the reason shown."""
        from livepmo.notebook import ORIENTATION, open_project

        if not self.learner.value.strip():
            self._say("Enter your learner id first: your variant is derived from it.",
                      error=True)
            return None
        try:
            project = open_project(ORIENTATION, self.scenario.value, None,
                                   self.store.folder, learner=self.learner.value.strip())
        except LivepmoError as exc:
            self._say(html.escape(str(exc)), error=True)
            return None
        self._show(project.assignment)
        return project.assignment

    def _show(self, assignment: ProjectAssignment | None) -> None:
        if assignment is None:
            self._say("No project chosen yet.")
            return
        self.scenario.value = assignment.scenario
        self.learner.value = assignment.learner
        for control in (self.scenario, self.learner, self.choose_button):
            control.disabled = True
        self._say(f"✓ Your project: <b>{html.escape(assignment.scenario)}</b>, variant "
                  f"{assignment.seed}, for {html.escape(assignment.learner)} — saved in "
                  f"<code>{html.escape(str(self.store.path(ProjectAssignment)))}</code>. "
                  "Every gate notebook picks it up.")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.value = status_html(text, error=error)
