"""Versioned files: kind and schema_version on every file; old versions are migrated or
rejected with what to do; versions newer than this livepmo are rejected clearly."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from livepmo.deliverables import KINDS, MIGRATIONS, Schedule, json_schema, parse_deliverable
from livepmo.errors import DeliverableError, Problem
from livepmo.storage import DeliverableStore, read_deliverable

from .conftest import Cli
from .corpus import GOOD_KINDS, good_data


def problems_of(data: Any) -> list[Problem]:
    with pytest.raises(DeliverableError) as raised:
        parse_deliverable(data)
    return raised.value.problems


def with_version(kind: str, version: Any) -> dict[str, Any]:
    data = good_data(kind)
    data["schema_version"] = version
    return data


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_at_schema_version_1(kind: str) -> None:
    assert KINDS[kind].SCHEMA_VERSION == 1


@pytest.mark.parametrize("kind", GOOD_KINDS)
def test_saved_file_carries_kind_and_schema_version(kind: str, store: DeliverableStore) -> None:
    saved = json.loads(store.save(parse_deliverable(good_data(kind))).read_text())

    assert (saved["kind"], saved["schema_version"]) == (kind, 1)


def test_model_built_in_code_gets_kind_and_schema_version() -> None:
    schedule = Schedule(project_start=date(2025, 3, 3))

    assert (schedule.kind, schedule.schema_version) == ("schedule", 1)


def test_future_version_is_rejected_saying_to_upgrade_livepmo() -> None:
    [problem] = problems_of(with_version("risk_register", 7))

    assert problem.path == "schema_version"
    assert "risk_register schema 7 is newer than this livepmo knows (up to 1)" in problem.message
    assert "upgrade livepmo" in problem.fix


def test_old_version_without_a_migration_is_rejected_saying_what_to_do() -> None:
    [problem] = problems_of(with_version("charter", 0))

    assert problem.path == "schema_version"
    assert problem.message == "charter schema 0 can no longer be read (current: 1)"
    assert "re-create the deliverable" in problem.fix


def test_missing_version_is_rejected_naming_the_current_one() -> None:
    data = good_data("lessons_learned")
    del data["schema_version"]

    assert problems_of(data) == [Problem("schema_version", "missing", "add schema_version: 1")]


def test_null_version_counts_as_missing() -> None:
    [problem] = problems_of(with_version("decision_log", None))

    assert (problem.path, problem.message) == ("schema_version", "missing")


@pytest.mark.parametrize("version", ["1", 1.5, True, [1]])
def test_version_that_is_not_a_whole_number_is_rejected(version: Any) -> None:
    [problem] = problems_of(with_version("decision_log", version))

    assert problem.path == "schema_version"
    assert problem.message == f"{version!r} is not a whole number"
    assert problem.fix == "the current schema_version of decision_log is 1"


def test_model_built_in_code_with_another_version_is_refused() -> None:
    with pytest.raises(ValueError, match="schema_version is 2, expected 1"):
        Schedule(project_start=date(2025, 3, 3), schema_version=2)


# ---- the migration machinery the next schema change will use -----------------------------


def rename_due_to_deadline(v1: dict[str, Any]) -> dict[str, Any]:
    """Schedule 1 → 2 in this test's story: version 1 called the deadline ``due``."""
    v2 = dict(v1)
    if "due" in v2:
        v2["deadline"] = v2.pop("due")
    return v2


@pytest.fixture
def schedule_at_version_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The schedule's schema moves to version 2, with a migration step from version 1."""
    monkeypatch.setattr(Schedule, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(MIGRATIONS, "schedule", {1: rename_due_to_deadline})


def schedule_v1(folder: Path) -> Path:
    data = good_data("schedule")
    data["due"] = data.pop("deadline")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "schedule.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.mark.usefixtures("schedule_at_version_2")
def test_version_1_file_is_migrated_on_load(store: DeliverableStore) -> None:
    schedule_v1(store.folder)

    loaded = store.load(Schedule)

    assert loaded is not None
    assert loaded.schema_version == 2
    assert loaded.deadline == date(2025, 12, 19)


@pytest.mark.usefixtures("schedule_at_version_2")
def test_migrated_file_is_saved_as_version_2(store: DeliverableStore) -> None:
    path = schedule_v1(store.folder)
    loaded = store.load(Schedule)
    assert loaded is not None

    store.save(loaded)

    saved = json.loads(path.read_text())
    assert saved["schema_version"] == 2
    assert saved["deadline"] == "2025-12-19"
    assert "due" not in saved
    assert list(store.folder.iterdir()) == [path]  # the valid v1 file was not kept aside


@pytest.mark.usefixtures("schedule_at_version_2")
def test_version_1_data_is_migrated_on_save(store: DeliverableStore) -> None:
    v1 = good_data("schedule")
    v1["due"] = v1.pop("deadline")

    path = store.save(v1)

    assert json.loads(path.read_text())["schema_version"] == 2
    assert read_deliverable(path).schema_version == 2


@pytest.mark.usefixtures("schedule_at_version_2")
def test_check_accepts_a_version_1_file_and_leaves_it_as_it_was(
    store: DeliverableStore, cli: Cli
) -> None:
    path = schedule_v1(store.folder)
    before = path.read_bytes()

    assert cli("check", path).code == 0
    assert path.read_bytes() == before


@pytest.mark.usefixtures("schedule_at_version_2")
def test_json_schema_describes_the_current_version() -> None:
    assert json_schema("schedule")["properties"]["schema_version"] == {"const": 2}


@pytest.mark.usefixtures("schedule_at_version_2")
def test_version_3_is_newer_than_this_livepmo() -> None:
    [problem] = problems_of(with_version("schedule", 3))

    assert "schedule schema 3 is newer than this livepmo knows (up to 2)" in problem.message


def test_missing_migration_step_rejects_the_old_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Schedule, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(MIGRATIONS, "schedule", {})

    [problem] = problems_of(good_data("schedule"))

    assert problem.message == "schedule schema 1 can no longer be read (current: 2)"


def test_migrations_run_step_by_step(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def step(data: dict[str, Any]) -> dict[str, Any]:
        seen.append(data["schema_version"])
        return data

    monkeypatch.setattr(Schedule, "SCHEMA_VERSION", 4)
    monkeypatch.setitem(MIGRATIONS, "schedule", dict.fromkeys((1, 2, 3), step))

    assert parse_deliverable(good_data("schedule")).schema_version == 4
    assert seen == [1, 2, 3]
