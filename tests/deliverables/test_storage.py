"""A learner's deliverables folder: one JSON file per artifact, written atomically; an
invalid save writes nothing; a corrupt file is kept aside, never silently replaced."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from livepmo.deliverables import (
    Charter,
    RiskRegister,
    Schedule,
    StakeholderRegister,
    parse_deliverable,
)
from livepmo.errors import DeliverableError
from livepmo.storage import DeliverableStore, check_files, read_deliverable, write_atomic

from . import writer_process
from .conftest import Cli
from .corpus import BAD, GOOD_KINDS, good_data, snapshot


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---- saving ----------------------------------------------------------------------------


def test_save_writes_one_file_named_for_the_kind(store: DeliverableStore) -> None:
    for kind in GOOD_KINDS:
        store.save(good_data(kind))

    assert names(store.folder) == [f"{kind}.json" for kind in GOOD_KINDS]


def test_save_creates_the_deliverables_folder(tmp_path: Path) -> None:
    store = DeliverableStore(tmp_path / "learner" / "deliverables")

    path = store.save(good_data("charter"))

    assert path == tmp_path / "learner" / "deliverables" / "charter.json"


def test_repeated_saves_leave_no_temp_files(store: DeliverableStore) -> None:
    data = good_data("schedule")
    for duration in range(1, 6):
        data["activities"][0]["duration"] = duration
        store.save(data)

    assert names(store.folder) == ["schedule.json"]
    loaded = store.load(Schedule)
    assert loaded is not None
    assert loaded.activities[0].duration == 5


def test_saved_file_is_indented_utf8_json_ending_in_a_newline(store: DeliverableStore) -> None:
    data = good_data("stakeholder_register")
    data["stakeholders"][0]["name"] = "Jürgen Müller"

    raw = store.save(data).read_bytes()

    assert "Jürgen Müller".encode() in raw
    assert raw.startswith(b'{\n  "kind": "stakeholder_register",')
    assert raw.endswith(b"}\n")


def test_failed_save_keeps_the_previous_file_and_says_why(store: DeliverableStore) -> None:
    path = store.save(good_data("risk_register"))
    before = snapshot(store.folder)
    data = good_data("risk_register")
    data["risks"][0]["probability"] = 9

    with pytest.raises(DeliverableError) as raised:
        store.save(data)

    assert snapshot(store.folder) == before
    assert str(raised.value) == (
        f"{path}: risks[0].probability: probability 9 is not on the 5×5 scale "
        "(use a whole number from 1 to 5)"
    )


def test_failed_first_save_creates_no_file(store: DeliverableStore) -> None:
    data = good_data("charter")
    del data["sponsor"]

    with pytest.raises(DeliverableError, match="sponsor: missing"):
        store.save(data)

    assert not store.folder.exists() or names(store.folder) == []


def test_model_changed_after_construction_is_validated_again_on_save(
    store: DeliverableStore,
) -> None:
    schedule = parse_deliverable(good_data("schedule"))
    assert isinstance(schedule, Schedule)
    store.save(schedule)
    before = snapshot(store.folder)
    schedule.activities[1].predecessors[0].activity = "B"  # pydantic does not check this

    with pytest.raises(DeliverableError, match=r"activities\[1\].predecessors\[0\].activity"):
        store.save(schedule)

    assert snapshot(store.folder) == before


@pytest.mark.parametrize("data", [[1, 2], None, "charter", {"kind": ["charter"]}, {"kind": {}}])
def test_save_of_data_that_is_no_deliverable_raises_deliverable_error(
    data: Any, store: DeliverableStore
) -> None:
    with pytest.raises(DeliverableError):
        store.save(data)


def test_save_keeps_the_permissions_of_the_file_it_replaces(store: DeliverableStore) -> None:
    path = store.save(good_data("charter"))
    path.chmod(0o640)

    store.save(good_data("charter"))

    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_file_gets_the_permissions_of_any_new_file(
    store: DeliverableStore, tmp_path: Path
) -> None:
    # A temp file is private (0600); the deliverable must not be, or an instructor or a
    # grader reading the folder could not open it.
    ordinary = tmp_path / "ordinary.json"
    ordinary.write_text("{}")

    path = store.save(good_data("charter"))

    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(ordinary.stat().st_mode)


def test_write_that_fails_midway_removes_its_temp_file_and_keeps_the_old(
    tmp_path: Path,
) -> None:
    path = tmp_path / "charter.json"
    path.write_text("old\n")

    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, "new text with a lone surrogate \ud800")

    assert names(tmp_path) == ["charter.json"]
    assert path.read_text() == "old\n"


# ---- what is already in the folder -----------------------------------------------------


def test_valid_save_keeps_a_corrupt_file_aside(store: DeliverableStore) -> None:
    store.folder.mkdir()
    corrupt = (BAD / "charter_trailing_comma.json").read_bytes()
    (store.folder / "charter.json").write_bytes(corrupt)

    store.save(good_data("charter"))

    [kept] = store.folder.glob("charter.invalid-*.json")
    assert kept.read_bytes() == corrupt
    assert store.load(Charter) == parse_deliverable(good_data("charter"))


def test_each_corrupt_version_is_kept(store: DeliverableStore) -> None:
    store.folder.mkdir()
    for text in ("{", "[]"):
        (store.folder / "charter.json").write_text(text)
        store.save(good_data("charter"))

    kept = sorted(p.read_text() for p in store.folder.glob("charter.invalid-*.json"))
    assert kept == ["[]", "{"]


def test_valid_save_keeps_aside_a_file_of_another_kind_under_this_name(
    store: DeliverableStore,
) -> None:
    store.folder.mkdir()
    schedule = (BAD.parent / "good" / "schedule.json").read_bytes()
    (store.folder / "charter.json").write_bytes(schedule)

    store.save(good_data("charter"))

    [kept] = store.folder.glob("charter.invalid-*.json")
    assert kept.read_bytes() == schedule


def test_valid_previous_file_is_replaced_without_a_copy(store: DeliverableStore) -> None:
    store.save(good_data("charter"))
    store.save(good_data("charter"))

    assert names(store.folder) == ["charter.json"]


# ---- loading ---------------------------------------------------------------------------


def test_load_of_a_kind_not_saved_yet_returns_none(store: DeliverableStore) -> None:
    assert store.load(Charter) is None  # the folder does not even exist
    store.save(good_data("schedule"))
    assert store.load(Charter) is None


def test_load_reports_a_file_of_another_kind_under_the_wrong_name(
    store: DeliverableStore,
) -> None:
    store.folder.mkdir()
    path = store.folder / "risk_register.json"
    path.write_text(json.dumps(good_data("stakeholder_register")))

    with pytest.raises(DeliverableError) as raised:
        store.load(RiskRegister)

    [problem] = raised.value.problems
    assert raised.value.file == path
    assert problem.path == "kind"
    assert "stakeholder_register" in problem.message
    assert "stakeholder_register.json" in problem.fix


def test_load_of_an_invalid_file_names_the_file_and_the_field(store: DeliverableStore) -> None:
    store.folder.mkdir()
    path = store.folder / "stakeholder_register.json"
    path.write_bytes((BAD / "stakeholder_register_power_6.json").read_bytes())

    with pytest.raises(DeliverableError, match=r"stakeholders\[0\]\.power") as raised:
        store.load(StakeholderRegister)

    assert str(raised.value).startswith(f"{path}: stakeholders[0].power: ")


def test_load_all_returns_every_saved_kind(store: DeliverableStore) -> None:
    for kind in ("charter", "schedule", "decision_log"):
        store.save(good_data(kind))

    loaded = store.load_all()

    assert sorted(loaded) == ["charter", "decision_log", "schedule"]
    assert all(kind == d.KIND for kind, d in loaded.items())


def test_load_all_raises_on_a_file_of_another_kind(store: DeliverableStore) -> None:
    store.folder.mkdir()
    (store.folder / "charter.json").write_text(json.dumps(good_data("lessons_learned")))

    with pytest.raises(DeliverableError, match="kind: the file holds a lessons_learned"):
        store.load_all()


def test_path_of_an_unknown_kind_is_refused(store: DeliverableStore) -> None:
    with pytest.raises(KeyError, match="unknown kind 'gantt'"):
        store.path("gantt")


# ---- check_files -----------------------------------------------------------------------


def test_check_reports_a_file_named_for_another_kind(store: DeliverableStore, cli: Cli) -> None:
    store.folder.mkdir()
    path = store.folder / "schedule.json"
    path.write_text(json.dumps(good_data("charter")))

    run = cli("check", store.folder)

    assert run.code == 1
    assert run.out == (
        f"{path}: kind: the file holds a charter, but is named schedule.json "
        "(rename it to charter.json, or fix its kind)\n"
    )


def test_any_other_file_name_may_hold_any_kind(tmp_path: Path) -> None:
    path = tmp_path / "my charter draft.json"
    path.write_text(json.dumps(good_data("charter")))

    assert isinstance(read_deliverable(path), Charter)


def test_check_files_ignores_hidden_temp_files_and_kept_aside_copies(
    store: DeliverableStore,
) -> None:
    store.save(good_data("charter"))
    torn = b'{"kind": "charter", "schema_version": 1, "project_na'
    for hidden in (".charter.json.k3j2h1.tmp", ".charter.json", "charter.invalid-1.json"):
        (store.folder / hidden).write_bytes(torn)
    (store.folder / ".ipynb_checkpoints").mkdir()
    (store.folder / ".ipynb_checkpoints" / "charter-checkpoint.json").write_bytes(torn)

    results = list(check_files([store.folder]))

    assert [(r.path.name, r.problems) for r in results] == [("charter.json", ())]


def test_check_files_checks_a_file_given_by_name_even_if_hidden(tmp_path: Path) -> None:
    path = tmp_path / ".draft.json"
    path.write_text("{")

    [result] = check_files([path])

    assert result.deliverable is None
    assert result.problems[0].message.startswith("not valid JSON")


def test_check_files_walks_subfolders_in_a_stable_order(tmp_path: Path) -> None:
    for learner in ("bo", "al"):
        store = DeliverableStore(tmp_path / learner / "deliverables")
        store.save(good_data("risk_register"))
        store.save(good_data("charter"))

    found = [r.path.relative_to(tmp_path).as_posix() for r in check_files([tmp_path])]

    assert found == [
        "al/deliverables/charter.json",
        "al/deliverables/risk_register.json",
        "bo/deliverables/charter.json",
        "bo/deliverables/risk_register.json",
    ]


# ---- a writer killed in the middle of saves ----------------------------------------------

ACTIVITIES = 10_000  # a schedule of about 3.6 MB
ROUNDS = 5


def start_writer(folder: Path) -> subprocess.Popen[str]:
    """A writer process, building its documents; it saves once told to go."""
    return subprocess.Popen(
        [sys.executable, writer_process.__file__, str(folder), str(ACTIVITIES)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )


def wait_for(child: subprocess.Popen[str], word: str) -> None:
    assert child.stdout is not None
    while True:
        line = child.stdout.readline()
        assert line, f"the writer ended before printing {word!r}"
        if line.split()[0] == word:
            return


def temp_files(folder: Path) -> set[Path]:
    return set(folder.glob(".schedule.json.*.tmp"))


def kill_after_a_new_temp_file_appears(
    child: subprocess.Popen[str], folder: Path, delay: float
) -> Path:
    """SIGKILL the writer ``delay`` seconds after it starts writing a file; that file."""
    before = temp_files(folder)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        new = temp_files(folder) - before
        if new:
            time.sleep(delay)
            os.kill(child.pid, signal.SIGKILL)
            return new.pop()
        time.sleep(0.0005)
    raise AssertionError("the writer wrote no file within 20 s")


def kill(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    for pipe in (child.stdin, child.stdout):
        if pipe is not None:
            pipe.close()


@pytest.mark.slow
def test_writer_killed_mid_save_leaves_the_last_good_file(tmp_path: Path) -> None:
    """SIGKILL at random moments of repeated large saves: the file is always whole.

    Round 1 lets the writer save once, so that there is a good file. Every later round
    kills a fresh writer during its first save, which replaces the file the previous one
    left: at a random moment of the whole save (even rounds); the moment its temp file
    appears, in the middle of writing it (round 2); or a random moment of the ~15 ms of
    writing, fsync and rename (round 4).
    """
    folder = tmp_path / "deliverables"
    store = DeliverableStore(folder)
    rng = random.Random(20250303)  # reproducible random moments
    expected: dict[str, bytes] = {}
    torn: list[Path] = []
    writer = start_writer(folder)
    try:
        for round_ in range(ROUNDS):
            child = writer
            try:
                wait_for(child, "ready")
                assert child.stdin is not None
                child.stdin.write("go\n")
                child.stdin.flush()
                if round_ == 0:
                    wait_for(child, "saved")
                if round_ % 2:
                    delay = 0.0 if round_ == 1 else rng.uniform(0.0, 0.03)
                    torn.append(kill_after_a_new_temp_file_appears(child, folder, delay))
                else:
                    time.sleep(rng.uniform(0.0, 1.2))
            finally:
                kill(child)
            assert child.returncode == -signal.SIGKILL
            if round_ + 1 < ROUNDS:
                writer = start_writer(folder)  # builds its documents while this round checks

            loaded = store.load(Schedule)  # the file loads, and is valid

            assert loaded is not None
            tag = loaded.activities[0].name.split()[0]
            if tag not in expected:  # what a complete save of that version writes
                document = writer_process.big_schedule(tag, ACTIVITIES)
                dump = parse_deliverable(document).model_dump(mode="json")
                expected[tag] = (json.dumps(dump, indent=2, ensure_ascii=False) + "\n").encode()
            assert store.path(Schedule).read_bytes() == expected[tag]
    finally:
        kill(writer)  # the one started for a round that a failure cut short

    # The kill in the middle of a write left a torn temp file; none is taken for a
    # deliverable.
    assert any(p.exists() for p in torn)
    assert [p.name for p in folder.glob("*.json")] == ["schedule.json"]
    assert [(r.path.name, r.problems) for r in check_files([folder])] == [("schedule.json", ())]
    assert list(store.load_all()) == ["schedule"]
