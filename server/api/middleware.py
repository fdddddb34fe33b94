"""Request-body guards that run before any parsing: size (413) and JSON nesting depth (422).

Pure ASGI, so an oversized body is refused without being read into memory whole.
"""

import json
import re

import numpy as np

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_STEP = np.zeros(256, dtype=np.int8)
for _b, _s in _BRACKETS.items():
    _STEP[_b] = _s


def json_depth(body: bytes) -> int:
    """Maximum nesting of arrays/objects in a JSON text (brackets inside strings ignored)."""
    stripped = _STRING.sub(b'""', body)
    steps = _STEP[np.frombuffer(stripped, dtype=np.uint8)]
    if not steps.any():
        return 0
    return int(np.cumsum(steps, dtype=np.int64).max())


def _error(status, loc, msg, kind):
    body = json.dumps({"detail": [{"loc": loc, "msg": msg, "type": kind}]}).encode()
    return status, body


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
        if body and json_depth(body) > self.max_depth:
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
