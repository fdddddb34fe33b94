"""The NumPy script button on a preset of each kind (mlp, graph, rnn) downloads a script
that prints the API's loss (issue 9, item 12: graph and RNN scenes showed a raw 422)."""

import subprocess
import sys

import pytest

from pagetools import expected_trace, open_preset


@pytest.mark.parametrize("name", ["tanh-mlp", "skip-connection", "rnn-vanishing"])
def test_the_script_of_each_kind_prints_the_apis_loss(page, base_url, api, name, tmp_path):
    _, trace = expected_trace(api, name)
    open_preset(page, base_url, name)
    with page.expect_download() as download:
        page.get_by_test_id("export-numpy").click()
    path = tmp_path / "run.py"
    download.value.save_as(path)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    shown = float(out.stdout.splitlines()[0].split("=")[1])
    # Plain numpy node by node, the engine by whole arrays: equal to rounding.
    assert shown == pytest.approx(trace["loss"], rel=1e-9)
    assert page.get_by_test_id("error").is_hidden()
