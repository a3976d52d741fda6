"""A valid minimal document of every kind: passes check, round-trips, fits its JSON Schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from livepmo.deliverables import KINDS, json_schema, parse_deliverable
from livepmo.storage import DeliverableStore, read_json

from .conftest import Cli
from .corpus import BAD, GOOD, GOOD_KINDS, good_data

ALL_KINDS = sorted(KINDS)


def schema_errors(kind: str, data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        json_schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [error.message for error in validator.iter_errors(data)]


def test_there_is_a_good_file_for_every_kind_and_nothing_else() -> None:
    assert GOOD_KINDS == ALL_KINDS


@pytest.mark.parametrize("kind", GOOD_KINDS)
def test_good_file_passes_check(kind: str, cli: Cli) -> None:
    path = GOOD / f"{kind}.json"

    run = cli("check", path)

    assert run.code == 0
    assert run.out == f"{path}: ok ({KINDS[kind].TITLE.lower()})\n"


def test_folder_of_good_files_passes_check(cli: Cli) -> None:
    run = cli("check", GOOD)

    assert run.code == 0
    assert run.err == f"{len(GOOD_KINDS)} file(s) checked, 0 invalid\n"


@pytest.mark.parametrize("kind", GOOD_KINDS)
def test_good_file_round_trips_through_the_store(kind: str, store: DeliverableStore) -> None:
    original = parse_deliverable(good_data(kind))

    path = store.save(good_data(kind))
    loaded = store.load(KINDS[kind])

    assert path == store.folder / f"{kind}.json"
    assert loaded == original
    assert read_json(path) == original.model_dump(mode="json")


@pytest.mark.parametrize("kind", GOOD_KINDS)
def test_saving_a_loaded_model_writes_the_same_bytes(kind: str, store: DeliverableStore) -> None:
    path = store.save(good_data(kind))
    first = path.read_bytes()
    loaded = store.load(KINDS[kind])
    assert loaded is not None

    store.save(loaded)

    assert path.read_bytes() == first


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_json_schema_is_a_valid_schema_for_the_kind(kind: str) -> None:
    schema = json_schema(kind)

    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == KINDS[kind].TITLE
    assert schema["properties"]["kind"] == {"const": kind}
    assert {"kind", "schema_version"} <= set(schema["required"])


@pytest.mark.parametrize("kind", GOOD_KINDS)
def test_good_file_is_valid_against_the_json_schema(kind: str) -> None:
    assert schema_errors(kind, good_data(kind)) == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("charter_missing_project_name.json", "charter"),
        ("charter_unknown_field_typo.json", "charter"),
        ("charter_bad_date_format.json", "charter"),
        ("stakeholder_register_power_6.json", "stakeholder_register"),
        ("schedule_negative_duration.json", "schedule"),
        ("schedule_bad_link_type.json", "schedule"),
        ("schedule_id_with_space.json", "schedule"),
        ("schedule_future_version.json", "schedule"),
        ("unknown_kind.json", "charter"),
        ("status_reports_yellow_rag.json", "status_reports"),
        ("decision_log_week_0.json", "decision_log"),
    ],
)
def test_structurally_bad_file_fails_the_json_schema(name: str, kind: str) -> None:
    assert schema_errors(kind, read_json(BAD / name)) != []


def test_json_schema_cannot_see_cross_field_rules_so_check_is_still_needed() -> None:
    # A self-link is well-formed JSON of the right shape; only livepmo's rules catch it.
    data = read_json(BAD / "schedule_self_link.json")

    assert schema_errors("schedule", data) == []


def test_json_schema_of_an_unknown_kind_names_the_known_kinds() -> None:
    with pytest.raises(KeyError, match="known kinds: project, charter, stakeholder_register"):
        json_schema("project_plan")
