"""How checks write values into findings: short lists of ids, amounts of money."""

from __future__ import annotations

from collections.abc import Sequence

#: How many items a message names before it says "and N more".
SHOWN = 5


def shortlist(items: Sequence[str], limit: int = SHOWN) -> str:
    """At most ``limit`` items, comma-separated, with how many more."""
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def money(value: float, currency: str = "") -> str:
    """A whole amount with thousands separators, and the currency when given."""
    return f"{value:,.0f}" + (f" {currency}" if currency else "")
