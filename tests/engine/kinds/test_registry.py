"""The kinds registry: one Kind record per kind, read by the model, and a spec normalised once."""

import dataclasses

import numpy as np
import pytest

from server.engine import KIND_NAMES, Normalised, SpecError, backprop, build_model, normalise, param_count
from server.engine.kinds import KINDS, Kind, kind_of

MLP = {"kind": "mlp", "sizes": [2, 3, 1]}
RNN = {"kind": "rnn", "hidden_size": 3, "steps": 4}


def test_every_kind_is_one_record_under_its_name():
    assert KIND_NAMES == ("mlp", "graph", "rnn")
    for name, kind in KINDS.items():
        assert isinstance(kind, Kind) and kind.name == name
    assert KINDS["rnn"].forward is not None and KINDS["mlp"].forward is None  # generic sweeps
    assert KINDS["graph"].check_inputs is not None and KINDS["rnn"].check_inputs is None
    with pytest.raises(SpecError, match="unknown kind 'cnn'; allowed: mlp, graph, rnn"):
        kind_of({"kind": "cnn"})


@pytest.fixture
def counted(monkeypatch):
    """Every kind's `normalise` counted (the records are frozen: replaced in the registry)."""
    calls = []
    for name, kind in list(KINDS.items()):
        def counting(spec, _inner=kind.normalise, _name=name):
            calls.append(_name)
            return _inner(spec)
        monkeypatch.setitem(KINDS, name, dataclasses.replace(kind, normalise=counting))
    return calls


@pytest.mark.parametrize("raw", [MLP, RNN])
def test_a_normalised_spec_is_not_normalised_again(counted, raw):
    spec = normalise(raw)
    assert isinstance(spec, Normalised) and spec.raw is raw
    assert normalise(spec) is spec
    param_count(spec)
    model = build_model(spec)
    assert model.spec is spec
    assert counted == [raw["kind"]]  # once, for the whole chain


def test_the_model_runs_the_records_sweeps(monkeypatch):
    seen = []
    rnn = KINDS["rnn"]

    def forward(*args):
        seen.append("forward")
        return rnn.forward(*args)

    monkeypatch.setitem(KINDS, "rnn", dataclasses.replace(rnn, forward=forward))
    model = build_model(RNN)
    leaves = model.leaves_for(np.zeros((1, 4, 1)).tolist(), [[0.5]])
    assert np.isfinite(backprop(model, leaves)["loss"]) and seen == ["forward"]


def test_explicit_params_survive_normalising_once():
    W1 = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    model = build_model(normalise({**MLP, "params": {"W1": W1}}))
    np.testing.assert_array_equal(model.params["W1"], W1)  # copied, no arithmetic: exact
    assert "params" not in model.spec


def test_predict_is_the_mlps_alone():
    model = build_model({**MLP, "loss": "bce", "output_activation": "sigmoid"})
    answer = model.predict_answer([[0.0, 1.0], [1.0, 0.0]])
    assert set(answer["layers"]) == {"a1", "a2"} and answer["output"].shape == (2, 1)
    assert np.all((answer["probability"] > 0) & (answer["probability"] < 1))
    with pytest.raises(SpecError, match="predict is for kind 'mlp'"):
        build_model(RNN).predict_answer([[[0.0]] * 4])
