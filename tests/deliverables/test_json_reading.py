"""Reading JSON strictly: the fast parser and json agree on every document, and a repeated
key is refused wherever it is, whatever the strings around it hold (colons, quotes,
backslashes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livepmo import storage
from livepmo.errors import DeliverableError

# Strings full of what a parser or a bracket count could trip on: colons, quotes,
# backslashes, brackets.
_TRICKY = st.text(alphabet=':"\\{}[],ab é\n\t/', max_size=6)
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TRICKY,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TRICKY, inner, max_size=4),
    max_leaves=25,
)


def _render(value: Any, repeat: int, seen: list[int], ascii_only: bool) -> str:
    """JSON text of ``value``; the object numbered ``repeat`` (in the order written) gets
    its first key written twice, with the value ``0`` the second time."""
    if isinstance(value, dict):
        number = len(seen)
        seen.append(number)
        pairs = [f"{json.dumps(k, ensure_ascii=ascii_only)}: "
                 f"{_render(v, repeat, seen, ascii_only)}" for k, v in value.items()]
        if number == repeat and value:
            pairs.insert(1, f"{json.dumps(next(iter(value)), ensure_ascii=ascii_only)}: 0")
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v, repeat, seen, ascii_only) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


def _read(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "doc.json"
    path.write_text(text, encoding="utf-8")
    return storage.read_json(path)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_VALUES, ascii_only=st.booleans())
def test_a_document_reads_as_json_reads_it(tmp_path: Path, value: Any, ascii_only: bool) -> None:
    text = _render(value, -1, [], ascii_only)
    assert _read(tmp_path, text) == json.loads(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_VALUES.filter(lambda v: any(_numbered_objects(v))), ascii_only=st.booleans(),
       pick=st.data())
def test_a_repeated_key_is_refused_wherever_it_is(
    tmp_path: Path, value: Any, ascii_only: bool, pick: st.DataObject
) -> None:
    nonempty = [i for i, n in enumerate(_numbered_objects(value)) if n]
    repeat = pick.draw(st.sampled_from(nonempty))
    text = _render(value, repeat, [], ascii_only)
    with pytest.raises(DeliverableError) as caught:
        _read(tmp_path, text)
    assert "appears twice in one object" in str(caught.value)


def test_a_key_repeated_in_another_spelling_is_refused(tmp_path: Path) -> None:
    # "a\u0062" is "ab": the same key, written differently.
    with pytest.raises(DeliverableError, match="'ab' appears twice in one object"):
        _read(tmp_path, '{"x": {"ab": 1, "a\\u0062": 2}}')


def _numbered_objects(value: Any) -> list[int]:
    """The size of each object of ``value``, in the order _render writes them."""
    sizes: list[int] = []

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            sizes.append(len(v))
            for child in v.values():
                walk(child)
        elif isinstance(v, list):
            for child in v:
                walk(child)

    walk(value)
    return sizes


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ('{"a": "[{", "b": 1}', 1),
        ('{"a\\"[": [1]}', 2),  # an escaped quote, then a bracket, inside the key
        ('{"\\"]": [[]], "b": {}}', 3),
        ('{"a\\\\": ["]"]}', 2),  # an escaped backslash closes the key: the bracket is real
        ('{"a\\\\\\"": {"b]": ["[", "\\"\\\\["]}}', 3),
        ('[[], [[[]]], []]', 4),
        ('"[[["', 0),
        ('3', 0),
    ],
)
def test_depth_counts_the_brackets_outside_strings(text: str, depth: int) -> None:
    json.loads(text)  # valid JSON, as _depth requires
    assert storage._depth(text.encode()) == depth


@settings(max_examples=300)
@given(value=_VALUES, ascii_only=st.booleans())
def test_depth_is_how_deep_the_decoded_containers_nest(value: Any, ascii_only: bool) -> None:
    def nesting(v: Any) -> int:
        children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        return 0 if children is None else 1 + max(map(nesting, children), default=0)

    assert storage._depth(_render(value, -1, [], ascii_only).encode()) == nesting(value)


@pytest.mark.parametrize(
    "text",
    ['{"a": NaN}', '\ufeff{"a": 1}', '{"a": "\\ud800"}', '{"a": 1,}', '[' * 300 + ']' * 300],
)
def test_what_the_fast_parser_refuses_is_read_by_json(text: str) -> None:
    # These take json's path, which names the problem (or, for a lone surrogate and a
    # byte-order mark, reads the document as json always has).
    assert storage._decode_plain(text.encode()) is None
