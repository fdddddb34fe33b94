"""Hide numbers until reached (the toolbar's hide-numbers, hide=1 in the link): every unit or
box whose number a later step of the pass computes holds a "?" instead, the loss and the loss
after an update wait for their step, the history lists no loss this step has not reached;
what was reached stays; unticking the box draws the stage as it is without it, at once."""

from pagetools import expected_steps, expected_trace, fmt, formula_state, open_preset, step, step_back

# Every number the stage writes: the graph's visible text, the header's f, the bars and the
# history under them, the tooltip.
STAGE_TEXT = """() => {
  const shown = (t) => t.getClientRects().length && getComputedStyle(t).visibility === 'visible';
  const graph = [...document.querySelectorAll('[data-testid=graph] text')].filter(shown).map((t) => t.textContent);
  const rest = ['loss', 'grad-bars', 'tooltip'].map((id) => document.querySelector(`[data-testid=${id}]`).innerText);
  return [...graph, ...rest].join(' ');
}"""
PENDING = "els => els.map((e) => e.dataset.node)"
MARKS = """() => [...document.querySelectorAll('[data-testid=graph] .pending-mark')]
  .filter((t) => getComputedStyle(t).visibility === 'visible' && t.getClientRects().length).length"""


def pending(page):
    """The node ids the stage marks as still to come (their units or boxes carry data-pending)."""
    return set(page.eval_on_selector_all("[data-testid=graph] [data-pending]", PENDING))


def walk_to(page, phase, node):
    state = formula_state(page)
    for _ in range(400):
        if (state["phase"], state["node"]) == (phase, node):
            return state
        state = step(page)
    raise AssertionError(f"never reached {phase} {node}")


def toggle_hide(page, on):
    box = page.get_by_test_id("hide-numbers")
    box.check() if on else box.uncheck()
    page.wait_for_function("(on) => new URLSearchParams(location.search).has('hide') === on", arg=on)


def numbers(value):
    """The page's text of every number of `value` (a nested list or a scalar)."""
    if isinstance(value, list):
        return {t for v in value for t in numbers(v)}
    return {fmt(value)}


def test_tanh_mlp_shows_only_the_numbers_reached(page, base_url, api):
    _, trace = expected_trace(api, "tanh-mlp")
    role = {n["id"]: n["role"] for n in trace["graph"]["nodes"]}
    computed = [i for i in trace["forward_order"] if role[i] in ("op", "loss")]
    open_preset(page, base_url, "tanh-mlp", "&hide=1")
    assert formula_state(page)["node"] == "a0"
    assert pending(page) == set(computed)
    # a "?" in each half of each hidden unit (the first example's), its bias squares' none, f's one
    assert page.evaluate(MARKS) == page.locator("[data-testid=graph] [data-pending]").count()
    text = page.evaluate(STAGE_TEXT)
    later = set().union(*(numbers(trace["values"][i][0]) for i in computed if i != "loss"), {fmt(trace["loss"])})
    leaked = sorted(t for t in later if t in text.split())
    assert not leaked, f"numbers not computed yet on the stage: {leaked}"
    assert page.locator("[data-testid=graph] .loss-label").text_content() == "f = ?"
    # each forward step reveals exactly its node
    for n, node in enumerate(computed):
        walk_to(page, "forward", node)
        assert pending(page) == set(computed[n + 1:]), node
    assert page.locator("[data-testid=graph] .loss-label").text_content() == f"f = {fmt(trace['loss'])}"
    # the backward pass hides the gradients still to come, and the bars wait for theirs
    grads = [n for p, n in expected_steps(trace) if p == "backward"]
    for n, node in enumerate(grads):
        walk_to(page, "backward", node)
        # the weights are edges, drawn by their values: the units and bias squares wait
        assert pending(page) == {g for g in grads[n + 1:] if not g.startswith("W")}, node
        if node == "W3":
            assert page.get_by_test_id("grad-bar-W3").get_attribute("data-norm") is not None
            assert page.get_by_test_id("grad-bar-W2").get_attribute("data-norm") is None
    # unticked: the stage as without the option (no "?"), ticked again: back at once
    step_back(page)
    assert pending(page)
    toggle_hide(page, False)
    assert pending(page) == set() and page.evaluate(MARKS) == 0
    toggle_hide(page, True)
    assert pending(page) == {grads[-1]}


def test_the_loss_after_an_update_and_the_history_wait_for_their_step(page, base_url, api):
    preset, trace = expected_trace(api, "tanh-mlp")
    params = list(trace["params"])
    open_preset(page, base_url, "tanh-mlp", "&hide=1")
    loss = page.get_by_test_id("loss")
    walk_to(page, "update", params[0])
    # f after the update is f at the updated parameters: it waits for the last one
    assert loss.text_content() == f"f = {fmt(trace['loss'])} → ?"
    assert loss.get_attribute("data-loss-after") is None
    walk_to(page, "update", params[-1])
    after = float(loss.get_attribute("data-loss-after"))
    assert loss.text_content() == f"f = {fmt(trace['loss'])} → {fmt(after)}"
    state = step(page)
    assert state["iteration"] == "1"
    history = page.get_by_test_id("loss-history")
    assert history.text_content() == f"Loss per iteration: {fmt(trace['loss'])} → ?"
    # back to the first step of the first iteration: neither loss is reached there
    for _ in range(6):  # Home: to the start of this pass, then of the one before
        if formula_state(page)["step"] == 1:
            break
        page.keyboard.press("Home")
        page.wait_for_timeout(100)
    assert formula_state(page)["iteration"] == "0"
    assert fmt(after) not in history.text_content() and fmt(trace["loss"]) not in history.text_content()
    toggle_hide(page, False)
    assert history.text_content() == f"Loss per iteration: {fmt(trace['loss'])} → {fmt(after)}"


def test_skip_connection_op_view_hides_values_and_gradients_to_come(page, base_url, api):
    _, trace = expected_trace(api, "skip-connection")
    role = {n["id"]: n["role"] for n in trace["graph"]["nodes"]}
    computed = [i for i in trace["forward_order"] if role[i] in ("op", "loss")]
    open_preset(page, base_url, "skip-connection", "&hide=1")
    assert pending(page) == set(computed)
    assert page.evaluate(MARKS) == len(computed)
    page.get_by_test_id("unit-a1-0").hover()
    page.get_by_test_id("tooltip").wait_for(state="visible")
    cells = {c.get_attribute("data-name"): c.text_content()
             for c in page.get_by_test_id("tooltip").locator("td[data-name]").all()}
    assert cells["a₁"] == "not yet computed"
    walk_to(page, "forward", "a1")
    assert "a1" not in pending(page) and "s" in pending(page)
    grads = [n for p, n in expected_steps(trace) if p == "backward"]
    assert "x" in grads  # read twice: its gradient is a step
    walk_to(page, "backward", grads[0])
    assert pending(page) == set(grads[1:])
    walk_to(page, "backward", "x")
    assert "x" not in pending(page)
    toggle_hide(page, False)
    assert pending(page) == set() and page.evaluate(MARKS) == 0


def test_unrolled_rnn_marks_the_steps_to_come(page, base_url, api):
    _, trace = expected_trace(api, "rnn-vanishing")
    loss = next(n["id"] for n in trace["graph"]["nodes"] if n["role"] == "loss")
    open_preset(page, base_url, "rnn-vanishing", "&hide=1")
    drawn = set(page.eval_on_selector_all("[data-testid=graph] .units .op-node", PENDING))
    first = pending(page)
    assert {"z1", "h1", "yhat1", "z2", loss} <= first and not first & {"x1", "h0", "W_hh"}
    assert page.evaluate(MARKS) == len(first & drawn)
    for node in ("z1", "h1", "yhat1"):
        walk_to(page, "forward", node)
    assert not pending(page) & {"z1", "h1", "yhat1"} and {"z2", "h2", loss} <= pending(page)
    # no later ŷ_t's number on the stage (the tooltip of ŷ₂ says it is to come)
    page.get_by_test_id("unit-yhat2-0").hover()
    page.get_by_test_id("tooltip").wait_for(state="visible")
    text = page.evaluate(STAGE_TEXT)
    assert "not yet computed" in text
    later = set().union(*(numbers(trace["values"][f"yhat{t}"]) for t in range(2, 6)))
    assert not [t for t in later if t in text.split()]
    toggle_hide(page, False)
    assert pending(page) == set() and page.evaluate(MARKS) == 0
