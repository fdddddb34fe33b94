"""Where sessions live between requests: one `SessionStore` interface and its backends.

`SqliteStore` (stdlib sqlite3, WAL mode, one file under BPV_DATA_DIR) is the embedded
default; a store for several workers (e.g. Redis) implements the same four methods on the
same `SessionRecord`, which holds a session's whole state as plain data and arrays.
"""

from .base import SessionRecord, SessionStore, StoreFull
from .datadir import default_data_dir
from .sqlite import SqliteStore

__all__ = ["SessionRecord", "SessionStore", "StoreFull", "SqliteStore", "default_data_dir"]
