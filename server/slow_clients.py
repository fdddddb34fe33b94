"""A deadline for a client to send its whole request, which uvicorn does not offer.

uvicorn closes an idle keep-alive connection after `timeout_keep_alive`, but only once an
answer has been sent, and any byte received cancels that timer: a connection that opens and
sends nothing, or sends a header line every few seconds (slowloris), is held open forever.
Here each request (its headers and body) must have arrived within `seconds` of the
connection opening or of the previous answer; otherwise the connection is closed, and an
app still waiting for the body sees the client disconnect. The time the app takes to answer
does not count: the deadline ends when the request is in.
"""

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

RECEIVED = (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR)


def request_deadline_protocol(seconds: float) -> type:
    """uvicorn's h11 protocol with a `seconds` deadline on receiving each request."""

    class RequestDeadline(H11Protocol):
        _deadline = None

        def connection_made(self, transport):
            super().connection_made(transport)
            self._arm()

        def data_received(self, data):
            super().data_received(data)
            self._disarm_once_received()

        def on_response_complete(self):
            super().on_response_complete()  # may already have read a pipelined request
            if not self.transport.is_closing():
                self._arm()
                self._disarm_once_received()

        def connection_lost(self, exc):
            self._disarm()
            super().connection_lost(exc)

        def _arm(self):
            self._disarm()
            self._deadline = self.loop.call_later(seconds, self._expired)

        def _disarm(self):
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _disarm_once_received(self):
            if self.conn.their_state in RECEIVED:
                self._disarm()

        def _expired(self):
            self._deadline = None
            if not self.transport.is_closing():
                self.logger.info("closed a connection that sent no whole request in %g s",
                                 seconds)
                self.transport.close()

    return RequestDeadline
