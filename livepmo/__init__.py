"""livepmo: a live Project Management Office in JupyterLab."""

from __future__ import annotations

from livepmo._imports import defer_iri_parser

__version__ = "0.1.0"

# Before anything imports jsonschema (see livepmo._imports): a kernel, a grading worker or
# the CLI imports livepmo first.
defer_iri_parser()
