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
from .slow_clients import request_deadline_protocol  # noqa: E402

# Slow clients. An idle keep-alive connection is closed after KEEP_ALIVE_SECONDS (uvicorn's
# timeout_keep_alive). A client gets REQUEST_SECONDS to send each whole request, headers and
# body (uvicorn has no such timeout; server/slow_clients.py adds it): 32 MB, the largest
# accepted body, takes 30 s at ~1 MB/s. The headers may hold at most MAX_HEADER_BYTES before
# the end of the header block (h11_max_incomplete_event_size; a larger block is a 400).
KEEP_ALIVE_SECONDS = 5
REQUEST_SECONDS = 30.0
MAX_HEADER_BYTES = 16 * 1024


def server_config(app, host, port, log_level="info", request_seconds=REQUEST_SECONDS):
    """uvicorn's settings for serving `app`, with the slow-client bounds above."""
    return uvicorn.Config(app, host=host, port=port, log_level=log_level,
                          http=request_deadline_protocol(request_seconds),
                          timeout_keep_alive=KEEP_ALIVE_SECONDS,
                          h11_max_incomplete_event_size=MAX_HEADER_BYTES)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="backprop-viz", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    uvicorn.Server(server_config(create_app(), args.host, args.port, args.log_level)).run()


if __name__ == "__main__":
    main()
