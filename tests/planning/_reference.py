"""Reference implementations and random networks for the planning tests.

The references are written for obviousness, not speed: plain dictionaries, one formula
per line, straight from the textbook definitions. The engine must agree with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

LINKS = ("FS", "SS", "FF", "SF")


@dataclass(frozen=True)
class RandomNetwork:
    """Activities as records ``(id, duration, [(pred, type, lag), ...])`` plus SNET offsets."""

    records: list[tuple[str, int, list[tuple[str, str, int]]]]
    earliest: dict[str, int]


@st.composite
def networks(draw, *, max_size=14, types=LINKS, snet=True):
    """Random acyclic networks with mixed link types, lags and leads: shuffled (which the
    engine passes level by level), or listed in a topological order (as schedules
    usually are; passed block by block)."""
    n = draw(st.integers(1, max_size))
    durations = draw(st.lists(st.integers(0, 8), min_size=n, max_size=n))
    records = []
    for j in range(n):
        preds = draw(st.lists(st.integers(0, j - 1), max_size=3, unique=True)) if j else []
        links = [(f"A{i}", draw(st.sampled_from(types)), draw(st.integers(-3, 3))) for i in preds]
        records.append((f"A{j}", durations[j], links))
    order = draw(st.permutations(range(n))) if draw(st.booleans()) else range(n)
    earliest = {}
    if snet:
        for j in draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True)):
            earliest[f"A{j}"] = draw(st.integers(0, 12))
    return RandomNetwork([records[i] for i in order], earliest)


def topological(records):
    """Ids in an order where every predecessor comes first (repeat until all are placed)."""
    placed: list[str] = []
    done: set[str] = set()
    while len(placed) < len(records):
        for aid, _, links in records:
            if aid not in done and all(p in done for p, _, _ in links):
                placed.append(aid)
                done.add(aid)
    return placed


def reference_fs(records, earliest=None):
    """CPM for finish-to-start links only, the textbook way. Returns dicts by id."""
    earliest = earliest or {}
    duration = {aid: d for aid, d, _ in records}
    preds = {aid: links for aid, _, links in records}
    succs: dict[str, list[tuple[str, int]]] = {aid: [] for aid in duration}
    for aid, _, links in records:
        for p, kind, lag in links:
            assert kind == "FS"
            succs[p].append((aid, lag))
    order = topological(records)
    es, ef = {}, {}
    for a in order:
        es[a] = max([0, earliest.get(a, 0)] + [ef[p] + lag for p, _, lag in preds[a]])
        ef[a] = es[a] + duration[a]
    finish = max(ef.values())
    lf, ls = {}, {}
    for a in reversed(order):
        lf[a] = min([finish] + [ls[s] - lag for s, lag in succs[a]])
        ls[a] = lf[a] - duration[a]
    free = {a: min([finish - ef[a]] + [es[s] - lag - ef[a] for s, lag in succs[a]]) for a in order}
    total = {a: ls[a] - es[a] for a in order}
    return {"es": es, "ef": ef, "ls": ls, "lf": lf, "tf": total, "ff": free, "finish": finish}


def reference_mixed(records, earliest=None, deadline=None):
    """CPM for all four link types by relaxing every constraint until nothing changes.

    FS: ES_j >= EF_i + lag; SS: ES_j >= ES_i + lag; FF: EF_j >= EF_i + lag;
    SF: EF_j >= ES_i + lag. Backward: the same constraints read for the predecessor.
    """
    earliest = earliest or {}
    d = {aid: dur for aid, dur, _ in records}
    links = [(p, aid, kind, lag) for aid, _, ls in records for p, kind, lag in ls]
    es = {a: max(0, earliest.get(a, 0)) for a in d}
    changed = True
    while changed:
        changed = False
        for i, j, kind, lag in links:
            if kind == "FS":
                need = es[i] + d[i] + lag
            elif kind == "SS":
                need = es[i] + lag
            elif kind == "FF":
                need = es[i] + d[i] + lag - d[j]
            else:
                need = es[i] + lag - d[j]
            if need > es[j]:
                es[j] = need
                changed = True
    finish = max(es[a] + d[a] for a in d)
    bound = finish if deadline is None else min(finish, deadline)
    lf = dict.fromkeys(d, bound)
    changed = True
    while changed:
        changed = False
        for i, j, kind, lag in links:
            ls_j, lf_j = lf[j] - d[j], lf[j]
            if kind == "FS":
                limit = ls_j - lag
            elif kind == "SS":
                limit = ls_j - lag + d[i]
            elif kind == "FF":
                limit = lf_j - lag
            else:
                limit = lf_j - lag + d[i]
            if limit < lf[i]:
                lf[i] = limit
                changed = True
    ls = {a: lf[a] - d[a] for a in d}
    return {
        "es": es,
        "ef": {a: es[a] + d[a] for a in d},
        "ls": ls,
        "lf": lf,
        "tf": {a: ls[a] - es[a] for a in d},
        "finish": finish,
    }
