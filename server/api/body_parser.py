"""Large JSON bodies are parsed in a process of their own, so the event loop never waits.

A thread would not do: `json.loads` holds the GIL for the whole parse (a 30 MB body of
numbers takes ~1 s), and so would turning millions of Python floats back into objects on
this side. The parser process therefore returns each large array of numbers as a numpy
array (a copy of its bytes, ~10 ms for 30 MB), and FastAPI receives the parsed body as if it
had parsed it itself (Starlette keeps a parsed body in `request._json`).

Only rectangular arrays of numbers with no booleans are packed: anything else (ragged rows,
strings, null, true/false) stays a list, so the schema and the engine refuse it with the
same message as for a small body. Integers stay integers, as a small body's data would.
"""

import json
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import anyio
import numpy as np
from fastapi import HTTPException, Request

PACK_MIN_NUMBERS = 4096  # arrays smaller than this are cheap as lists


def _numbers_only(rows):
    """True when `rows` nests lists of int/float only (no bool, which numpy reads as 0/1)."""
    stack = [rows]
    while stack:
        item = stack.pop()
        for v in item:
            t = type(v)
            if t is list:
                stack.append(v)
            elif t is not float and t is not int:
                return False
    return True


def _packed(value):
    """`value` with its large rectangular arrays of numbers as numpy arrays."""
    if isinstance(value, dict):
        return {k: _packed(v) for k, v in value.items()}
    if not isinstance(value, list) or not value:
        return value
    if isinstance(value[0], list) or len(value) >= PACK_MIN_NUMBERS:
        if _numbers_only(value):
            try:
                arr = np.asarray(value)
            except ValueError:  # ragged
                arr = None
            if arr is not None and arr.dtype.kind in "if" and arr.size >= PACK_MIN_NUMBERS:
                return arr
    return [_packed(v) for v in value]


def parse_packed(body: bytes):
    """json.loads with large arrays packed (runs in the parser process); a body that is not
    an object is left as parsed, for the schema to refuse as a whole."""
    parsed = json.loads(body)
    return _packed(parsed) if isinstance(parsed, dict) else parsed


class BodyParser:
    """One parser process, started on first use, and a bound on bodies waiting for it."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._waiting = 0
        self._lock = threading.Lock()
        self._executor = None

    def _pool(self):
        with self._lock:
            if self._executor is None:
                # spawn: forking a process that runs threads can copy a held lock.
                self._executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            return self._executor

    def _reserve(self):
        with self._lock:
            if self._waiting >= self.capacity:
                raise HTTPException(503, f"the server is busy parsing {self._waiting} large "
                                         "request bodies; retry shortly", headers={"Retry-After": "2"})
            self._waiting += 1

    def _unreserve(self):
        with self._lock:
            self._waiting -= 1

    async def parse(self, body: bytes):
        self._reserve()
        try:
            future = self._pool().submit(parse_packed, body)
            return await anyio.to_thread.run_sync(future.result)
        except BrokenProcessPool:
            with self._lock:
                self._executor = None  # the next body starts a new process
            raise
        finally:
            self._unreserve()

    def shutdown(self):
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None


async def parse_large_body(request: Request):
    """Leave a large JSON body parsed where FastAPI reads it; invalid JSON is left to
    FastAPI, whose 422 names the position of the error."""
    settings, parser = request.app.state.settings, request.app.state.body_parser
    body = await request.body()
    if len(body) <= settings.parse_in_process_bytes or hasattr(request, "_json"):
        return
    if "json" not in request.headers.get("content-type", "application/json"):
        return
    try:
        request._json = await parser.parse(body)
    except ValueError:
        pass
