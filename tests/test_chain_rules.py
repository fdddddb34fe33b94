"""The page writes the chain rule of every graph op (static/js/formulas/chain.js): each op
the engine accepts in a `kind: "graph"` network has its own case there, or is an
activation (whose rule ∂f/∂A = ∂f/∂b ⊙ b′(A) reads the trace's local derivatives). An op
added to the registry without a rule on the page fails here."""

import re
from pathlib import Path

import server.engine  # noqa: F401  (registers every op)
from server.engine.core.ops import graph_ops

CHAIN_JS = Path(__file__).resolve().parents[1] / "static" / "js" / "formulas" / "chain.js"
TEST_JS = Path(__file__).resolve().parent / "js" / "chain.test.js"


def test_every_graph_op_has_a_rule_on_the_page():
    cases = set(re.findall(r'case "(\w+)"', CHAIN_JS.read_text()))
    missing = [op.name for op in graph_ops() if op.kind != "activation" and op.name not in cases]
    assert missing == []


def test_the_js_test_covers_every_graph_op():
    listed = set(re.findall(r'"(\w+)"', TEST_JS.read_text().split("const OPS = [")[1].split("];")[0]))
    assert listed == {op.name for op in graph_ops()}
