"""YAML data that course authors and instructors write (scenarios, rubrics).

Read with libyaml's safe loader when available. A problem found after loading is
located by key path (``a.b[2].c``) in the composed YAML tree, so an error can name the
line an author has to open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from livepmo.errors import LivepmoError, Problem

# libyaml's loader is five times faster than the pure-Python one; both are safe loaders.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(LivepmoError):
    """A YAML data file is invalid; each problem is located by file, line and key path."""

    def __init__(self, file: Path, problems: list[Problem], lines: list[int | None]) -> None:
        self.file = file
        self.problems = problems
        self.lines = lines
        super().__init__(
            "\n".join(
                p.render(f"{file}:{line}" if line else file)
                for p, line in zip(problems, lines, strict=True)
            )
        )


def read_yaml(path: Path, error: type[DataFileError] = DataFileError) -> tuple[Any, str]:
    """The decoded data and the text of a YAML file; unreadable or broken YAML raises."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(path, [Problem("", f"cannot read: {exc}", "check the file")], [None]) \
            from None
    try:
        return yaml.load(text, Loader=_Loader), text  # a safe loader (C when available)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise error(path, [Problem("", f"not valid YAML: {exc}",
                                   "fix the YAML syntax (indentation is typical)")],
                    [line]) from None


def locate(
    path: Path, text: str, problems: list[Problem], error: type[DataFileError] = DataFileError
) -> DataFileError:
    """The error for ``problems`` found in ``text``, each with the line of its key path."""
    # Only a file with problems is composed again to find its lines.
    root = yaml.compose(text, Loader=_Loader)
    return error(path, problems, [_line_of(root, p.path) for p in problems])


def _line_of(node: yaml.Node | None, path: str) -> int | None:
    """The line of ``path`` in a composed YAML tree, or the nearest parent's."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path.replace("[", ".").replace("]", "").split("."):
        if not part or node is None:
            continue
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(
            node.value
        ):
            node = node.value[int(part)]
        else:
            node = None
        if node is not None:
            line = node.start_mark.line + 1
    return line
