"""Reading JSON strictly: the fast parser and json agree on every document, and a repeated
key is refused wherever it is, whatever the strings around it hold (colons, quotes,
backslashes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jiter
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livepmo import storage
from livepmo.deliverables import KINDS
from livepmo.deliverables.versions import json_schema
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


@pytest.mark.parametrize("text", ['\ufeff{"a": 1}', '{"a": "\\ud800"}'])
def test_what_jiter_refuses_and_json_reads_is_read_as_json_reads_it(
    tmp_path: Path, text: str
) -> None:
    # A byte-order mark and a lone surrogate: json's reading, as it always was.
    with pytest.raises(ValueError):
        jiter.from_json(text.encode(), allow_inf_nan=False, catch_duplicate_keys=True)
    assert _read(tmp_path, text) == json.loads(text.removeprefix("\ufeff"))


@pytest.mark.parametrize("levels", [storage.MAX_DEPTH, 300])  # 300: past jiter's limit
def test_a_deliverable_too_deep_is_refused_as_too_deep(tmp_path: Path, levels: int) -> None:
    # Nested past MAX_DEPTH inside an otherwise good charter: the one problem said is the
    # nesting, not the schema's errors it also causes.
    deep: Any = []
    for _ in range(levels):
        deep = [deep]
    path = tmp_path / "charter.json"
    for title, deep_enough in ((deep, True), ([[[]]], False)):
        path.write_text(json.dumps({"kind": "charter", "schema_version": 1, "title": title}),
                        encoding="utf-8")
        with pytest.raises(DeliverableError) as caught:
            storage.read_deliverable(path)
        too_deep = [p.message for p in caught.value.problems] == [storage._TOO_DEEP[0]]
        assert too_deep == deep_enough


def test_no_deliverable_schema_nests_too_deep() -> None:
    # read_deliverable measures how deep a file nests only when it does not validate:
    # sound because no valid deliverable can nest past MAX_DEPTH.
    def depth(schema: Any, defs: dict[str, Any], seen: frozenset[str]) -> int:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            assert name not in seen, f"{name} nests itself: no bound"
            return depth(defs[name], defs, seen | {name})
        parts = [*schema.get("anyOf", []), *schema.get("allOf", []), *schema.get("oneOf", [])]
        if parts:
            return max(depth(part, defs, seen) for part in parts)
        kind = schema.get("type")
        if kind == "object":
            # A dict of constrained keys has patternProperties: every key must match.
            pattern = list(schema.get("patternProperties", {}).values())
            extra = schema.get("additionalProperties", not pattern)
            assert extra is not True, f"an object that takes anything: {schema}"
            children = [*schema.get("properties", {}).values(), *pattern,
                        *([extra] if extra else [])]
        elif kind == "array":
            assert "items" in schema, f"an array that takes anything: {schema}"
            children = [schema["items"]]
        else:
            assert kind or "enum" in schema or "const" in schema, f"anything goes: {schema}"
            return 0
        return 1 + max((depth(child, defs, seen) for child in children), default=0)

    depths = {}
    for kind in KINDS:
        schema = json_schema(kind)
        depths[kind] = depth(schema, schema.get("$defs", {}), frozenset())
    assert 1 < max(depths.values()) <= storage.MAX_DEPTH, depths
