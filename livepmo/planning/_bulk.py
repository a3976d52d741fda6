"""Reading activities in bulk: predecessor ids matched to activities as numbers.

:meth:`Network.from_records <livepmo.planning.network.Network.from_records>` and
``from_schedule`` read large inputs (from :data:`network._VECTOR_MIN_ACTIVITIES`
activities on) here. Looking 200,000 predecessor ids up in a dictionary costs a cache
miss or three each, one at a time, in the interpreter; here the strings are read by
``str.join`` and matched as 64-bit keys with a pandas index. Whatever this reading cannot
vouch for (see :func:`read_activities`) goes back to the dictionary path, which finds and
names the first bad entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from livepmo.planning.network import LINK_TYPES, IntArray, _Fields

#: Activities read per chunk in bulk: each activity and each of its links is reached once
#: from memory, and what a chunk touches (its links, the strings they name: a few dozen
#: KB) is still in the cache when the next getter, or join, comes back to it.
CHUNK_ACTIVITIES: Final = 512
#: Longest id (in UTF-8 bytes) that bulk matching takes; longer ones take the dictionary.
_KEY_BYTES_MAX: Final = 64
_SEP: Final = "\0"
_PADDING: Final = _SEP * _KEY_BYTES_MAX
#: _LOW_BYTES[k]: the mask of the low k bytes of a 64-bit word.
_LOW_BYTES: Final = np.array(
    [(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], np.uint64
)
#: The code of a link type by its two ASCII characters as a little-endian 16-bit number;
#: -1 for any other pair.
_PAIR_CODE: Final = np.full(1 << 16, -1, np.int8)
_PAIR_CODE[[ord(name[0]) | ord(name[1]) << 8 for name in LINK_TYPES]] = range(len(LINK_TYPES))
#: Odd multipliers that mix the words of a long id into one key (the first word is taken
#: as it is; any fixed odd numbers do, as a shared key is checked word by word).
_WORD_MIX: Final = np.array(
    [
        1, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
        0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB,
    ],
    np.uint64,
)


class Activities(NamedTuple):
    """Activities read in bulk: ids and durations as given, the number of links of each,
    and each link's predecessor index, link-type code and lag."""

    ids: list[Any]
    durations: list[Any]
    counts: IntArray
    src: IntArray
    codes: npt.NDArray[np.int8]
    lags: IntArray


def read_activities(
    activities: Sequence[object], fields: _Fields, link_fields: _Fields
) -> Activities | None:
    """The activities (``fields``: getters of id, duration and links) and their links
    (``link_fields``: of predecessor id, type and lag), read in bulk.

    ``None`` whenever the bulk reading cannot vouch for the answer (an id that is not a
    string or holds a NUL character, an id longer than :data:`_KEY_BYTES_MAX` bytes, a
    repeated id, an unknown predecessor or link type, a lag that numpy does not read as
    int64, a short activity or link): the caller then takes the general path, which finds
    and names the first bad entry exactly as it always has, and reads lags exactly as it
    always has (``np.array`` of them all: int64 for every chunk means int64 for all).
    """
    get_id, get_duration, get_links = fields
    link_id, link_type, link_lag = link_fields
    ids: list[Any] = []
    durations: list[Any] = []
    counts: list[int] = []
    names: list[str] = []
    kinds: list[str] = []
    lags: list[IntArray] = []
    try:
        for first in range(0, len(activities), CHUNK_ACTIVITIES):
            chunk = activities[first : first + CHUNK_ACTIVITIES]
            ids += map(get_id, chunk)
            durations += map(get_duration, chunk)
            preds = list(map(get_links, chunk))
            counts += map(len, preds)
            links = list(chain.from_iterable(preds))
            if not links:
                continue
            names.append(_SEP.join(map(link_id, links)))
            kinds.append(_SEP.join(map(link_type, links)))
            part = np.array(list(map(link_lag, links)))
            if part.dtype != np.int64 or part.shape != (len(links),):
                return None
            lags.append(part)
    except (LookupError, TypeError, AttributeError, ValueError):
        return None  # a short activity or link, text that is not text, odd lags
    m = sum(counts)
    src = match_ids(ids, _SEP.join(names), m)
    if src is None:
        return None
    codes = type_codes(_SEP.join(kinds), m)
    if codes is None:
        return None
    return Activities(
        ids,
        durations,
        np.array(counts, np.int64),
        src,
        codes,
        np.concatenate(lags) if lags else np.zeros(0, np.int64),
    )


def match_ids(ids: list[str], names: str, count: int) -> IntArray | None:
    """The index in ``ids`` of each of the ``count`` NUL-separated ``names``; ``None``
    unless every name is found once.

    Looking 200,000 names up in a dictionary costs a cache miss or three each, one at a
    time, in the interpreter. Here the strings are read by ``str.join`` (a tight C loop
    that overlaps the misses) and matched as numbers: each string's UTF-8 bytes, 8 at a
    time, become 64-bit words; a single word is the key itself, several are mixed into a
    key and compared word by word after the match, so a match is always exact. UTF-8 is
    one-to-one, and NUL, the separator, is refused inside a string.
    """
    try:
        own = _words(_SEP.join(ids), len(ids), 1, _KEY_BYTES_MAX // 8)
    except TypeError:
        return None  # an id that is not a string
    if own is None:
        return None
    own_key, own_words = own
    # Imported here: pandas takes a second to import, and only large inputs need it.
    import pandas as pd  # type: ignore[import-untyped]  # (no stubs installed)

    table = pd.Index(own_key.view(np.int64), copy=False)
    if not table.is_unique:
        return None  # a repeated id (or, once in a blue moon, two ids sharing a key)
    # As many words as the ids have; a name that needs more is longer than every id.
    other = _words(names, count, len(own_words), len(own_words))
    if other is None:
        return None
    key, words = other
    found = np.asarray(table.get_indexer(key.view(np.int64)), np.int64)
    if len(found) and int(found.min()) < 0:
        return None
    for own_word, word in zip(own_words[1:], words[1:], strict=True):
        if not np.array_equal(own_word[found], word):
            return None
    return found


def _words(
    text: str, count: int, least: int, most: int
) -> tuple[npt.NDArray[np.uint64], list[npt.NDArray[np.uint64]]] | None:
    """A 64-bit key for each of the ``count`` NUL-separated strings of ``text``, and their
    UTF-8 bytes as 8-byte words (as many as the longest string needs, at least ``least``);
    ``None`` when a string holds a NUL or is longer than ``most`` words. Words past a
    string's end are 0, so strings keyed with different numbers of words get the same key.

    The arrays are built in place where they can be: each fresh megabyte costs page
    faults, which on a virtual machine outweigh the arithmetic.
    """
    text += _PADDING  # no copy: CPython grows a string that nothing else holds
    raw = np.frombuffer(text.encode("utf-8", "surrogatepass"), np.uint8)
    del text
    ends = np.flatnonzero(raw == 0)
    if len(ends) != max(count - 1, 0) + len(_PADDING):
        return None  # a NUL inside a string
    ends = ends[:count]  # each string's closing separator (the last: the padding)
    starts = np.empty_like(ends)
    starts[:1] = 0
    np.add(ends[:-1], 1, out=starts[1:])
    left = ends  # the bytes still to read from each string, computed over ends in place
    left -= starts
    need = max(least, -(-int(left.max()) // 8) if count else 0)
    if need > most:
        return None
    # Every 8-byte window of the text as one unaligned uint64: a string's next word is
    # the window at its start, masked to the bytes that are still its own.
    windows = np.ndarray((len(raw) - 7,), np.uint64, raw, 0, (1,))
    if need == 1:
        # The common case of ids of up to 8 bytes: the key is the word itself.
        key = windows[starts]
        mask = starts.view(np.uint64)  # its buffer, as the starts are read
        np.take(_LOW_BYTES, left, out=mask)
        key &= mask
        return key, [key]
    taken = np.empty_like(left)
    mask = np.empty(count, np.uint64)
    words: list[npt.NDArray[np.uint64]] = []
    for _ in range(need):
        word = windows[starts]
        np.minimum(left, 8, out=taken)
        np.take(_LOW_BYTES, taken, out=mask)
        word &= mask
        words.append(word)
        left -= taken
        starts += 8
    key = words[0].copy()
    for word, mix in zip(words[1:], _WORD_MIX[1:], strict=False):
        np.multiply(word, mix, out=mask)
        key += mask
    return key, words


def type_codes(kinds: str, count: int) -> npt.NDArray[np.int8] | None:
    """The code of each of the ``count`` NUL-separated link type names, or ``None`` unless
    every one is in LINK_TYPES.

    Each name must be two ASCII characters followed by the separator: the text is then
    ``count`` rows of three bytes, and the first two of each row, read as one 16-bit
    number, are looked up in a table.
    """
    if not count:
        return np.zeros(0, np.int8)
    text = kinds + _SEP
    if len(text) != 3 * count or not text.isascii():
        return None
    raw = text.encode("ascii")
    if np.frombuffer(raw, np.uint8)[2::3].any():
        return None  # a name of another length
    pairs = np.ndarray((count,), "<u2", raw, 0, (3,))
    codes: npt.NDArray[np.int8] = _PAIR_CODE[pairs]
    return None if int(codes.min()) < 0 else codes
