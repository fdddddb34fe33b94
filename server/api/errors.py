"""The error body every refusal carries: {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}
(FastAPI's own shape for a 422), built here only."""

import json

from fastapi import HTTPException


def error_entry(loc, msg, kind="value_error"):
    """One item of `detail`: where (the field's path), what was wrong, and its type."""
    return {"loc": list(loc), "msg": msg, "type": kind}


def error_body(*entries):
    """The JSON-ready body of an error answer with these `detail` items."""
    return {"detail": list(entries)}


def error_bytes(loc, msg, kind="value_error"):
    """The encoded body of an error answer with one item (for the raw ASGI guards)."""
    return json.dumps(error_body(error_entry(loc, msg, kind))).encode()


def unprocessable(loc, msg, kind="value_error"):
    """A 422 HTTPException with one `detail` item (FastAPI sends it as {"detail": [...]})."""
    return HTTPException(422, [error_entry(loc, msg, kind)])
