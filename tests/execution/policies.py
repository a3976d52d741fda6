"""The reference decision policy, loaded by path: it is instructor-only and therefore
not part of the installed package (see scenarios/reference/README.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "scenarios" / "reference" / "policy.py"
_spec = importlib.util.spec_from_file_location("livepmo_reference_policy", _PATH)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _module
_spec.loader.exec_module(_module)

reference_policy = _module.reference_policy
