"""Security headers on every answer, and the refusal of requests with ambiguous framing.

Pure ASGI, outermost, so error answers (413, 422, 500) carry the headers too.

The Content-Security-Policy allows only the app's own origin: the page, /docs and /redoc
load every script, style sheet and font from it, and no script is inline. Inline style
attributes are allowed because the page sets element styles (and Swagger UI and ReDoc
inject <style> elements). Images may be `data:` (the favicon `data:,`, Swagger UI's icons)
or `blob:` (the PNG/SVG export draws its picture from a blob URL); ReDoc runs its search in
a worker made from a blob.

A request with both Content-Length and Transfer-Encoding is refused with 400 (RFC 9112
§6.1 allows it to be answered as an error): h11 silently lets Transfer-Encoding win, and a
proxy in front that lets Content-Length win would see a different request boundary — the
request smuggling pattern.
"""

from .errors import error_bytes

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


def _ambiguous_framing(headers) -> bool:
    """Whether a request declares its body length twice (Content-Length and
    Transfer-Encoding), which two HTTP parsers may read differently."""
    names = {name.lower() for name, _ in headers}
    return b"content-length" in names and b"transfer-encoding" in names


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP answer; refuses CL+TE requests with 400."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if _ambiguous_framing(scope.get("headers") or []):
            return await self._refuse(send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [h for h in SECURITY_HEADERS if h[0] not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await self.app(scope, receive, with_headers)

    @staticmethod
    async def _refuse(send):
        body = error_bytes(["header"], "a request may not carry both Content-Length and "
                           "Transfer-Encoding", "bad_request")
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})
