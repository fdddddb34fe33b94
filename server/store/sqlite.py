"""The embedded session store: one SQLite file (stdlib sqlite3) in WAL mode.

One row per session: its meta as JSON text, its arrays as one binary blob (codec.py), its
size in bytes, and when it was created and last used. WAL with synchronous=NORMAL keeps
every committed write through a crash or kill of the server process (only a power cut or
OS crash can lose the last writes). Sessions idle longer than the TTL expire; new sessions
are refused (StoreFull) rather than older ones deleted once `max_bytes` are stored.
"""

import json
import sqlite3
import threading
import time
from pathlib import Path

from .base import SessionRecord, SessionStore, StoreFull
from .codec import pack_arrays, unpack_arrays

SCHEMA = """CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, meta TEXT NOT NULL, names TEXT NOT NULL, arrays BLOB NOT NULL,
    nbytes INTEGER NOT NULL, created REAL NOT NULL, last_used REAL NOT NULL)"""
# Expired rows are swept at most this often (a sweep is one indexed DELETE).
SWEEP_EVERY_S = 60.0


class SqliteStore(SessionStore):
    def __init__(self, path, ttl_seconds, max_bytes, clock=time.time):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path, self.ttl, self.max_bytes, self.clock = str(path), ttl_seconds, max_bytes, clock
        # One connection shared by the worker threads, serialised by our own lock.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(SCHEMA)
            self._db.execute("CREATE INDEX IF NOT EXISTS by_last_used ON sessions (last_used)")
        self._last_sweep = -float("inf")

    def create(self, record):
        names, blob = pack_arrays(record.arrays)
        now = self.clock()
        with self._lock:
            self._sweep(now)
            stored = self._db.execute("SELECT COALESCE(SUM(nbytes), 0) FROM sessions").fetchone()[0]
            if stored + len(blob) > self.max_bytes:
                raise StoreFull(f"the session store holds {stored} bytes; a new session of "
                                f"{len(blob)} bytes would pass its limit of {self.max_bytes} "
                                "(BPV_MAX_STORE_BYTES)")
            self._db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (record.id, json.dumps(record.meta), names, blob, len(blob), now, now))
        record.created = record.last_used = now

    def get(self, session_id):
        now = self.clock()
        with self._lock:
            row = self._db.execute("SELECT meta, names, arrays, created, last_used FROM sessions "
                                   "WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                return None
            if row[4] < now - self.ttl:
                self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
                return None
            self._db.execute("UPDATE sessions SET last_used = ? WHERE id = ?", (now, session_id))
        meta, names, blob, created, _ = row
        return SessionRecord(session_id, json.loads(meta), unpack_arrays(names, blob), created, now)

    def save(self, record, arrays=True):
        now = self.clock()
        meta = json.dumps(record.meta)
        if arrays:
            names, blob = pack_arrays(record.arrays)
            sql = ("UPDATE sessions SET meta = ?, names = ?, arrays = ?, nbytes = ?, last_used = ? "
                   "WHERE id = ? AND last_used >= ?")
            args = (meta, names, blob, len(blob), now, record.id, now - self.ttl)
        else:
            sql = "UPDATE sessions SET meta = ?, last_used = ? WHERE id = ? AND last_used >= ?"
            args = (meta, now, record.id, now - self.ttl)
        with self._lock:
            saved = self._db.execute(sql, args).rowcount == 1
        record.last_used = now
        return saved

    def touch(self, session_id):
        now = self.clock()
        with self._lock:
            if self._db.execute("UPDATE sessions SET last_used = ? WHERE id = ? AND last_used >= ?",
                                (now, session_id, now - self.ttl)).rowcount == 1:
                return True
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))  # if expired
            return False

    def delete(self, session_id):
        with self._lock:
            return self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount == 1

    def expire(self):
        """Delete every session idle longer than the TTL; how many went."""
        with self._lock:
            return self._expire(self.clock())

    def count(self):
        """Sessions kept (expired ones not counted, even before a sweep deletes them)."""
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM sessions WHERE last_used >= ?",
                                    (self.clock() - self.ttl,)).fetchone()[0]

    def stored_bytes(self):
        with self._lock:
            return self._db.execute("SELECT COALESCE(SUM(nbytes), 0) FROM sessions").fetchone()[0]

    def close(self):
        with self._lock:
            self._db.close()

    def _sweep(self, now):
        if now - self._last_sweep >= SWEEP_EVERY_S:
            self._expire(now)

    def _expire(self, now):
        self._last_sweep = now
        return self._db.execute("DELETE FROM sessions WHERE last_used < ?", (now - self.ttl,)).rowcount
