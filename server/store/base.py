"""The store interface and the record it keeps: a session's whole state, serialisable.

A record is plain data (`meta`: JSON-ready) plus named float/int arrays (`arrays`), so any
backend can keep it: it never holds live objects (models, graphs, locks, random
generators). `server/api/sessions.py` turns records into live sessions and back.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


class StoreFull(Exception):
    """The store has no room for a new session within its byte limit (nothing is evicted)."""


@dataclass
class SessionRecord:
    id: str
    meta: dict                                   # spec, step, data layout, ... (JSON-ready)
    arrays: dict = field(default_factory=dict)   # name -> numpy array
    created: float = 0.0
    last_used: float = 0.0

    def nbytes(self):
        return sum(int(a.nbytes) for a in self.arrays.values())


class SessionStore(ABC):
    """Sessions by id. Expiry (a TTL since last use) is the store's business."""

    @abstractmethod
    def create(self, record: SessionRecord) -> None:
        """Keep a new session; StoreFull when it does not fit."""

    @abstractmethod
    def get(self, session_id: str) -> SessionRecord | None:
        """The stored session (None when unknown or expired); counts as a use."""

    @abstractmethod
    def save(self, record: SessionRecord, arrays: bool = True) -> bool:
        """Overwrite a session's state (only its meta when `arrays` is False); False when it
        no longer exists (deleted or expired meanwhile: it is not brought back)."""

    @abstractmethod
    def delete(self, session_id: str) -> bool:
        """Forget a session; False when it was not there."""

    def touch(self, session_id: str) -> bool:
        """Count a use without reading the session (False when unknown or expired)."""
        return self.get(session_id) is not None

    def close(self) -> None:
        """Release files and connections."""
