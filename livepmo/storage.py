"""Deliverable files on disk: strict reading, atomic writing, one folder per learner.

A learner's deliverables folder holds one ``<kind>.json`` per artifact. A save validates
first and writes nothing when the deliverable is invalid; a write goes to a temporary
file that is fsync'ed and renamed over the old one, so a crash at any moment leaves
either the old file or the new one, never a torn one.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import jiter
import numpy as np

from livepmo.deliverables import KINDS, Deliverable, parse_deliverable
from livepmo.errors import DeliverableError, Problem

# Deliverables are documents people write; anything bigger is a mistake or an attack.
# 20 MiB holds a 100,000-activity schedule.
MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 32
_TOO_DEEP = (
    f"JSON nested more than {MAX_DEPTH} levels deep",
    "a deliverable is a shallow document: check the file's structure",
)

D = TypeVar("D", bound=Deliverable)


def read_json(path: Path) -> Any:
    """Decode a JSON file strictly; every failure is a DeliverableError naming the file."""
    data, raw = _decode_file(path)
    _refuse_too_deep(raw, path)
    return data


def read_deliverable(path: Path) -> Deliverable:
    """Read and validate one deliverable file (older schema versions are migrated)."""
    data, raw = _decode_file(path)
    try:
        deliverable = parse_deliverable(data)
    except DeliverableError as exc:
        # Every deliverable's schema nests a few levels deep, so a file nested deeper than
        # MAX_DEPTH never validates: how deep a file nests is measured only then, and said
        # rather than the schema's errors.
        _refuse_too_deep(raw, path)
        raise exc.with_file(path) from None
    if path.stem in KINDS and path.stem != deliverable.KIND:
        # In a deliverables folder the name says the kind: a misplaced file would be
        # overlooked by load() and overwritten by save().
        raise DeliverableError(
            [Problem("kind", f"the file holds a {deliverable.KIND}, but is named {path.name}",
                     f"rename it to {deliverable.KIND}.json, or fix its kind")], path)
    return deliverable


def _refuse_too_deep(raw: bytes, path: Path) -> None:
    """Raise for a (valid JSON) file nested more than MAX_DEPTH levels deep."""
    if _depth(raw) > MAX_DEPTH:
        raise DeliverableError([Problem("", *_TOO_DEEP)], path)


def _decode_file(path: Path) -> tuple[Any, bytes]:
    """The decoded document and the file's bytes; how deep it may nest is the caller's to
    say (read_json, read_deliverable)."""

    def fail(message: str, fix: str) -> DeliverableError:
        return DeliverableError([Problem("", message, fix)], path)

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise fail(
                f"file is {size / 2**20:.1f} MiB, more than the {MAX_BYTES // 2**20} MiB a "
                "deliverable may be",
                "check that this is the right file",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror}", "check the path and permissions") \
            from None
    if not raw.strip():
        raise fail("file is empty", "save the deliverable again from its builder")
    try:
        # jiter (the parser inside pydantic) reads a file in about half the time of
        # json.loads with a hook for repeated keys, and refuses what json would name: a
        # repeated key (compared after unescaping), NaN and Infinity, invalid UTF-8, a
        # byte-order mark, nesting past its limit (200), a syntax error.
        return jiter.from_json(raw, allow_inf_nan=False, catch_duplicate_keys=True), raw
    except ValueError:
        pass
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
            "save the file as UTF-8",
        ) from None
    # Decoded again, by json, which keeps what it refuses (NaN, a repeated key) in place,
    # to name each with its field path; or raises with the line and column of the error.
    # (A byte-order mark it skips, and a lone surrogate it keeps, as it always has.)
    refused: list[str] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        refused.append("key")
        return _unique_keys(pairs)

    def constant_hook(name: str) -> _Refused:
        refused.append(name)
        return _no_constant(name)

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=constant_hook)
    except json.JSONDecodeError as exc:
        raise fail(
            f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            "fix the JSON syntax (a trailing comma or a missing quote is typical)",
        ) from None
    except ValueError as exc:  # an integer longer than Python converts (4300 digits)
        raise fail(f"a number is too long: {str(exc).split(';')[0]}",
                   "write the number with fewer digits") from None
    except RecursionError:
        raise fail(*_TOO_DEEP) from None
    problems = _scan(data) if refused else []
    if problems:
        raise DeliverableError(problems, path)
    return data, raw


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: temp file, fsync, rename, fsync folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _file_mode(path))
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class DeliverableStore:
    """A learner's deliverables folder: ``<folder>/<kind>.json`` per artifact."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def path(self, kind: str | type[Deliverable]) -> Path:
        """Where the deliverable of ``kind`` lives."""
        name = kind if isinstance(kind, str) else kind.KIND
        if name not in KINDS:
            raise KeyError(f"unknown kind {name!r}; known kinds: {', '.join(KINDS)}")
        return self.folder / f"{name}.json"

    def load(self, model: type[D]) -> D | None:
        """The saved deliverable of this model's kind, or None when there is none yet."""
        path = self.path(model)
        if not path.exists():
            return None
        deliverable = read_deliverable(path)
        if not isinstance(deliverable, model):
            raise DeliverableError(
                [Problem("kind", f"holds a {deliverable.KIND}, not a {model.KIND}",
                         f"move it to {deliverable.KIND}.json")], path)
        return deliverable

    def save(self, deliverable: Deliverable | Mapping[str, Any]) -> Path:
        """Validate, then write atomically. Invalid input raises and writes nothing.

        ``deliverable`` is a model or its plain JSON data (as a builder or an import holds
        it). An existing file that no longer reads (edited by hand, say) is not overwritten
        silently: it is kept beside the new one as ``<kind>.invalid-<UTC time>.json``.
        """
        # Re-validate from plain data: a model mutated after construction skips validation.
        data: object = (
            deliverable.model_dump(mode="json")
            if isinstance(deliverable, Deliverable)
            else dict(deliverable)
            if isinstance(deliverable, Mapping)
            else deliverable  # not an object at all: parse_deliverable says so
        )
        kind = data.get("kind") if isinstance(data, dict) else None
        path = (
            self.folder / f"{kind}.json"
            if isinstance(kind, str) and kind in KINDS
            else self.folder / "(unknown kind)"
        )
        try:
            data = parse_deliverable(data).model_dump(mode="json")
        except DeliverableError as exc:
            raise exc.with_file(path) from None
        if path.exists():
            try:
                read_deliverable(path)
            except DeliverableError:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
                path.replace(path.with_name(f"{path.stem}.invalid-{stamp}.json"))
        write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return path

    def load_all(self) -> dict[str, Deliverable]:
        """Every valid deliverable in the folder, by kind (raises on the first invalid one)."""
        return {
            kind: read_deliverable(self.folder / f"{kind}.json")
            for kind in KINDS
            if (self.folder / f"{kind}.json").exists()
        }


@dataclass(frozen=True)
class FileCheck:
    """The outcome of checking one file."""

    path: Path
    deliverable: Deliverable | None
    problems: tuple[Problem, ...]


def check_files(paths: Iterable[Path]) -> Iterator[FileCheck]:
    """Check files, and every ``*.json`` below folders, in a stable order."""
    for path in paths:
        files = sorted(_json_files(path), key=_story_order) if path.is_dir() else [path]
        for file in files:
            try:
                yield FileCheck(file, read_deliverable(file), ())
            except DeliverableError as exc:
                yield FileCheck(file, None, tuple(exc.problems))


def _story_order(file: Path) -> tuple[str, int, str]:
    """Folder by folder; inside one, deliverables in project order, then anything else."""
    order = list(KINDS)
    rank = order.index(file.stem) if file.stem in KINDS else len(order)
    return (str(file.parent), rank, file.name)


def _json_files(folder: Path) -> Iterator[Path]:
    for file in folder.rglob("*.json"):
        rel = file.relative_to(folder).parts
        # Temp files of an interrupted save, checkpoints and kept invalid copies are not
        # deliverables.
        if any(p.startswith(".") for p in rel) or ".invalid-" in file.name:
            continue
        yield file


def _file_mode(path: Path) -> int:
    """mkstemp makes a private (0600) file; a deliverable keeps the permissions of the file
    it replaces, or gets those of any new file (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


class _Refused:
    """A JSON value read_json refuses (NaN, a repeated key), left in place while decoding
    so that its field path can be reported."""

    __slots__ = ("fix", "message")

    def __init__(self, message: str, fix: str) -> None:
        self.message = message
        self.fix = fix


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            value = _Refused(f"key {key!r} appears twice in one object",
                             "keep one of them: JSON readers disagree on which wins")
        result[key] = value
    return result


def _no_constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a number JSON allows",
                    "write a finite number, or leave the field out")


_Trail = tuple["_Trail", str | int] | None


def _scan(value: Any) -> list[Problem]:
    """Refused values with their field paths, or nesting that is too deep.

    Iterative (a deep document must not exhaust the Python stack).
    """
    problems: list[Problem] = []
    stack: list[tuple[Any, int, _Trail]] = [(value, 1, None)]
    while stack:
        node, depth, trail = stack.pop()
        if isinstance(node, _Refused):
            problems.append(Problem(_field_path(trail), node.message, node.fix))
        elif isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                return [Problem("", *_TOO_DEEP)]
            # Pushed last to first, so that problems come out in the file's order.
            items = (
                reversed(node.items())
                if isinstance(node, dict)
                else zip(range(len(node) - 1, -1, -1), reversed(node), strict=True)
            )
            stack.extend((child, depth + 1, (trail, key)) for key, child in items)
    return problems


def _depth(raw: bytes) -> int:
    """How deep the containers of a valid JSON text nest: the most brackets open at once,
    counting those outside strings (in numpy: faster than walking the decoded document)."""
    text = np.frombuffer(raw, np.uint8)
    quotes = np.flatnonzero(text == ord('"'))
    # A quote after a backslash may be escaped (or close a string that ends in one). A
    # quote at 0 looks at the last byte, which in valid JSON is never a backslash.
    suspects = quotes[text[quotes - 1] == ord("\\")]
    escaped = [q for q in suspects.tolist() if _escaped(raw, q)]
    if escaped:
        quotes = np.setdiff1d(quotes, escaped, assume_unique=True)
    # A string runs from one unescaped quote to the next: a bracket is outside the strings
    # when an even number of quotes comes before it.
    lower = text | 0x20  # '[' is '{', and ']' is '}', but for the bit 0x20
    opening, closing = (
        at[(np.searchsorted(quotes, at) & 1) == 0]
        for at in (np.flatnonzero(lower == ord("{")), np.flatnonzero(lower == ord("}")))
    )
    # Just after its i-th opening bracket (from 1), a document has i brackets open but
    # for those closed before.
    open_after = np.arange(1, len(opening) + 1) - np.searchsorted(closing, opening)
    return int(open_after.max(initial=0))


def _escaped(raw: bytes, at: int) -> bool:
    """Whether the character at ``at`` is escaped: an odd run of backslashes before it."""
    run = at
    while run and raw[run - 1] == ord("\\"):
        run -= 1
    return (at - run) % 2 == 1


def _field_path(trail: _Trail) -> str:
    """``a.b[0].c`` from the (parent, key) chain _scan keeps."""
    parts: list[str] = []
    while trail is not None:
        trail, key = trail
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    return "".join(reversed(parts)).lstrip(".")
