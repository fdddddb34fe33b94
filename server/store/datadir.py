"""Where the embedded store writes when BPV_DATA_DIR is not set.

From a source checkout (a pyproject.toml beside the `server/` package): `./.data` in the
checkout, so a lecturer's sessions sit next to the code they ran. Installed elsewhere: the
platform's per-user data directory, found from environment variables alone (no extra
dependency): $XDG_DATA_HOME/backprop-viz or ~/.local/share/backprop-viz on Linux,
~/Library/Application Support/backprop-viz on macOS, %LOCALAPPDATA%\\backprop-viz on
Windows.
"""

import os
import sys
from pathlib import Path

APP = "backprop-viz"
CHECKOUT = Path(__file__).resolve().parent.parent.parent


def user_data_dir(platform=sys.platform, env=os.environ, home=None):
    """The per-user data directory of this platform."""
    home = Path(home) if home is not None else Path.home()
    if platform.startswith("win"):
        base = env.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / APP
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP
    base = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / APP


def default_data_dir(checkout=CHECKOUT):
    """./.data in a source checkout, else the per-user data directory."""
    if (checkout / "pyproject.toml").is_file() and (checkout / "server").is_dir():
        return checkout / ".data"
    return user_data_dir()
