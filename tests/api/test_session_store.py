"""The session store under load: LRU eviction, TTL expiry (injected clock), threads."""

from concurrent.futures import ThreadPoolExecutor

from api_helpers import API, make_client, session_from_preset

S = f"{API}/sessions"


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_least_recently_used_session_is_evicted_beyond_max_sessions():
    c = make_client(max_sessions=2)
    a, b = session_from_preset(c), session_from_preset(c)
    assert c.get(f"{S}/{a}").status_code == 200  # a is now more recently used than b
    new = session_from_preset(c)
    assert c.get(f"{S}/{b}").status_code == 404
    assert c.get(f"{S}/{a}").status_code == 200
    assert c.get(f"{S}/{new}").status_code == 200
    assert len(c.app.state.sessions) == 2


def test_a_step_counts_as_use_for_eviction():
    c = make_client(max_sessions=2)
    a, b = session_from_preset(c), session_from_preset(c)
    c.post(f"{S}/{a}/step", json={"lr": 0.1})
    session_from_preset(c)
    assert c.get(f"{S}/{a}").json()["step"] == 1
    assert c.get(f"{S}/{b}").status_code == 404


def test_idle_sessions_expire_after_the_ttl():
    c = make_client(session_ttl_seconds=10.0)
    clock = FakeClock()
    c.app.state.sessions.clock = clock
    a = session_from_preset(c)
    clock.now += 5
    b = session_from_preset(c)
    clock.now += 5  # a idle exactly 10 s: not yet expired
    assert c.get(f"{S}/{a}").status_code == 200  # ...and touched again
    clock.now += 6  # b idle 11 s, a idle 6 s
    assert c.get(f"{S}/{b}").status_code == 404
    assert c.get(f"{S}/{a}").status_code == 200
    clock.now += 10.5
    assert c.post(f"{S}/{a}/forward").status_code == 404
    assert len(c.app.state.sessions) == 0


def test_a_busy_session_does_not_expire():
    c = make_client(session_ttl_seconds=10.0)
    clock = FakeClock()
    c.app.state.sessions.clock = clock
    sid = session_from_preset(c)
    for _ in range(5):
        clock.now += 8
        assert c.post(f"{S}/{sid}/step", json={"lr": 0.1}).status_code == 200
    assert c.get(f"{S}/{sid}").json()["step"] == 5


def test_concurrent_steps_on_one_session_are_serialised():
    c = make_client()
    sid = session_from_preset(c)

    def worker(_):
        return [c.post(f"{S}/{sid}/step", json={"lr": 0.05}).status_code for _ in range(20)]

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for batch in pool.map(worker, range(8)) for s in batch]
    assert statuses == [200] * 160
    s = c.get(f"{S}/{sid}").json()
    assert s["step"] == 160 and len(s["loss_history"]) == 160
    # serialised steps are the same 160 deterministic updates as one train call
    ref = session_from_preset(c)
    trained = c.post(f"{S}/{ref}/train", json={"steps": 160, "lr": 0.05}).json()
    assert s["params"] == trained["params"]
    assert s["loss_history"] == trained["loss_history"]


def test_concurrent_requests_on_different_sessions_stay_isolated():
    c = make_client()
    ids = [session_from_preset(c) for _ in range(4)]
    lrs = [0.01, 0.02, 0.05, 0.1]

    def worker(i):
        sid, lr = ids[i], lrs[i]
        for _ in range(15):
            assert c.post(f"{S}/{sid}/step", json={"lr": lr}).status_code == 200
            assert c.post(f"{S}/{sid}/forward").status_code == 200
        return c.get(f"{S}/{sid}").json()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(worker, range(4)))
    for lr, got in zip(lrs, results):
        ref = session_from_preset(c)
        trained = c.post(f"{S}/{ref}/train", json={"steps": 15, "lr": lr}).json()
        assert got["step"] == 15
        assert got["params"] == trained["params"]


def test_concurrent_creates_and_deletes_keep_the_store_bounded():
    c = make_client(max_sessions=5)

    def worker(_):
        sid = session_from_preset(c)
        c.post(f"{S}/{sid}/step", json={"lr": 0.1})
        return sid

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(worker, range(40)))
    assert len(set(ids)) == 40
    assert len(c.app.state.sessions) == 5
    alive = [sid for sid in ids if c.get(f"{S}/{sid}").status_code == 200]
    assert len(alive) == 5
    for sid in alive:
        assert c.delete(f"{S}/{sid}").status_code == 204
    assert len(c.app.state.sessions) == 0
