"""The form engine: each field type gets its editor, data round-trips, problems find their field."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import ipywidgets as w
import pytest

from livepmo.deliverables.base import Float, Id, Int, Items, Model, Text
from livepmo.errors import Problem
from livepmo.widgets._form import Form, Rows, split_path


class Part(Model):
    id: Id
    name: str = ""


class Sample(Model):
    title: str
    notes: Text = ""
    count: Int
    share: Float | None = None
    due: dt.date | None = None
    colour: Literal["red", "amber", "green"] = "green"
    days: list[Literal["Mon", "Tue", "Wed"]] = []
    tags: Items = []
    extra: dict[str, Int] = {}
    part: Part | None = None
    parts: list[Part] = []


def test_each_field_type_gets_its_editor() -> None:
    f = Form(Sample)
    kinds = {name: type(getattr(e, "control", None) or e.widget) for name, e in f.editors.items()}
    assert kinds["title"] is w.Text
    assert kinds["notes"] is w.Textarea
    assert kinds["count"] is w.IntText
    assert kinds["share"] is w.Text  # optional number: empty means "not given"
    assert kinds["due"] is w.DatePicker
    assert kinds["colour"] is w.Dropdown
    assert kinds["days"] is w.SelectMultiple
    assert kinds["tags"] is w.Textarea
    assert kinds["extra"] is w.Textarea  # JSON
    assert isinstance(f.editors["parts"], Rows)


def test_data_round_trips_through_the_form() -> None:
    data = {
        "title": "T", "notes": "n", "count": 3, "share": 0.5, "due": "2026-03-02",
        "colour": "amber", "days": ["Mon", "Wed"], "tags": ["a", "b"], "extra": {"x": 1},
        "part": {"id": "P1", "name": "one"}, "parts": [{"id": "P2", "name": "two"}],
    }
    assert Form(Sample, data).value == data


def test_blank_optional_fields_are_left_out_or_none() -> None:
    f = Form(Sample, {"title": "T", "count": 1})
    value = f.value
    assert value["share"] is None and value["due"] is None and value["part"] is None
    assert value["extra"] == {}  # the model's default
    Sample.model_validate(value)


def test_text_in_a_number_field_is_handed_on_not_coerced() -> None:
    f = Form(Sample, {"title": "T", "count": 1})
    f.find("share").control.value = "about half"  # type: ignore[attr-defined]
    assert f.value["share"] == "about half"
    f.find("share").control.value = "0.25"  # type: ignore[attr-defined]
    assert f.value["share"] == 0.25


def test_json_that_does_not_parse_is_a_local_problem() -> None:
    f = Form(Sample, {"title": "T", "count": 1})
    f.find("extra").control.value = "{x: 1"  # type: ignore[attr-defined]
    (problem,) = f.local_problems()
    assert problem.path == "extra" and "not valid JSON" in problem.message


def test_problems_land_beside_their_fields() -> None:
    f = Form(Sample, {"title": "T", "count": 1, "parts": [{"id": "A"}, {"id": "B"}]})
    left = f.show_problems([
        Problem("count", "too big", "lower it"),
        Problem("part.name", "odd", "fix"),
        Problem("parts[1].name", "missing", "add it"),
        Problem("tags[2]", "blank", "fill it"),
        Problem("", "the whole document", "see"),
    ])
    assert [p.message for p in left] == ["the whole document"]
    assert "too big" in f.find("count").errors.value
    assert "line 3: blank" in f.find("tags").errors.value
    rows = f.find("parts")
    assert isinstance(rows, Rows)
    assert rows.picker.options[1][0].startswith("⚠")
    assert "missing" in f.find("parts[1].name").errors.value


def test_rows_add_duplicate_and_remove() -> None:
    f = Form(Sample, {"title": "T", "count": 1})
    rows = f.find("parts")
    assert isinstance(rows, Rows)
    changes: list[int] = []
    f.on_change(lambda: changes.append(1))
    rows.add_button.click()
    f.find("parts[0].name").control.value = "first"  # type: ignore[attr-defined]
    rows.copy_button.click()
    assert [p["id"] for p in f.value["parts"]] == ["P1", "P2"]
    assert f.value["parts"][1]["name"] == "first"
    rows.choose(0)
    rows.remove_button.click()
    assert [p["id"] for p in f.value["parts"]] == ["P2"]
    assert changes


@pytest.mark.parametrize(
    ("path", "step", "rest"),
    [("a", "a", ""), ("a.b", "a", ".b"), ("a[2].b", "a", "[2].b"), ("[2].b", 2, ".b"),
     ("", None, "")],
)
def test_split_path(path: str, step: object, rest: str) -> None:
    assert split_path(path) == (step, rest)
