"""The page: `/` renders the shell template; all data then comes through the JSON API.

Jinja renders only the shell and its initial config (the preset named in `?preset=`);
static/js/main.js then reads the URL and fetches everything from /api/v1.
"""

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .resources import STATIC, TEMPLATES

templates = Jinja2Templates(directory=str(TEMPLATES))
router = APIRouter(include_in_schema=False)

DEFAULT_PRESET = "linear-warmup"
PRESET_NAME = re.compile(r"^[a-z0-9-]{1,64}$")


def static_url(path: str) -> str:
    """/static/<path>?v=<mtime>, so a browser never runs a stale module after an edit."""
    try:
        version = int((STATIC / path).stat().st_mtime)
    except OSError:
        version = 0
    return f"/static/{path}?v={version}"


templates.env.globals["static_url"] = static_url


@router.get("/", response_class=HTMLResponse)
def index(request: Request, preset: str = DEFAULT_PRESET):
    """The page shell; `?preset=NAME` opens that scene."""
    if not PRESET_NAME.match(preset):
        preset = DEFAULT_PRESET
    return templates.TemplateResponse(request, "index.html", {"preset": preset})
