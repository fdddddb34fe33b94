"""json_depth (the body guard's nesting scan) against the true nesting of random JSON."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from server.api import middleware
from server.api.middleware import json_depth

# Strings made to trip a scanner: backslashes, escaped quotes and brackets inside them.
tricky_text = st.text(alphabet=st.sampled_from(list('\\"[]{}ab\n')), max_size=12)
leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), tricky_text)
trees = st.recursive(leaves, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(tricky_text, kids, max_size=4)), max_leaves=30)


def true_depth(value):
    """Nesting of arrays and objects, from the data itself."""
    if isinstance(value, list):
        return 1 + max((true_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((true_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, derandomize=True)
@given(trees)
def test_depth_is_the_true_nesting(tree):
    text = json.dumps(tree, ensure_ascii=False).encode()
    assert json_depth(text) == true_depth(tree)


@settings(max_examples=200, derandomize=True)
@given(trees, st.integers(1, 7))
def test_depth_is_the_same_across_chunk_boundaries(tree, chunk):
    text = json.dumps(tree, ensure_ascii=False).encode()
    whole = json_depth(text)
    saved = middleware.CHUNK_BYTES
    middleware.CHUNK_BYTES = chunk  # tiny chunks put every quote and backslash run on an edge
    try:
        assert json_depth(text) == whole == true_depth(tree)
    finally:
        middleware.CHUNK_BYTES = saved


def test_the_issue_body_is_a_string_of_depth_zero():
    assert json_depth(b'"' + b'\\"' * 32_000) == 0
    assert json_depth(b'"' + b'\\"' * 32_000 + b'[[') == 0  # still inside the string
    assert json_depth(b'["\\\\", [[]]]') == 3  # an even run: the quote closes the string
