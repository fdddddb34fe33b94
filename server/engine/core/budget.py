"""A request's wall-clock budget and cancel flag, read by the engine's long loops.

The web layer makes one `Budget` per request (seconds from BPV_MAX_REQUEST_SECONDS) and
cancels it when the client disconnects, and sets it as the current budget of the thread
that runs the request (`current()`, a context variable); a loop calls `spent()` between its steps
(training steps, finite-difference passes, power-iteration steps, Hessian columns) and
stops when it answers True. The first reason to stop is kept in `stopped`, so the answer
can say why and after how long: {"reason": "time budget" | "client disconnected",
"seconds": …}. Nothing here knows about HTTP.
"""

import contextvars
import threading
import time


class Budget:
    """A deadline plus a cancel flag, safe to cancel from another thread."""

    def __init__(self, seconds=None, clock=time.monotonic):
        self.clock = clock
        self.started = clock()
        self.seconds = seconds
        self.deadline = None if seconds is None else self.started + seconds
        self._cancelled = threading.Event()
        self._cancel_reason = None
        self.stopped = None  # {"reason", "seconds"} once a loop was told to stop

    def cancel(self, reason="client disconnected"):
        """Ask every loop reading this budget to stop at its next check."""
        self._cancel_reason = reason
        self._cancelled.set()

    def elapsed(self):
        return self.clock() - self.started

    def spent(self):
        """True when the loop should stop now (and, the first time, record why)."""
        if self.stopped is not None:
            return True
        if self._cancelled.is_set():
            reason = self._cancel_reason
        elif self.deadline is not None and self.clock() >= self.deadline:
            reason = "time budget"
        else:
            return False
        self.stopped = {"reason": reason, "seconds": round(self.elapsed(), 3)}
        if reason == "time budget":
            self.stopped["limit_seconds"] = self.seconds
        return True


def unlimited():
    """A budget that never runs out (engine callers outside a request, and tests)."""
    return Budget(None)


_current: contextvars.ContextVar = contextvars.ContextVar("bpv_budget", default=None)


def current():
    """The budget of the request this code runs for (an unlimited one outside requests)."""
    budget = _current.get()
    return budget if budget is not None else unlimited()


def set_current(budget):
    """Make `budget` the current one in this context (the web layer does it per request)."""
    return _current.set(budget)
