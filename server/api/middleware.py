"""Request-body guards that run before any parsing: size (413) and JSON nesting depth (422).

Pure ASGI, so an oversized body is refused without being read into memory whole. The depth
scan is linear in the body (numpy, in chunks of bounded memory), and a body above
OFF_LOOP_BYTES is scanned in a worker thread so the event loop keeps answering others.
"""

import json
import uuid

import anyio
import numpy as np

from .errors import error_bytes

OFF_LOOP_BYTES = 64 * 1024   # bodies above this are scanned in a worker thread
CHUNK_BYTES = 1 << 20        # scan memory: ~10 bytes per byte of one chunk
QUOTE, BACKSLASH = ord('"'), ord("\\")
_STEP = np.zeros(256, dtype=np.int8)
_STEP[[ord("["), ord("{")]] = 1
_STEP[[ord("]"), ord("}")]] = -1


def _unescaped_quotes(b, carry_odd):
    """Positions of the quotes in `b` that open or close a string: a quote is escaped when
    the run of backslashes right before it is odd (`carry_odd`: the run that ended the
    previous chunk was odd, and continues here if this chunk starts with backslashes)."""
    quotes = np.flatnonzero(b == QUOTE)
    if quotes.size == 0:
        return quotes
    bs = b == BACKSLASH
    run_starts = np.flatnonzero(bs & ~np.concatenate(([False], bs[:-1])))
    before = quotes - 1
    after_bs = np.zeros(quotes.size, dtype=bool)
    inside = before >= 0
    after_bs[inside] = bs[before[inside]]
    start = quotes.copy()  # a quote with no backslash before it: a run of length 0
    if run_starts.size:
        start[after_bs] = run_starts[np.searchsorted(run_starts, before[after_bs], "right") - 1]
    run = quotes - start + (carry_odd & (start == 0))
    return quotes[run % 2 == 0]


def _trailing_run_odd(b, carry_odd):
    """Whether the run of backslashes at the end of `b` (continuing the carry) is odd."""
    not_bs = np.flatnonzero(b != BACKSLASH)
    if not_bs.size == 0:
        return bool((b.size + carry_odd) % 2)
    return bool((b.size - 1 - not_bs[-1]) % 2)


def json_depth(body: bytes) -> int:
    """Maximum nesting of arrays/objects in a JSON text (brackets inside strings ignored).

    Exact for valid JSON, in O(n): for invalid JSON the parser stops at the first error,
    and up to it the text is valid, so the scan of that prefix is exact too.
    """
    depth, deepest, in_string, carry_odd = 0, 0, 0, False
    for offset in range(0, len(body), CHUNK_BYTES):
        b = np.frombuffer(body, dtype=np.uint8, count=min(CHUNK_BYTES, len(body) - offset),
                          offset=offset)
        toggles = np.zeros(b.size, dtype=np.uint8)
        toggles[_unescaped_quotes(b, carry_odd)] = 1
        inside = np.bitwise_xor.accumulate(toggles) ^ np.uint8(in_string)
        steps = np.where(inside.astype(bool), np.int8(0), _STEP[b])
        levels = np.cumsum(steps, dtype=np.int64)
        if levels.size:
            deepest = max(deepest, depth + int(levels.max()))
            depth += int(levels[-1])
        in_string, carry_odd = int(inside[-1]), _trailing_run_odd(b, carry_odd)
    return deepest


async def _depth(body):
    """json_depth, in a worker thread for a large body (a 32 MB scan takes 1–3 s)."""
    if len(body) <= OFF_LOOP_BYTES:
        return json_depth(body)
    return await anyio.to_thread.run_sync(json_depth, body)


def _error(status, loc, msg, kind):
    return status, error_bytes(loc, msg, kind)


class BodyGuard:
    def __init__(self, app, max_body_bytes: int, max_depth: int):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_depth = max_depth

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            return await self._refuse(send, *self._too_large())
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return await self._refuse(send, *self._too_large())
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        if body and await _depth(body) > self.max_depth:
            return await self._refuse(send, *_error(
                422, ["body"], f"JSON nested deeper than {self.max_depth} levels "
                               "(limit BPV_MAX_JSON_DEPTH)", "limit_exceeded"))
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)

    def _too_large(self):
        return _error(413, ["body"], f"request body larger than {self.max_body_bytes} bytes "
                                     "(limit BPV_MAX_BODY_BYTES)", "limit_exceeded")

    @staticmethod
    async def _refuse(send, status, body):
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class ErrorCatcher:
    """Answers an unexpected exception as a JSON 500 with a request id (also logged), and
    does not re-raise it.

    Starlette's ServerErrorMiddleware, given an `Exception` handler, sends its answer and
    then re-raises; uvicorn takes the re-raised exception for a broken connection and resets
    it, so the client's next request on the keep-alive connection failed. Here the
    exception ends at this middleware, and the connection stays usable. If the answer had
    already started, no 500 can follow it: the exception is re-raised and the connection
    closed, as it must be for a half-sent answer.
    """

    def __init__(self, app, log):
        self.app = app
        self.log = log

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            request_id = uuid.uuid4().hex[:16]
            self.log.exception("unexpected error %s on %s %s", request_id, scope.get("method"),
                               scope.get("path"))
            if started:
                raise
            body = json.dumps({"detail": f"internal error: {type(exc).__name__} "
                                         f"(request id {request_id}, in the server's log)",
                               "request_id": request_id}).encode()
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode()),
                                    (b"x-request-id", request_id.encode())]})
            await send({"type": "http.response.body", "body": body})
