"""OPTIONS on any API path: the methods that path answers, over every route that matches it.

Without it Starlette answers OPTIONS from the first route whose path matches, so
OPTIONS /api/v1/datasets/csv said `Allow: GET` (from GET /datasets/{name}), hiding POST.
"""

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.routing import Match

router = APIRouter()


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app, scope):
    """The methods for which some route of the app fully matches this request's path
    (each method tried through the routes' own `matches`, nested routers included)."""
    return {method for method in METHODS
            if any(route.matches({**scope, "method": method})[0] is Match.FULL
                   for route in app.router.routes)}


@router.options("/{path:path}", include_in_schema=False)
def options(request: Request, path: str):
    methods = allowed_methods(request.app, request.scope)
    if not methods:
        raise HTTPException(404, f"no route at {request.url.path}")
    allow = ", ".join(sorted(methods | {"OPTIONS"}))
    return Response(status_code=204, headers={"Allow": allow})
