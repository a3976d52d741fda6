"""livepmo: a live Project Management Office in JupyterLab."""

from __future__ import annotations

__version__ = "0.1.0"
