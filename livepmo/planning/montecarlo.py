"""Monte Carlo schedule risk: sampled durations, the finish distribution, criticality.

Each iteration draws every activity's duration from its three-point estimate
(optimistic ``a``, most likely ``m``, pessimistic ``b``, in working days) and computes
the early finish of the project, with the same links, lags, start-no-earlier-than
offsets and conventions as :func:`~livepmo.planning.cpm.critical_path` (durations are
continuous here, so finish offsets are fractional working days). From all iterations:

* the finish distribution and its percentiles (P50, P80, P90) as offsets and dates;
* the probability of meeting the deadline;
* the *criticality index* of each activity: the share of iterations in which it is on a
  critical path (zero total float against that iteration's own finish);
* the *sensitivity* of each activity: the Pearson correlation between its sampled
  duration and the project finish, the usual input of a tornado chart.

Distributions: ``"triangular"`` (the triangle on a, m, b) and ``"pert"`` (the beta
distribution with α = 1 + 4(m − a)/(b − a), β = 1 + 4(b − m)/(b − a) scaled to
[a, b], whose mean is (a + 4m + b)/6). An activity without an estimate keeps its
duration; a zero-width estimate (a = m = b) is that value exactly, so a network of
zero-width estimates reproduces the deterministic CPM to the day.

Runs are reproducible: the same seed, network and settings give the same numbers. The
generator is numpy's SFC64 (fast, and passes the standard statistical test batteries).

Arithmetic: single precision (float32) halves the memory traffic, so it is used when it
is provably accurate enough on the network at hand: when the rounding error bound of the
passes, 4 · levels · 2⁻²³ · (largest possible time), is at most 0.01 working days (about
five minutes of an 8-hour day). An activity then counts as critical when its total float
is at most 0.01 days, and a finish within 0.01 days of a day boundary counts as on it.
Otherwise (very deep or very long networks) the run uses double precision and a
tolerance of 10⁻⁶ days. Integer durations are exact either way, so zero-width estimates
reproduce the CPM exactly. :attr:`MonteCarloResult.precision` says which was used.

How it is fast: iterations run in chunks (a few hundred at a time); within a chunk the
matrices hold one row per activity and one column per iteration, and each topological
level is updated for all iterations at once from rows gathered with ``numpy.take``.
Within a level, the activities are sorted by their number of links, so that the k-th
link of every activity that has one forms a contiguous block of rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from livepmo.planning.cpm import critical_path
from livepmo.planning.network import (
    IntArray,
    Network,
    PlanningError,
    network_of,
)
from livepmo.planning.network import from_finish as link_from_finish
from livepmo.planning.network import to_finish as link_to_finish
from livepmo.planning.workdays import DateArray, WorkCalendar, deadline_offset

if TYPE_CHECKING:
    from livepmo.deliverables.schedule import Schedule

FloatArray: TypeAlias = npt.NDArray[np.float64]
#: Working arrays: float32 or float64 (see "Arithmetic" above).
Floats: TypeAlias = npt.NDArray[np.floating[Any]]
Distribution = Literal["triangular", "pert"]

#: Iterations of a default run (commercial practice: 1,000 to 10,000).
DEFAULT_ITERATIONS: Final = 5_000
#: Working memory a chunk of iterations may use, in bytes.
CHUNK_BYTES: Final = 16 * 2**20
#: Total float at or below this (working days) counts as critical, in single precision.
SINGLE_TOLERANCE: Final = 1e-2
#: The same in double precision.
DOUBLE_TOLERANCE: Final = 1e-6
Precision = Literal["float32", "float64"]


@dataclass(frozen=True, eq=False)
class ThreePoint:
    """Three-point estimates in working days, one entry per activity in network order."""

    optimistic: FloatArray
    most_likely: FloatArray
    pessimistic: FloatArray

    @classmethod
    def fixed(cls, durations: npt.ArrayLike) -> ThreePoint:
        """Zero-width estimates: every activity takes exactly its duration."""
        d = np.asarray(durations, dtype=np.float64)
        return cls(d, d, d)

    @classmethod
    def of(cls, schedule: Schedule) -> ThreePoint:
        """The schedule's estimates; an activity without one keeps its duration."""
        rows = [
            (e.optimistic, e.most_likely, e.pessimistic)
            if (e := a.estimate) is not None
            else (a.duration, a.duration, a.duration)
            for a in schedule.activities
        ]
        table = np.array(rows, dtype=np.float64).reshape(-1, 3)
        return cls(table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy())

    def check(self, net: Network) -> None:
        """Raise :class:`PlanningError` unless these are ordered, finite estimates for ``net``."""
        a, m, b = self.optimistic, self.most_likely, self.pessimistic
        for name, values in (("optimistic", a), ("most_likely", m), ("pessimistic", b)):
            if values.shape != (len(net),):
                raise PlanningError(
                    f"{values.shape} {name} estimates for {len(net)} activities",
                    fix="give one estimate per activity, in network order",
                )
            if (bad := np.flatnonzero(~np.isfinite(values))).size:
                raise PlanningError(
                    f"the {name} estimate is not a finite number",
                    fix="use a number of working days",
                    activity=net.id_of(int(bad[0])),
                )
        bad = np.flatnonzero((a < 0) | (a > m) | (m > b))
        if bad.size:
            i = int(bad[0])
            raise PlanningError(
                f"estimate {a[i]:g} / {m[i]:g} / {b[i]:g} is out of order",
                fix="use 0 ≤ optimistic ≤ most likely ≤ pessimistic",
                activity=net.id_of(i),
            )


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """The outcome of :func:`simulate`. Offsets are working days from the project start.

    ``finish`` holds the project finish of every iteration; ``criticality`` and
    ``sensitivity`` have one entry per activity, in network order.
    """

    network: Network
    iterations: int
    seed: int
    distribution: Distribution
    finish: FloatArray
    criticality: FloatArray
    sensitivity: FloatArray
    deterministic_finish: int
    deadline: int | None
    calendar: WorkCalendar | None
    #: The arithmetic of the run (see the module docstring).
    precision: Precision = "float64"

    @property
    def tolerance(self) -> float:
        """Working days within which two times count as equal in this run."""
        return SINGLE_TOLERANCE if self.precision == "float32" else DOUBLE_TOLERANCE

    @property
    def ids(self) -> list[str]:
        """Activity ids, in network order."""
        return list(self.network.ids)

    def percentile(self, percent: float) -> float:
        """The finish offset met or beaten in ``percent`` % of the iterations.

        It is one of the simulated finishes (the inverted empirical distribution), so
        P80 is the earliest finish that at least 80 % of the iterations achieve.
        """
        if not 0 <= percent <= 100:
            raise PlanningError(
                f"percentile {percent:g} is outside 0 to 100", fix="use e.g. 50, 80 or 90"
            )
        return float(np.quantile(self.finish, percent / 100, method="inverted_cdf"))

    @property
    def p50(self) -> float:
        """The median finish offset."""
        return self.percentile(50)

    @property
    def p80(self) -> float:
        """The finish offset met in 80 % of the iterations."""
        return self.percentile(80)

    @property
    def p90(self) -> float:
        """The finish offset met in 90 % of the iterations."""
        return self.percentile(90)

    def percentile_date(self, percent: float) -> date:
        """The finish date met or beaten in ``percent`` % of the iterations."""
        end = math.ceil(self.percentile(percent) - self.tolerance)
        return self._calendar().finish_date(end)

    @property
    def deadline_probability(self) -> float | None:
        """Share of iterations that meet the deadline (``None`` without a deadline)."""
        return None if self.deadline is None else self.probability_by(self.deadline)

    def probability_by(self, when: date | int) -> float:
        """Share of iterations that finish by a date or an offset (working days)."""
        limit = when if isinstance(when, int) else self._calendar().workdays_through(when)
        return float(np.mean(self.finish <= limit + self.tolerance))

    def finish_dates(self) -> DateArray:
        """The finish date of every iteration (``datetime64[D]``)."""
        ends = np.ceil(self.finish - self.tolerance).astype(np.int64)
        return self._calendar().dates_at(np.maximum(ends - 1, 0))

    def cdf(self) -> tuple[FloatArray, FloatArray]:
        """The finish distribution as (sorted finish offsets, share finished by each)."""
        ordered = np.sort(self.finish)
        return ordered, np.arange(1, len(ordered) + 1) / len(ordered)

    def tornado(self, top: int = 10) -> list[tuple[str, float]]:
        """The ``top`` activities by absolute sensitivity, most influential first.

        Activities whose duration does not vary (sensitivity 0) are left out.
        """
        order = np.argsort(-np.abs(self.sensitivity), kind="stable")
        return [
            (self.network.id_of(int(i)), float(self.sensitivity[i]))
            for i in order[:top]
            if self.sensitivity[i] != 0
        ]

    def criticality_of(self, activity: str) -> float:
        """The criticality index of one activity, by id."""
        return float(self.criticality[self.network.index_of(activity)])

    def _calendar(self) -> WorkCalendar:
        if self.calendar is None:
            raise PlanningError(
                "this result has no calendar, so it has no dates",
                fix="pass calendar=WorkCalendar(...) to simulate, or use a Schedule",
            )
        return self.calendar


def simulate(
    plan: Schedule | Network,
    *,
    seed: int,
    iterations: int = DEFAULT_ITERATIONS,
    distribution: Distribution = "triangular",
    estimates: ThreePoint | None = None,
    calendar: WorkCalendar | None = None,
    deadline: date | int | None = None,
) -> MonteCarloResult:
    """Monte Carlo simulation of the project finish; see the module docstring.

    ``plan`` is a Schedule (its estimates, calendar and deadline are used unless given)
    or a Network (``estimates`` default to its fixed durations). ``seed`` makes the run
    reproducible. Returns a :class:`MonteCarloResult`.
    """
    if iterations < 1:
        raise PlanningError(f"{iterations} iterations", fix="run at least 1 iteration")
    if distribution not in ("triangular", "pert"):
        raise PlanningError(
            f"unknown distribution {distribution!r}", fix="use 'triangular' or 'pert'"
        )
    if not isinstance(plan, Network):
        calendar = calendar if calendar is not None else WorkCalendar.of(plan)
        deadline = deadline if deadline is not None else plan.deadline
        estimates = estimates if estimates is not None else ThreePoint.of(plan)
    net = network_of(plan, calendar)
    est = estimates if estimates is not None else ThreePoint.fixed(net.duration)
    est.check(net)
    limit = deadline_offset(deadline, calendar)
    baseline = critical_path(net).finish
    precision = _precision(net, est)
    finish, critical, sens = _run(
        _plan(net, precision), est, np.random.Generator(np.random.SFC64(seed)), iterations,
        distribution, float(baseline),
    )
    return MonteCarloResult(
        network=net,
        iterations=iterations,
        seed=seed,
        distribution=distribution,
        finish=finish,
        criticality=critical,
        sensitivity=sens,
        deterministic_finish=baseline,
        deadline=limit,
        calendar=calendar,
        precision=precision,
    )


def _precision(net: Network, est: ThreePoint) -> Precision:
    """float32 when its rounding error bound on this network is within the tolerance."""
    if not len(net):
        return "float64"
    longest = np.ceil(est.pessimistic).astype(np.int64)
    slow = Network(longest, net.src, net.dst, net.link_type, net.lag, earliest=net.earliest)
    largest = critical_path(slow).finish + int(np.abs(net.lag).max(initial=0)) + 1
    bound = 4 * net.level_count * float(np.finfo(np.float32).eps) * largest
    return "float32" if bound <= SINGLE_TOLERANCE and largest < 2**24 else "float64"


# -- the compiled sweep ----------------------------------------------------------------

#: One block update of rows ``first:last``: gather rows ``gather``, add ``lag``, subtract
#: the target's own duration where ``own`` is set, and take the max (forward) or min
#: (backward) with the target rows. ``width`` > 1 packs ``width`` links per target row
#: (padded with a neutral row), reduced before the update.
_Block: TypeAlias = tuple[
    int, int, IntArray, "Floats | None", "npt.NDArray[np.bool_] | None", int
]
#: One level: its rows ``start:stop`` and its blocks.
_Level: TypeAlias = tuple[int, int, list[_Block]]
#: A k-th-link block needs at least this many rows; the links of busier activities
#: beyond it are packed into one padded block per level.
_MIN_BLOCK_ROWS: Final = 8


@dataclass(frozen=True, eq=False)
class _Plan:
    """A network laid out for chunked simulation (see the module docstring).

    Forward rows follow ``fwd_order`` (by level, then most predecessors first); backward
    rows follow ``bwd_order`` (by level, then most successors first). Each pass has its
    own matrix of ``3n + 1`` rows: start times, finish times, durations and a neutral row
    (−inf forward, +inf backward) for padding.
    """

    n: int
    dtype: type[np.floating[Any]]
    tolerance: float
    fwd_order: IntArray
    bwd_order: IntArray
    fwd_levels: list[_Level]
    bwd_levels: list[_Level]
    floor: Floats  # earliest start, forward order
    fwd_of_bwd: IntArray  # forward row of each backward row


def _plan(net: Network, precision: Precision) -> _Plan:
    cached = net.cache.get(f"montecarlo-{precision}")
    if isinstance(cached, _Plan):
        return cached
    dtype: type[np.floating[Any]] = np.float32 if precision == "float32" else np.float64
    n = len(net)
    lv = net.levels
    level = lv.level
    in_deg, out_deg = net.in_degree(), net.out_degree()
    nodes = np.arange(n, dtype=np.int64)
    fwd_order = np.lexsort((nodes, -in_deg, level)).astype(np.int64)
    bwd_order = np.lexsort((nodes, -out_deg, level)).astype(np.int64)
    fwd_row = np.empty(n, np.int64)
    fwd_row[fwd_order] = nodes
    bwd_row = np.empty(n, np.int64)
    bwd_row[bwd_order] = nodes
    bounds = lv.node_ptr.tolist()
    from_finish = link_from_finish(net.link_type)
    to_finish = link_to_finish(net.link_type)
    lag: Floats = net.lag.astype(dtype)
    # Forward: ES_j >= (ES_i or EF_i) + lag [- d_j]; gathered rows belong to predecessors.
    fwd_levels = _levels(
        target_row=fwd_row[net.dst],
        target_level=level[net.dst],
        gather=fwd_row[net.src] + n * from_finish,
        own=to_finish,
        lag=lag,
        bounds=bounds,
        n=n,
    )
    # Backward: LS_i <= (LS_j or LF_j) - lag [- d_i]; gathered rows belong to successors.
    bwd_levels = _levels(
        target_row=bwd_row[net.src],
        target_level=level[net.src],
        gather=bwd_row[net.dst] + n * to_finish,
        own=from_finish,
        lag=-lag,
        bounds=bounds,
        n=n,
    )
    built = _Plan(
        n=n,
        dtype=dtype,
        tolerance=SINGLE_TOLERANCE if precision == "float32" else DOUBLE_TOLERANCE,
        fwd_order=fwd_order,
        bwd_order=bwd_order,
        fwd_levels=fwd_levels,
        bwd_levels=bwd_levels[::-1],
        floor=net.earliest[fwd_order].astype(dtype),
        fwd_of_bwd=fwd_row[bwd_order],
    )
    net.cache[f"montecarlo-{precision}"] = built
    return built


def _levels(
    *,
    target_row: IntArray,
    target_level: IntArray,
    gather: IntArray,
    own: npt.NDArray[np.bool_],
    lag: Floats,
    bounds: Sequence[int],
    n: int,
) -> list[_Level]:
    """The blocks of one pass, level by level (one entry per link in the arguments).

    Within a level the target activities with more links have the first rows, so the
    k-th links of all targets that have one update a contiguous run of rows: one block
    per k. Once fewer than ``_MIN_BLOCK_ROWS`` targets have a k-th link, the remaining
    links of those busy targets go into one padded block.
    """
    m = len(target_row)
    if m == 0:
        return []
    # Slot: the rank of each link among the links of its target.
    by_target = np.argsort(target_row, kind="stable")
    sorted_rows = target_row[by_target]
    slot = np.empty(m, np.int64)
    slot[by_target] = np.arange(m) - np.searchsorted(sorted_rows, sorted_rows, side="left")
    order = np.lexsort((target_row, slot, target_level))
    levels = target_level[order]
    cuts = np.flatnonzero(levels[1:] != levels[:-1]) + 1
    out: list[_Level] = []
    for links in np.split(order, cuts):
        lev = int(target_level[links[0]])
        first = bounds[lev]
        slots = slot[links]
        rows_per_slot = np.bincount(slots)
        wide = int(np.count_nonzero(rows_per_slot >= _MIN_BLOCK_ROWS)) or 1
        blocks: list[_Block] = []
        for k in range(min(wide, len(rows_per_slot))):
            chosen = links[slots == k]
            blocks.append(_block(first, first + len(chosen), gather[chosen], lag[chosen],
                                 own[chosen], 1))
        rest = links[slots >= wide]
        if rest.size:
            busy = int(rows_per_slot[wide])  # targets with more than `wide` links
            width = len(rows_per_slot) - wide
            cells = (target_row[rest] - first) * width + (slot[rest] - wide)
            padded_gather = np.full(busy * width, 3 * n, np.int64)  # the neutral row
            padded_lag = np.zeros(busy * width)
            padded_own = np.zeros(busy * width, bool)
            padded_gather[cells] = gather[rest]
            padded_lag[cells] = lag[rest]
            padded_own[cells] = own[rest]
            blocks.append(_block(first, first + busy, padded_gather, padded_lag,
                                 padded_own, width))
        out.append((first, bounds[lev + 1], blocks))
    return out


def _block(
    first: int,
    last: int,
    gather: IntArray,
    lag: Floats,
    own: npt.NDArray[np.bool_],
    width: int,
) -> _Block:
    shape = (last - first, 1) if width == 1 else (last - first, width, 1)
    return (
        first,
        last,
        gather,
        lag[:, None] if lag.any() else None,
        own.reshape(shape) if own.any() else None,
        width,
    )


# -- running ---------------------------------------------------------------------------


def _chunk_size(n: int, iterations: int) -> int:
    # Two matrices of 3n + 1 rows, two n-row buffers and a boolean one, per iteration
    # (counted in double precision: single precision simply uses less).
    per_iteration = max(1, (8 * n + 2) * 8 + n)
    return max(1, min(iterations, max(32, CHUNK_BYTES // per_iteration)))


@dataclass
class _Buffers:
    """The working arrays of one chunk, allocated once per run and reused."""

    fwd: Floats
    bwd: Floats
    spare: Floats
    other: Floats
    flags: npt.NDArray[np.bool_]
    critical: npt.NDArray[np.uint16]  # per activity and column: iterations critical

    @classmethod
    def allocate(cls, n: int, size: int, dtype: type[np.floating[Any]]) -> _Buffers:
        fwd = np.empty((3 * n + 1, size), dtype)
        bwd = np.empty((3 * n + 1, size), dtype)
        fwd[3 * n] = -np.inf
        bwd[3 * n] = np.inf
        return cls(
            fwd,
            bwd,
            np.empty((n, size), dtype),
            np.empty((n, size), dtype),
            np.empty((n, size), bool),
            np.zeros((n, size), np.uint16),
        )

    def counts(self) -> IntArray:
        """The critical counts per activity so far (summed over columns)."""
        total: IntArray = self.critical.sum(axis=1, dtype=np.int64)
        return total


def _run(
    plan: _Plan,
    est: ThreePoint,
    rng: np.random.Generator,
    iterations: int,
    distribution: Distribution,
    baseline: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Finish per iteration; criticality and sensitivity per activity (network order)."""
    n = plan.n
    order = plan.fwd_order
    low = est.optimistic[order][:, None].astype(plan.dtype)
    mode = est.most_likely[order][:, None].astype(plan.dtype)
    high = est.pessimistic[order][:, None].astype(plan.dtype)
    finish = np.empty(iterations)
    critical = np.zeros(n, np.int64)
    sum_d = np.zeros(n)
    sum_dd = np.zeros(n)
    sum_df = np.zeros(n)
    sum_f = sum_ff = 0.0
    chunk = _chunk_size(n, iterations)
    buffers = _Buffers.allocate(n, chunk, plan.dtype)
    for number, begin in enumerate(range(0, iterations, chunk), start=1):
        size = min(chunk, iterations - begin)
        if size != buffers.fwd.shape[1]:  # the last, smaller chunk
            critical += buffers.counts()
            buffers = _Buffers.allocate(n, size, plan.dtype)
        if number % 60_000 == 0:  # empty the 16-bit counters long before they overflow
            critical += buffers.counts()
            buffers.critical[...] = 0
        dur = buffers.fwd[2 * n : 3 * n]
        if distribution == "triangular":
            _triangular(rng, low, mode, high, dur, buffers.other, buffers.spare)
        else:
            _pert(rng, low, mode, high, dur)
        ends = _forward(plan, buffers.fwd)
        shifted = ends - baseline
        finish[begin : begin + size] = ends
        _count_critical(plan, buffers, ends)
        sum_d += dur.sum(axis=1)
        sum_dd += np.einsum("ij,ij->i", dur, dur)
        sum_df += dur @ shifted
        sum_f += float(shifted.sum())
        sum_ff += float(shifted @ shifted)
    critical += buffers.counts()
    count = float(iterations)
    var_d = np.maximum(sum_dd / count - (sum_d / count) ** 2, 0.0)
    var_f = max(sum_ff / count - (sum_f / count) ** 2, 0.0)
    cov = sum_df / count - (sum_d / count) * (sum_f / count)
    scale = np.sqrt(var_d * var_f)
    # A duration (or a finish) that does not vary has no correlation: report 0.
    varies = scale > 1e-12 * np.maximum(1.0, np.abs(sum_d / count))
    corr = np.zeros(n)
    np.divide(cov, scale, out=corr, where=varies)
    np.clip(corr, -1.0, 1.0, out=corr)
    criticality = np.empty(n)
    criticality[plan.bwd_order] = critical / count
    sensitivity = np.empty(n)
    sensitivity[order] = corr
    return finish, criticality, sensitivity


def _triangular(
    rng: np.random.Generator,
    low: Floats,
    mode: Floats,
    high: Floats,
    out: Floats,
    other: Floats,
    spare: Floats,
) -> None:
    """Triangular samples into ``out``: a + (b - m)·min(U, V) + (m - a)·max(U, V).

    This is Stein and Keblis's two-uniform construction of the triangular distribution
    (Mathematical and Computer Modelling 49, 2009): no branch and no square root, and a
    zero-width estimate gives exactly ``a``. ``other`` and ``spare`` are scratch space.
    """
    rng.random(out=out, dtype=out.dtype.type)
    rng.random(out=other, dtype=out.dtype.type)
    np.minimum(out, other, out=spare)
    np.maximum(out, other, out=other)
    np.multiply(spare, high - mode, out=out)
    other *= mode - low
    out += other
    out += low


def _pert(
    rng: np.random.Generator, low: Floats, mode: Floats, high: Floats, out: Floats
) -> None:
    """PERT-beta samples into ``out`` (a zero-width estimate gives exactly ``a``)."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    alpha = 1 + 4 * (mode - low) / safe
    beta = 1 + 4 * (high - mode) / safe
    out[...] = rng.beta(alpha, beta, size=out.shape)
    out *= width
    out += low


def _forward(plan: _Plan, fwd: Floats) -> Floats:
    """Early start and finish rows of ``fwd`` from its duration rows; the project finish."""
    n = plan.n
    es, ef, dur = fwd[:n], fwd[n : 2 * n], fwd[2 * n : 3 * n]
    es[...] = plan.floor[:, None]
    np.add(es, dur, out=ef)  # final for level 0; later levels are overwritten below
    for start, stop, blocks in plan.fwd_levels:
        for first, last, gather, lag, own, width in blocks:
            cand = fwd.take(gather, axis=0)
            if lag is not None:
                cand += lag
            if width > 1:
                cand = cand.reshape(last - first, width, -1)
            if own is not None:
                mine = dur[first:last] if width == 1 else dur[first:last, None]
                np.subtract(cand, mine, out=cand, where=own)
            if width > 1:
                cand = cand.max(axis=1)
            np.maximum(es[first:last], cand, out=es[first:last])
        np.add(es[start:stop], dur[start:stop], out=ef[start:stop])
    ends: Floats = ef.max(axis=0) if n else np.zeros(fwd.shape[1])
    return ends


def _count_critical(plan: _Plan, buffers: _Buffers, ends: Floats) -> None:
    """Backward pass; add each (backward row, iteration) that is critical to the counts."""
    n = plan.n
    fwd, bwd = buffers.fwd, buffers.bwd
    ls, lf, dur = bwd[:n], bwd[n : 2 * n], bwd[2 * n : 3 * n]
    fwd.take(2 * n + plan.fwd_of_bwd, axis=0, out=dur)
    lf[...] = ends
    np.subtract(lf, dur, out=ls)
    for start, stop, blocks in plan.bwd_levels:
        for first, last, gather, lag, own, width in blocks:
            cand = bwd.take(gather, axis=0)
            if lag is not None:
                cand += lag
            if width > 1:
                cand = cand.reshape(last - first, width, -1)
            if own is not None:
                mine = dur[first:last] if width == 1 else dur[first:last, None]
                np.subtract(cand, mine, out=cand, where=own)
            if width > 1:
                cand = cand.min(axis=1)
            np.minimum(ls[first:last], cand, out=ls[first:last])
        np.add(ls[start:stop], dur[start:stop], out=lf[start:stop])
    # Total float = LS - ES, with ES gathered into backward row order.
    slack = buffers.spare
    fwd.take(plan.fwd_of_bwd, axis=0, out=slack)
    np.subtract(ls, slack, out=slack)
    np.less_equal(slack, plan.tolerance, out=buffers.flags)
    np.add(buffers.critical, buffers.flags, out=buffers.critical)
