"""The critical path in plain Python, for small networks laid out many times.

:func:`~livepmo.planning.critical_path` works on numpy arrays (block by block, or level by
level), which pays from a few hundred activities on. Below that its few dozen numpy calls
cost more than the arithmetic they do: the execution simulation lays its ~45 activities
out some hundred times per review, and those layouts were mostly numpy's per-call
overhead. The passes here apply the very same constraints (see
:mod:`livepmo.planning.cpm`) one activity at a time in a topological order, in Python
integers, and give the same numbers: ``tests/planning/test_small.py`` holds them to
:func:`critical_path` on random networks.
(The simulation's forward pass, :mod:`livepmo.execution._timeline`, is this one with its
history rules in the same loop; it uses the compiled links, the order and the backward
pass from here.)

A link is compiled to ``(predecessor index, lag, from_finish, to_finish)``: for
predecessor i and successor j it says ``ES_j >= ES_i + lag + (d_i if from_finish) -
(d_j if to_finish)`` (FS: from the finish; FF: finish to finish; SS, SF alike).

The passes take the links per activity as an argument rather than from the network, so
that a caller may lay out a *subset* of the links (the simulation drops the links an
activity that already started has met) in the order of the whole network: a topological
order of a graph is one of every graph with fewer links.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, NoReturn, TypeAlias

from livepmo.planning.network import LINK_TYPES, Network, PlanningError, Record

#: One link into an activity: (predecessor index, lag, from its finish, to my finish).
Link: TypeAlias = tuple[int, int, bool, bool]

_FROM_FINISH: Final = frozenset(("FS", "FF"))
_TO_FINISH: Final = frozenset(("FF", "SF"))


def compile_links(
    links: Iterable[tuple[str, str, int]], index: Mapping[str, int]
) -> tuple[Link, ...]:
    """Links ``(predecessor id, type, lag)`` as :data:`Link` tuples (ids by ``index``)."""
    return tuple(
        (index[pred], lag, kind in _FROM_FINISH, kind in _TO_FINISH) for pred, kind, lag in links
    )


def topological_order(preds: Sequence[Sequence[Link]]) -> list[int]:
    """Activity indices, each after all its predecessors (Kahn's algorithm).

    On a cycle the activities on it and after it are missing: the list is shorter than
    ``preds``, and the caller says which cycle (:class:`SmallNetwork` asks the engine).
    """
    n = len(preds)
    waiting = [len(links) for links in preds]
    succs: list[list[int]] = [[] for _ in range(n)]
    for j, links in enumerate(preds):
        for link in links:
            succs[link[0]].append(j)
    order = [j for j in range(n) if not waiting[j]]
    for i in order:  # grows while it is walked: each activity once all its links are met
        for j in succs[i]:
            waiting[j] -= 1
            if not waiting[j]:
                order.append(j)
    return order


def early_starts(
    order: Sequence[int],
    preds: Sequence[Sequence[Link]],
    duration: Sequence[int],
    earliest: Sequence[int],
) -> list[int]:
    """The forward pass: ES of every activity, by index (``order`` topological)."""
    es = list(earliest)
    for j in order:
        links = preds[j]
        if not links:
            continue
        start = es[j]
        dj = duration[j]
        for i, lag, from_finish, to_finish in links:
            bound = es[i] + lag
            if from_finish:
                bound += duration[i]
            if to_finish:
                bound -= dj
            if bound > start:
                start = bound
        es[j] = start
    return es


def late_starts(
    order: Sequence[int],
    preds: Sequence[Sequence[Link]],
    duration: Sequence[int],
    bound: int,
) -> list[int]:
    """The backward pass: LS of every activity, by index, all finishing by ``bound``."""
    ls = [bound - d for d in duration]
    for j in reversed(order):
        links = preds[j]
        if not links:
            continue
        lj = ls[j]
        dj = duration[j]
        for i, lag, from_finish, to_finish in links:
            # The link read backwards: LS_i <= LS_j - weight of the link.
            latest = lj - lag + (dj if to_finish else 0) - (duration[i] if from_finish else 0)
            if latest < ls[i]:
                ls[i] = latest
    return ls


def free_floats(
    preds: Sequence[Sequence[Link]], duration: Sequence[int], es: Sequence[int], finish: int
) -> list[int]:
    """Free float: the least slack of each activity's outgoing links, at most to the finish."""
    ff = [finish - s - d for s, d in zip(es, duration, strict=True)]
    for j, links in enumerate(preds):
        for i, lag, from_finish, to_finish in links:
            weight = lag + (duration[i] if from_finish else 0) - (duration[j] if to_finish else 0)
            slack = es[j] - es[i] - weight
            if slack < ff[i]:
                ff[i] = slack
    return ff


@dataclass(frozen=True)
class SmallCpm:
    """The CPM figures of a :class:`SmallNetwork`, as lists by activity index.

    The same figures as :class:`~livepmo.planning.cpm.CpmResult`, without dates.
    """

    ids: tuple[str, ...]
    duration: tuple[int, ...]
    early_start: list[int]
    early_finish: list[int]
    late_start: list[int]
    late_finish: list[int]
    total_float: list[int]
    free_float: list[int]
    critical: list[bool]
    finish: int
    deadline: int | None


@dataclass(frozen=True)
class SmallNetwork:
    """A network compiled for the plain-Python passes: links per activity, an order."""

    ids: tuple[str, ...]
    duration: tuple[int, ...]
    earliest: tuple[int, ...]
    preds: tuple[tuple[Link, ...], ...]
    order: tuple[int, ...]

    @classmethod
    def from_records(
        cls, records: Sequence[Record], *, earliest: Mapping[str, int] | None = None
    ) -> SmallNetwork:
        """The network of records ``(id, duration, [(predecessor, type, lag), ...])``.

        Takes what :meth:`Network.from_records <livepmo.planning.network.Network.from_records>`
        takes, in ``int``; anything it would refuse raises its very error.
        """
        ids = tuple(r[0] for r in records)
        index = {aid: i for i, aid in enumerate(ids)}
        starts = earliest or {}
        if not _acceptable(records, index, starts):
            _refuse(records, earliest)
        preds = tuple(compile_links(r[2], index) for r in records)
        order = topological_order(preds)
        if len(order) < len(ids):
            _refuse(records, earliest)
        start = [0] * len(ids)
        for aid, offset in starts.items():
            start[index[aid]] = offset
        return cls(ids, tuple(r[1] for r in records), tuple(start), preds, tuple(order))

    def critical_path(self, *, deadline: int | None = None) -> SmallCpm:
        """Both passes and the floats, as :func:`~livepmo.planning.critical_path` computes
        them for a network and a deadline offset (the working days available)."""
        d = self.duration
        es = early_starts(self.order, self.preds, d, self.earliest)
        ef = [s + length for s, length in zip(es, d, strict=True)]
        finish = max(ef, default=0)
        bound = finish if deadline is None else min(finish, deadline)
        ls = late_starts(self.order, self.preds, d, bound)
        tf = [late - early for late, early in zip(ls, es, strict=True)]
        return SmallCpm(
            ids=self.ids,
            duration=d,
            early_start=es,
            early_finish=ef,
            late_start=ls,
            late_finish=[s + length for s, length in zip(ls, d, strict=True)],
            total_float=tf,
            free_float=free_floats(self.preds, d, es, finish),
            critical=[f <= 0 for f in tf],
            finish=finish,
            deadline=deadline,
        )


def _acceptable(
    records: Sequence[Record], index: Mapping[str, int], earliest: Mapping[str, int]
) -> bool:
    """Whether the records are what the engine takes, in plain ints (cycles aside)."""
    if len(index) < len(records):
        return False
    for _, duration, links in records:
        if type(duration) is not int or duration < 0:
            return False
        for pred, kind, lag in links:
            if pred not in index or kind not in LINK_TYPES or type(lag) is not int:
                return False
    return all(
        aid in index and type(offset) is int and offset >= 0 for aid, offset in earliest.items()
    )


def _refuse(records: Sequence[Record], earliest: Mapping[str, int] | None) -> NoReturn:
    """Raise the engine's own error for records these passes do not take.

    One set of messages for both engines: the numpy network checks the records and names
    the activity (or the cycle). What it accepts but is not an int (a whole float) is
    refused here.
    """
    Network.from_records(records, earliest=earliest)
    raise PlanningError(
        "the plain-Python passes take durations, lags and earliest starts as int",
        fix="give them as whole numbers of type int, or use critical_path",
    )
