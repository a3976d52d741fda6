"""Kinds, schema versions and migrations: from a JSON value to a current deliverable."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from livepmo.deliverables.base import ID_PATTERN, Deliverable
from livepmo.deliverables.changes import ChangeLog
from livepmo.deliverables.charter import Charter
from livepmo.deliverables.closure import ClosureReport
from livepmo.deliverables.communications import CommunicationsPlan
from livepmo.deliverables.decisions import DecisionLog
from livepmo.deliverables.exception_report import ExceptionReports
from livepmo.deliverables.issues import IssueLog
from livepmo.deliverables.lessons import LessonsLearned
from livepmo.deliverables.project import ProjectAssignment
from livepmo.deliverables.risks import RiskRegister
from livepmo.deliverables.schedule import Schedule
from livepmo.deliverables.stakeholders import StakeholderRegister
from livepmo.deliverables.status import StatusReports
from livepmo.errors import DeliverableError, Problem

KINDS: dict[str, type[Deliverable]] = {
    cls.KIND: cls
    # In the order a project produces them, so listings read like the project's story.
    for cls in (
        ProjectAssignment,
        Charter,
        StakeholderRegister,
        Schedule,
        RiskRegister,
        CommunicationsPlan,
        DecisionLog,
        ChangeLog,
        StatusReports,
        IssueLog,
        ExceptionReports,
        ClosureReport,
        LessonsLearned,
    )
}

Migration = Callable[[dict[str, Any]], dict[str, Any]]
# MIGRATIONS[kind][n] turns a schema-n document into a schema-(n + 1) one. Every kind is at
# schema 1 today, so there is nothing to migrate yet; when a schema changes, bump the
# model's SCHEMA_VERSION and add the step here, with a fixture file of the old version.
MIGRATIONS: dict[str, dict[int, Migration]] = {}

_KIND_LIST = ", ".join(KINDS)


def parse_deliverable(data: object) -> Deliverable:
    """Validate a decoded JSON value as a deliverable of its ``kind``, migrating old versions.

    Raises DeliverableError listing every problem with its field path and fix.
    """
    if not isinstance(data, dict):
        raise DeliverableError(
            [Problem("", f"expected a JSON object, found {_json_type(data)}",
                     "a deliverable file is one object with kind and schema_version")]
        )
    cls = _kind_of(data)
    data = _upgrade(cls, data)
    problems: list[Problem] = []
    try:
        deliverable = cls.model_validate(data, context={"problems": problems})
    except ValidationError as exc:
        raise DeliverableError(pydantic_problems(cls.KIND, exc)) from None
    if problems:
        raise DeliverableError(problems)
    return deliverable


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a kind's current version."""
    if kind not in KINDS:
        raise KeyError(f"unknown kind {kind!r}; known kinds: {_KIND_LIST}")
    cls = KINDS[kind]
    schema = cls.model_json_schema()
    schema["properties"]["kind"] = {"const": cls.KIND}
    schema["properties"]["schema_version"] = {"const": cls.SCHEMA_VERSION}
    schema["required"] = sorted({"kind", "schema_version", *schema.get("required", [])})
    schema["title"] = cls.TITLE
    return schema


def _kind_of(data: dict[str, Any]) -> type[Deliverable]:
    kind = data.get("kind")
    if kind is None:
        raise DeliverableError([Problem("kind", "missing", f"add kind: one of {_KIND_LIST}")])
    if not isinstance(kind, str) or kind not in KINDS:
        raise DeliverableError(
            [Problem("kind", f"unknown kind {kind!r}", f"use one of {_KIND_LIST}")]
        )
    return KINDS[kind]


def _upgrade(cls: type[Deliverable], data: dict[str, Any]) -> dict[str, Any]:
    current = cls.SCHEMA_VERSION
    version = data.get("schema_version")
    if version is None:
        raise DeliverableError(
            [Problem("schema_version", "missing", f"add schema_version: {current}")]
        )
    if not isinstance(version, int) or isinstance(version, bool):
        raise DeliverableError(
            [Problem("schema_version", f"{version!r} is not a whole number",
                     f"the current schema_version of {cls.KIND} is {current}")]
        )
    if version > current:
        raise DeliverableError(
            [Problem("schema_version",
                     f"{cls.KIND} schema {version} is newer than this livepmo knows "
                     f"(up to {current})",
                     "upgrade livepmo to read this file, or open it with the version that "
                     "wrote it")]
        )
    steps = MIGRATIONS.get(cls.KIND, {})
    while version < current:
        if version not in steps:
            raise DeliverableError(
                [Problem("schema_version",
                         f"{cls.KIND} schema {version} can no longer be read (current: "
                         f"{current})",
                         "re-create the deliverable with this version's builder, or "
                         "open it with the livepmo release that wrote it")]
            )
        try:
            data = steps[version](dict(data))
        except (KeyError, TypeError, ValueError) as exc:
            raise DeliverableError(
                [Problem("schema_version",
                         f"cannot migrate {cls.KIND} from schema {version}: {exc!r}",
                         "the old file is malformed: fix it by hand or re-create it")]
            ) from None
        version += 1
        data["schema_version"] = version
    return data


def pydantic_problems(kind: str, exc: ValidationError) -> list[Problem]:
    """Pydantic's errors as Problems: the field path, what was wrong and how to fix it.

    ``kind`` names the schema a reader can look up (`livepmo schema KIND`).
    """
    return [_problem(kind, e) for e in exc.errors()]


def _problem(kind: str, error: Any) -> Problem:
    loc = error["loc"]
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    etype: str = error["type"]
    msg: str = error["msg"]
    fix = f"see `livepmo schema {kind}`" if kind in KINDS else "see scenarios/README.md"
    if etype == "missing":
        return Problem(path, "missing", f"add the required field {loc[-1]!r}; {fix}")
    if etype == "extra_forbidden":
        return Problem(path, "unknown field", f"remove it or check its spelling; {fix}")
    if etype == "value_error":
        # Our own validators write "what was wrong; how to fix it".
        text = msg.removeprefix("Value error, ")
        what, _, how = text.rpartition("; ")
        return Problem(path, what or text, how or fix)
    value = error.get("input")
    if isinstance(value, str | int | float | bool) and len(repr(value)) <= 60:
        msg = f"{msg} (got {json.dumps(value, ensure_ascii=False)})"
    if etype.startswith(("date", "datetime")):
        fix = "write the date as YYYY-MM-DD"
    elif etype == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ID_PATTERN:
        fix = "use letters, digits, '.', '_' or '-' (no spaces), starting with a letter or digit"
    elif etype in ("too_long", "string_too_long"):
        fix = "shorten it or split it up"
    elif etype == "string_too_short":
        fix = "fill it in: it may not be blank"
    elif etype == "too_short":
        fix = "add the missing entries: it may not be empty"
    elif etype in ("int_type", "int_parsing", "int_from_float"):
        fix = "write a whole number, such as 3"
    elif etype in ("float_type", "float_parsing"):
        fix = "write a number, such as 2.5"
    elif etype in ("bool_type", "bool_parsing"):
        fix = "write true or false"
    elif etype == "string_type":
        fix = "write text in double quotes"
    elif etype == "string_unicode":
        fix = r"remove the lone surrogate escape (\uD800-\uDFFF) from the text"
    elif etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        fix = "use a value in the allowed range"
    elif etype in ("literal_error", "enum"):
        fix = "use one of the listed values"
    return Problem(path, msg, fix)


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")
