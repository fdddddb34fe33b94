"""A whole class behind one address opens a scene in the same second: every student gets
a session and its first traces, none a 503 or a 429 (a school's NAT is one client address).
Bounded: 300 students, three requests each, on a live server on loopback."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from liveserver import LiveServer

STUDENTS = 300


async def _post(client, path, body):
    try:
        return await client.post(path, json=body)
    except httpx.TransportError:
        # A pooled connection the server closed after its 5 s keep-alive, just as it was
        # reused: a browser sends the request again on a new one, and so do we (once).
        return await client.post(path, json=body)


async def _student(client, statuses):
    r = await _post(client, "/api/v1/sessions", {"preset": "tanh-mlp"})
    statuses.append(r.status_code)
    if r.status_code != 201:
        return
    sid = r.json()["id"]
    for phase in ("forward", "backward"):
        statuses.append((await _post(client, f"/api/v1/sessions/{sid}/{phase}", {})).status_code)


async def _class(url):
    statuses = []
    limits = httpx.Limits(max_connections=STUDENTS, max_keepalive_connections=STUDENTS)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        await asyncio.gather(*[_student(client, statuses) for _ in range(STUDENTS)])
    return statuses


def test_three_hundred_students_behind_one_address_all_start(tmp_path):
    with LiveServer(tmp_path / "data") as server:
        # In a thread of its own: the browser tests' Playwright keeps an event loop running on
        # this one for the whole session.
        with ThreadPoolExecutor(1) as thread:
            statuses = thread.submit(asyncio.run, _class(server.url)).result()
    refused = {s: statuses.count(s) for s in set(statuses) if s >= 300}
    assert not refused, f"a class opening a scene got {refused}"
    assert statuses.count(201) == STUDENTS and len(statuses) == 3 * STUDENTS
