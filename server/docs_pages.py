"""`/docs` (Swagger UI) and `/redoc` (ReDoc) from the app's own /vendor files: they work with
no network, and their set-up is an external script (no inline script)."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>backprop-viz API — {title}</title><link rel="icon" href="data:,">{head}</head>
<body data-openapi="/openapi.json"><div id="{element}"></div>
<script src="{bundle}"></script><script src="/static/js/docs/{init}"></script></body></html>"""


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui():
    return PAGE.format(title="Swagger UI", element="swagger-ui",
                       head='<link rel="stylesheet" href="/vendor/swagger-ui-dist/swagger-ui.css">',
                       bundle="/vendor/swagger-ui-dist/swagger-ui-bundle.js", init="swagger.js")


@router.get("/redoc", response_class=HTMLResponse)
def redoc():
    return PAGE.format(title="ReDoc", element="redoc", head="",
                       bundle="/vendor/redoc/bundles/redoc.standalone.js", init="redoc.js")
