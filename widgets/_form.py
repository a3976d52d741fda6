"""Forms drawn from the deliverable models: one labelled editor per field, errors beside it.

A :class:`Form` walks a pydantic model's fields and picks an editor for each:

======================================  ==============================================
field type                              editor
======================================  ==============================================
short text (ids, names, codes)          one-line text box
long text (``Text``)                    text area
whole number / number (required)        number box (arrow keys step it)
number (optional)                       text box: empty means "not given"
flag                                    check box
date                                    date picker (empty means "not given")
one of a few values (``Literal``)       drop-down
list of texts, ids or dates             text area, one entry per line
list of one of a few values             multiple selection
a nested model                          a titled sub-form (with "include" when optional)
a list of models (a register)           a list of rows and one form for the chosen row
anything else (a mapping)               text area holding JSON
======================================  ==============================================

The form's :attr:`Form.value` is the deliverable's plain JSON data (dates as ISO text),
exactly what a file holds, so a builder validates it with the same code that reads files.
Nothing is coerced on the way: a number box that holds text hands the text on, and the
validator's message is shown beside the field. :meth:`Form.show_problems` places each
:class:`~livepmo.errors.Problem` beside the editor its field path names.

A register is shown as a list and one form because a schedule has hundreds of activities:
a form per row would be too slow to draw and too long to read.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import ipywidgets as w
from annotated_types import MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from livepmo.errors import Problem

#: Width of the field labels: wide enough for the longest label at JupyterLab's default size.
LABEL_WIDTH = "13em"
#: Text longer than this may be written in a text area rather than a one-line box.
_SHORT_TEXT = 200
_STYLE = {"description_width": LABEL_WIDTH}
_WIDE = w.Layout(width="95%", max_width="52em")
_NOT_GIVEN = object()

Data = dict[str, Any]
OnChange = Callable[[], None]


def label_of(name: str) -> str:
    """A field name as a label: ``target_finish`` → ``Target finish``."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def problem_html(problems: Sequence[Problem]) -> str:
    """Problems as HTML in the theme's error colour (readable in light and dark themes)."""
    if not problems:
        return ""
    items = "".join(
        f"<div>⚠ {html.escape(p.message)}" + (f" — {html.escape(p.fix)}" if p.fix else "")
        + "</div>"
        for p in problems
    )
    return f'<div style="color: var(--jp-error-color1, #c62828)">{items}</div>'


def status_html(text: str, *, error: bool = False) -> str:
    """A one-line status (HTML ``text``) in the theme's text colour, or its error colour."""
    colour = "var(--jp-error-color1, #c62828)" if error else "var(--jp-ui-font-color1)"
    return f"<span style='color: {colour}'>{text}</span>"


# -- field paths --------------------------------------------------------------------------

_STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[([^\]]*)\]")


def split_path(path: str) -> tuple[str | int | None, str]:
    """The first step of a field path and the rest: ``a[2].b`` → ``("a", "[2].b")``.

    The step is a field name, a list index, or ``None`` for the empty path.
    """
    match = _STEP.match(path)
    if not path or match is None:
        return None, ""
    name, index, key = match.groups()
    rest = path[match.end():]
    if index is not None:
        return int(index), rest
    return (name if name is not None else key), rest


# -- editors ------------------------------------------------------------------------------


class Editor:
    """One field's editor: a widget, its value as JSON data, and its error area."""

    widget: w.Widget

    def __init__(self) -> None:
        self.errors = w.HTML()

    def get(self) -> Any:
        """The value as JSON data; ``_NOT_GIVEN`` leaves the field out."""
        raise NotImplementedError

    def set(self, value: Any) -> None:
        """Show ``value`` (JSON data, or None for "not given")."""
        raise NotImplementedError

    def show(self, problems: Sequence[Problem]) -> list[Problem]:
        """Show the problems under this field; returns those it could not place."""
        self.errors.value = problem_html(problems)
        return []

    def local_problems(self, path: str) -> list[Problem]:
        """Problems the editor itself finds (text that is not JSON, say)."""
        return []

    def observe(self, callback: OnChange) -> None:
        """Call ``callback`` whenever the user changes the value."""
        raise NotImplementedError

    def find(self, path: str) -> Editor:
        """The editor of a field path below this one (empty: this one)."""
        if path:
            raise KeyError(path)
        return self


class _Scalar(Editor):
    """A single input widget."""

    def __init__(self, control: w.ValueWidget, read: Callable[[Any], Any],
                 write: Callable[[Any], Any]) -> None:
        super().__init__()
        self.control = control
        self._read, self._write = read, write
        self.widget = w.VBox([control, self.errors])

    def get(self) -> Any:
        return self._read(self.control.value)

    def set(self, value: Any) -> None:
        self.control.value = self._write(value)

    def observe(self, callback: OnChange) -> None:
        self.control.observe(lambda _: callback(), names="value")


def _text_or_none(text: str) -> Any:
    return _NOT_GIVEN if text.strip() == "" else text


def _number_text(text: str) -> Any:
    """Optional number typed as text: empty is "not given"; anything else is handed on
    as a number when it reads as one, else as the text (and the validator says why)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def date_value(value: Any) -> dt.date | None:
    """A date from a form's JSON data (ISO text) or a date; None for anything else."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Lines(Editor):
    """A list of short values, one per line."""

    def __init__(self, control: w.Textarea) -> None:
        super().__init__()
        self.control = control
        self.widget = w.VBox([control, self.errors])

    def get(self) -> Any:
        return [line.strip() for line in self.control.value.splitlines() if line.strip()]

    def set(self, value: Any) -> None:
        items = value if isinstance(value, list) else []
        self.control.value = "\n".join(str(v) for v in items)

    def show(self, problems: Sequence[Problem]) -> list[Problem]:
        # "[2]" is the third line: say so, the user sees lines, not indices.
        self.errors.value = problem_html([
            Problem(p.path, f"line {step + 1}: {p.message}" if isinstance(step, int)
                    else p.message, p.fix)
            for p in problems
            for step in [split_path(p.path)[0]]
        ])
        return []

    def observe(self, callback: OnChange) -> None:
        self.control.observe(lambda _: callback(), names="value")


class _Choices(Editor):
    """A list of values from a fixed set."""

    def __init__(self, control: w.SelectMultiple) -> None:
        super().__init__()
        self.control = control
        self.widget = w.VBox([control, self.errors])

    def get(self) -> Any:
        return list(self.control.value)

    def set(self, value: Any) -> None:
        options = set(self.control.options)
        self.control.value = tuple(v for v in (value or []) if v in options)

    def observe(self, callback: OnChange) -> None:
        self.control.observe(lambda _: callback(), names="value")


class _Json(Editor):
    """Any other structure, as JSON text."""

    def __init__(self, control: w.Textarea, required: bool) -> None:
        super().__init__()
        self.control = control
        self.required = required
        self.widget = w.VBox([control, self.errors])

    def get(self) -> Any:
        text = self.control.value.strip()
        if not text:
            return _NOT_GIVEN
        try:
            return json.loads(text)
        except ValueError:
            return _NOT_GIVEN

    def set(self, value: Any) -> None:
        self.control.value = "" if value is None else json.dumps(value, indent=1)

    def local_problems(self, path: str) -> list[Problem]:
        text = self.control.value.strip()
        if not text:
            return []
        try:
            json.loads(text)
        except ValueError as exc:
            return [Problem(path, f"not valid JSON: {exc}", "fix the text or clear it")]
        return []

    def observe(self, callback: OnChange) -> None:
        self.control.observe(lambda _: callback(), names="value")


class _Nested(Editor):
    """A nested model as a titled sub-form; when optional, an "include" box turns it on."""

    def __init__(self, model: type[BaseModel], title: str, optional: bool) -> None:
        super().__init__()
        self.form = Form(model)
        self.optional = optional
        heading = w.HTML(f"<b>{html.escape(title)}</b>")
        self.include = w.Checkbox(value=not optional, description=f"Include {title.lower()}",
                                  indent=False)
        self.form.layout.display = None if not optional else "none"
        self.include.observe(self._toggle, names="value")
        parts: list[w.Widget] = [heading]
        if optional:
            parts.append(self.include)
        parts += [self.errors, self.form]
        self.widget = w.VBox(parts, layout=w.Layout(
            border="1px solid var(--jp-border-color2, #ccc)", padding="4px 8px", margin="4px 0"))

    def _toggle(self, _: object = None) -> None:
        self.form.layout.display = None if self.include.value else "none"

    def get(self) -> Any:
        if self.optional and not self.include.value:
            return None
        return self.form.value

    def set(self, value: Any) -> None:
        self.include.value = value is not None or not self.optional
        self.form.value = value if isinstance(value, dict) else {}

    def show(self, problems: Sequence[Problem]) -> list[Problem]:
        here = [p for p in problems if not p.path]
        self.errors.value = problem_html(here)
        return self.form.show_problems([p for p in problems if p.path])

    def local_problems(self, path: str) -> list[Problem]:
        if self.optional and not self.include.value:
            return []
        return self.form.local_problems(path)

    def observe(self, callback: OnChange) -> None:
        self.include.observe(lambda _: callback(), names="value")
        self.form.on_change(callback)

    def find(self, path: str) -> Editor:
        return self if not path else self.form.find(path.lstrip("."))


class Rows(Editor):
    """A register: a list of its rows, buttons to add and remove, one form for the chosen row.

    Rows are labelled by their ``id`` and their first descriptive field. A row with
    problems is marked ⚠ in the list, and its problems show beside its fields when it is
    chosen.
    """

    def __init__(self, model: type[BaseModel], title: str) -> None:
        super().__init__()
        self.model = model
        self.rows: list[Data] = []
        self._problems: dict[int, list[Problem]] = {}
        self._callbacks: list[OnChange] = []
        self._loading = False
        self.picker = w.Select(options=[], rows=8, description=title,
                               style=_STYLE, layout=w.Layout(width="95%", max_width="52em"))
        self.add_button = w.Button(description="Add", icon="plus",
                                   tooltip=f"Add an entry to {title.lower()}")
        self.copy_button = w.Button(description="Duplicate", icon="copy",
                                    tooltip="Add a copy of the chosen entry")
        self.remove_button = w.Button(description="Remove", icon="trash",
                                      tooltip="Remove the chosen entry")
        self.add_button.on_click(lambda _: self.add())
        self.copy_button.on_click(lambda _: self.add(dict(self.rows[self.index])
                                                     if self.index is not None else None))
        self.remove_button.on_click(lambda _: self.remove())
        self.form = Form(model)
        self.form.on_change(self._edited)
        self.picker.observe(self._picked, names="value")
        self.count = w.HTML()
        buttons = w.HBox([self.add_button, self.copy_button, self.remove_button, self.count],
                         layout=w.Layout(margin=f"0 0 0 {LABEL_WIDTH}"))
        self.widget = w.VBox([self.picker, buttons, self.errors, self.form])
        self._refresh()

    # -- the chosen row -------------------------------------------------------------------

    @property
    def index(self) -> int | None:
        """Index of the chosen row, or None."""
        value = self.picker.value
        return value if isinstance(value, int) else None

    def choose(self, index: int | None) -> None:
        """Choose a row by index (None: none)."""
        self.picker.value = index

    def _picked(self, _: object = None) -> None:
        i = self.index
        self._loading = True
        try:
            self.form.layout.display = "none" if i is None else None
            if i is not None:
                self.form.value = self.rows[i]
                self.form.show_problems(self._problems.get(i, []))
        finally:
            self._loading = False

    def _edited(self) -> None:
        if self._loading or self.index is None:
            return
        self.rows[self.index] = self.form.value
        self._relabel()
        self._changed()

    def _changed(self) -> None:
        for callback in self._callbacks:
            callback()

    # -- adding and removing ----------------------------------------------------------------

    def add(self, row: Data | None = None) -> int:
        """Add a row (a blank one by default) and choose it; returns its index."""
        taken = {str(r.get("id")) for r in self.rows}
        if row is None:
            row = {"id": self._free_id()} if "id" in self.model.model_fields else {}
        elif "id" in row and str(row["id"]) in taken:
            # A copy (or a row whose id is in use) gets the next free id of its kind.
            row = {**row, "id": self._free_id(str(row["id"]))}
        self.rows.append(row)
        self._refresh()
        self.choose(len(self.rows) - 1)
        # The row takes the form's defaults, so it is complete before anyone edits it.
        self.rows[-1] = self.form.value
        self._changed()
        return len(self.rows) - 1

    def remove(self, index: int | None = None) -> None:
        """Remove a row (the chosen one by default)."""
        i = self.index if index is None else index
        if i is None:
            return
        del self.rows[i]
        self._problems = {}
        self._refresh()
        self.choose(min(i, len(self.rows) - 1) if self.rows else None)
        self._changed()

    def _free_id(self, base: str | None = None) -> str:
        taken = {str(r.get("id")) for r in self.rows}
        stem = base or self.model.__name__[:1].upper()
        stem = re.sub(r"\d+$", "", stem) or stem
        k = len(self.rows) + 1
        while f"{stem}{k}" in taken:
            k += 1
        return f"{stem}{k}"

    # -- labels ---------------------------------------------------------------------------------

    def _label(self, i: int) -> str:
        row = self.rows[i]
        rid = row.get("id")
        text = next(
            (str(row[k]) for k in ("name", "title", "description", "lesson", "activity",
                                   "decision", "summary")
             if isinstance(row.get(k), str) and row[k].strip()),
            "",
        )
        mark = "⚠ " if self._problems.get(i) else ""
        # Rows without an id (weekly reports) are known by their period.
        period = row.get("period")
        head = f"{rid}" if rid is not None else (
            f"week {period}" if isinstance(period, int) else f"#{i + 1}")
        return f"{mark}{head} — {text[:70]}" if text else f"{mark}{head}"

    def _refresh(self) -> None:
        chosen = self.index
        self._loading = True
        try:
            self.picker.options = [(self._label(i), i) for i in range(len(self.rows))]
            self.picker.value = chosen if chosen is not None and chosen < len(self.rows) else None
        finally:
            self._loading = False
        self._picked()
        self.count.value = f"{len(self.rows)} entr{'y' if len(self.rows) == 1 else 'ies'}"
        self.remove_button.disabled = self.copy_button.disabled = not self.rows

    def _relabel(self) -> None:
        i = self.index
        if i is None:
            return
        options = list(self.picker.options)
        options[i] = (self._label(i), i)
        self._loading = True
        try:
            self.picker.options = options
            self.picker.value = i
        finally:
            self._loading = False

    # -- Editor ----------------------------------------------------------------------------------

    def get(self) -> Any:
        return [dict(r) for r in self.rows]

    def set(self, value: Any) -> None:
        # Keep the chosen row when the register is shown again (after a Save that found
        # problems, say), so the learner is not moved away from what they were editing.
        chosen = self.index
        self.rows = [dict(r) if isinstance(r, dict) else {} for r in (value or [])]
        self._problems = {}
        self.picker.value = None
        self._refresh()
        if self.rows:
            self.choose(chosen if chosen is not None and chosen < len(self.rows) else 0)

    def show(self, problems: Sequence[Problem]) -> list[Problem]:
        self._problems = {}
        here: list[Problem] = []
        for p in problems:
            step, rest = split_path(p.path)
            if isinstance(step, int) and step < len(self.rows):
                self._problems.setdefault(step, []).append(Problem(rest.lstrip("."), p.message,
                                                                   p.fix))
            else:
                here.append(p)
        flagged = sorted(self._problems)
        summary = (f"{len(flagged)} entr{'y has' if len(flagged) == 1 else 'ies have'} "
                   "problems (marked ⚠)") if flagged else ""
        self.errors.value = problem_html(
            [*here, *([Problem("", summary, "choose an entry to see them")] if summary else [])]
        )
        self._refresh()
        return []

    def local_problems(self, path: str) -> list[Problem]:
        return []

    def observe(self, callback: OnChange) -> None:
        self._callbacks.append(callback)

    def find(self, path: str) -> Editor:
        if not path:
            return self
        step, rest = split_path(path)
        if not isinstance(step, int):
            raise KeyError(path)
        self.choose(step)
        return self.form.find(rest.lstrip("."))


# -- choosing an editor -------------------------------------------------------------------


def _strip(annotation: Any) -> tuple[Any, list[Any]]:
    """The type inside ``Annotated[...]`` and its metadata."""
    meta: list[Any] = []
    while get_origin(annotation) is Annotated:
        annotation, *more = get_args(annotation)
        meta.extend(more)
    return annotation, meta


def _optional(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` → ``(X, True)``; anything else → ``(annotation, False)``."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(args) < len(get_args(annotation)):
            return args[0], True
    return annotation, False


def _max_length(meta: Sequence[Any]) -> int | None:
    for m in meta:
        if isinstance(m, MaxLen):
            return int(m.max_length)
        if isinstance(m, FieldInfo):
            found = _max_length(m.metadata)
            if found is not None:
                return found
    return None


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def editor_for(name: str, info: FieldInfo) -> Editor:
    """The editor of one model field (see the module docstring for the choice)."""
    label = label_of(name)
    tooltip = info.description or None
    base, optional = _optional(info.annotation)
    base, meta = _strip(base)
    meta = [*info.metadata, *meta]
    origin = get_origin(base)
    common: dict[str, Any] = {"description": label, "style": _STYLE, "tooltip": tooltip}
    if _is_model(base):
        return _Nested(base, label, optional)
    if origin is list:
        (item,) = get_args(base) or (str,)
        item, _ = _strip(item)
        if _is_model(item):
            return Rows(item, label)
        if get_origin(item) is Literal:
            options = [str(v) for v in get_args(item)]
            return _Choices(w.SelectMultiple(options=options, rows=min(len(options), 7),
                                             **common))
        hint = "one date per line, as YYYY-MM-DD" if item is dt.date else "one per line"
        return _Lines(w.Textarea(placeholder=hint, rows=4, layout=_WIDE, **common))
    if get_origin(base) is Literal:
        options = [str(v) for v in get_args(base)]
        return _Scalar(
            w.Dropdown(options=([("—", None)] if optional else []) + [(o, o) for o in options],
                       **common),
            read=lambda v: v, write=lambda v: v if v in options else (None if optional
                                                                      else options[0]))
    if base is bool:
        return _Scalar(w.Checkbox(indent=True, **common), read=lambda v: bool(v),
                       write=lambda v: bool(v))
    if base is dt.date:
        return _Scalar(
            w.DatePicker(**common),
            read=lambda v: v.isoformat() if isinstance(v, dt.date) else None,
            write=date_value,
        )
    if base in (int, float) and not optional:
        control = (w.IntText if base is int else w.FloatText)(**common)
        return _Scalar(control, read=lambda v: v,
                       write=lambda v: v if isinstance(v, int | float) else 0)
    if base in (int, float):
        return _Scalar(w.Text(placeholder="not given", **common), read=_number_text,
                       write=lambda v: "" if v is None else str(v))
    if base is str:
        longest = _max_length(meta)
        box = w.Textarea(rows=3, layout=_WIDE, **common) \
            if longest is not None and longest > _SHORT_TEXT else w.Text(layout=_WIDE, **common)
        return _Scalar(box, read=_text_or_none if optional else (lambda v: v),
                       write=lambda v: "" if v is None else str(v))
    return _Json(w.Textarea(rows=4, layout=_WIDE, placeholder="JSON", **common),
                 required=info.is_required())


# -- the form -----------------------------------------------------------------------------


class Form(w.VBox):
    """Editors for every field of ``model`` (minus ``exclude``), in the model's order."""

    def __init__(self, model: type[BaseModel], data: Mapping[str, Any] | None = None,
                 *, exclude: Sequence[str] = ()) -> None:
        self.model = model
        self.editors: dict[str, Editor] = {
            name: editor_for(name, info)
            for name, info in model.model_fields.items()
            if name not in exclude and name not in ("kind", "schema_version")
        }
        self._extra: Data = {}
        self._callbacks: list[OnChange] = []
        super().__init__([e.widget for e in self.editors.values()])
        for editor in self.editors.values():
            editor.observe(self._changed)
        if data is not None:
            self.value = dict(data)

    def _changed(self) -> None:
        for callback in self._callbacks:
            callback()

    def on_change(self, callback: OnChange) -> None:
        """Call ``callback`` after every change a user makes in the form."""
        self._callbacks.append(callback)

    @property
    def value(self) -> Data:
        """The form's content as the model's JSON data (fields left blank are left out)."""
        data = dict(self._extra)
        for name, editor in self.editors.items():
            value = editor.get()
            if value is _NOT_GIVEN:
                data.pop(name, None)
            else:
                data[name] = value
        return data

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        # Fields this form does not edit (excluded ones) are kept and handed back as they were.
        self._extra = {k: v for k, v in data.items() if k not in self.editors}
        callbacks, self._callbacks = self._callbacks, []
        try:
            for name, editor in self.editors.items():
                info = self.model.model_fields[name]
                default = None if info.is_required() else info.get_default(
                    call_default_factory=True)
                if isinstance(default, BaseModel):
                    default = default.model_dump(mode="json")
                editor.set(data.get(name, default))
        finally:
            self._callbacks = callbacks

    def find(self, path: str) -> Editor:
        """The editor of a field path such as ``budget.total`` or ``objectives[1].metric``
        (choosing that row of a register on the way)."""
        step, rest = split_path(path)
        if not isinstance(step, str) or step not in self.editors:
            raise KeyError(f"no field {path!r} in the {self.model.__name__} form")
        return self.editors[step].find(rest)

    def local_problems(self, prefix: str = "") -> list[Problem]:
        """Problems found before validation (JSON text that does not parse)."""
        found: list[Problem] = []
        for name, editor in self.editors.items():
            path = f"{prefix}.{name}" if prefix else name
            found += editor.local_problems(path)
        return found

    def show_problems(self, problems: Sequence[Problem]) -> list[Problem]:
        """Show each problem beside its field; returns those no field of this form holds
        (problems of the whole document, or of fields this form does not edit)."""
        by_field: dict[str, list[Problem]] = {name: [] for name in self.editors}
        left: list[Problem] = []
        for p in problems:
            step, rest = split_path(p.path)
            if isinstance(step, str) and step in by_field:
                by_field[step].append(Problem(rest, p.message, p.fix))
            else:
                left.append(p)
        for name, editor in self.editors.items():
            left += [Problem(f"{name}{q.path}" if q.path.startswith(("[", "."))
                             else f"{name}.{q.path}" if q.path else name, q.message, q.fix)
                     for q in editor.show(by_field[name])]
        return left
