"""An import that every livepmo process would pay for and almost never use, deferred.

jsonschema (imported by nbformat, which plotly's FigureWidget, nbgrader and papermill
import) imports ``rfc3987_syntax`` eagerly for its "iri" format checks, and that module
builds some thirty Earley parsers as it is imported: 1.5–3 s on this machine, before a
learner's first builder appears and in every grading worker. No notebook or deliverable
schema uses the "iri" formats. Until something uses the module, a stand-in takes its
place; the first use of anything in it imports the real one, so every check gives the
answer it always did (python-jsonschema/jsonschema#1428 discusses the same cost).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

_NAME = "rfc3987_syntax"


def defer_iri_parser() -> None:
    """Put the stand-in for ``rfc3987_syntax`` in place, unless the module is already
    imported or is not installed."""
    if _NAME in sys.modules or importlib.util.find_spec(_NAME) is None:
        return
    stand_in = types.ModuleType(_NAME, "Imported on first use (livepmo._imports).")
    real: list[types.ModuleType] = []

    def load() -> types.ModuleType:
        if not real:
            if sys.modules.get(_NAME) is stand_in:
                del sys.modules[_NAME]
            real.append(importlib.import_module(_NAME))
        return real[0]

    def is_valid_syntax(term: str, value: str) -> Any:
        # What jsonschema takes by name at its import: it keeps this function.
        return load().is_valid_syntax(term, value)

    def __getattr__(name: str) -> Any:  # anything else, for anyone else (PEP 562)
        if name.startswith("__"):  # the import system asks for __path__ & co.: not a use
            raise AttributeError(name)
        return getattr(load(), name)

    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    stand_in.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[_NAME] = stand_in
