"""Every picture as a plain function from a deliverable (or a computed result) to a
plotly figure, so builders, memos, decks and reports draw the same pictures."""

from __future__ import annotations
