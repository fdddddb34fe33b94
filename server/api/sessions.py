"""Live sessions: a bounded in-memory cache in front of a SessionStore that keeps them all.

A live `Session` owns its model, checked data leaves and (after a forward pass) the values
of that pass. Every state-changing request saves it to the store, so evicting it from
memory loses nothing: the next request rebuilds it from its record. The cache is bounded
by bytes (BPV_MAX_SESSION_MEMORY) and by count (BPV_MAX_SESSIONS).

Requests on one session are serialised by a lease on its id (taken by the compute route
before the work is queued, see compute.py), never by waiting on a lock in a worker thread:
a leased session is never evicted, so no second live copy of it can exist. Ids are
unguessable.
"""

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from ..engine import build_model
from ..engine.data.minibatch import Minibatches
from ..store import SessionRecord

FORMAT = 1  # the layout of a record's meta and arrays, for later migrations


def _nbytes(obj):
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes)
    if isinstance(obj, dict):
        return sum(_nbytes(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return 8 * len(obj)
    return 8


def as_stored(value):
    """Data as given, kept as a compact array (ints stay ints, so GET answers the same)."""
    if isinstance(value, dict):
        return {k: np.asarray(v) for k, v in value.items()}
    return np.asarray(value)


@dataclass
class Session:
    id: str
    model: object
    leaves: dict                      # checked x / y (or graph inputs) as arrays
    raw_data: dict                    # x / y / inputs as given (arrays), for GET
    step: int = 0
    loss_history: list = field(default_factory=list)
    values: dict | None = None        # the last forward pass (not stored: recomputed)
    forwarded: bool = False           # a forward pass since the last change
    batches: object | None = None     # the Minibatches of /train with a batch_size

    def nbytes(self):
        """Bytes this session holds in memory (arrays; the graph's small objects aside)."""
        return (_nbytes(self.model.params) + _nbytes(self.leaves) + _nbytes(self.raw_data)
                + _nbytes(self.values or {}) + 8 * len(self.loss_history)
                + (self.batches.order.nbytes if self.batches is not None else 0))

    def forward_values(self, forward):
        """The last forward pass's values, recomputed (deterministically) after a reload."""
        if self.values is None and self.forwarded:
            self.values = forward(self.model, self.leaves)["values"]
        return self.values


def to_record(session):
    """The session's whole state as a SessionRecord (plain meta + arrays)."""
    arrays = {f"param:{k}": np.asarray(v) for k, v in session.model.params.items()}
    data = {}
    for key, value in session.raw_data.items():
        if key == "inputs":
            data["inputs"] = list(value)
            arrays.update({f"input:{k}": v for k, v in value.items()})
        else:
            data[key] = True
            arrays[f"data:{key}"] = value
    arrays["loss_history"] = np.asarray(session.loss_history, dtype=np.float64)
    meta = {"format": FORMAT, "spec": _json_ready(session.model.spec), "step": session.step,
            "params": list(session.model.params), "data": data, "forwarded": session.forwarded,
            "batches": None}
    if session.batches is not None:
        b = session.batches
        meta["batches"] = {"batch_size": b.batch_size, "cursor": b.cursor,
                           "rng": b.rng.bit_generator.state}
        arrays["batches:order"] = b.order
    return SessionRecord(session.id, meta, arrays)


def from_record(record):
    """A live Session rebuilt from its record (the model from its spec, then its params)."""
    meta, arrays = record.meta, record.arrays
    model = build_model(meta["spec"])
    model.params = {k: arrays[f"param:{k}"] for k in meta["params"]}
    raw = {k: arrays[f"data:{k}"] for k in ("x", "y") if k in meta["data"]}
    if "inputs" in meta["data"]:
        raw["inputs"] = {k: arrays[f"input:{k}"] for k in meta["data"]["inputs"]}
    leaves = model.leaves_from(raw.get("x"), raw.get("y"), raw.get("inputs"))
    session = Session(record.id, model, leaves, raw, step=meta["step"],
                      loss_history=arrays["loss_history"].tolist(), forwarded=meta["forwarded"])
    if meta["batches"] is not None:
        b = meta["batches"]
        batches = Minibatches(leaves, b["batch_size"])
        batches.rng.bit_generator.state = b["rng"]
        batches.order, batches.cursor = arrays["batches:order"], b["cursor"]
        session.batches = batches
    return session


def _json_ready(obj):
    if isinstance(obj, dict):
        return {k: _json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_ready(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


class Sessions:
    """The cache of live sessions over a SessionStore, and the leases on session ids."""

    def __init__(self, store, max_memory_bytes, max_in_memory):
        self.store = store
        self.max_memory_bytes, self.max_in_memory = max_memory_bytes, max_in_memory
        self._live: OrderedDict[str, Session] = OrderedDict()
        self._sizes: dict[str, int] = {}
        self._total = 0                      # sum of self._sizes
        self._leased: set[str] = set()
        self._lock = threading.Lock()

    def create(self, model, leaves, raw_data) -> Session:
        """A new session, stored before it is answered (StoreFull when there is no room)."""
        raw = {k: as_stored(v) for k, v in raw_data.items()}
        session = Session(secrets.token_urlsafe(16), model, leaves, raw)
        self.store.create(to_record(session))
        self._keep(session)
        return session

    def lease(self, session_id) -> bool:
        """Take the id for one request; False when another request holds it (busy)."""
        with self._lock:
            if session_id in self._leased:
                return False
            self._leased.add(session_id)
            return True

    def release(self, session_id):
        with self._lock:
            self._leased.discard(session_id)
        self._evict()

    def checkout(self, session_id) -> Session | None:
        """The live session (from memory, else rebuilt from the store), None when unknown or
        expired. The caller holds the lease on the id."""
        with self._lock:
            session = self._live.get(session_id)
        if session is not None:
            if self.store.touch(session_id):
                with self._lock:
                    self._live.move_to_end(session_id)
                return session
            self._forget(session_id)  # deleted or expired on disk
            return None
        record = self.store.get(session_id)
        if record is None:
            return None
        session = from_record(record)
        self._keep(session)
        return session

    def save(self, session, arrays=True) -> bool:
        """Write the session's state through to the store (its meta only when `arrays` is
        False); False when it was deleted or expired meanwhile."""
        saved = self.store.save(to_record(session), arrays=arrays)
        if saved:
            self._keep(session)
        else:
            self._forget(session.id)
        return saved

    def delete(self, session_id) -> bool:
        self._forget(session_id)
        return self.store.delete(session_id)

    def in_memory(self):
        with self._lock:
            return len(self._live), self._total

    def __len__(self):
        return self.store.count()

    def close(self):
        with self._lock:
            self._live.clear()
            self._sizes.clear()
            self._total = 0
        self.store.close()

    def _keep(self, session):
        with self._lock:
            self._live[session.id] = session
            self._live.move_to_end(session.id)
            size = session.nbytes()
            self._total += size - self._sizes.get(session.id, 0)
            self._sizes[session.id] = size
        self._evict()

    def _forget(self, session_id):
        with self._lock:
            self._live.pop(session_id, None)
            self._total -= self._sizes.pop(session_id, 0)

    def _evict(self):
        """Drop least recently used sessions that no request holds, down to the bounds."""
        with self._lock:
            for sid in list(self._live):
                if self._total <= self.max_memory_bytes and len(self._live) <= self.max_in_memory:
                    break
                if sid not in self._leased:
                    del self._live[sid]
                    self._total -= self._sizes.pop(sid)


def open_sessions(settings):
    """The app's sessions: the SQLite store under BPV_DATA_DIR behind the memory cache."""
    from ..store import SqliteStore, default_data_dir

    data_dir = settings.data_dir if settings.data_dir is not None else default_data_dir()
    store = SqliteStore(data_dir / "sessions.sqlite3", settings.session_ttl_seconds,
                        settings.max_store_bytes)
    return Sessions(store, settings.max_session_memory, settings.max_sessions)
