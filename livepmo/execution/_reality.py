"""Reality: how long the work truly takes, drawn once per learner from the variant's seed.

The learner plans with their own durations; the simulation runs each catalogue activity
for a duration drawn from its honest triangular estimate (optimistic, most likely,
pessimistic). The draw of one activity depends only on the seed, the scenario and the
activity's id, so adding or removing another activity never changes it.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import numpy.typing as npt

from livepmo.scenarios.schema import CatalogueActivity


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (unlike ``hash()``)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def true_duration(activity: CatalogueActivity, seed: int, scenario_id: str) -> int:
    """The activity's actual duration in whole working days (0 for a milestone).

    Drawn from the triangular (optimistic, most_likely, pessimistic) with a generator
    seeded by ``[seed, hash(scenario id), hash(activity id)]``; work that takes time takes
    at least one day.
    """
    if activity.milestone or activity.pessimistic == 0:
        return 0
    low, mode, high = activity.optimistic, activity.most_likely, activity.pessimistic
    if high > low:
        rng = np.random.default_rng(_entropy(seed, scenario_id, activity.id))
        value = float(rng.triangular(low, mode, high))
    else:
        value = mode
    return max(1, math.floor(value + 0.5))


def _entropy(seed: int, scenario_id: str, activity_id: str) -> list[int] | npt.NDArray[np.uint32]:
    """The generator's seed words ``[seed, hash(scenario id), hash(activity id)]``.

    numpy cuts a list of ints into 32-bit words one int at a time; words that are already
    a uint32 array are taken as they are, the very same entropy, for a quarter less of a
    draw's cost (a review draws every activity). A seed too big for one word stays a list.
    """
    words = [seed, stable_hash(scenario_id), stable_hash(activity_id)]
    return np.array(words, dtype=np.uint32) if 0 <= seed < 2**32 else words
