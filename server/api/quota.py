"""Per-client rate limits: how many sessions one client address may create per minute.

A sliding window of creation times per address, in memory (a restart forgets it, which
only ever lets a client create more). Sized for a lecture hall behind one NAT address: the
default lets 300 students open the page (2 sessions each) at the same moment.
"""

import math
import threading
import time
from collections import deque

WINDOW_S = 60.0


class RateLimiter:
    def __init__(self, per_minute, clock=time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self._times: dict[str, deque] = {}
        self._lock = threading.Lock()

    def allow(self, client):
        """(True, 0) and count one creation, or (False, seconds until one is allowed)."""
        now = self.clock()
        with self._lock:
            times = self._times.setdefault(client, deque())
            while times and times[0] <= now - WINDOW_S:
                times.popleft()
            if len(times) >= self.per_minute:
                return False, max(1, math.ceil(times[0] + WINDOW_S - now))
            times.append(now)
            if len(self._times) > 10_000:  # forget idle clients, so the table stays small
                self._times = {c: t for c, t in self._times.items() if t and t[-1] > now - WINDOW_S}
            return True, 0
