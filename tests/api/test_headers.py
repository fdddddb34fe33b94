"""Security headers on every kind of answer, the refusal of Content-Length + Transfer-Encoding
(on a raw socket: the test client would normalise the headers), and the slow-client bounds
of the served app (server/__main__.py's uvicorn settings)."""

import asyncio
import socket
import threading
import time

import pytest
import uvicorn

from api_helpers import API, TestClient
from live_server import serving
from server.__main__ import server_config
from server.app import create_app
from server.config import Settings


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Settings(data_dir=tmp_path_factory.mktemp("data"), max_body_bytes=1024))


@pytest.fixture(scope="module")
def client(app):
    return TestClient(app, raise_server_exceptions=False)


def _csp(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    parts = (p.split() for p in response.headers["content-security-policy"].split(";"))
    return {p[0]: p[1:] for p in parts if p}


ANSWERS = [  # one of each kind: the page, the docs, a static file, JSON, and three errors
    ("GET", "/", 200), ("GET", "/docs", 200), ("GET", "/redoc", 200),
    ("GET", "/static/js/main.js", 200), ("GET", f"{API}/presets", 200),
    ("GET", "/no-such-page", 404), ("POST", f"{API}/backprop", 422),
    ("POST", f"{API}/backprop", 413),
]


@pytest.mark.parametrize("method,path,status", ANSWERS)
def test_every_answer_carries_the_security_headers(client, method, path, status):
    body = b"[" * 2000 if status == 413 else b"{}"  # 2000 bytes > max_body_bytes=1024
    r = client.request(method, path, content=body if method == "POST" else None,
                       headers={"content-type": "application/json"})
    assert r.status_code == status
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    csp = _csp(r)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert all(not s.startswith(("http", "*")) for sources in csp.values() for s in sources)


def test_headers_appear_once(client):
    r = client.get("/")
    for name in ("content-security-policy", "x-frame-options", "x-content-type-options"):
        assert len(r.headers.get_list(name)) == 1, name


def _exchange(base, request, timeout=10):
    """Send raw bytes to the live server; the whole answer until it closes (or timeout)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def _chunked_post(extra_header=b""):
    body = b"{}"
    return (b"POST " + API.encode() + b"/backprop HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nConnection: close\r\n" + extra_header +
            b"Transfer-Encoding: chunked\r\n\r\n" +
            f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")


def test_content_length_with_transfer_encoding_is_refused(app):
    with serving(app) as base:
        plain = _exchange(base, _chunked_post())
        both = _exchange(base, _chunked_post(b"Content-Length: 2\r\n"))
    # Chunked alone reaches the API (its validation answers 422 for the empty object) ...
    assert plain.startswith(b"HTTP/1.1 422"), plain[:200]
    # ... with Content-Length as well, it is refused before the API sees it.
    assert both.startswith(b"HTTP/1.1 400"), both[:200]
    assert b"Content-Length and Transfer-Encoding" in both
    assert b"x-frame-options: DENY" in both


class _Sleepy:
    """An ASGI app that answers after `seconds` (longer than the request deadline)."""

    def __init__(self, seconds):
        self.seconds = seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        await asyncio.sleep(self.seconds)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", b"13")]})  # len(b"slow but fine")
        await send({"type": "http.response.body", "body": b"slow but fine"})


@pytest.fixture
def deadline_server():
    """The app as served by `backprop-viz` (server_config), but with a 1 s request deadline
    and an app that takes 2 s to answer; yields (host, port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = server_config(_Sleepy(2.0), "127.0.0.1", port, "warning", request_seconds=1.0)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=10)


def _closed_within(sock, seconds):
    """Whether the server closes `sock` within `seconds` (recv returns b'' or resets)."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def test_a_connection_that_sends_nothing_is_closed(deadline_server):
    with socket.create_connection(deadline_server) as s:
        assert _closed_within(s, 8)  # plain uvicorn holds it open for ever


def test_headers_sent_a_line_at_a_time_are_cut_off(deadline_server):
    with socket.create_connection(deadline_server) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        for i in range(8):  # each byte would cancel uvicorn's keep-alive timer
            time.sleep(0.4)
            try:
                s.sendall(f"X-Slow-{i}: 1\r\n".encode())
            except (BrokenPipeError, ConnectionResetError):
                break
        assert _closed_within(s, 8)


def test_the_deadline_does_not_cut_a_slow_answer(deadline_server):
    """The request is in at once; the answer takes 2 s, twice the deadline, and arrives."""
    with socket.create_connection(deadline_server, timeout=10) as s:
        for _ in range(2):  # and again on the same keep-alive connection
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while b"slow but fine" not in answer:
                chunk = s.recv(1024)
                assert chunk, f"closed before the answer: {answer!r}"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200")
