"""The web layer: FastAPI routers, pydantic schemas, sessions, strict JSON encoding."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..engine import KIND_NAMES, LimitError, SpecError
from ..engine.core.clipping import CLIP_MODES
from .errors import error_body, error_entry
from .middleware import ErrorCatcher

log = logging.getLogger("backprop_viz")


def _spec_error(request: Request, exc: SpecError):
    kind = "limit_exceeded" if isinstance(exc, LimitError) else "value_error"
    return JSONResponse(status_code=422, content=error_body(
        error_entry(["body", *exc.loc], exc.message, kind)))


# Tagged unions in request bodies: field -> (its tag field, the tags), the engine's own.
TAGGED = {"network": ("kind", KIND_NAMES), "clip": ("mode", CLIP_MODES)}


def _field_path(loc):
    """pydantic's loc without the union tag it inserts (body.network.mlp.sizes -> body.network.sizes,
    body.clip.norm.max_norm -> body.clip.max_norm)."""
    loc = list(loc)
    if len(loc) > 2 and loc[1] in TAGGED and loc[2] in TAGGED[loc[1]][1]:
        del loc[2]
    return loc


def _error_entry(e):
    loc, msg, kind = _field_path(e.get("loc", ())), e.get("msg", ""), e.get("type", "")
    if kind in ("union_tag_invalid", "union_tag_not_found") and loc and loc[-1] in TAGGED:
        # Name the tag field itself (body.network.kind), not pydantic's discriminator callable.
        field, tags = TAGGED[loc[-1]]
        tag = (e.get("ctx") or {}).get("tag")
        msg = (f"unknown {field} {tag!r}" if kind == "union_tag_invalid"
               else f"'{field}' is required") + "; allowed: " + ", ".join(tags)
        loc = [*loc, field]
    return error_entry(loc, msg, kind)


def _validation_error(request: Request, exc: RequestValidationError):
    # pydantic's own errors, minus the echoed input (it may be megabytes of numbers).
    return JSONResponse(status_code=422, content=error_body(*map(_error_entry, exc.errors())))


def install_error_handlers(app: FastAPI):
    app.add_exception_handler(SpecError, _spec_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # Outermost of the app's own middleware (added last), inside Starlette's
    # ServerErrorMiddleware: an unexpected exception is answered here and goes no further.
    app.add_middleware(ErrorCatcher, log=log)
