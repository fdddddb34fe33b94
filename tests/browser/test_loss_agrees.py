"""The stage's f node and the header say the same f at every step (issue 9, item 4: during
an update the f node showed the old loss while the header showed the new one)."""

from pagetools import formula_state, open_preset, step


def test_the_f_node_and_the_header_agree_through_a_whole_iteration(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    seen_update = False
    for _ in range(40):
        state = step(page)
        header = page.get_by_test_id("loss").text_content()
        node = page.locator("svg[data-testid=graph] .loss-label").text_content()
        if node:  # the f node is labelled once f is known
            assert node == header, (state["phase"], state["node"])
        else:
            assert "not computed" in header
        if state["phase"] == "update":
            seen_update = True
            assert "→" in node
    assert seen_update and formula_state(page)["iteration"] != "0"
