"""The timeline of the work as it stands at one moment: a CPM forward pass that keeps history.

Each week the simulation lays the activities out again: a critical-path forward pass over
the current durations and links. What already happened stays put:

* a finished activity keeps its start and finish (no links, fixed start and length);
* a started activity keeps its start: links that bind a start (FS, SS) were met when it
  started and are dropped; links that bind a finish (FF, SF) still hold, and when one
  would push the activity later it is *stretched* (it waits for its predecessor to
  finish) instead of being moved;
* an activity not started yet starts no earlier than ``now``.

A review replays some fifty weeks of about 45 activities, laying them out once or twice a
week, so the passes are plain Python (see :mod:`livepmo.planning.small`: numpy's per-call
cost dominated them) over links compiled once per simulation (:class:`WorkNetwork`), and a
week that went as laid out keeps its layout (:meth:`WorkNetwork.carry`). The dates are
exactly :func:`~livepmo.planning.critical_path`'s (``tests/execution/test_timeline.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress
from typing import Protocol

from livepmo.planning.small import Link, compile_links, late_starts, topological_order

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


class Timeline:
    """Start and (exclusive) finish offsets per activity, the project end and the critical
    activities (on a longest path: total float ≤ 0 against the project end).

    ``early_start`` and ``early_finish`` are by activity index (the order of the
    network's ids); :attr:`start` and :attr:`finish` the same by id. The critical
    activities need a backward pass, which only the weekly status asks for: it runs on
    first use, over the links this layout kept.
    """

    def __init__(
        self,
        ids: Sequence[str],
        order: Sequence[int],
        links: Sequence[Sequence[Link]],
        length: list[int],
        early_start: list[int],
        early_finish: list[int],
        *,
        stretched: bool = False,
    ) -> None:
        self._ids, self._order, self._links, self._length = ids, order, links, length
        self.early_start = early_start
        self.early_finish = early_finish
        self.end: int = max(early_finish, default=0)
        #: Whether a running activity had to be stretched (see :meth:`WorkNetwork.carry`).
        self.stretched = stretched

    @cached_property
    def start(self) -> dict[str, int]:
        """Start offset per activity id."""
        return dict(zip(self._ids, self.early_start, strict=True))

    @cached_property
    def finish(self) -> dict[str, int]:
        """Exclusive finish offset per activity id."""
        return dict(zip(self._ids, self.early_finish, strict=True))

    @cached_property
    def on_critical_path(self) -> list[bool]:
        """Per activity index: no float against the project end (the backward pass)."""
        late = late_starts(self._order, self._links, self._length, self.end)
        return [ls - es <= 0 for ls, es in zip(late, self.early_start, strict=True)]

    @cached_property
    def critical(self) -> frozenset[str]:
        """Ids of the activities with no float against the project end."""
        return frozenset(compress(self._ids, self.on_critical_path))


class Placed(Protocol):
    """An activity's place in time as a layout reads it (a :class:`Piece`, or the
    simulation's own record of the work)."""

    @property
    def earliest(self) -> int:
        """The earliest start offset (a start-no-earlier-than constraint)."""

    @property
    def start(self) -> int | None:
        """The offset it started on, once it did."""

    @property
    def finish(self) -> int | None:
        """The offset it finished on (exclusive), once it did."""


class WorkNetwork:
    """The activities' links compiled once, in a topological order: lays out timelines.

    The simulation keeps one for its whole run. Only a fast-track changes links (their
    types and lags, never which activities they join): :meth:`relink` recompiles them.
    """

    def __init__(self, ids: Sequence[str], links: Sequence[Sequence[LinkRecord]]) -> None:
        self.ids = tuple(ids)
        self._index = {aid: k for k, aid in enumerate(self.ids)}
        # Per activity: all its links, and those binding its finish (FF, SF), the ones
        # that still hold once it started.
        self._all = [compile_links(records, self._index) for records in links]
        self._binding = [_binding_a_finish(compiled) for compiled in self._all]
        self._order = topological_order(self._all)
        # The schedule was validated (no cycle); a fast-track never adds a link.
        assert len(self._order) == len(self.ids), "the links of the work form a cycle"

    def relink(self, activity: str, links: Sequence[LinkRecord]) -> None:
        """Take new links for one activity (the same predecessors, other types or lags)."""
        k = self._index[activity]
        self._all[k] = compile_links(links, self._index)
        self._binding[k] = _binding_a_finish(self._all[k])

    def lay_out(self, duration: Sequence[int], pieces: Sequence[Placed], now: int) -> Timeline:
        """The timeline at ``now`` (module docstring); both sequences by activity index.

        A held activity is stretched by its gap and everything is laid out again, until
        nothing is held (each round settles at least one more activity).
        """
        stretch = [0] * len(self.ids)
        for laid in range(len(self.ids) + 1):
            timeline, gaps = self._forward(duration, pieces, now, stretch)
            if not gaps:
                timeline.stretched = laid > 0
                return timeline
            for k, gap in gaps:
                stretch[k] += gap
        raise AssertionError("unreachable: stretching settles in one round per activity")

    def carry(self, timeline: Timeline, pieces: Sequence[Placed]) -> Timeline:
        """``timeline`` (laid out at ``f``) as the layout at a later ``l``, once the pieces
        started and finished as it said in ``[f, l)``; no running activity stretched.

        Laying out again would give the very same dates: what finished keeps them; what
        started keeps its start, and its length (it ends after ``l``, so its duration
        already covers ``l − start + 1``) and the finish links it keeps held it before;
        what did not start was due at or after ``l``, which is now its floor. Only the
        links each activity keeps change (``tests/execution/test_timeline.py`` checks it
        all on random networks). A stretch would not carry: a later layout stretches
        from scratch, after other activities' gaps have changed.
        """
        assert not timeline.stretched, "a stretched layout is laid out again, not carried"
        used = [
            self._all[k] if p.start is None else () if p.finish is not None else self._binding[k]
            for k, p in enumerate(pieces)
        ]
        return Timeline(self.ids, self._order, used, timeline._length, timeline.early_start,
                        timeline.early_finish)

    def _forward(
        self, duration: Sequence[int], pieces: Sequence[Placed], now: int, stretch: list[int]
    ) -> tuple[Timeline, list[tuple[int, int]]]:
        """One forward pass with history; the running activities its links would move.

        The pass of :func:`livepmo.planning.small.early_starts`, with each activity's
        length, earliest start and links chosen by what already happened to it, in the
        same loop: the hottest loop of a review.
        """
        n = len(self.ids)
        every, binding = self._all, self._binding
        es, ef, length = [0] * n, [0] * n, [0] * n
        used: list[tuple[Link, ...]] = [()] * n
        gaps: list[tuple[int, int]] = []
        for k in self._order:
            d, p = duration[k], pieces[k]
            began = p.start
            if began is None:
                start = p.earliest if p.earliest > now else now
                links = every[k]
            elif p.finish is None:
                # Running: it ends no earlier than the end of today; its start is kept.
                if now - began + 1 > d:
                    d = now - began + 1
                d += stretch[k]
                start = began
                links = binding[k]
            else:
                es[k], ef[k], length[k] = began, p.finish, p.finish - began
                continue
            for i, lag, from_finish, to_finish in links:
                bound = (ef[i] if from_finish else es[i]) + lag
                if to_finish:
                    bound -= d
                if bound > start:
                    start = bound
            if began is not None and start > began:
                gaps.append((k, start - began))
            es[k], ef[k], length[k], used[k] = start, start + d, d, links
        return Timeline(self.ids, self._order, used, length, es, ef), gaps


def _binding_a_finish(links: tuple[Link, ...]) -> tuple[Link, ...]:
    """The links that bind the successor's finish (FF, SF): they hold once it started."""
    return tuple(link for link in links if link[3])


def lay_out(pieces: Sequence[Piece], now: int) -> Timeline:
    """Lay the pieces out from ``now`` on, keeping what happened before (module docstring)."""
    network = WorkNetwork([p.id for p in pieces], [p.links for p in pieces])
    return network.lay_out([p.duration for p in pieces], pieces, now)
