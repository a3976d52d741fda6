"""The schedule network compiled into arrays: what every planning computation runs on.

A :class:`Network` holds one row per activity (id, duration in working days, earliest
start offset from a start-no-earlier-than constraint) and one row per link (predecessor,
successor, link type, lag). Building it checks the input. The passes need an order in
which every predecessor comes before its successors. A network listed that way (as
schedules are written; :attr:`Network.in_order`) has one already. Any other is sorted
into *topological levels* as it is built: level 0 holds the activities without
predecessors, level k those whose longest chain of predecessors has k links. Every
predecessor of an activity sits on an earlier level, so a whole level can be computed at
once with numpy. The Monte Carlo runs level by level on every network, and sorts a
network listed in order into levels when it first needs them.

Link semantics (lag in working days; a negative lag is a lead). For a link from
predecessor i to successor j:

====  ==========================  ============================
type  constraint                  read as
====  ==========================  ============================
FS    ES_j >= EF_i + lag          j starts after i finishes
SS    ES_j >= ES_i + lag          j starts after i starts
FF    EF_j >= EF_i + lag          j finishes after i finishes
SF    EF_j >= ES_i + lag          j finishes after i starts
====  ==========================  ============================

The network can be built from a :class:`~livepmo.deliverables.schedule.Schedule`
(:meth:`Network.from_schedule`), from a list of plain records
(:meth:`Network.from_records`) or from integer arrays (the constructor). A cycle is
rejected with a :class:`CycleError` that names the activities on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt

from livepmo.errors import LivepmoError
from livepmo.planning.workdays import WorkCalendar

if TYPE_CHECKING:
    from livepmo.deliverables.schedule import Schedule

IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

#: Link types in code order: the int8 code of a link type is its index here.
LINK_TYPES: Final = ("FS", "SS", "FF", "SF")
_CODE: Final = {name: code for code, name in enumerate(LINK_TYPES)}
#: Per link-type code: does the constraint start from the predecessor's finish (FS, FF)?
FROM_FINISH: Final = np.array([True, False, True, False])
#: Per link-type code: does the constraint bind the successor's finish (FF, SF)?
TO_FINISH: Final = np.array([False, False, True, True])


def from_finish(codes: npt.NDArray[np.int8]) -> BoolArray:
    """:data:`FROM_FINISH` of each code, by arithmetic (the codes of FS and FF are even):
    indexing a table with int8 codes first converts them all to 64-bit indices."""
    finish: BoolArray = (codes & 1) == 0
    return finish


def to_finish(codes: npt.NDArray[np.int8]) -> BoolArray:
    """:data:`TO_FINISH` of each code, by arithmetic (FF and SF are the codes 2 and 3)."""
    finish: BoolArray = codes >= 2
    return finish


#: One activity as a plain record: ``(id, duration, predecessors)``, each predecessor
#: ``(predecessor id, link type, lag)``. The cheapest input to build a network from.
Record: TypeAlias = tuple[str, int, Sequence[tuple[str, str, int]]]

_Getter: TypeAlias = Callable[[Any], Any]
#: Getters of the three fields of an activity (id, duration, links) or of a link
#: (predecessor id, type, lag).
_Fields: TypeAlias = tuple[_Getter, _Getter, _Getter]
#: From this many activities on, they are read in bulk (:mod:`livepmo.planning._bulk`);
#: below it, the strings stay in the cache, a dictionary is as fast, and pandas need not
#: be imported (measured: 5,000 activities 4.9 ms in bulk, 4.7 by dictionary; 10,000
#: 8.2 and 8.5 ms; 20,000 14.6 and 16.5 ms).
_VECTOR_MIN_ACTIVITIES: Final = 1 << 13
#: Getters of a record's id, duration and links, and of a link's predecessor, type and lag.
_RECORD_FIELDS: Final = (itemgetter(0), itemgetter(1), itemgetter(2))
_LINK_FIELDS: Final = (itemgetter(0), itemgetter(1), itemgetter(2))
#: The same of a schedule's activities and their predecessors (pydantic models).
_ACTIVITY_FIELDS: Final = (attrgetter("id"), attrgetter("duration"), attrgetter("predecessors"))
_PREDECESSOR_FIELDS: Final = (attrgetter("activity"), attrgetter("type"), attrgetter("lag"))


class PlanningError(LivepmoError):
    """The planning engine cannot compute with this input; the message says where and why.

    ``activity`` is the id of the activity concerned, when there is one; ``where`` names
    another place (e.g. ``"risk 'R3'"``); ``fix`` says how to put it right.
    """

    def __init__(
        self, message: str, *, fix: str, activity: str | None = None, where: str | None = None
    ) -> None:
        self.activity = activity
        self.fix = fix
        if where is None and activity is not None:
            where = f"activity {activity!r}"
        self.where = where
        super().__init__(f"{where}: {message} ({fix})" if where else f"{message} ({fix})")


class CycleError(PlanningError):
    """The links form a cycle, so the network has no dates; ``activities`` lists the cycle.

    The activities are in link order: each one is a predecessor of the next, and the last
    is a predecessor of the first.
    """

    def __init__(self, activities: Sequence[str]) -> None:
        self.activities = tuple(activities)
        if len(self.activities) == 1:
            text = f"{self.activities[0]!r} is linked to itself"
            fix = "remove the self-link"
        else:
            text = "the links form a cycle: " + " → ".join([*self.activities, self.activities[0]])
            fix = "remove or reverse one link on the cycle"
        super().__init__(text, fix=fix, activity=self.activities[0])


@dataclass(frozen=True, eq=False)
class Levels:
    """The topological levels of a network: the order every pass runs in.

    ``order`` lists the activities level by level (level L is
    ``order[node_ptr[L]:node_ptr[L+1]]``). The links are listed by the level of their
    predecessor (the links leaving level L are ``link_ptr[L]:link_ptr[L+1]``), grouped by
    predecessor; ``link`` maps each to its index in the network, and ``src``, ``dst``,
    ``link_type`` and ``lag`` are the link columns in this order.
    """

    order: IntArray
    level: IntArray  # level of each activity, in network order
    node_ptr: IntArray
    link: IntArray
    link_ptr: IntArray
    src: IntArray
    dst: IntArray
    link_type: npt.NDArray[np.int8]
    lag: IntArray

    @property
    def count(self) -> int:
        """Number of levels."""
        return len(self.node_ptr) - 1


class Network:
    """An activity network as arrays, checked and sorted into topological levels.

    Parameters are one entry per activity (``duration``, ``earliest``, ``ids``) and one per
    link (``src`` predecessor index, ``dst`` successor index, ``link_type`` as a code into
    :data:`LINK_TYPES` or its name, ``lag`` in working days). ``earliest`` is the earliest
    start offset of each activity (a start-no-earlier-than constraint; 0 when unset).
    Without ``ids`` the activities are named by their index. Raises :class:`PlanningError`
    for malformed input and :class:`CycleError` for a cycle.
    """

    __slots__ = (
        "_cache",
        "_ids",
        "_in_order",
        "_index",
        "_levels",
        "dst",
        "duration",
        "earliest",
        "lag",
        "link_type",
        "src",
    )

    def __init__(
        self,
        duration: npt.ArrayLike,
        src: npt.ArrayLike,
        dst: npt.ArrayLike,
        link_type: npt.ArrayLike,
        lag: npt.ArrayLike,
        *,
        ids: Sequence[str] | None = None,
        earliest: npt.ArrayLike | None = None,
        _unique_ids: bool = False,
        _built: bool = False,
    ) -> None:
        self._ids = ids
        self._index: dict[str, int] | None = None
        self._cache: dict[str, object] = {}
        # Arrays that _from_columns built are fresh, so they are kept rather than copied,
        # and its link indices and codes are in range by construction.
        copy = not _built
        self.duration: IntArray = _int_array(duration, "duration", self.id_of, copy=copy)
        n = len(self.duration)
        if ids is not None and len(ids) != n:
            raise PlanningError(
                f"{len(ids)} ids for {n} durations",
                fix="give one id per activity, in the order of the durations",
            )
        if ids is not None and not _unique_ids and len(set(ids)) < n:
            _raise_duplicate(list(ids))
        if _built:
            self.src: IntArray = np.asarray(src)
            self.dst: IntArray = np.asarray(dst)
            self.link_type: npt.NDArray[np.int8] = np.asarray(link_type)
        else:
            self.src = _int_array(src, "src")
            self.dst = _int_array(dst, "dst")
        dst_ = self.dst

        def successor(link: int) -> str | None:
            return self.id_of(int(dst_[link])) if 0 <= dst_[link] < n else None

        self.lag: IntArray = _int_array(lag, "lag", successor, copy=copy)
        if not _built:
            self.link_type = _link_codes(link_type)
        self.earliest: IntArray = (
            np.zeros(n, np.int64)
            if earliest is None
            else _int_array(earliest, "earliest", self.id_of, copy=copy)
        )
        self._check(links=not _built)
        # Links that all run forward in the input order cannot close a cycle, and that
        # order is already topological: the levels wait until something needs them (the
        # critical path does not). Otherwise Kahn's algorithm runs now, as it is what
        # finds a cycle.
        self._in_order = not len(self.src) or bool((self.src < self.dst).all())
        self._levels: Levels | None = None if self._in_order else _compute_levels(self)
        for array in (self.duration, self.src, self.dst, self.lag, self.link_type, self.earliest):
            array.flags.writeable = False

    # -- building ---------------------------------------------------------------------

    @classmethod
    def from_records(
        cls, records: Sequence[Record], *, earliest: Mapping[str, int] | None = None
    ) -> Network:
        """A network from plain records ``(id, duration, [(predecessor, type, lag), ...])``.

        ``earliest`` maps activity ids to their earliest start offset (working days from
        the project start). Unknown predecessor ids, repeated ids and unknown link types
        raise :class:`PlanningError` naming the activity.
        """
        return cls._read(records, _RECORD_FIELDS, _LINK_FIELDS, earliest)

    @classmethod
    def from_schedule(cls, schedule: Schedule, calendar: WorkCalendar | None = None) -> Network:
        """The network of a schedule; start-no-earlier-than dates become earliest offsets.

        ``calendar`` maps those dates to working days; by default the schedule's own.
        """
        cal = calendar if calendar is not None else WorkCalendar.of(schedule)
        acts = schedule.activities
        earliest = {
            a.id: cal.offset_on_or_after(a.start_no_earlier_than)
            for a in acts
            if a.start_no_earlier_than is not None
        }
        return cls._read(acts, _ACTIVITY_FIELDS, _PREDECESSOR_FIELDS, earliest)

    @classmethod
    def _read(
        cls,
        activities: Sequence[Any],
        fields: _Fields,
        link_fields: _Fields,
        earliest: Mapping[str, int] | None,
    ) -> Network:
        # Imported here: it imports this module (and pandas, later, for large inputs only).
        from livepmo.planning import _bulk

        bulk = (
            _bulk.read_activities(activities, fields, link_fields)
            if len(activities) >= _VECTOR_MIN_ACTIVITIES
            else None
        )
        index: dict[str, int] | None = None
        if bulk is not None:
            ids, durations, counts, src, codes, lags = bulk
            n = len(ids)
        else:
            # The general path, and the one that finds the first bad entry and names it.
            ids, durations, preds = ([*map(get, activities)] for get in fields)
            n = len(ids)
            counts = np.fromiter(map(len, preds), np.int64, n)
            m = int(counts.sum())
            link_id, link_type, link_lag = link_fields
            links = list(chain.from_iterable(preds))
            index = dict(zip(ids, range(n), strict=True))
            if len(index) < n:
                _raise_duplicate(ids)
            try:
                src = np.fromiter(map(index.__getitem__, map(link_id, links)), np.int64, m)
            except KeyError:
                _raise_unknown_predecessor(ids, preds, index, link_id)
            try:
                codes = np.fromiter(map(_CODE.__getitem__, map(link_type, links)), np.int8, m)
            except KeyError:
                _raise_unknown_type(ids, preds, link_type)
            lags = np.array(list(map(link_lag, links)))
            del links
        dst = np.repeat(np.arange(n, dtype=np.int64), counts)
        start = np.zeros(n, np.int64)
        if earliest:
            if index is None:
                index = dict(zip(ids, range(n), strict=True))
            for aid, offset in earliest.items():
                if aid not in index:
                    raise PlanningError(
                        f"an earliest start is given for {aid!r}, which is not in the network",
                        fix="use the id of an activity in the network",
                    )
                start[index[aid]] = offset
        return cls(
            np.array(durations),
            src,
            dst,
            codes,
            lags,
            ids=ids,
            earliest=start,
            _unique_ids=True,
            _built=True,
        )

    # -- reading ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.duration)

    def __repr__(self) -> str:
        return (
            f"<Network: {len(self)} activities, {self.link_count} links, "
            f"{self.level_count} levels>"
        )

    @property
    def ids(self) -> Sequence[str]:
        """Activity ids in input order (the index as text when none were given)."""
        if self._ids is None:
            self._ids = [str(i) for i in range(len(self))]
        return self._ids

    def id_of(self, index: int) -> str:
        """The id of the activity at ``index``."""
        return str(self._ids[index]) if self._ids is not None else str(index)

    def index_of(self, activity: str) -> int:
        """The index of an activity id; :class:`PlanningError` when there is none."""
        if self._index is None:
            self._index = {aid: i for i, aid in enumerate(self.ids)}
        try:
            return self._index[activity]
        except KeyError:
            raise PlanningError(
                "no such activity in the network",
                fix="use one of the network's ids",
                activity=activity,
            ) from None

    @property
    def link_count(self) -> int:
        """Number of links."""
        return len(self.src)

    @property
    def level_count(self) -> int:
        """Number of topological levels (the longest chain of links plus one)."""
        return self.levels.count

    @property
    def levels(self) -> Levels:
        """The topological levels that the level-by-level passes and the Monte Carlo run
        in (sorted out when first needed)."""
        if self._levels is None:
            self._levels = _compute_levels(self)
        return self._levels

    @property
    def in_order(self) -> bool:
        """Whether every link runs forward in the input order (predecessor listed first),
        so that the input order is a topological one."""
        return self._in_order

    @property
    def cache(self) -> dict[str, object]:
        """Structures derived from this (immutable) network, kept for reuse by the engine."""
        return self._cache

    def in_degree(self) -> IntArray:
        """Number of predecessors of each activity."""
        return np.bincount(self.dst, minlength=len(self))

    def out_degree(self) -> IntArray:
        """Number of successors of each activity."""
        return np.bincount(self.src, minlength=len(self))

    # -- checking ---------------------------------------------------------------------

    def _check(self, *, links: bool = True) -> None:
        """Lengths, signs and self-links; ``links=False`` skips the range check of the
        link indices, for arrays that were built already in range."""
        n, m = len(self.duration), len(self.src)
        for name, array in (("dst", self.dst), ("link_type", self.link_type), ("lag", self.lag)):
            if len(array) != m:
                raise PlanningError(
                    f"{len(array)} values of {name} for {m} links",
                    fix="give src, dst, link_type and lag one value per link",
                )
        if len(self.earliest) != n:
            raise PlanningError(
                f"{len(self.earliest)} earliest starts for {n} activities",
                fix="give one earliest start offset per activity (0 when unconstrained)",
            )
        if n and (bad := np.flatnonzero(self.duration < 0)).size:
            raise PlanningError(
                f"duration {int(self.duration[bad[0]])} is negative",
                fix="use a duration of 0 or more working days",
                activity=self.id_of(int(bad[0])),
            )
        if n and (bad := np.flatnonzero(self.earliest < 0)).size:
            raise PlanningError(
                f"earliest start {int(self.earliest[bad[0]])} is before the project start",
                fix="use an offset of 0 or more working days from the project start",
                activity=self.id_of(int(bad[0])),
            )
        if m and links:
            for name, array in (("src", self.src), ("dst", self.dst)):
                bad = np.flatnonzero((array < 0) | (array >= n))
                if bad.size:
                    raise PlanningError(
                        f"link {int(bad[0])} has {name} {int(array[bad[0]])}, "
                        f"outside the {n} activities",
                        fix=f"use an activity index from 0 to {n - 1}",
                    )
        if m:
            loops = np.flatnonzero(self.src == self.dst)
            if loops.size:
                raise CycleError([self.id_of(int(self.src[loops[0]]))])


def _int_array(
    values: npt.ArrayLike,
    name: str,
    owner: Callable[[int], str | None] | None = None,
    *,
    copy: bool = True,
) -> IntArray:
    """``values`` as int64 (a copy unless ``copy=False`` and they are int64 already);
    whole-number floats are accepted, anything else not.

    ``owner`` names the activity of an entry, for the error message.
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise PlanningError(f"{name} has shape {array.shape}", fix=f"give {name} as a flat list")
    if not array.size or np.issubdtype(array.dtype, np.integer):
        return array.astype(np.int64, copy=copy)
    fix = f"give {name} in whole working days"
    if not np.issubdtype(array.dtype, np.floating):
        bad = next((i for i, v in enumerate(array.tolist()) if not isinstance(v, int)), 0)
        raise PlanningError(
            f"{name} {array[bad]!r} is not a whole number",
            fix=fix,
            activity=owner(bad) if owner else None,
        )
    whole = np.isfinite(array) & (array == np.round(array))
    if not whole.all():
        bad = int(np.flatnonzero(~whole)[0])
        raise PlanningError(
            f"{name} {float(array[bad])!r} is not a whole number",
            fix=fix,
            activity=owner(bad) if owner else None,
        )
    return array.astype(np.int64)


def _link_codes(values: npt.ArrayLike) -> npt.NDArray[np.int8]:
    array = np.asarray(values)
    if array.size and array.dtype.kind in "UO":
        try:
            return np.fromiter(map(_CODE.__getitem__, array.tolist()), np.int8, array.size)
        except KeyError as exc:
            raise PlanningError(
                f"unknown link type {exc.args[0]!r}", fix="use one of FS, SS, FF, SF"
            ) from None
    codes = _int_array(array, "link_type")
    if codes.size and ((codes < 0) | (codes > 3)).any():
        raise PlanningError(
            "link type codes must be 0 to 3", fix="use 0 FS, 1 SS, 2 FF, 3 SF"
        )
    return codes.astype(np.int8)


def _raise_duplicate(ids: list[str]) -> None:
    seen: set[str] = set()
    for aid in ids:
        if aid in seen:
            raise PlanningError(
                "the id is used twice", fix="give each activity its own id", activity=aid
            )
        seen.add(aid)


def _raise_unknown_predecessor(
    ids: list[str], preds: list[Sequence[object]], index: Mapping[str, int], link_id: _Getter
) -> None:
    for aid, links in zip(ids, preds, strict=True):
        for link in links:
            pid = link_id(link)
            if pid not in index:
                raise PlanningError(
                    f"unknown predecessor {pid!r}",
                    fix="use the id of an activity in this network, or remove the link",
                    activity=aid,
                )
    raise AssertionError("unreachable: a predecessor was unknown")  # pragma: no cover


def _raise_unknown_type(ids: list[str], preds: list[Sequence[object]], link_type: _Getter) -> None:
    for aid, links in zip(ids, preds, strict=True):
        for link in links:
            kind = link_type(link)
            if kind not in _CODE:
                raise PlanningError(
                    f"unknown link type {kind!r}", fix="use one of FS, SS, FF, SF", activity=aid
                )
    raise AssertionError("unreachable: a link type was unknown")  # pragma: no cover


def _grouped(keys: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """Indices that sort ``keys`` (stable), and the CSR pointer of the groups (n + 1)."""
    m = len(keys)
    if m and np.all(keys[1:] >= keys[:-1]):
        order = np.arange(m, dtype=np.int64)
    else:
        # A stable argsort through one packed sort: key in the high bits, index in the low
        # (in place: every fresh array costs page faults).
        bits = max(int(m).bit_length(), 1)
        order = keys << bits
        order |= np.arange(m, dtype=np.int64)
        order.sort()
        order &= (1 << bits) - 1
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return order, ptr


def _compute_levels(net: Network) -> Levels:
    """Kahn's algorithm, one numpy round per level; raises :class:`CycleError`."""
    n = len(net.duration)
    out_order, out_ptr = _grouped(net.src, n)
    out_deg = out_ptr[1:] - out_ptr[:-1]
    out_dst = net.dst[out_order]
    waiting = np.bincount(net.dst, minlength=n)  # predecessors not yet placed
    frontier = np.flatnonzero(waiting == 0)
    placed: list[IntArray] = []
    runs: list[IntArray] = []  # per level, the positions of its links in out_order
    succs: list[IntArray] = []  # and their successors
    while len(frontier):
        placed.append(frontier)
        counts = out_deg[frontier]
        ends = counts.cumsum()
        total = int(ends[-1])
        if not total:
            break
        run = (out_ptr[frontier] - ends + counts).repeat(counts)
        run += np.arange(total, dtype=np.int64)
        runs.append(run)
        succ = out_dst[run]
        succs.append(succ)
        np.subtract.at(waiting, succ, 1)
        ready = succ[waiting[succ] == 0]
        if len(ready) > 1:
            # Keep each ready activity once, without a sort: a stamp keeps one position.
            # The stamps go in `waiting`, which a ready activity no longer needs.
            where = np.arange(len(ready), dtype=np.int64)
            waiting[ready] = where
            ready = ready[waiting[ready] == where]
        frontier = ready
    order = np.concatenate(placed) if placed else np.zeros(0, np.int64)
    if len(order) < n:
        raise CycleError(_find_cycle(net, order))
    sizes = [len(p) for p in placed]
    node_ptr = np.zeros(len(placed) + 1, np.int64)
    np.cumsum(sizes, out=node_ptr[1:])
    level = np.empty(n, np.int64)
    level[order] = np.arange(len(sizes), dtype=np.int64).repeat(sizes)
    link_ptr = np.zeros(len(runs) + 1, np.int64)
    np.cumsum([len(r) for r in runs], out=link_ptr[1:])
    link = out_order[np.concatenate(runs)] if runs else np.zeros(0, np.int64)
    # The links of a level are those of its activities in turn: src is a repeat, and dst
    # was gathered level by level already.
    return Levels(
        order=order,
        level=level,
        node_ptr=node_ptr,
        link=link,
        link_ptr=link_ptr,
        src=order.repeat(out_deg[order]),
        dst=np.concatenate(succs) if succs else np.zeros(0, np.int64),
        link_type=net.link_type[link],
        lag=net.lag[link],
    )


def _find_cycle(net: Network, placed: IntArray) -> list[str]:
    """A cycle among the activities Kahn's algorithm could not place, in link order.

    Every unplaced activity has an unplaced predecessor, so walking from one to such a
    predecessor again and again must come back to an activity already seen.
    """
    unplaced = np.ones(len(net.duration), bool)
    unplaced[placed] = False
    in_order, in_ptr = _grouped(net.dst, len(net.duration))
    node = int(np.flatnonzero(unplaced)[0])
    seen: dict[int, int] = {}
    walk: list[int] = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        links = in_order[in_ptr[node] : in_ptr[node + 1]]
        preds = net.src[links]
        node = int(preds[unplaced[preds]][0])
    cycle = walk[seen[node] :]
    return [net.id_of(i) for i in reversed(cycle)]


def network_of(plan: Schedule | Network, calendar: WorkCalendar | None = None) -> Network:
    """``plan`` itself when it is a :class:`Network`, else the network of the schedule."""
    return plan if isinstance(plan, Network) else Network.from_schedule(plan, calendar)

