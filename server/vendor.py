"""`/vendor/<package>/<file>`: the front-end libraries the page and the API docs load.

Only the files listed in static/vendor/manifest.json are served (written by `make vendor`,
see tools/vendor.py): nothing else of an npm package, and no lock file, is exposed.
"""

import json

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from .resources import VENDOR

router = APIRouter(prefix="/vendor", include_in_schema=False)


def served_files():
    manifest = json.loads((VENDOR / "manifest.json").read_text())
    return frozenset(f"{name}/{rel}" for name, entry in manifest.items() for rel in entry["files"])


SERVED = served_files()
# Licence files have no extension; everything else is typed by its suffix.
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", "": "text/plain"}


@router.get("/{path:path}")
def vendored(path: str):
    if path not in SERVED:
        raise HTTPException(404, f"/vendor/{path} is not a file the page loads")
    file = VENDOR / path
    suffix = file.suffix if file.suffix in MEDIA_TYPES else ""
    return FileResponse(file, media_type=MEDIA_TYPES[suffix],
                        headers={"Cache-Control": "public, max-age=86400"})
