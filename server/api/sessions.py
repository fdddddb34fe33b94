"""An in-process store of stateful runs: thread-safe, bounded (LRU), idle entries expire.

Each session owns its model and data and a lock, so concurrent requests on one session
are serialised and never touch another session's state. Ids are unguessable.
"""

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class Session:
    id: str
    model: object
    leaves: dict                      # checked x / y (or graph inputs) as arrays
    raw_data: dict                    # x / y as given, for GET
    lock: threading.Lock = field(default_factory=threading.Lock)
    step: int = 0
    loss_history: list = field(default_factory=list)
    values: dict | None = None        # the last forward pass, None after any change
    batches: object | None = None     # the Minibatches of /train with a batch_size
    last_used: float = field(default_factory=time.monotonic)


class SessionStore:
    def __init__(self, max_sessions: int, ttl_seconds: float, clock=time.monotonic):
        self.max_sessions = max_sessions
        self.ttl = ttl_seconds
        self.clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def create(self, model, leaves, raw_data) -> Session:
        session = Session(secrets.token_urlsafe(16), model, leaves, raw_data,
                          last_used=self.clock())
        with self._lock:
            self._expire()
            while len(self._sessions) >= self.max_sessions:
                self._sessions.popitem(last=False)  # evict the least recently used
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str) -> Session | None:
        with self._lock:
            self._expire()
            session = self._sessions.get(session_id)
            if session is not None:
                session.last_used = self.clock()
                self._sessions.move_to_end(session_id)
            return session

    def delete(self, session_id: str) -> bool:
        with self._lock:
            return self._sessions.pop(session_id, None) is not None

    def __len__(self):
        with self._lock:
            return len(self._sessions)

    def _expire(self):
        cutoff = self.clock() - self.ttl
        while self._sessions:
            oldest = next(iter(self._sessions.values()))
            if oldest.last_used >= cutoff:
                break
            self._sessions.popitem(last=False)
