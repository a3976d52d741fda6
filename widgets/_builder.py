"""What every builder shares: its file, its form, Save, inline problems and "last saved".

A builder edits one deliverable file in the learner's deliverables folder (architecture
decision 1: widget state does not survive nbgrader's fresh kernel; files do):

* on start it loads the saved file when there is one, so running the cell again after a
  kernel restart brings back what was saved; a saved file that no longer validates
  (edited by hand, say) is loaded as it is, with its problems shown beside the fields;
* Save validates with the same code that reads files and writes atomically; an invalid
  deliverable writes nothing, and its problems are shown beside their fields;
* the status line says when the file was last saved, or that there are unsaved changes.

A subclass sets :attr:`Builder.MODEL`, may leave fields out of the form
(:attr:`Builder.DERIVED`, which :meth:`Builder.derive` fills in), may give a first draft
(:meth:`Builder.draft`) and adds its live views by overriding :meth:`Builder.views` and
:meth:`Builder.refresh`.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import ipywidgets as w

from livepmo.deliverables import Deliverable, parse_deliverable
from livepmo.errors import DeliverableError, Problem
from livepmo.scenarios.schema import Scenario
from livepmo.storage import DeliverableStore, read_json
from livepmo.widgets._form import Form, problem_html, status_html

D = TypeVar("D", bound=Deliverable)


class Builder(w.VBox, Generic[D]):
    """A deliverable's builder: a form, live views, Save and the save status.

    ``folder`` is the learner's deliverables folder; ``scenario`` the project the learner
    runs (builders use it for first drafts, catalogues and deadlines).
    """

    MODEL: ClassVar[type[Deliverable]]
    #: Fields the builder computes instead of asking for (see :meth:`derive`).
    DERIVED: ClassVar[tuple[str, ...]] = ()

    def __init__(self, folder: str | Path = "deliverables", *,
                 scenario: Scenario | None = None) -> None:
        self.store = DeliverableStore(folder)
        self.scenario = scenario
        self.path = self.store.path(self.MODEL)
        self.form = Form(self.MODEL, exclude=self.DERIVED)
        self.save_button = w.Button(description="Save", button_style="primary", icon="save",
                                    tooltip=f"Check and save {self.path.name}")
        self.save_button.on_click(lambda _: self.save())
        self.status = w.HTML()
        self.problems = w.HTML()
        self.saved_at: dt.datetime | None = None
        self._dirty = False
        self._shown = False  # problems are on show: keep them up to date while editing
        self._problems: list[Problem] = []
        title = w.HTML(f"<h3 style='margin: 4px 0'>{html.escape(self.MODEL.TITLE)}</h3>")
        bar = w.HBox([self.save_button, self.status],
                     layout=w.Layout(align_items="center"))
        self.status.layout.margin = "0 0 0 12px"
        super().__init__([title, *self.views(), self.form, self.problems, bar])
        self._load()
        self.form.on_change(self.changed)
        self.refresh()

    # -- hooks for the builders -------------------------------------------------------------

    def views(self) -> list[w.Widget]:
        """Widgets shown above the form (figures, summaries)."""
        return []

    def refresh(self) -> None:
        """Recompute the views after a change (the form holds the new data)."""

    def draft(self) -> dict[str, Any]:
        """The first draft when nothing is saved yet (from the scenario, where it helps)."""
        return {}

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        """Fill in the derived fields of ``data`` (a builder's computed parts)."""
        return data

    # -- data -------------------------------------------------------------------------------

    @property
    def data(self) -> dict[str, Any]:
        """The deliverable as plain JSON data: the form's fields plus the derived ones."""
        data = self.derive(self.form.value)
        return {"kind": self.MODEL.KIND, "schema_version": self.MODEL.SCHEMA_VERSION, **data}

    def validate(self) -> D | list[Problem]:
        """The deliverable the form holds, or the problems that stop it from being one."""
        local = self.form.local_problems()
        try:
            deliverable = parse_deliverable(self.data)
        except DeliverableError as exc:
            return local + exc.problems
        if local:
            return local
        return deliverable  # type: ignore[return-value]

    @property
    def deliverable(self) -> D | None:
        """The valid deliverable the form holds now, or None while it has problems."""
        result = self.validate()
        return None if isinstance(result, list) else result

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> Path | None:
        """Validate and save atomically; on problems show them and write nothing.

        Returns the file written, or None when nothing was written.
        """
        result = self.validate()
        if isinstance(result, list):
            self.show_problems(result)
            self._say(f"Not saved: {_count(len(result), 'problem')} to fix (shown beside "
                      "the fields)", error=True)
            return None
        try:
            path = self.store.save(result)
        except (DeliverableError, OSError) as exc:
            self._say(f"Not saved: {html.escape(str(exc))}", error=True)
            return None
        self.show_problems([])
        self._dirty = False
        self.saved_at = dt.datetime.now()
        self._say_saved()
        return path

    def show_problems(self, problems: list[Problem]) -> None:
        """Show problems beside their fields; the rest (whole-document ones) below the form."""
        self._problems = list(problems)
        self._shown = bool(problems)
        left = self.form.show_problems(problems)
        self.problems.value = problem_html(
            [Problem(p.path, f"{p.path}: {p.message}" if p.path else p.message, p.fix)
             for p in left])

    # -- internals --------------------------------------------------------------------------

    def _load(self) -> None:
        if not self.path.exists():
            self.form.value = self.draft()
            self._say(f"Not saved yet — Save writes {self._where()}")
            return
        try:
            saved = self.store.load(self.MODEL)
        except DeliverableError as exc:
            # Load what is there so the learner can repair it; Save keeps the bad file aside.
            try:
                raw = read_json(self.path)
            except DeliverableError:
                raw = None
            self.form.value = raw if isinstance(raw, dict) else self.draft()
            self.show_problems(exc.problems)
            self._say(f"The saved file {self._where()} has problems: fix them and Save "
                      "(the old file is kept beside it)", error=True)
            return
        assert saved is not None
        self.form.value = saved.model_dump(mode="json")
        self.saved_at = dt.datetime.fromtimestamp(self.path.stat().st_mtime)
        self._say_saved()

    def changed(self) -> None:
        """Note a change of the deliverable: the form calls it after every edit, and a
        builder's own buttons (freeze the baseline, use a computed impact) call it too."""
        self._dirty = True
        if self.saved_at is not None:
            self._say(f"Unsaved changes — last saved {self.saved_at:%Y-%m-%d %H:%M:%S}")
        else:
            self._say(f"Unsaved changes — Save writes {self._where()}")
        if self._shown:
            result = self.validate()
            self.show_problems(result if isinstance(result, list) else [])
        self.refresh()

    def _where(self) -> str:
        return f"<code>{html.escape(str(self.path))}</code>"

    def _say_saved(self) -> None:
        assert self.saved_at is not None
        self._say(f"✓ Saved {self.saved_at:%Y-%m-%d %H:%M:%S} to {self._where()}")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.value = status_html(text, error=error)

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes that are not saved."""
        return self._dirty


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
