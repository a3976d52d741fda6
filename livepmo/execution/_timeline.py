"""The timeline of the work as it stands at one moment: a CPM forward pass that keeps history.

Each week the simulation lays the activities out again with ``livepmo.planning``'s
critical path over the current durations and links. What already happened stays put:

* a finished activity keeps its start and finish (no links, fixed start and length);
* a started activity keeps its start: links that bind a start (FS, SS) were met when it
  started and are dropped; links that bind a finish (FF, SF) still hold, and when one
  would push the activity later it is *stretched* (it waits for its predecessor to
  finish) instead of being moved;
* an activity not started yet starts no earlier than ``now``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from livepmo.planning import Network, critical_path

LinkRecord = tuple[str, str, int]


@dataclass(frozen=True)
class Piece:
    """One activity as input to a layout: its length, links and what already happened."""

    id: str
    duration: int
    links: Sequence[LinkRecord]
    earliest: int
    start: int | None = None
    finish: int | None = None


@dataclass(frozen=True)
class Timeline:
    """Start and (exclusive) finish offsets per activity, the project end and the critical
    activities (on a longest path: total float ≤ 0 against the project end)."""

    start: dict[str, int]
    finish: dict[str, int]
    end: int
    critical: frozenset[str]


def lay_out(pieces: Sequence[Piece], now: int) -> Timeline:
    """Lay the pieces out from ``now`` on, keeping what happened before (module docstring)."""
    stretch = dict.fromkeys((p.id for p in pieces), 0)
    for _ in range(len(pieces) + 1):
        records: list[tuple[str, int, Sequence[LinkRecord]]] = []
        earliest: dict[str, int] = {}
        for p in pieces:
            if p.finish is not None and p.start is not None:
                records.append((p.id, p.finish - p.start, ()))
                earliest[p.id] = p.start
            elif p.start is not None:
                # Running: it ends no earlier than the end of today.
                length = max(p.duration, now - p.start + 1) + stretch[p.id]
                records.append((p.id, length, [k for k in p.links if k[1] in ("FF", "SF")]))
                earliest[p.id] = p.start
            else:
                records.append((p.id, p.duration, p.links))
                earliest[p.id] = max(p.earliest, now)
        cpm = critical_path(_network(records, earliest))
        es = dict(zip(cpm.network.ids, cpm.early_start.tolist(), strict=True))
        gaps = {
            p.id: es[p.id] - p.start
            for p in pieces
            if p.start is not None and p.finish is None and es[p.id] > p.start
        }
        if not gaps:
            ef = dict(zip(cpm.network.ids, cpm.early_finish.tolist(), strict=True))
            critical = frozenset(
                aid for aid, flag in zip(cpm.network.ids, cpm.critical.tolist(), strict=True)
                if flag
            )
            return Timeline(start=es, finish=ef, end=cpm.finish, critical=critical)
        for aid, gap in gaps.items():
            stretch[aid] += gap
    raise AssertionError("unreachable: stretching settles in one round per activity")


# Networks by their links: week after week the links rarely change (an activity starting,
# a fast-track), so the topological levels are built once per shape and reused.
_SHAPES: dict[tuple[tuple[str, tuple[LinkRecord, ...]], ...], Network] = {}
_MAX_SHAPES = 512


def _network(
    records: Sequence[tuple[str, int, Sequence[LinkRecord]]], earliest: dict[str, int]
) -> Network:
    shape = tuple((aid, tuple(links)) for aid, _, links in records)
    durations = [length for _, length, _ in records]
    starts = [earliest[aid] for aid, _, _ in records]
    known = _SHAPES.get(shape)
    if known is not None:
        return known.with_times(durations, starts)
    network = Network.from_records(records, earliest=earliest)
    if len(_SHAPES) >= _MAX_SHAPES:
        _SHAPES.clear()
    _SHAPES[shape] = network
    return network
