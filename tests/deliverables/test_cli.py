"""The ``livepmo`` command: exit 0 valid / 1 invalid / 2 usage error, help with examples on
every command, --version, schema, check and show; also ``python -m livepmo``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import livepmo
from livepmo.deliverables import KINDS, json_schema
from livepmo.storage import DeliverableStore

from .conftest import Cli
from .corpus import BAD, GOOD, GOOD_KINDS, good_data

COMMANDS = ["schema", "check", "show"]


# ---- usage -----------------------------------------------------------------------------


def test_no_command_is_a_usage_error_that_prints_the_help(cli: Cli) -> None:
    run = cli()

    assert run.code == 2
    assert "usage: livepmo" in run.err
    assert run.out == ""


def test_unknown_command_is_a_usage_error(cli: Cli) -> None:
    assert cli("grade", GOOD).code == 2


@pytest.mark.parametrize("command", ["check", "show"])
def test_command_without_a_path_is_a_usage_error(command: str, cli: Cli) -> None:
    run = cli(command)

    assert run.code == 2
    assert "PATH" in run.err


@pytest.mark.parametrize("command", ["check", "show"])
def test_missing_path_is_a_usage_error(command: str, cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"

    run = cli(command, GOOD / "charter.json", missing)

    assert run.code == 2
    assert run.err == f"livepmo {command}: {missing}: no such file or folder\n"
    assert run.out == ""  # nothing is checked until every path is there


def test_unknown_kind_is_a_usage_error_that_lists_the_kinds(cli: Cli) -> None:
    run = cli("schema", "gantt")

    assert run.code == 2
    assert "invalid choice: 'gantt'" in run.err
    assert "lessons_learned" in run.err


def test_help_lists_the_commands_with_examples(cli: Cli) -> None:
    run = cli("--help")

    assert run.code == 0
    assert all(command in run.out for command in COMMANDS)
    assert "examples:\n  livepmo check" in run.out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command: str, cli: Cli) -> None:
    run = cli(command, "--help")

    assert run.code == 0
    assert f"usage: livepmo {command}" in run.out
    assert f"examples:\n  livepmo {command} " in run.out


def test_version_prints_the_version(cli: Cli) -> None:
    run = cli("--version")

    assert run.code == 0
    assert run.out == f"livepmo {livepmo.__version__}\n"


def test_python_m_livepmo_prints_the_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "livepmo", "--version"],
        capture_output=True, text=True, timeout=60, check=False,
    )

    assert done.returncode == 0
    assert done.stdout == f"livepmo {livepmo.__version__}\n"


def test_python_m_livepmo_without_a_command_exits_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "livepmo"], capture_output=True, text=True, timeout=60, check=False
    )

    assert done.returncode == 2
    assert "usage: livepmo" in done.stderr


# ---- schema ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_prints_the_json_schema_of_the_kind(kind: str, cli: Cli) -> None:
    run = cli("schema", kind)

    assert run.code == 0
    assert json.loads(run.out) == json_schema(kind)


# ---- check -----------------------------------------------------------------------------


def test_check_of_valid_files_exits_0_and_says_ok(cli: Cli) -> None:
    run = cli("check", GOOD / "charter.json", GOOD / "schedule.json")

    assert run.code == 0
    assert run.out.splitlines() == [
        f"{GOOD / 'charter.json'}: ok (project charter)",
        f"{GOOD / 'schedule.json'}: ok (schedule)",
    ]
    assert run.err == "2 file(s) checked, 0 invalid\n"


def test_quiet_check_of_valid_files_prints_nothing(cli: Cli) -> None:
    run = cli("check", "-q", GOOD)

    assert (run.code, run.out, run.err) == (0, "", "")


def test_check_of_one_invalid_among_valid_files_exits_1(cli: Cli) -> None:
    bad = BAD / "schedule_self_link.json"

    run = cli("check", "--quiet", GOOD, bad)

    assert run.code == 1
    assert run.out == (
        f"{bad}: activities[2].predecessors[1].activity: 'C' is linked to itself "
        "(remove the self-link)\n"
    )
    assert run.err == f"{len(GOOD_KINDS) + 1} file(s) checked, 1 invalid\n"


def test_check_prints_every_problem_of_a_file(cli: Cli, tmp_path: Path) -> None:
    data = good_data("schedule")
    data["activities"][0]["duration"] = -1
    data["activities"][1]["predecessors"][0]["type"] = "XX"
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(data))

    run = cli("check", path)

    assert run.code == 1
    assert [line.split(": ")[1] for line in run.out.splitlines()] == [
        "activities[0].duration",
        "activities[1].predecessors[0].type",
    ]


def test_check_of_the_whole_bad_corpus_reports_every_file(cli: Cli) -> None:
    run = cli("check", "-q", BAD)

    files = len(list(BAD.glob("*.json")))
    assert run.code == 1
    assert run.err == f"{files} file(s) checked, {files} invalid\n"
    assert "Traceback" not in run.out + run.err


def test_check_of_an_empty_folder_exits_0(cli: Cli, tmp_path: Path) -> None:
    run = cli("check", tmp_path)

    assert run.code == 0
    assert run.err == "0 file(s) checked, 0 invalid\n"


# ---- show ------------------------------------------------------------------------------


def test_show_prints_the_key_figures_of_a_schedule(cli: Cli) -> None:
    run = cli("show", GOOD / "schedule.json")

    assert run.code == 0
    assert run.out.splitlines() == [
        f"Schedule — {GOOD / 'schedule.json'}",
        "  activities             4",
        "  milestones             1",
        "  links                  4",
        "  total cost             160,000 EUR",
        "  start                  2025-03-03",
        "  deadline               2025-12-19",
        "  baseline               none",
    ]


def test_show_prints_the_budget_of_a_charter(cli: Cli) -> None:
    run = cli("show", GOOD / "charter.json")

    assert "  budget                 1,200,000 EUR (contingency 100,000)" in run.out
    assert "  signed off             approved" in run.out


def test_show_of_a_folder_prints_every_deliverable(cli: Cli) -> None:
    run = cli("show", GOOD)

    assert run.code == 0
    titles = [line.split(" — ")[0] for line in run.out.splitlines() if " — " in line]
    assert sorted(titles) == sorted(KINDS[kind].TITLE for kind in GOOD_KINDS)


def test_show_of_an_invalid_file_exits_1_and_points_to_check(cli: Cli) -> None:
    bad = BAD / "charter_contingency_above_budget.json"

    run = cli("show", bad)

    assert run.code == 1
    assert run.out == f"{bad}: invalid, see `livepmo check {bad}`\n"


def test_show_of_a_saved_folder_reflects_the_saved_figures(
    cli: Cli, store: DeliverableStore
) -> None:
    data = good_data("status_reports")
    data["reports"][1]["rag"] = "red"
    store.save(data)

    run = cli("show", store.folder)

    assert "  RAG                    red" in run.out
    assert "  PV / EV / AC           20,000 / 17,000 / 19,000" in run.out
