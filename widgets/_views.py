"""What several builders' live views share: neighbour files, valid rows, in-place redraws."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Generic, TypeVar

import plotly.graph_objects as go
from pydantic import BaseModel, ValidationError

from livepmo.deliverables import Deliverable
from livepmo.errors import LivepmoError
from livepmo.storage import DeliverableStore

_D = TypeVar("_D", bound=Deliverable)
M = TypeVar("M", bound=BaseModel)


class SavedDeliverable(Generic[_D]):
    """Another deliverable of the learner's folder, re-read only when its file changes.

    Builders read neighbours (the schedule, the charter) after every edit; reading and
    validating the file each time would make typing slow on a large schedule.
    """

    def __init__(self, store: DeliverableStore, model: type[_D]) -> None:
        self.store, self.model = store, model
        self.path = store.path(model)
        self._stamp: int | None = None
        self._value: _D | None = None
        self._problem = ""

    def get(self) -> tuple[_D | None, str]:
        """The deliverable, or None and why not (in words, for the panel)."""
        if not self.path.exists():
            self._stamp = None
            return None, f"There is no {self.path.name} in {_folder(self.path)} yet."
        stamp = self.path.stat().st_mtime_ns
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self._value, self._problem = self.store.load(self.model), ""
            except LivepmoError as exc:
                self._value = None
                self._problem = (
                    f"{self.path.name} has problems, so it cannot be used "
                    f"until they are fixed: {html.escape(str(exc))}"
                )
        return self._value, self._problem


def _folder(path: Path) -> str:
    return f"<code>{html.escape(str(path.parent))}</code>"


def valid_rows(model: type[M], rows: Any) -> tuple[list[M], list[str]]:
    """The register rows that validate on their own, and the labels of those that do not.

    The pictures draw the valid rows, so they keep showing while one entry is being
    edited; the others are named under them. Whole-register rules (unique ids) are left
    to Save.
    """
    valid: list[M] = []
    unplaced: list[str] = []
    for k, row in enumerate(rows if isinstance(rows, list) else []):
        try:
            valid.append(model.model_validate(row))
        except ValidationError:
            unplaced.append(_row_label(row, k))
    return valid, unplaced


def _row_label(row: Any, k: int) -> str:
    """A row as the register's list names it: ``S03 — Jeroen Bosman``."""
    data = row if isinstance(row, dict) else {}
    head = str(data.get("id") or f"entry {k + 1}")
    text = next((str(data[f]) for f in ("name", "title") if data.get(f)), "")
    return f"{head} — {text}" if text else head


def redraw(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Show ``figure`` in ``widget`` in place: same traces updated, so click handlers stay
    attached and the browser redraws once."""
    with widget.batch_update():
        same = len(widget.data) == len(figure.data) and all(
            a.type == b.type for a, b in zip(widget.data, figure.data, strict=True)
        )
        if same:
            for old, new in zip(widget.data, figure.data, strict=True):
                fresh = new.to_plotly_json()
                # Properties the new trace leaves out are cleared, not kept from before.
                gone = {k: None for k in old.to_plotly_json() if k not in fresh and k != "uid"}
                old.update({**gone, **fresh}, overwrite=True)
        else:
            widget.data = ()
            widget.add_traces(list(figure.data))
        widget.layout = figure.layout
