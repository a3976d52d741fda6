"""What every deliverable shares: strict models, versioning fields and cross-field rules.

Structure (types, ranges, required fields) is checked by pydantic; rules that span
fields (unique ids, links that exist, dates in order) are written once per model in
``_rules`` and report every problem with its exact field path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationInfo, model_validator

from livepmo.errors import Problem

# Identifiers are short and safe to show anywhere: in file names, plots and messages.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=ID_PATTERN,
        description="Short identifier: letters, digits, '.', '_' or '-'.",
    ),
]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=5000)]
# Numbers and flags are strict: JSON `true` is not the number 1, and "5" is not 5.
Int = Annotated[int, Strict()]
Float = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Flag = Annotated[bool, Strict()]
Money = Annotated[
    float, Strict(), Field(ge=0, allow_inf_nan=False, description="Amount in the currency")
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR")]
Items = Annotated[list[Annotated[str, Field(min_length=1, max_length=1000)]], Field(max_length=500)]


class Model(BaseModel):
    """Strict base: unknown fields are errors (a misspelt field must not vanish)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Rules:
    """Collects cross-field problems, each with its field path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, fix: str) -> None:
        self.problems.append(Problem(path, message, fix))

    def unique(self, values: Sequence[Any], path: str, field: str = "id") -> None:
        """Report every repeat of a value in ``values`` (the items under ``path``)."""
        counts = Counter(values)
        seen: set[Any] = set()
        for i, value in enumerate(values):
            if counts[value] > 1 and value in seen:
                self.add(
                    f"{path}[{i}].{field}",
                    f"duplicate {field} {value!r}",
                    f"give each entry of {path} its own {field}",
                )
            seen.add(value)

    def in_order(
        self, earlier: date | None, later: date | None, path: str, earlier_name: str
    ) -> None:
        """``later`` must not come before ``earlier`` (either may be unset)."""
        if earlier is not None and later is not None and later < earlier:
            self.add(
                path,
                f"{later.isoformat()} is before {earlier_name} {earlier.isoformat()}",
                f"use a date on or after {earlier.isoformat()}",
            )

    def refs(self, refs: Iterable[tuple[str, str]], known: set[str], what: str) -> None:
        """Each (path, id) must name one of ``known``."""
        for path, ref in refs:
            if ref not in known:
                self.add(path, f"unknown {what} {ref!r}", f"use one of the {what} ids defined here")


class Document(Model):
    """A validated document whose cross-field rules report exact field paths.

    Validate with ``context={"problems": []}`` to collect the rule problems with their
    paths; without that context (a document built in code) they raise one ValueError.
    """

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> Self:
        rules = Rules()
        self._rules(rules)
        if rules.problems:
            sink = info.context.get("problems") if isinstance(info.context, dict) else None
            if sink is None:
                raise ValueError("; ".join(p.render() for p in rules.problems))
            sink.extend(rules.problems)
        return self

    def _rules(self, rules: Rules) -> None:
        """Cross-field rules of this document; overridden where there are any."""


class Deliverable(Document):
    """A versioned deliverable file: every file carries ``kind`` and ``schema_version``."""

    KIND: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str]

    # The defaults are never used (_fill_header sets both before validation); they let a
    # type checker accept a deliverable built in code, e.g. Schedule(project_start=...).
    kind: str = ""
    schema_version: int = 0

    @model_validator(mode="before")
    @classmethod
    def _fill_header(cls, data: Any) -> Any:
        # Built in code, a deliverable gets its header for free; read from a file it must
        # already carry one (checked before this, in livepmo.deliverables.versions).
        if isinstance(data, dict):
            data = {"kind": cls.KIND, "schema_version": cls.SCHEMA_VERSION, **data}
        return data

    @model_validator(mode="after")
    def _check_header(self) -> Self:
        # Runs before Document's rules: a wrong header makes every other finding moot.
        if self.kind != self.KIND:
            raise ValueError(f"kind is {self.kind!r}, expected {self.KIND!r}; fix the kind")
        if self.schema_version != self.SCHEMA_VERSION:
            raise ValueError(
                f"schema_version is {self.schema_version}, expected {self.SCHEMA_VERSION}; "
                "load the file through livepmo, which migrates older versions"
            )
        return self

    def key_figures(self) -> dict[str, str]:
        """The few figures a reviewer looks at first, as printable text."""
        return {}
