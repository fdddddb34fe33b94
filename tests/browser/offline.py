"""Cutting a page off from everything but this machine, as in a classroom with no internet."""

from urllib.parse import urlparse


def loopback_only(page):
    """Abort every request not to 127.0.0.1 (or localhost); returns the list of those aborted."""
    blocked = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    return blocked
