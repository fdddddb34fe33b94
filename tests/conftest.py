"""Fixtures for every test: no test writes into the checkout's `.data`.

BPV_DATA_DIR points at a temporary directory for the whole run (for session-scoped apps,
such as the browser tests' server) and at each test's own tmp_path for function-scoped apps,
so every `create_app()` in a test stores its sessions in a temp dir.
"""

import os
import shutil
import tempfile

import pytest

# One BLAS thread (set before numpy loads): the tests' arrays are small, and two OpenBLAS
# threads per product only contend for this machine's two cores (the lesson test's LSTM
# trains twice as fast). Not OPENBLAS_CORETYPE, which stays as the machine sets it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_RUN_DIR = tempfile.mkdtemp(prefix="bpv-test-data-")
os.environ["BPV_DATA_DIR"] = _RUN_DIR
# Tests create sessions from one address far faster than a class would (the fuzz tests make
# one per case); the quota's own tests set their limit explicitly.
os.environ["BPV_MAX_SESSIONS_PER_MINUTE"] = "1000000"


def pytest_unconfigure(config):
    shutil.rmtree(_RUN_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    """Each test's apps get their own store (a fresh SQLite file under tmp_path)."""
    monkeypatch.setenv("BPV_DATA_DIR", str(tmp_path / "data"))
