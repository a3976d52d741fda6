"""Critical path method: early and late dates, floats and the critical path(s).

Conventions (see :mod:`livepmo.planning.workdays` for the date side):

* Times are *offsets* in whole working days from the project start; offset 0 is the first
  working day. ``EF = ES + duration`` is an exclusive end: an activity with ``ES = 0`` and
  duration 3 works on days 0, 1 and 2 and has ``EF = 3``. A milestone has duration 0 and
  ``ES = EF``.
* Forward pass: every activity starts at or after the project start (``ES >= 0``) and at
  or after its start-no-earlier-than offset; each link adds the constraint of its type
  (FS ``ES_j >= EF_i + lag``, SS ``ES_j >= ES_i + lag``, FF ``EF_j >= EF_i + lag``,
  SF ``EF_j >= ES_i + lag``; a negative lag is a lead). The project finish is the
  largest EF.
* Backward pass: every activity finishes by the *finish bound* (``LF <= bound``) and
  each link constrains its predecessor symmetrically. The bound is the project finish;
  with a deadline it is the earlier of the project finish and the deadline (the number
  of working days through the deadline date). A deadline that cannot be met thus gives
  negative total float on every activity that makes it late, while a deadline with room
  to spare does not hide the critical path behind uniform positive float; its room is
  :attr:`CpmResult.deadline_slack`.
* Total float ``TF = LS - ES``; an activity is critical when ``TF <= 0``. Free float is
  how far an activity can slip without delaying any successor's early dates or the
  project finish: the least slack of its outgoing links, and never more than
  ``finish - EF``.
* A critical path is a chain of activities of least total float, each link *driving*
  (its constraint holds with equality), from an activity whose start is set by the
  project start or its own start-no-earlier-than offset to one that finishes at the
  project finish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Final, TypeAlias

import numpy as np
import numpy.typing as npt

from livepmo.errors import Problem
from livepmo.planning.network import (
    BoolArray,
    IntArray,
    Network,
    PlanningError,
    from_finish,
    network_of,
    to_finish,
)
from livepmo.planning.workdays import DateArray, WorkCalendar, deadline_offset

if TYPE_CHECKING:
    from livepmo.deliverables.schedule import Schedule

#: A chain of activity indices as a linked list: (index, rest of the chain).
_Trail: TypeAlias = "tuple[int, _Trail | None]"

#: Columns of :meth:`CpmResult.table`, in order.
TABLE_COLUMNS: Final = (
    "id", "duration", "early_start", "early_finish", "late_start", "late_finish",
    "total_float", "free_float", "critical",
)


@dataclass(frozen=True)
class OpenEnds:
    """Where the network is not closed: the facts a schedule review checks.

    A well-formed network has one start (no predecessor) and one finish (no successor);
    every other activity is linked on both sides. ``start`` and ``finish`` are the
    activities taken as the network's start and finish (``None`` for an empty network):
    the start is the activity without predecessor that is a milestone (the earliest, then
    the first listed, among several); the finish is the activity without successor that
    is a milestone (the one that finishes last, then the last listed, among several);
    without a milestone, the earliest start and the latest finish. The other fields list
    the activities that leave the network open:

    * ``without_predecessor`` / ``without_successor``: open ends other than the start and
      the finish;
    * ``dangling_start``: activities with predecessors whose start no link drives (only
      FF or SF predecessors), so they could start any time;
    * ``dangling_finish``: activities with successors whose finish drives nothing (only
      SS or SF successors), so they could finish any time.
    """

    start: str | None
    finish: str | None
    without_predecessor: tuple[str, ...]
    without_successor: tuple[str, ...]
    dangling_start: tuple[str, ...]
    dangling_finish: tuple[str, ...]
    _index: dict[str, int] = field(repr=False, compare=False)

    @property
    def closed(self) -> bool:
        """True when there is no open end and no dangling start or finish."""
        return not (
            self.without_predecessor
            or self.without_successor
            or self.dangling_start
            or self.dangling_finish
        )

    def problems(self) -> list[Problem]:
        """Each open end as a :class:`~livepmo.errors.Problem` at ``activities[i]``."""
        out: list[Problem] = []
        for aid in self.without_predecessor:
            out.append(Problem(
                self._path(aid),
                f"{aid!r} has no predecessor; only the start {self.start!r} should have none",
                f"link {aid!r} to a predecessor (at least to the start {self.start!r})",
            ))
        for aid in self.without_successor:
            out.append(Problem(
                self._path(aid),
                f"{aid!r} has no successor; only the finish {self.finish!r} should have none",
                f"link {aid!r} to a successor (at least to the finish {self.finish!r})",
            ))
        for aid in self.dangling_start:
            out.append(Problem(
                self._path(aid),
                f"the start of {aid!r} is not driven by any link (only FF or SF predecessors)",
                f"give {aid!r} an FS or SS predecessor",
            ))
        for aid in self.dangling_finish:
            out.append(Problem(
                self._path(aid),
                f"the finish of {aid!r} drives nothing (only SS or SF successors)",
                f"give {aid!r} an FS or FF successor",
            ))
        return out

    def _path(self, aid: str) -> str:
        return f"activities[{self._index[aid]}]"


@dataclass(frozen=True)
class ActivityTimes:
    """The CPM figures of one activity, in working-day offsets and (with a calendar) dates."""

    id: str
    duration: int
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int
    total_float: int
    free_float: int
    critical: bool
    early_start_date: date | None
    early_finish_date: date | None
    late_start_date: date | None
    late_finish_date: date | None


@dataclass(frozen=True, eq=False)
class CpmResult:
    """The outcome of :func:`critical_path`: per-activity arrays in network order.

    All times are working-day offsets from the project start (see the module docstring);
    ``finish`` is the project finish (the largest early finish) and ``deadline`` the
    number of working days available up to the deadline, when there is one.
    """

    network: Network
    early_start: IntArray
    early_finish: IntArray
    late_start: IntArray
    late_finish: IntArray
    total_float: IntArray
    free_float: IntArray
    critical: BoolArray
    finish: int
    deadline: int | None
    calendar: WorkCalendar | None

    # -- project level ----------------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        """Activity ids, in network order."""
        return list(self.network.ids)

    @property
    def deadline_slack(self) -> int | None:
        """Working days to spare before the deadline; negative when it is missed."""
        return None if self.deadline is None else self.deadline - self.finish

    @property
    def meets_deadline(self) -> bool | None:
        """Whether the project finish meets the deadline (``None`` without a deadline)."""
        return None if self.deadline is None else self.finish <= self.deadline

    @property
    def finish_date(self) -> date:
        """The date of the last working day of the project."""
        return self._calendar().finish_date(self.finish)

    @property
    def start_date(self) -> date:
        """The first working day of the project."""
        return self._calendar().first_day

    @property
    def critical_ids(self) -> list[str]:
        """Ids of the critical activities (total float ≤ 0), by early start."""
        idx = np.flatnonzero(self.critical)
        idx = idx[np.argsort(self.early_start[idx], kind="stable")]
        return [self.network.id_of(int(i)) for i in idx]

    @cached_property
    def open_ends(self) -> OpenEnds:
        """Open ends and dangling starts and finishes (see :class:`OpenEnds`)."""
        return _open_ends(self)

    def critical_paths(self, limit: int = 10) -> list[tuple[str, ...]]:
        """Up to ``limit`` critical paths, each a chain of ids from its start to the finish.

        A network may have many critical paths (parallel chains of equal length multiply);
        ``limit`` caps how many are listed.
        """
        return _critical_paths(self, limit)

    # -- activity level ---------------------------------------------------------------

    def activity(self, activity: str) -> ActivityTimes:
        """All figures of one activity, by id."""
        i = self.network.index_of(activity)
        dates = self._dates if self.calendar is not None else None
        return ActivityTimes(
            id=activity,
            duration=int(self.network.duration[i]),
            early_start=int(self.early_start[i]),
            early_finish=int(self.early_finish[i]),
            late_start=int(self.late_start[i]),
            late_finish=int(self.late_finish[i]),
            total_float=int(self.total_float[i]),
            free_float=int(self.free_float[i]),
            critical=bool(self.critical[i]),
            early_start_date=None if dates is None else dates["early_start"][i].astype(object),
            early_finish_date=None if dates is None else dates["early_finish"][i].astype(object),
            late_start_date=None if dates is None else dates["late_start"][i].astype(object),
            late_finish_date=None if dates is None else dates["late_finish"][i].astype(object),
        )

    def dates(self) -> dict[str, DateArray]:
        """Calendar dates per activity: ``early_start``, ``early_finish``, ``late_start``,
        ``late_finish`` as ``datetime64[D]`` arrays in network order.

        A finish date is the last working day of the activity (offset ``EF - 1``); a
        milestone is dated on the day it closes (see :mod:`livepmo.planning.workdays`).
        """
        return dict(self._dates)

    @cached_property
    def _dates(self) -> dict[str, DateArray]:
        cal = self._calendar()
        milestone = self.network.duration == 0
        # A milestone at offset k is the end of day k - 1 (see livepmo.planning.workdays).
        early_ms = np.maximum(self.early_start - 1, 0)
        late_ms = np.maximum(self.late_start - 1, 0)
        return {
            "early_start": cal.dates_at(np.where(milestone, early_ms, self.early_start)),
            "early_finish": cal.dates_at(np.where(milestone, early_ms, self.early_finish - 1)),
            "late_start": cal.dates_at(np.where(milestone, late_ms, self.late_start)),
            "late_finish": cal.dates_at(np.where(milestone, late_ms, self.late_finish - 1)),
        }

    def table(self) -> dict[str, list[object]]:
        """The figures as columns of plain values (ready for ``pandas.DataFrame``).

        Columns are :data:`TABLE_COLUMNS`, plus the four dates when there is a calendar.
        """
        ids: list[object] = list(self.ids)
        columns: dict[str, list[object]] = {
            "id": ids,
            "duration": self.network.duration.tolist(),
            "early_start": self.early_start.tolist(),
            "early_finish": self.early_finish.tolist(),
            "late_start": self.late_start.tolist(),
            "late_finish": self.late_finish.tolist(),
            "total_float": self.total_float.tolist(),
            "free_float": self.free_float.tolist(),
            "critical": self.critical.tolist(),
        }
        if self.calendar is not None:
            for name, values in self.dates().items():
                columns[f"{name}_date"] = values.astype(object).tolist()
        return columns

    def _calendar(self) -> WorkCalendar:
        if self.calendar is None:
            raise PlanningError(
                "this result has no calendar, so it has no dates",
                fix="pass calendar=WorkCalendar(...) to critical_path, or use a Schedule",
            )
        return self.calendar


def critical_path(
    plan: Schedule | Network,
    *,
    calendar: WorkCalendar | None = None,
    deadline: date | int | None = None,
) -> CpmResult:
    """Forward and backward pass over a schedule or a network: the CPM figures.

    ``plan`` is a :class:`~livepmo.deliverables.schedule.Schedule` (its calendar and
    deadline are used unless given here) or a :class:`~livepmo.planning.network.Network`
    (no dates unless a ``calendar`` is given). ``deadline`` is a date, or an offset: the
    number of working days available. Returns a :class:`CpmResult`; raises
    :class:`~livepmo.planning.network.CycleError` for a network with a cycle.
    """
    if not isinstance(plan, Network):
        calendar = calendar if calendar is not None else WorkCalendar.of(plan)
        deadline = deadline if deadline is not None else plan.deadline
    net = network_of(plan, calendar)
    limit = deadline_offset(deadline, calendar)
    es, ef, ls, lf, ff, finish = _passes(net, limit)
    tf = ls - es
    for array in (es, ef, ls, lf, ff, tf):
        array.flags.writeable = False
    return CpmResult(
        network=net,
        early_start=es,
        early_finish=ef,
        late_start=ls,
        late_finish=lf,
        total_float=tf,
        free_float=ff,
        critical=tf <= 0,
        finish=finish,
        deadline=limit,
        calendar=calendar,
    )


def link_weights(
    link_type: npt.NDArray[np.int8],
    lag: IntArray,
    pred_duration: IntArray,
    succ_duration: IntArray,
) -> IntArray:
    """Per link, ``w`` such that the link says ``ES_successor >= ES_predecessor + w``.

    FS: ``lag + d_i``; SS: ``lag``; FF: ``lag + d_i - d_j``; SF: ``lag - d_j``, where
    ``d_i`` and ``d_j`` are the durations of the predecessor and the successor.
    """
    # In place, and from the codes by arithmetic: fewer fresh arrays of every link.
    weights: IntArray = pred_duration * from_finish(link_type)
    weights -= succ_duration * to_finish(link_type)
    weights += lag
    return weights


#: Activities per block in the passes of a network listed in a topological order: the
#: links into a block go to numpy at once, the links within it are walked in Python.
#: Smaller blocks leave fewer links within, for more numpy calls; on the networks of
#: ``benchmarks/planning.py`` (1k to 100k activities, random and deep), blocks from 16 to
#: 4,096 activities: 128 and 256 did best, 512 up to a fifth slower, 16 twice as slow.
_BLOCK: Final = 256


def _passes(
    net: Network, limit: int | None, *, by_levels: bool | None = None, block: int = _BLOCK
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, int]:
    """ES, EF, LS, LF and free float in network order, and the project finish.

    ``by_levels`` picks the way (tests compare both); by default block by block for a
    network listed in a topological order, which need not be sorted into levels, and by
    levels for any other. ``block`` is the size of the blocks (tests vary it).
    """
    if by_levels is None:
        by_levels = not net.in_order
    d = net.duration
    es, ls, finish, (src, dst, weights) = (
        _level_passes(net, limit) if by_levels else _in_order_passes(net, limit, block)
    )
    ef = es + d
    # Free float: the least slack of the outgoing links, at most the room to the finish.
    ff = finish - ef
    # The slack of each link (computed in place: each fresh array of 200,000 links costs
    # page faults).
    slack = es[dst]
    slack -= weights
    slack -= es[src]
    np.minimum.at(ff, src, slack)
    return es, ef, ls, ls + d, ff, finish


#: ES, LS, the project finish, and the links as the passes took them: (src, dst, weight).
_Passed: TypeAlias = tuple[IntArray, IntArray, int, tuple[IntArray, IntArray, IntArray]]


def _level_passes(net: Network, limit: int | None) -> _Passed:
    """ES, LS, the project finish and the links in level order.

    Both passes walk the links level by level: the links leaving level L are applied
    once every activity on level L is final (forward), or once every successor of level
    L is final (backward, levels in reverse).
    """
    lv = net.levels
    d = net.duration
    src, dst = lv.src, lv.dst
    weights = link_weights(lv.link_type, lv.lag, d[src], d[dst])
    at = lv.link_ptr.tolist()
    spans = [(at[k], at[k + 1]) for k in range(len(at) - 1) if at[k + 1] > at[k]]
    es = net.earliest.copy()
    for p, q in spans:
        cand = es[src[p:q]]
        cand += weights[p:q]
        np.maximum.at(es, dst[p:q], cand)
    finish, ls = _finish_and_latest(es, d, limit)
    for p, q in reversed(spans):
        cand = ls[dst[p:q]]
        cand -= weights[p:q]
        np.minimum.at(ls, src[p:q], cand)
    return es, ls, finish, (src, dst, weights)


def _in_order_passes(net: Network, limit: int | None, block: int) -> _Passed:
    """ES, LS, the project finish and the links by successor, for a network whose links
    all run forward (:attr:`Network.in_order`).

    The activities are cut into blocks of ``block`` in network order; the links into a
    block are a run of the links sorted by successor. Forward, block after block: the
    links into the block are applied at once with numpy (those from earlier blocks meet
    their predecessors final; those from within give bounds that can only be low, which
    a max absorbs), then the links within the block are walked one by one in Python, by
    successor, each meeting its predecessor final. Backward, blocks in reverse: the links
    within, in reverse, then the links into the block, at once, carry its final late
    starts back to its predecessors. In a random network most links span blocks; in a
    deep one (long chains of work) most lie within, where a level-by-level pass would
    take one numpy round per link of a chain.
    """
    d = net.duration
    n = len(d)
    src, dst, kinds, lags = net.src, net.dst, net.link_type, net.lag
    if len(dst) and not bool((dst[1:] >= dst[:-1]).all()):
        by_successor = np.argsort(dst, kind="stable")
        src, dst, lags = src[by_successor], dst[by_successor], lags[by_successor]
        kinds = kinds[by_successor]
    weights = link_weights(kinds, lags, d[src], d[dst])
    firsts = np.arange(0, n + block, block)
    into = np.searchsorted(dst, firsts).tolist()  # the links into each block
    # Links within a block, by successor, as plain lists of indices in the block (lists
    # zipped as they are walked: a list of link tuples costs more to build than a pass).
    inner = np.flatnonzero(src // block == dst // block)
    inner_at = np.searchsorted(dst[inner], firsts).tolist()
    offset = dst[inner] // block * block
    pred, succ = (src[inner] - offset).tolist(), (dst[inner] - offset).tolist()
    weight = weights[inner].tolist()

    es = net.earliest.copy()
    for k, first in enumerate(firsts[:-1].tolist()):
        p, q = into[k], into[k + 1]
        if q > p:
            cand = es[src[p:q]]
            cand += weights[p:q]
            np.maximum.at(es, dst[p:q], cand)
        r, s = inner_at[k], inner_at[k + 1]
        if s > r:
            early = es[first : first + block].tolist()
            for i, j, w in zip(pred[r:s], succ[r:s], weight[r:s], strict=True):
                start = early[i] + w
                if start > early[j]:
                    early[j] = start
            es[first : first + len(early)] = early
    finish, ls = _finish_and_latest(es, d, limit)
    m = len(pred)
    pred.reverse()
    succ.reverse()
    weight.reverse()
    for k in reversed(range(len(firsts) - 1)):
        r, s = m - inner_at[k + 1], m - inner_at[k]
        if s > r:
            first = k * block
            late = ls[first : first + block].tolist()
            for i, j, w in zip(pred[r:s], succ[r:s], weight[r:s], strict=True):
                start = late[j] - w
                if start < late[i]:
                    late[i] = start
            ls[first : first + len(late)] = late
        p, q = into[k], into[k + 1]
        if q > p:
            cand = ls[dst[p:q]]
            cand -= weights[p:q]
            np.minimum.at(ls, src[p:q], cand)
    return es, ls, finish, (src, dst, weights)


def _finish_and_latest(es: IntArray, d: IntArray, limit: int | None) -> tuple[int, IntArray]:
    """The project finish, once the forward pass is done, and the latest start of each
    activity before its links are: what every activity must finish by (the project
    finish, or an earlier deadline) less its duration."""
    finish = int((es + d).max()) if len(d) else 0
    return finish, (finish if limit is None else min(finish, limit)) - d


def _open_ends(result: CpmResult) -> OpenEnds:
    net = result.network
    n = len(net)
    index = {aid: i for i, aid in enumerate(net.ids)}
    if n == 0:
        return OpenEnds(None, None, (), (), (), (), index)
    in_deg, out_deg = net.in_degree(), net.out_degree()
    milestone = net.duration == 0
    order = np.arange(n)
    starts = np.flatnonzero(in_deg == 0)
    finishes = np.flatnonzero(out_deg == 0)
    # Preference keys, most significant last (np.lexsort).
    start_keys = (order[starts], result.early_start[starts], ~milestone[starts])
    start = int(starts[np.lexsort(start_keys)[0]])
    finish_keys = (-order[finishes], -result.early_finish[finishes], ~milestone[finishes])
    finish = int(finishes[np.lexsort(finish_keys)[0]])
    kinds = net.link_type
    start_driven = np.bincount(net.dst[~to_finish(kinds)], minlength=n)
    finish_drives = np.bincount(net.src[from_finish(kinds)], minlength=n)

    def names(mask: BoolArray) -> tuple[str, ...]:
        return tuple(net.id_of(int(i)) for i in np.flatnonzero(mask))

    others = order != start
    return OpenEnds(
        start=net.id_of(start),
        finish=net.id_of(finish),
        without_predecessor=names((in_deg == 0) & others),
        without_successor=names((out_deg == 0) & (order != finish)),
        dangling_start=names((in_deg > 0) & (start_driven == 0)),
        dangling_finish=names((out_deg > 0) & (finish_drives == 0)),
        _index=index,
    )


def _critical_paths(result: CpmResult, limit: int) -> list[tuple[str, ...]]:
    net = result.network
    if len(net) == 0 or limit <= 0:
        return []
    tf, es = result.total_float, result.early_start
    least = tf.min()
    on = tf == least
    src, dst = net.src, net.dst
    d = net.duration
    weights = link_weights(net.link_type, net.lag, d[src], d[dst])
    driving = on[src] & on[dst] & (es[dst] == es[src] + weights)
    preds: dict[int, list[int]] = {}
    for s, t in zip(src[driving].tolist(), dst[driving].tolist(), strict=True):
        preds.setdefault(t, []).append(s)
    # A path ends at the finish, and not where it could go on (to a finish milestone, say).
    continues = np.zeros(len(net), bool)
    continues[src[driving]] = True
    ends = np.flatnonzero(on & (result.early_finish == result.finish) & ~continues).tolist()
    paths: list[tuple[str, ...]] = []
    # Depth-first from each end back to a start; a trail is a linked list (node, rest)
    # running forward to the end, so a long path is never copied step by step.
    for end in ends:
        stack: list[tuple[int, _Trail | None]] = [(end, None)]
        while stack and len(paths) < limit:
            node, rest = stack.pop()
            here: _Trail = (node, rest)
            before = preds.get(node)
            if before:
                stack.extend((p, here) for p in reversed(before))
                continue
            path: list[str] = []
            trail: _Trail | None = here
            while trail is not None:
                path.append(net.id_of(trail[0]))
                trail = trail[1]
            paths.append(tuple(path))
        if len(paths) >= limit:
            break
    return paths
