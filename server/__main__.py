"""Serve backprop-viz with uvicorn: `backprop-viz --host H --port P` (the installed command)
or `python -m server --host H --port P` (the same, from a checkout)."""

import argparse

import uvicorn

from .app import create_app


def main(argv=None):
    parser = argparse.ArgumentParser(prog="backprop-viz", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
