"""The remember-first task trained three ways: the curves the page draws are the API's own
(training is deterministic, so one /train call of the same length gives the same losses),
the plain RNN overflows and is said to, the clipped RNN and the clipped LSTM learn the sign."""

import json
import math

from pagetools import assert_close, open_preset

DONE = "document.querySelector('[data-testid=task-train]').textContent.includes('Train all')"


def trained_losses(api, preset, variant):
    session = api.post("/api/v1/sessions", json={"network": variant["network"], "x": preset["x"],
                                                 "y": preset["y"]}).json()
    body = {"steps": preset["train_steps"], "lr": preset["lr"]}
    if variant["clip"]:
        body["clip"] = variant["clip"]
    answer = api.post(f"/api/v1/sessions/{session['id']}/train", json=body).json()
    api.delete(f"/api/v1/sessions/{session['id']}")
    return answer["loss_history"]


def test_three_ways(page, base_url, api):
    preset = api.get("/api/v1/presets/remember-first").json()
    open_preset(page, base_url, "remember-first")
    page.wait_for_selector('[data-testid="task-variant-2"][data-ratio-start]:not([data-ratio-start=""])',
                           state="attached")
    page.get_by_test_id("task-train").click()
    page.wait_for_function(f"{DONE} && document.querySelector('[data-testid=task-variant-2]')"
                           f".dataset.steps === '{preset['train_steps']}'", timeout=90_000)
    curves = [[float(v) for v in c] for c in json.loads(page.get_by_test_id("task-chart").get_attribute("data-curves"))]
    cards = [page.get_by_test_id(f"task-variant-{i}") for i in range(3)]
    plain, clipped, lstm = ([float(v) for v in trained_losses(api, preset, variant)] for variant in preset["variants"])
    # The plain RNN: its curve is the API's up to the first non-finite loss, where it stops.
    stop = int(cards[0].get_attribute("data-diverged"))
    assert stop == next(i for i, v in enumerate(plain) if not math.isfinite(v))
    assert_close(curves[0][:stop], plain[:stop])
    assert "overflowed at step" in cards[0].text_content()
    for shown, expected, card in ((curves[1], clipped, cards[1]), (curves[2], lstm, cards[2])):
        assert_close(shown, expected)
        # The preset's claim (server/lessons.py), checked there over seeds and perturbations.
        assert expected[-1] < 0.02 * expected[0]
        assert float(card.get_attribute("data-accuracy")) >= 0.95
        assert card.get_attribute("data-diverged") == ""
