"""Where the page's files are: `static/` and `templates/` beside `server/` in a checkout,
or inside the installed package (the wheel maps them to server/static, server/templates)."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _first_dir(name):
    installed, checkout = PACKAGE / name, PACKAGE.parent / name
    return installed if installed.is_dir() else checkout


STATIC = _first_dir("static")
TEMPLATES = _first_dir("templates")
VENDOR = STATIC / "vendor"
