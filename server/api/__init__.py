"""The web layer: FastAPI routers, pydantic schemas, sessions, strict JSON encoding."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..engine import LimitError, SpecError

log = logging.getLogger("backprop_viz")


def _spec_error(request: Request, exc: SpecError):
    kind = "limit_exceeded" if isinstance(exc, LimitError) else "value_error"
    return JSONResponse(status_code=422, content={"detail": [
        {"loc": ["body", *exc.loc], "msg": exc.message, "type": kind}]})


NETWORK_KINDS = ("mlp", "rnn", "graph")


def _field_path(loc):
    """pydantic's loc without the union tag it inserts (body.network.mlp.sizes -> body.network.sizes)."""
    loc = list(loc)
    if len(loc) > 2 and loc[1] == "network" and loc[2] in NETWORK_KINDS:
        del loc[2]
    return loc


def _validation_error(request: Request, exc: RequestValidationError):
    # pydantic's own errors, minus the echoed input (it may be megabytes of numbers).
    detail = [{"loc": _field_path(e.get("loc", ())), "msg": e.get("msg", ""),
               "type": e.get("type", "")} for e in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": detail})


def _unexpected(request: Request, exc: Exception):
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(status_code=500, content={"detail": "internal error: "
                                                            f"{type(exc).__name__}"})


def install_error_handlers(app: FastAPI):
    app.add_exception_handler(SpecError, _spec_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
