"""The answer-size limit counts an RNN's per-step arrays (its values are a dict subclass)."""

import numpy as np

from api_helpers import API, make_client
from server.api.encoding import count_numbers
from server.engine import backprop, build_model

RNN = {"kind": "rnn", "input_size": 1, "hidden_size": 16, "output_size": 1, "steps": 50}


def test_count_numbers_counts_every_entry_of_the_rnn_values():
    model = build_model(RNN)
    leaves = model.leaves_for(np.zeros((2, 50, 1)).tolist(), [[0.0], [0.0]])
    values = backprop(model, leaves)["values"]
    assert type(values) is not dict  # the RNN's stacked values
    assert count_numbers(values) == len(values) + sum(np.size(v) for v in values.values())


def test_an_rnn_answer_over_the_size_limit_is_refused():
    x = np.random.default_rng(0).normal(size=(2, 50, 1)).tolist()  # full-length numbers
    body = {"network": RNN, "x": x, "y": [[0.5], [-0.5]], "detail": "summary"}
    size = len(make_client().post(f"{API}/backprop", json=body).content)
    c = make_client(max_answer_bytes=size * 3 // 4)  # per-step values and grads: most of it
    r = c.post(f"{API}/backprop", json=body)
    assert r.status_code == 422, r.text
    assert "BPV_MAX_ANSWER_BYTES" in r.json()["detail"][0]["msg"]
    assert c.post(f"{API}/backprop", json={**body, "detail": "gradients"}).status_code == 200
