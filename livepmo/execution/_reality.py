"""Reality: how long the work truly takes, drawn once per learner from the variant's seed.

The learner plans with their own durations; the simulation runs each catalogue activity
for a duration drawn from its honest triangular estimate (optimistic, most likely,
pessimistic). The draw of one activity depends only on the seed, the scenario and the
activity's id, so adding or removing another activity never changes it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from typing import TypeAlias, cast

import numpy as np
import numpy.typing as npt

from livepmo.scenarios.schema import CatalogueActivity

FloatArray: TypeAlias = npt.NDArray[np.float64]
U32Array: TypeAlias = npt.NDArray[np.uint32]
U64Array: TypeAlias = npt.NDArray[np.uint64]
#: A word of SeedSequence's pool: one for all the seeds, or one for each.
_Words: TypeAlias = "np.uint32 | U32Array"


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (unlike ``hash()``)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def true_durations(
    activities: Iterable[CatalogueActivity], seed: int, scenario_id: str
) -> dict[str, int]:
    """Each activity's actual duration in whole working days (0 for a milestone).

    Drawn from the triangular (optimistic, most_likely, pessimistic), one draw of
    ``np.random.default_rng([seed, hash(scenario id), hash(activity id)])`` per activity;
    work that takes time takes at least one day.
    """
    durations: dict[str, int] = {}
    drawn: list[CatalogueActivity] = []
    for a in activities:
        if a.milestone or a.pessimistic == 0:
            durations[a.id] = 0
        elif a.pessimistic > a.optimistic:
            drawn.append(a)
        else:
            durations[a.id] = max(1, math.floor(a.most_likely + 0.5))
    if drawn:
        low, mode, high = (
            np.array([getattr(a, k) for a in drawn], np.float64)
            for k in ("optimistic", "most_likely", "pessimistic")
        )
        if 0 <= seed < 2**32:
            words = np.array([stable_hash(a.id) for a in drawn], np.uint32)
            u = first_doubles(seed, stable_hash(scenario_id), words)
            values = _triangular(u, low, mode, high).tolist()
        else:  # a seed of several words: numpy's own seeding, one activity at a time
            values = [
                float(np.random.default_rng([seed, stable_hash(scenario_id), stable_hash(a.id)])
                      .triangular(lo, mo, hi))
                for a, lo, mo, hi in zip(drawn, low, mode, high, strict=True)
            ]
        for a, value in zip(drawn, values, strict=True):
            durations[a.id] = max(1, math.floor(value + 0.5))
    return durations


def _triangular(
    u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray
) -> FloatArray:
    """numpy's triangular draw (random_triangular in its distributions.c) from a uniform
    ``u``, step for step, so that every double is the same."""
    base = high - low
    left = mode - low
    ratio = left / base
    return np.where(
        u <= ratio,
        low + np.sqrt(u * (left * base)),
        high - np.sqrt((1.0 - u) * ((high - mode) * base)),
    )


# -- numpy's seeding, for many seeds at once ----------------------------------------------
#
# np.random.default_rng(words) builds a SeedSequence, a PCG64 seeded from it and a
# Generator: about 20 µs, most of it set-up, for each activity. A review draws every
# activity of a schedule, so here the same arithmetic runs once over all of them, as
# uint32 and uint64 arrays (numpy's unsigned arithmetic wraps, as C's does). Every step is
# numpy's own (SeedSequence in bit_generator.pyx, PCG64 in pcg64.h); the tests hold the
# doubles equal to numpy's for random seeds.

_U32 = np.uint32
_INIT_A, _MULT_A = _U32(0x43B0D7E5), _U32(0x931E8875)
_INIT_B, _MULT_B = _U32(0x8B51F9DD), _U32(0x58F38DED)
_MIX_L, _MIX_R = _U32(0xCA01F9DD), _U32(0x4973F715)
_SHIFT = _U32(16)
_POOL = 4
#: PCG64's 128-bit multiplier, as its high and low 64-bit words.
_PCG_MULT = (np.uint64(2549297995355413924), np.uint64(4865540595714422341))
_LOW32 = np.uint64(0xFFFFFFFF)


class _HashConst:
    """SeedSequence's running hash constant, which every hashmix multiplies on."""

    def __init__(self, start: np.uint32) -> None:
        self.value = start

    def mix(self, value: _Words) -> _Words:
        value = value ^ self.value
        self.value = self.value * _MULT_A
        value = value * self.value
        return value ^ (value >> _SHIFT)


def first_doubles(seed: int, scenario_word: int, words: U32Array) -> FloatArray:
    """The first ``Generator.random()`` of ``default_rng([seed, scenario_word, w])`` for
    each ``w`` of ``words`` (all three below 2**32)."""
    # The words all share are numpy scalars, until the mixing meets the array of the others.
    entropy: list[_Words] = [_U32(seed), _U32(scenario_word), words]
    with np.errstate(over="ignore"):  # numpy's scalars warn where C's arithmetic wraps
        # SeedSequence.mix_entropy: the pool of four words from the three of entropy.
        const = _HashConst(_INIT_A)
        pool = [const.mix(entropy[i] if i < len(entropy) else _U32(0)) for i in range(_POOL)]
        for src in range(_POOL):
            for dst in range(_POOL):
                if src != dst:
                    mixed = _MIX_L * pool[dst] - _MIX_R * const.mix(pool[src])
                    pool[dst] = mixed ^ (mixed >> _SHIFT)
        # Every word of the pool has met the array of words by now.
        mixed_pool = cast(list[U32Array], pool)
        # SeedSequence.generate_state(4, uint64): eight words, paired little-endian.
        hash_b = _INIT_B
        state: list[U64Array] = []
        for i in range(8):
            value = mixed_pool[i % _POOL] ^ hash_b
            hash_b = hash_b * _MULT_B
            value = value * hash_b
            value = value ^ (value >> _SHIFT)
            if i % 2:
                state[-1] |= value.astype(np.uint64) << np.uint64(32)
            else:
                state.append(value.astype(np.uint64))
        # PCG64: seeded with the words (hi, lo) of state 0 and 1, incremented by those of
        # 2 and 3 (shifted left, odd); one step, add the seed, one step; a step per draw.
        inc = (state[2] << np.uint64(1) | state[3] >> np.uint64(63),
               state[3] << np.uint64(1) | np.uint64(1))
        zero = np.zeros(len(words), np.uint64)
        hi, lo = _pcg_step(zero, zero, inc)
        lo = lo + state[1]
        hi = hi + state[0] + (lo < state[1])
        hi, lo = _pcg_step(*_pcg_step(hi, lo, inc), inc)
        # XSL-RR output, and the double from its top 53 bits.
        rot = hi >> np.uint64(58)
        xored = hi ^ lo
        out = xored >> rot | xored << ((np.uint64(64) - rot) & np.uint64(63))
    return (out >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def _pcg_step(
    hi: U64Array, lo: U64Array, inc: tuple[U64Array, U64Array]
) -> tuple[U64Array, U64Array]:
    """state * multiplier + inc, modulo 2**128, on (high, low) 64-bit words."""
    m_hi, m_lo = _PCG_MULT
    # The full 128-bit product of the low words, from 32-bit halves.
    a0, a1 = lo & _LOW32, lo >> np.uint64(32)
    b0, b1 = m_lo & _LOW32, m_lo >> np.uint64(32)
    p00, p01, p10 = a0 * b0, a0 * b1, a1 * b0
    mid = (p00 >> np.uint64(32)) + (p01 & _LOW32) + (p10 & _LOW32)
    new_lo = (p00 & _LOW32) | (mid << np.uint64(32))
    new_hi = a1 * b1 + (p01 >> np.uint64(32)) + (p10 >> np.uint64(32)) + (mid >> np.uint64(32))
    new_hi += hi * m_lo + lo * m_hi
    out_lo = new_lo + inc[1]
    return new_hi + inc[0] + (out_lo < new_lo), out_lo
