"""The test corpus: valid documents of every kind, the bad files and what each must yield."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from livepmo.deliverables import KINDS

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"

# Every kind the model knows; the bad corpus covers each of them.
ALL_KINDS = tuple(KINDS)
# Kinds with a valid minimal document in good/ (a test demands one for every kind).
GOOD_KINDS = sorted(p.stem for p in GOOD.glob("*.json"))


def good_data(kind: str) -> dict[str, Any]:
    """A fresh copy of the valid minimal document of ``kind``."""
    data: dict[str, Any] = json.loads((GOOD / f"{kind}.json").read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class BadFile:
    """One file of the bad corpus and the problem it must yield (see bad/expected.yaml)."""

    name: str
    kind: str  # the kind of the valid document it is a variation of
    path: str  # the field path the problem names; "" for a problem of the whole file
    message: str  # a fragment of the message
    broken: str  # what was broken, in words
    problems: int = 1  # how many problems the file yields in all
    decodes: bool = True  # False: not even JSON, so there is no data to hand to a save

    @property
    def file(self) -> Path:
        return BAD / self.name

    def __str__(self) -> str:  # the test id
        return self.name.removesuffix(".json")


def bad_files() -> list[BadFile]:
    """Every entry of the manifest, in file-name order."""
    manifest = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
    return [BadFile(name=name, **entry) for name, entry in sorted(manifest.items())]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones too) with its bytes: to prove nothing changed."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
