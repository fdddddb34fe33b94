"""Heavy work in a bounded pool of its own, so no request can stall the server.

`ComputeRoute` is the `route_class` of every router whose endpoints run the engine. It
turns each sync endpoint into an async one that, on the event loop:
1. refuses with 503 (and Retry-After) when the pool's queue is full, instead of letting
   requests pile up without bound;
2. takes the lease on `session_id` (when the path has one), waiting at most BUSY_WAIT_S
   before answering 409 "session busy", so requests on a busy session never hold a thread;
3. runs the endpoint in the compute pool (BPV_COMPUTE_THREADS threads, apart from AnyIO's
   default pool that serves static files, /healthz, presets and cheap reads), with a
   `Budget` of BPV_MAX_REQUEST_SECONDS that the engine's loops read (`current_budget()`),
   cancelled when the client disconnects. The endpoint builds its StrictJSONResponse there,
   so the answer is encoded in the pool too, off the event loop.
A large JSON body is parsed before FastAPI validates it, in a process of its own
(body_parser.py), so the event loop is never held by a long parse.
"""

import asyncio
import contextvars
import functools
import inspect
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi import HTTPException, Request
from fastapi.routing import APIRoute

from ..engine.core import budget as budget_module
from ..engine.core.budget import Budget
from .body_parser import parse_large_body
from .encoding import answer_limit

BUSY_WAIT_S = 0.1          # how long a request waits for a busy session before its 409
BUSY_POLL_S = 0.005
DISCONNECT_POLL_S = 0.1    # how often a running request checks that its client is still there
_REQUEST = "_compute_request"


def current_budget() -> Budget:
    """The running request's budget (an unlimited one outside a compute route)."""
    return budget_module.current()


class ComputePool:
    """A fixed number of worker threads and a bounded queue in front of them."""

    def __init__(self, threads, queue):
        self.threads, self.capacity = threads, threads + queue
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="bpv-compute")
        self._active = 0  # running or queued; tests drive apps from several loops: a lock
        self._lock = threading.Lock()

    def reserve(self):
        """Count one more request in, or 503 when running + queued is at capacity."""
        with self._lock:
            if self._active >= self.capacity:
                raise HTTPException(503, f"the server is busy: {self.threads} compute threads "
                                         f"and a queue of {self.capacity - self.threads} are "
                                         "taken (BPV_COMPUTE_THREADS, BPV_COMPUTE_QUEUE); "
                                         "retry shortly", headers={"Retry-After": "2"})
            self._active += 1

    def unreserve(self):
        with self._lock:
            self._active -= 1

    async def run(self, call, budget, request, on_done=()):
        """call() in the pool (reserved before), its budget cancelled if the client leaves;
        `on_done` run once the thread has finished (also when this await was cancelled)."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, call)
        watcher = asyncio.ensure_future(_watch_disconnect(request, budget))

        def finished(_):
            watcher.cancel()
            self.unreserve()
            for fn in on_done:
                fn()

        future.add_done_callback(finished)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            budget.cancel("request cancelled")
            raise

    def shutdown(self):
        self._executor.shutdown(wait=False, cancel_futures=True)


async def _watch_disconnect(request, budget):
    while True:
        await asyncio.sleep(DISCONNECT_POLL_S)
        if await request.is_disconnected():
            budget.cancel("client disconnected")
            return


async def _lease(sessions, session_id):
    """Hold the session's id for this request, or 409 after BUSY_WAIT_S."""
    waited = 0.0
    while not sessions.lease(session_id):
        if waited >= BUSY_WAIT_S:
            raise HTTPException(409, f"session busy: another request on session {session_id!r} "
                                     "is running; retry when it has finished",
                                headers={"Retry-After": "1"})
        await asyncio.sleep(BUSY_POLL_S)
        waited += BUSY_POLL_S


def in_compute_pool(endpoint):
    """An async endpoint with `endpoint`'s parameters (plus the Request) that runs it in the
    app's compute pool, as described in the module docstring."""

    @functools.wraps(endpoint)
    async def run(*args, **kwargs):
        request = kwargs[request_param] if request_param != _REQUEST else kwargs.pop(_REQUEST)
        state = request.app.state
        session_id = kwargs.get("session_id")
        state.compute.reserve()
        try:
            if session_id is not None:
                await _lease(state.sessions, session_id)
        except BaseException:
            state.compute.unreserve()
            raise
        on_done = () if session_id is None else (functools.partial(state.sessions.release, session_id),)
        budget = Budget(state.settings.max_request_seconds)
        context = _context(budget, state.settings.max_answer_bytes)
        call = functools.partial(context.run, endpoint, *args, **kwargs)
        return await state.compute.run(call, budget, request, on_done)

    signature = inspect.signature(endpoint)
    own = [p.name for p in signature.parameters.values() if p.annotation is Request]
    if own:  # FastAPI fills one Request parameter per endpoint: share the endpoint's own
        request_param = own[0]
    else:
        request_param = _REQUEST
        extra = inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        run.__signature__ = signature.replace(parameters=[*signature.parameters.values(), extra])
    return run


def _context(budget, max_answer_bytes):
    """A copy of the current context with this request's budget and answer limit set."""
    context = contextvars.copy_context()
    context.run(budget_module.set_current, budget)
    context.run(answer_limit.set, max_answer_bytes)
    return context


class ComputeRoute(APIRoute):
    """An APIRoute whose sync endpoint runs in the compute pool, and whose large body is
    parsed off the event loop (see the module doc)."""

    def __init__(self, path, endpoint, **kwargs):
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = in_compute_pool(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def parsed_first(request: Request):
            await parse_large_body(request)
            return await handler(request)

        return parsed_first
