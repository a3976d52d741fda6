"""The bad corpus: every bad file is reported with its field, a message and a fix, by
``livepmo check`` and by a save, with no traceback and nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from livepmo.deliverables import Charter
from livepmo.errors import DeliverableError
from livepmo.storage import DeliverableStore, read_json

from .conftest import Cli
from .corpus import ALL_KINDS, BAD, BadFile, bad_files, good_data, snapshot

CORPUS = bad_files()


def assert_reported(lines: list[str], file: Path | str, path: str, message: str) -> None:
    """One of ``lines`` reads ``file: path: message (fix)`` with the message fragment."""
    prefix = f"{file}: {path}: " if path else f"{file}: "
    matching = [line for line in lines if line.startswith(prefix) and message in line]
    assert matching, f"no line {prefix}...{message}... in:\n" + "\n".join(lines)
    text = matching[0].removeprefix(prefix)
    assert text.endswith(")") and " (" in text, f"no fix in {text!r}"
    if not path:  # a problem of the whole file: the message follows the file name at once
        assert text.startswith(message), text


# ---- the corpus itself -----------------------------------------------------------------


def test_corpus_has_at_least_45_bad_files_over_every_kind() -> None:
    assert len(CORPUS) >= 45
    assert {bad.kind for bad in CORPUS} == set(ALL_KINDS)


def test_manifest_and_folder_list_the_same_files() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.name != "expected.yaml"}
    assert on_disk == {bad.name for bad in CORPUS}


@pytest.mark.parametrize("bad", [b for b in CORPUS if b.decodes], ids=str)
def test_bad_file_is_a_variation_of_the_valid_document_of_its_kind(bad: BadFile) -> None:
    # The file keeps most of the valid document: what is found is the one thing broken.
    data = read_json(bad.file)
    good = good_data(bad.kind)
    if isinstance(data, dict):
        kept = [key for key in good if data.get(key) == good[key]]
        assert len(kept) >= len(good) - 2, f"{bad.name} changed {set(good) - set(kept)}"
    else:  # the document wrapped in an array, or nothing at all
        assert data in ([good], None)


@pytest.mark.parametrize("bad", CORPUS, ids=str)
def test_bad_file_decodes_only_when_the_manifest_says_so(bad: BadFile) -> None:
    if bad.decodes:
        read_json(bad.file)
    else:
        with pytest.raises(DeliverableError):
            read_json(bad.file)


# ---- livepmo check ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", CORPUS, ids=str)
def test_check_reports_the_field_message_and_fix(bad: BadFile, cli: Cli) -> None:
    run = cli("check", bad.file)

    assert run.code == 1
    assert_reported(run.out.splitlines(), bad.file, bad.path, bad.message)
    assert len(run.lines_about(bad.file)) == bad.problems, run.out
    assert "1 file(s) checked, 1 invalid" in run.err
    assert "Traceback" not in run.out + run.err


@pytest.mark.parametrize("bad", CORPUS, ids=str)
def test_check_writes_nothing(bad: BadFile, cli: Cli, store: DeliverableStore) -> None:
    store.save(good_data(bad.kind))
    copy = store.folder / bad.name
    copy.write_bytes(bad.file.read_bytes())
    before = snapshot(store.folder)

    assert cli("check", store.folder).code == 1

    assert snapshot(store.folder) == before


# ---- no write: a save of the bad data ----------------------------------------------------


@pytest.mark.parametrize("bad", [b for b in CORPUS if b.decodes], ids=str)
def test_saving_bad_data_raises_and_leaves_the_good_file_untouched(
    bad: BadFile, store: DeliverableStore
) -> None:
    good_path = store.save(good_data(bad.kind))
    before = snapshot(store.folder)
    data = read_json(bad.file)

    with pytest.raises(DeliverableError) as raised:
        store.save(data)

    assert snapshot(store.folder) == before  # byte-identical, and no new (temp) file
    assert [p.name for p in store.folder.iterdir()] == [good_path.name]
    problems = raised.value.problems
    assert len(problems) == bad.problems
    assert any(p.path == bad.path and bad.message in p.message for p in problems), problems
    assert all(p.fix for p in problems)


# ---- big, deep and binary inputs, made at test time ------------------------------------

HEADER = b'{"kind": "charter", "schema_version": 1, "project_name": '


def fifty_megabytes(path: Path) -> None:
    with path.open("wb") as f:
        f.write(HEADER + b'"')
        f.write(b"x" * (50 * 2**20))
        f.write(b'"}')


def nested(levels: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(HEADER + b"[" * levels + b"]" * levels + b"}")

    return write


def binary(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))


def empty(path: Path) -> None:
    path.write_bytes(b"")


def whitespace_only(path: Path) -> None:
    path.write_bytes(b" \n\t\r\n  \n")


def utf16(path: Path) -> None:  # what Notepad once saved as "Unicode"
    path.write_bytes(json.dumps(good_data("charter")).encode("utf-16"))


GENERATED: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifty_megabytes": (fifty_megabytes, "file is 50.0 MiB, more than the 20 MiB"),
    "nested_100000_levels": (nested(100_000), "JSON nested more than 32 levels deep"),
    "nested_40_levels": (nested(40), "JSON nested more than 32 levels deep"),
    "binary": (binary, "not UTF-8 text: byte 0x89 at offset 0"),
    "utf16": (utf16, "not UTF-8 text: byte 0xff at offset 0"),
    "empty": (empty, "file is empty"),
    "whitespace_only": (whitespace_only, "file is empty"),
}


@pytest.fixture(params=sorted(GENERATED))
def generated(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """A generated bad file (as ``charter.json`` in a folder of its own) and its message."""
    write, message = GENERATED[request.param]
    path = tmp_path / "generated" / "charter.json"
    path.parent.mkdir()
    write(path)
    return path, message


def test_check_reports_a_generated_bad_file(generated: tuple[Path, str], cli: Cli) -> None:
    path, message = generated

    run = cli("check", path)

    assert run.code == 1
    assert_reported(run.out.splitlines(), path, "", message)
    assert len(run.lines_about(path)) == 1
    assert "Traceback" not in run.out + run.err


def test_loading_a_generated_bad_file_raises_naming_the_file(generated: tuple[Path, str]) -> None:
    path, message = generated
    store = DeliverableStore(path.parent)

    with pytest.raises(DeliverableError) as raised:
        store.load(Charter)

    assert str(raised.value).startswith(f"{path}: {message}")


def test_a_valid_save_keeps_a_generated_bad_file_aside(generated: tuple[Path, str]) -> None:
    path, _ = generated
    store = DeliverableStore(path.parent)
    original = path.stat().st_size, path.read_bytes()[:1000]

    store.save(good_data("charter"))

    kept = list(path.parent.glob("charter.invalid-*.json"))
    assert len(kept) == 1
    assert (kept[0].stat().st_size, kept[0].read_bytes()[:1000]) == original
    assert store.load(Charter) is not None


# ---- the real command, in a process of its own -------------------------------------------

SAMPLE = [
    "charter_trailing_comma.json",
    "unknown_kind.json",
    "schedule_future_version.json",
    "schedule_cycle.json",
    "risk_register_pmbok_off_scale.json",
    "stakeholder_register_latin1.json",
]


@pytest.mark.parametrize("bad", [b for b in CORPUS if b.name in SAMPLE], ids=str)
def test_python_m_livepmo_check_reports_a_bad_file(bad: BadFile) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "livepmo", "check", str(bad.file)],
        capture_output=True, text=True, timeout=60, check=False,
    )

    assert done.returncode == 1
    assert_reported(done.stdout.splitlines(), bad.file, bad.path, bad.message)
    assert "Traceback" not in done.stdout + done.stderr


def test_python_m_livepmo_check_survives_100000_levels_of_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    nested(100_000)(path)

    done = subprocess.run(
        [sys.executable, "-m", "livepmo", "check", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )

    assert done.returncode == 1
    assert_reported(done.stdout.splitlines(), path, "", "JSON nested more than 32 levels deep")
    assert "Traceback" not in done.stdout + done.stderr
