"""Gradient clipping against hand-computed cases (torch's clip_grad_norm_ / clip_grad_value_)."""

import numpy as np
import pytest

from server.engine import SpecError, backprop, build_model, clip_grads, parse_clip, total_norm

GRADS = {"a": np.array([3.0, -4.0]), "b": np.array([[12.0]])}   # 2-norm 13, inf-norm 12


def test_norm2_clipping_scales_every_gradient_by_one_coefficient():
    out, rep = clip_grads(GRADS, parse_clip({"mode": "norm", "max_norm": 1.0, "norm_type": 2}))
    coef = 1.0 / (13.0 + 1e-6)
    assert rep["total_norm_before"] == 13.0
    assert rep["clipped"] is True
    assert rep["coef"] == coef
    np.testing.assert_array_equal(out["a"], GRADS["a"] * coef)
    np.testing.assert_array_equal(out["b"], GRADS["b"] * coef)
    assert rep["total_norm_after"] == pytest.approx(13.0 / (13.0 + 1e-6), rel=1e-15)


def test_inf_norm_clipping_uses_the_largest_entry():
    out, rep = clip_grads(GRADS, parse_clip({"mode": "norm", "max_norm": 2.0, "norm_type": "inf"}))
    coef = 2.0 / (12.0 + 1e-6)
    assert rep["total_norm_before"] == 12.0
    assert rep["norm_type"] == "inf"
    np.testing.assert_array_equal(out["a"], [3.0 * coef, -4.0 * coef])
    assert rep["total_norm_after"] == pytest.approx(12.0 * coef, rel=1e-15)


def test_norm_clipping_leaves_gradients_alone_under_the_threshold():
    out, rep = clip_grads(GRADS, parse_clip({"mode": "norm", "max_norm": 20.0}))
    assert rep["clipped"] is False
    assert rep["coef"] == 1.0
    assert rep["total_norm_after"] == 13.0
    np.testing.assert_array_equal(out["a"], GRADS["a"])


def test_norm_clipping_at_exactly_max_norm_still_scales_by_the_epsilon():
    # coef = 13 / (13 + 1e-6) < 1, so torch multiplies (by a hair): so do we
    out, rep = clip_grads(GRADS, parse_clip({"mode": "norm", "max_norm": 13.0}))
    assert rep["clipped"] is True
    np.testing.assert_array_equal(out["b"], [[12.0 * 13.0 / (13.0 + 1e-6)]])


def test_value_clipping_clamps_each_entry():
    out, rep = clip_grads(GRADS, parse_clip({"mode": "value", "clip_value": 3.5}))
    np.testing.assert_array_equal(out["a"], [3.0, -3.5])
    np.testing.assert_array_equal(out["b"], [[3.5]])
    assert rep["clipped"] is True
    assert rep["total_norm_before"] == 13.0
    assert rep["total_norm_after"] == pytest.approx(np.sqrt(9 + 3.5 ** 2 + 3.5 ** 2), rel=1e-15)


def test_value_clipping_under_the_threshold_is_not_clipped():
    out, rep = clip_grads(GRADS, parse_clip({"mode": "value", "clip_value": 12.0}))
    assert rep["clipped"] is False
    np.testing.assert_array_equal(out["b"], [[12.0]])


def test_total_norm_combines_all_parameters():
    assert total_norm(GRADS) == 13.0
    assert total_norm(GRADS, float("inf")) == 12.0
    assert total_norm({}) == 0.0


def test_nan_gradient_makes_norm_clipping_give_nan_like_torch():
    out, rep = clip_grads({"a": np.array([np.nan, 1.0])}, parse_clip({"mode": "norm", "max_norm": 1.0}))
    assert np.isnan(rep["total_norm_before"])
    assert rep["clipped"] is True
    assert np.isnan(out["a"]).all()


def test_backprop_reports_clipping_of_the_mlp_gradients():
    model = build_model({"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "loss": "mse",
                         "seed": 0, "init": "normal"})
    leaves = model.leaves_for([[3.0, -2.0]], [[10.0]])
    t = backprop(model, leaves, parse_clip({"mode": "norm", "max_norm": 0.5, "norm_type": 2}))
    before = np.sqrt(sum(np.sum(g * g) for g in t["param_grads"].values()))
    assert t["clipping"]["total_norm_before"] == pytest.approx(before, rel=1e-14)
    assert before > 0.5
    assert t["clipping"]["total_norm_after"] == pytest.approx(0.5, rel=1e-6)
    for name, g in t["param_grads"].items():  # the unclipped grads are still reported
        np.testing.assert_allclose(t["clipping"]["clipped_grads"][name], g * 0.5 / (before + 1e-6),
                                   rtol=1e-14)


@pytest.mark.parametrize("raw,loc", [
    ({"mode": "sideways"}, ("clip", "mode")),
    ({"mode": "norm", "max_norm": 0}, ("clip", "max_norm")),
    ({"mode": "norm", "max_norm": -1.0}, ("clip", "max_norm")),
    ({"mode": "norm", "max_norm": float("nan")}, ("clip", "max_norm")),
    ({"mode": "norm", "norm_type": 1}, ("clip", "norm_type")),
    ({"mode": "value", "clip_value": True}, ("clip", "clip_value")),
])
def test_bad_clip_settings_name_the_field(raw, loc):
    with pytest.raises(SpecError) as err:
        parse_clip(raw)
    assert err.value.loc == loc


def test_parse_clip_accepts_the_contract_spellings():
    assert parse_clip(None) is None
    assert parse_clip({"mode": "norm", "norm_type": "inf"}).norm_type == float("inf")
    assert parse_clip({"mode": "norm", "norm_type": 2}).norm_type == 2.0
    assert parse_clip({"mode": "value", "clip_value": 0.5}).clip_value == 0.5
