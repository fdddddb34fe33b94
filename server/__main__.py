"""Serve backprop-viz with uvicorn: `backprop-viz --host H --port P` (the installed command)
or `python -m server --host H --port P` (the same, from a checkout)."""

import argparse
import os

# One BLAS thread per compute thread: the server's parallelism is its compute pool
# (BPV_COMPUTE_THREADS), and a BLAS that takes every core starves the event loop (on 2
# cores, /healthz p99 190 ms under a long /train, 16 ms with this). Set before numpy loads;
# an explicit environment variable wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import uvicorn  # noqa: E402

from .app import create_app  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(prog="backprop-viz", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
